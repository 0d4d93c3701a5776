"""docs/generated-client.md is true: its end-to-end script runs against the sandbox, and the
scripts it shows pass `mypy --strict` as a user's own code would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from iscctl.sandbox import SandboxServer

DOC = Path(__file__).resolve().parents[2] / "docs" / "generated-client.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
END_TO_END = next(block for block in BLOCKS if "asyncio.run(import_profiles())" in block)
OVERVIEW = BLOCKS[0]


def _clean_environment() -> dict[str, str]:
    environment = dict(os.environ)
    for name in ("SAIL_BASE_URL", "SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET", "ISCCTL_LOG"):
        environment.pop(name, None)
    return environment


def test_the_end_to_end_script_runs_against_the_sandbox(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    script = (
        END_TO_END.replace('base_url="acme"', f'base_url="{sandbox.base_url}"')
        .replace('"2c91808a7e1b2c3d4e5f60718293a4b5"', f'"{sandbox.client_id}"')
        .replace('"my-client-secret"', 'os.environ["DOC_SECRET"]')
        .replace('"2c9180835d191a86015d28455b4b232a"', f'"{sandbox.identity_ids[0]}"')
        .replace('"2c9180835d191a86015d28455b4b232b"', f'"{sandbox.identity_ids[1]}"')
        .replace('"HR Active Directory"', f'"{sandbox.source_names[0]}"')
    )
    path = tmp_path / "end_to_end.py"  # the secret comes from the environment, not the file
    path.write_text(f"import os\n{script}", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        env={**_clean_environment(), "DOC_SECRET": sandbox.client_secret},
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "processing task " in done.stdout
    assert "refused: 404 " in done.stdout
    assert "imported ['HR Employees'] errors 0" in done.stdout
    assert sorted(sandbox.state.process_counts) == sorted(sandbox.identity_ids[:2])
    assert sandbox.state.stored_profile("HR Employees") is not None


def test_the_scripts_of_the_page_pass_mypy_strict(tmp_path: Path) -> None:
    for name, block in (("overview.py", OVERVIEW), ("end_to_end.py", END_TO_END)):
        (tmp_path / name).write_text(block, encoding="utf-8")
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / ".mypy"),
            str(tmp_path / "overview.py"),
            str(tmp_path / "end_to_end.py"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # outside the repository: no project configuration applies
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
