"""docs/processing.md is true: the scripts of its Python API of the whole job run as they
are against the sandbox (credentials from the SAIL_* variables, as the page says), and pass
`mypy --strict` as a user's own code would."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

from iscctl.sandbox import SandboxServer

from ..doc_scripts import check_strict, python_blocks
from ..doc_scripts import run_script as run_doc_script

BLOCKS = python_blocks("processing.md")
SYNC_SCRIPT = next(block for block in BLOCKS if "process_selected_sync(" in block)
ASYNC_SCRIPT = next(block for block in BLOCKS if "asyncio.run(engineering())" in block)
MakeSandbox = Callable[..., SandboxServer]


def run_script(script: str, tenant: SandboxServer, folder: Path) -> CompletedProcess[str]:
    """The script with the tenant's credentials in the SAIL_* variables, as the page says."""
    return run_doc_script(
        script,
        folder,
        SAIL_BASE_URL=tenant.base_url,
        SAIL_CLIENT_ID=tenant.client_id,
        SAIL_CLIENT_SECRET=tenant.client_secret,
        ISCCTL_STATE_DIR=str(folder / "state"),
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
    checked = check_strict({"sync_job.py": SYNC_SCRIPT, "async_job.py": ASYNC_SCRIPT}, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
