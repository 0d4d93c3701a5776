"""Output of `identity-profiles import` (#14.5, #14.6): one vocabulary, a documented JSON
shape, tables that fit 80 columns, and the standard-input rule of the other command."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result
from iscctl.cli.main import cli
from iscctl.sandbox import SandboxServer

Profile = dict[str, Any]
SCHEMA = json.loads(
    (Path(__file__).parents[2] / "docs" / "schemas" / "import-report.schema.json").read_text()
)
LONG_ID = "2c9180867d0a1b2c017d0a4e5f6a1001"


def _validate(document: Any) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft202012Validator)


def _camel_case_keys(value: Any, path: str = "") -> list[str]:
    """Keys users read that are not camelCase (the replies' own keys are the tenant's)."""
    bad: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if "_" in key or "-" in key or " " in key:
                bad.append(f"{path}.{key}")
            if key not in ("details", "before", "authoritativeSource"):
                bad.extend(_camel_case_keys(item, f"{path}.{key}"))
    elif isinstance(value, list):
        for item in value:
            bad.extend(_camel_case_keys(item, path))
    return bad


def test_json_of_a_mixed_import_validates_and_is_camel_case(
    write_json: Callable[..., Path],
    make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
) -> None:
    orphan = make_profile("Orphan", source={"type": "SOURCE", "id": "0" * 32, "name": "Old HR"})
    path = write_json([make_profile("Good"), orphan])
    result = run_import(path, "--format", "json", "--map-source", "Old HR=Old HR 2")
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    _validate(document)
    assert _camel_case_keys(document) == []
    assert [p["status"] for p in document["profiles"]] == ["imported", "rejected"]


@pytest.mark.parametrize("extra", [["--dry-run"], []], ids=["dry-run", "import"])
def test_json_of_a_clean_run_validates(
    extra: list[str], write_json: Callable[..., Path], make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
) -> None:  # fmt: skip
    result = run_import(
        write_json([make_profile("A"), make_profile("B")]), "--format", "json", *extra
    )
    assert result.exit_code == 0, result.output
    _validate(json.loads(result.stdout))


def test_json_of_bad_input_validates(
    write_json: Callable[..., Path], make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
) -> None:  # fmt: skip
    result = run_import(write_json([make_profile("A", priority="high")]), "--format", "json")
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    _validate(document)
    assert document["exitCode"] == 2


def test_json_of_a_failed_request_validates(
    sandbox: SandboxServer, write_json: Callable[..., Path], make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
) -> None:  # fmt: skip
    sandbox.faults.add("http_500", times=10, operation="import")
    result = run_import(write_json([make_profile("A")]), "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    _validate(document)
    assert document["failedRequests"][0]["status"] == 500


def test_table_is_a_hidden_alias_of_text(
    write_json: Callable[..., Path], make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
) -> None:  # fmt: skip
    path = write_json([make_profile("A")])
    as_table = run_import(path, "--dry-run", "--format", "table")
    as_text = run_import(path, "--dry-run", "--format", "text")
    assert as_table.exit_code == as_text.exit_code == 0
    assert as_table.output == as_text.output
    help_text = run_import("--help").output
    assert "--format [text|json]" in " ".join(help_text.split())


def _run_80_columns(sandbox: SandboxServer, tmp_path: Path, *args: str | Path) -> Result:
    env = {
        "SAIL_BASE_URL": sandbox.base_url,
        "SAIL_CLIENT_ID": sandbox.client_id,
        "SAIL_CLIENT_SECRET": sandbox.client_secret,
        "ISCCTL_CONFIG_DIR": str(tmp_path / "config"),
        "COLUMNS": "80",
    }
    command = ["identity-profiles", "import", *map(str, args), "--rate-limit", "off"]
    command += ["--no-resolve", "--no-backup"]
    return CliRunner().invoke(cli, command, env=env, catch_exceptions=False)


def test_the_text_output_fits_80_columns_without_folding_ids_or_repeating_errors(
    sandbox: SandboxServer, tmp_path: Path, write_json: Callable[..., Path],
    make_profile: Callable[..., Profile],
) -> None:  # fmt: skip
    long_name = "Contractors and temporary staff of the EMEA region"
    good = make_profile(long_name, source={"type": "SOURCE", "id": LONG_ID, "name": "HR Workday"})
    orphan = make_profile("Orphan", source={"type": "SOURCE", "id": "0" * 32, "name": "Old HR"})
    result = _run_80_columns(sandbox, tmp_path, write_json([good, orphan]), "--max-retries", "0")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, "\n".join(lines)
    imported_id = sandbox.state.profiles[long_name]["id"]
    assert any(imported_id in line for line in lines), "an id was folded over lines"
    error_lines = [line for line in lines if "Old HR" in line and "rejected" not in line]
    rejected_rows = [line for line in lines if "rejected" in line and "│" in line]
    assert len(rejected_rows) == 1
    assert not any("Errors (" in line for line in lines), "the attributed error is printed again"
    assert error_lines  # the reason is in the row (folded within the detail column)


def test_a_failed_request_is_printed_once(
    sandbox: SandboxServer, tmp_path: Path, write_json: Callable[..., Path],
    make_profile: Callable[..., Profile],
) -> None:  # fmt: skip
    sandbox.faults.add("http_500", times=10, operation="import")
    path = write_json([make_profile("A"), make_profile("B")])
    result = _run_80_columns(sandbox, tmp_path, path, "--max-retries", "0")
    assert result.exit_code == 1
    assert result.stdout.count("Internal Fault") == 1, result.stdout
    assert "request 1, see below" in result.stdout


def test_no_file_reads_standard_input(
    make_profile: Callable[..., Profile], run_import: Callable[..., Result], sandbox: SandboxServer
) -> None:
    result = run_import(stdin=json.dumps([make_profile("Piped")]).encode())
    assert result.exit_code == 0, result.output
    assert "Piped" in sandbox.state.profiles


def test_no_file_on_a_terminal_is_one_line_with_the_fix(tmp_path: Path) -> None:
    """Run for real with a pseudo-terminal as standard input: no hang, one line, exit 2."""
    controller, terminal = pty.openpty()
    try:
        finished = subprocess.run(
            [sys.executable, "-m", "iscctl", "identity-profiles", "import", "--dry-run"],
            stdin=terminal, capture_output=True, text=True, timeout=60, cwd=tmp_path,
            env={**os.environ, "ISCCTL_CONFIG_DIR": str(tmp_path)},
        )  # fmt: skip
    finally:
        os.close(controller)
        os.close(terminal)
    assert finished.returncode == 2
    assert finished.stderr.strip().splitlines() == [
        "error: no input: give FILES, or pipe an export into standard input"
        " (cat export.json | iscctl identity-profiles import)"
    ]


def test_closed_standard_input_is_one_line(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "iscctl", "identity-profiles", "import", "--dry-run"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, cwd=tmp_path,
        close_fds=True, env={**os.environ, "ISCCTL_CONFIG_DIR": str(tmp_path)},
    )  # fmt: skip
    # /dev/null is an empty file, not a closed stream: the empty input is named
    assert finished.returncode == 2
    assert finished.stderr.strip().splitlines()[0] == (
        "error: <stdin>: is empty; expected exported identity profiles"
    )


def test_max_wait_bounds_a_long_retry_after(
    sandbox: SandboxServer, write_json: Callable[..., Path], make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
) -> None:  # fmt: skip
    """Contract 4: a Retry-After longer than --max-wait fails the call, naming the option."""
    sandbox.faults.add("rate_limit", times=1, operation="import", retry_after=30)
    result = run_import(write_json([make_profile("A")]), "--max-wait", "2", "--format", "json")
    assert result.exit_code == 1, result.output
    [failed] = json.loads(result.stdout)["failedRequests"]
    assert failed["status"] == 429 and "--max-wait" in failed["error"]
