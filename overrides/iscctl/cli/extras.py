"""What to install when a command needs an optional extra that is missing.

The plain install (`pip install iscctl`) is the SDK and CLI; `iscctl sandbox` needs
the `sandbox` extra (a web server). A user who runs it without the extra gets one
line naming the exact requirements, read from the installed package's own metadata,
so the advice is right whether iscctl came from an index, a clone or a git URL.
"""

from __future__ import annotations

DISTRIBUTION = "iscctl"


def requirements_of(extra: str) -> list[str]:
    """The requirement strings the installed distribution declares for `extra`."""
    from importlib import metadata

    try:
        declared = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        return []
    # Requires-Dist lines look like `uvicorn>=0.30; extra == "sandbox"` (either quote).
    markers = {f'extra == "{extra}"', f"extra == '{extra}'"}
    return [
        requirement.strip()
        for requirement, _, condition in (line.partition(";") for line in declared)
        if condition.strip() in markers
    ]


def missing_extra_message(command: str, extra: str, missing_module: str | None) -> str:
    """One line: which command, which module is missing, and the pip command that fixes it."""
    packages = " ".join(f"'{requirement}'" for requirement in requirements_of(extra))
    alternative = f" (or: pip install {packages})" if packages else ""
    missing = f"{missing_module} is not installed" if missing_module else "it is not installed"
    return (
        f"`iscctl {command}` needs the optional '{extra}' extra ({missing}); "
        f"install it with: pip install '{DISTRIBUTION}[{extra}]'{alternative}"
    )
