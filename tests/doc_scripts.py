"""Running the Python examples of a documentation page, for the tests that keep the page
true (tests/client/test_docs_generated_client.py, tests/verify/test_docs_processing.py).

A page's example is run as a user runs it: written to a file, started with this
Python in a child process, from an environment without the caller's ``SAIL_*`` and
``ISCCTL_*`` variables (so that the developer's own tenant or settings never leak in),
and checked with ``mypy --strict`` from a folder outside the repository, where no
project configuration applies, as a user's own script would be.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def python_blocks(page: str) -> list[str]:
    """The ```` ```python ```` blocks of ``docs/<page>``, in order."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def run_script(
    script: str, folder: Path, timeout: float = 300, **variables: str
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` as ``folder/example.py`` in ``folder``, with ``variables`` added to
    an environment cleared of ``SAIL_*`` and ``ISCCTL_*``."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SAIL_", "ISCCTL_"))
    }
    environment.update(variables)
    path = folder / "example.py"
    path.write_text(script, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=folder,
        timeout=timeout,
    )


def check_strict(scripts: dict[str, str], folder: Path) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` over ``scripts`` (file name -> text), written to ``folder`` and
    checked from there: outside the repository, no project configuration applies."""
    paths = []
    for name, text in scripts.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(str(folder / name))
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(folder / ".mypy"), *paths],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=300,
    )
