"""docs/processing.md is true: the scripts of its Python API of the whole job run as they
are against the sandbox (credentials from the SAIL_* variables, as the page says), and pass
`mypy --strict` as a user's own code would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from iscctl.sandbox import SandboxServer

DOC = Path(__file__).resolve().parents[2] / "docs" / "processing.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
SYNC_SCRIPT = next(block for block in BLOCKS if "process_selected_sync(" in block)
ASYNC_SCRIPT = next(block for block in BLOCKS if "asyncio.run(engineering())" in block)
MakeSandbox = Callable[..., SandboxServer]


def run_script(
    script: str, tenant: SandboxServer, folder: Path
) -> subprocess.CompletedProcess[str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SAIL_", "ISCCTL_"))
    }
    environment.update(
        SAIL_BASE_URL=tenant.base_url,
        SAIL_CLIENT_ID=tenant.client_id,
        SAIL_CLIENT_SECRET=tenant.client_secret,
        ISCCTL_STATE_DIR=str(folder / "state"),
    )
    path = folder / "example.py"
    path.write_text(script, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=folder,
        timeout=300,
    )


def test_the_sync_script_processes_waits_names_the_errors_and_retries_them(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    tenant = make_sandbox(population_size=600, processing_time=0.001, processing_error_rate=0.1)
    done = run_script(SYNC_SCRIPT, tenant, tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    matched = re.fullmatch(r"matched (\d+), processed (\d+), exit 4", lines[0])
    assert matched is not None, done.stdout
    assert matched[1] == matched[2] != "0"
    in_error = [line for line in lines if line.startswith("in error: ")]
    assert in_error and all(" at Attribute Promotion: " in line for line in in_error)
    assert f"in error {len(in_error)}, pending 0" in done.stdout
    assert lines[-1] == f"retried {len(in_error)}, exit 0"  # the sandbox fails each one once
    assert (tmp_path / "engineering.jsonl").exists()
    retried = {identity for identity, count in tenant.state.process_counts.items() if count == 2}
    assert {line.split()[2] for line in in_error} == retried


def test_the_async_script_runs(make_sandbox: MakeSandbox, tmp_path: Path) -> None:
    tenant = make_sandbox(population_size=200, processing_time=0.001)
    done = run_script(ASYNC_SCRIPT, tenant, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"
    assert tenant.state.process_counts  # it did process the identities the filter chose


def test_the_scripts_pass_mypy_strict(tmp_path: Path) -> None:
    for name, block in (("sync_job.py", SYNC_SCRIPT), ("async_job.py", ASYNC_SCRIPT)):
        (tmp_path / name).write_text(block, encoding="utf-8")
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / ".mypy"),
            str(tmp_path / "sync_job.py"),
            str(tmp_path / "async_job.py"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # outside the repository: no project configuration applies
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
