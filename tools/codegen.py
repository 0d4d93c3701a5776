"""Write generated/ from openapi/isc.yaml, or prove that generated/ is current.

    python tools/codegen.py generate   validate the spec, regenerate generated/ from nothing
    python tools/codegen.py check      regenerate into a temporary folder, compare byte for byte

Both start with the spec gate (tools/spec_gate.py: YAML, the pinned OpenAPI linter
with the rule set openapi/redocly.yaml, openapi-spec-validator). Both generators run
into a temporary staging folder first; generated/ is only replaced once everything
succeeded, so a spec that fails the gate or a generator error leaves the checked-in
tree untouched.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

# tools/ is not a package: its sibling module is found beside this file, however it is loaded.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import spec_gate

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "isc.yaml"
CLIENT_CONFIG = ROOT / "openapi" / "openapi-python-client.yaml"
# Templates of openapi-python-client that replace its own (only the files found here).
CLIENT_TEMPLATES = ROOT / "openapi" / "templates"
LINT_RULES = ROOT / "openapi" / "redocly.yaml"
GENERATED = ROOT / "generated"
CLIENT_PACKAGE = "iscctl_client"
MODELS_PACKAGE = "iscctl_models"
# Files and folders that tools leave behind and that are not generated code.
IGNORED_NAMES = {"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache"}
README = """\
# generated/ — do not edit

Everything here is written by `make generate` from `openapi/isc.yaml`:

- `iscctl_client/`: the attrs + httpx client made by openapi-python-client;
- `iscctl_models/`: the pydantic v2 models made by datamodel-code-generator.

`make check` fails when any byte here differs from what the spec produces.
To change the API, edit the spec (or the generator configuration) and run
`make generate`.
"""


class CodegenError(Exception):
    """A step of code generation failed; the message says which and why."""


def validate_spec() -> None:
    """Stop before generating unless the spec passes the gate (tools/spec_gate.py):
    YAML, the pinned OpenAPI linter with the rule set in openapi/, openapi-spec-validator."""
    try:
        spec_gate.check_spec(ROOT, SPEC, LINT_RULES)
    except (spec_gate.SpecGateError, spec_gate.LinterError) as error:
        raise CodegenError(str(error)) from None


def validate_client_config() -> None:
    """openapi-python-client ignores unknown config keys; a typo must not pass silently."""
    from openapi_python_client.config import ConfigFile
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(CLIENT_CONFIG)
    unknown = sorted(set(data) - set(ConfigFile.model_fields))
    if unknown:
        raise CodegenError(
            f"{CLIENT_CONFIG.relative_to(ROOT)}: unknown key(s) {', '.join(unknown)}; "
            f"known keys: {', '.join(sorted(ConfigFile.model_fields))}"
        )


def run(command: list[str], cwd: Path) -> None:
    # The generators call ruff by name: the pinned one beside this interpreter must win.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = {**os.environ, "PATH": path, "RUFF_NO_CACHE": "true"}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CodegenError(
            f"{' '.join(command)} failed (exit {result.returncode}):\n"
            f"{result.stdout}{result.stderr}"
        )


def tool(name: str) -> str:
    """The console script installed beside this interpreter (the pinned one)."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def generate_into(target: Path) -> None:
    """Write the complete generated tree into target, which must not exist yet."""
    target.mkdir(parents=True)
    client_dir = target / CLIENT_PACKAGE
    run(
        [
            tool("openapi-python-client"),
            "generate",
            "--path",
            str(SPEC),
            "--config",
            str(CLIENT_CONFIG),
            "--meta",
            "none",
            "--output-path",
            str(client_dir),
            "--fail-on-warning",
            "--custom-template-path",
            str(CLIENT_TEMPLATES),
        ],
        cwd=ROOT,
    )
    (client_dir / "py.typed").write_text("")

    models_dir = target / MODELS_PACKAGE
    models_dir.mkdir()
    # datamodel-codegen reads [tool.datamodel-codegen] from ROOT/pyproject.toml.
    run(
        [tool("datamodel-codegen"), "--output", str(models_dir / "__init__.py")],
        cwd=ROOT,
    )
    (models_dir / "py.typed").write_text("")
    (target / "README.md").write_text(README)
    for leftover in list(walk(target, include_ignored=True)):
        if leftover.name in IGNORED_NAMES and leftover.exists():
            shutil.rmtree(leftover)


def walk(folder: Path, include_ignored: bool = False) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        ignored = any(part in IGNORED_NAMES for part in path.relative_to(folder).parts)
        if include_ignored or not ignored:
            yield path


def differences(expected: Path, actual: Path) -> list[str]:
    """Every file that is missing, new or different in actual, relative to expected."""
    expected_files = {p.relative_to(expected) for p in walk(expected) if p.is_file()}
    actual_files = {p.relative_to(actual) for p in walk(actual) if p.is_file()}
    problems = [f"missing: {p}" for p in sorted(expected_files - actual_files)]
    problems += [f"not generated by the spec: {p}" for p in sorted(actual_files - expected_files)]
    for relative in sorted(expected_files & actual_files):
        if not filecmp.cmp(expected / relative, actual / relative, shallow=False):
            problems.append(f"differs: {relative}")
    return problems


def generate() -> None:
    validate_spec()
    validate_client_config()
    with tempfile.TemporaryDirectory(prefix="iscctl-codegen-") as scratch:
        staged = Path(scratch) / "generated"
        generate_into(staged)
        if GENERATED.exists():
            shutil.rmtree(GENERATED)
        shutil.copytree(staged, GENERATED)
    print(f"generated {GENERATED.relative_to(ROOT)}/ from {SPEC.relative_to(ROOT)}")


def check() -> int:
    validate_spec()
    validate_client_config()
    with tempfile.TemporaryDirectory(prefix="iscctl-codegen-") as scratch:
        staged = Path(scratch) / "generated"
        generate_into(staged)
        problems = (
            differences(staged, GENERATED) if GENERATED.exists() else ["generated/ is missing"]
        )
    if problems:
        print("generated/ is not what openapi/isc.yaml produces:", file=sys.stderr)
        for problem in problems:
            kind, _, path = problem.partition(": ")
            print(f"  generated/{path}: {kind}", file=sys.stderr)
        print(
            "Run `make generate` and commit the result (never edit generated/ by hand).",
            file=sys.stderr,
        )
        return 1
    print("generated/ is current")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("action", choices=["generate", "check"])
    args = parser.parse_args()
    try:
        if args.action == "generate":
            generate()
            return 0
        return check()
    except CodegenError as error:
        print(f"codegen: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
