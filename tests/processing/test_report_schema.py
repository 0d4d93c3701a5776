"""The JSON result of `identities process` validates against docs/schemas/process-report.schema.json
(real output of real runs over HTTP: a run with rejected and invalid ids, a dry run, an
interrupted-by-failure run, a run that cannot start)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from iscctl.cli.main import cli
from iscctl.sandbox import SandboxServer

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "docs" / "schemas" / "process-report.schema.json").read_text(
        encoding="utf-8"
    )
)


def run_json(sandbox: SandboxServer, tmp_path: Path, lines: list[str], *args: str) -> Any:
    path = tmp_path / "ids.txt"
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    runner = CliRunner(env={"SAIL_CLIENT_SECRET": sandbox.client_secret})
    result = runner.invoke(cli, ["identities", "process", str(path), "--format", "json",
                                 "--base-url", sandbox.base_url, "--client-id",
                                 sandbox.client_id, "--rate-limit", "off", *args])  # fmt: skip
    return result.exit_code, json.loads(result.stdout)


def camel_case_keys(document: Any) -> list[str]:
    if isinstance(document, dict):
        bad = [key for key in document if not re.fullmatch(r"[a-z][a-zA-Z]*", key)]
        return bad + [k for value in document.values() for k in camel_case_keys(value)]
    if isinstance(document, list):
        return [k for value in document for k in camel_case_keys(value)]
    return []


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("case", ["rejected and skipped", "dry run", "failed", "cannot start"])
def test_real_output_validates_and_every_key_is_camel_case(
    case: str, sandbox: SandboxServer, tmp_path: Path
) -> None:
    ids = sandbox.identity_ids[:300]
    args: list[str] = []
    lines = [*ids, "0" * 32]
    if case == "rejected and skipped":
        lines.append("bad id")
        args = ["--skip-invalid"]
    elif case == "dry run":
        args = ["--dry-run"]
    elif case == "failed":
        sandbox.faults.add("http_500", times=20, after=1, operation="process")
        args = ["--max-retries", "0", "--batch-size", "100"]
    else:
        args = ["--client-secret", "wrong-secret", "--max-retries", "0"]
    code, document = run_json(sandbox, tmp_path, lines, *args)
    jsonschema.validate(document, SCHEMA)
    assert document["exitCode"] == code
    assert camel_case_keys(document) == []
    if case == "dry run":
        assert document["plannedBatches"]
    if case == "cannot start":
        assert code == 3 and document["cannotStart"] is True
