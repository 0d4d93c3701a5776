"""Importing over real HTTP into the sandbox tenant, through the CLI."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from iscctl.sandbox import SandboxServer

Profile = dict[str, Any]
READ_ONLY = ("id", "created", "modified")
EXAMPLE = Path(__file__).parents[2] / "examples" / "identity-profiles-export.json"


def _without_read_only(profile: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in profile.items() if key not in READ_ONLY}


def _deeply_nested_transform(depth: int) -> dict[str, Any]:
    transform: dict[str, Any] = {"type": "accountAttribute", "attributes": {"attributeName": "x"}}
    for level in range(depth):
        transform = {"type": "lower", "attributes": {"input": transform, "level": level}}
    return transform


def test_a_valid_import_round_trips_exactly_minus_read_only_fields(
    sandbox: SandboxServer,
    write_json: Callable[..., Path],
    make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
) -> None:
    profile = make_profile(
        "Employees",
        priority=2**62 + 1,
        description=None,
        futureField={"kept": [1, 2.5, None, {"deep": True}]},
    )
    transforms = profile["object"]["identityAttributeConfig"]["attributeTransforms"]
    transforms.append(
        {"identityAttributeName": "deep", "transformDefinition": _deeply_nested_transform(40)}
    )
    sent = copy.deepcopy(profile)
    result = run_import(write_json([profile]))
    assert result.exit_code == 0, result.output
    stored = sandbox.state.profiles["Employees"]
    assert _without_read_only(stored) == _without_read_only(sent["object"])
    assert stored["id"] != sent["object"]["id"]  # the tenant's own id, not the export's
    assert "Stripped read-only fields id, created, modified from 1 profile." in result.output


def test_the_example_export_imports_only_its_profiles(
    sandbox: SandboxServer, run_import: Callable[..., Result]
) -> None:
    result = run_import(EXAMPLE, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert sorted(sandbox.state.profiles) == ["Contractors", "Employees"]
    assert [p["status"] for p in document["profiles"]] == ["imported", "imported"]
    assert document["skipped"] == [
        {"file": str(EXAMPLE), "path": "objects[2]", "type": "SOURCE", "name": "HR Workday"}
    ]


def test_per_object_errors_in_a_200_exit_1_and_are_shown(
    sandbox: SandboxServer,
    write_json: Callable[..., Path],
    make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
) -> None:
    unknown_source = {"type": "SOURCE", "id": "0" * 32, "name": "Old HR"}
    path = write_json([make_profile("Good"), make_profile("Orphan", source=unknown_source)])
    result = run_import(path)
    assert result.exit_code == 1
    orphan_row = next(line for line in result.output.splitlines() if "│ Orphan" in line)
    assert "rejected" in orphan_row
    assert "UNKNOWN_REFERENCE_RESOLVER" in orphan_row
    assert "FAILED: 1 imported, 1 rejected; 1 error message." in result.output
    assert list(sandbox.state.profiles) == ["Good"]


def test_map_source_by_name_fixes_an_unknown_reference(
    sandbox: SandboxServer,
    write_json: Callable[..., Path],
    make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
) -> None:
    other_tenant = {"type": "SOURCE", "id": "0" * 32, "name": "Old HR"}
    path = write_json([make_profile("Employees", source=other_tenant)])
    assert run_import(path).exit_code == 1
    result = run_import(path, "--map-source", "Old HR=HR Workday")
    assert result.exit_code == 0, result.output
    assert sandbox.state.profiles["Employees"]["authoritativeSource"] == {
        "type": "SOURCE",
        "name": "HR Workday",
    }


def test_map_source_by_id_rewrites_only_the_id(
    sandbox: SandboxServer,
    write_json: Callable[..., Path],
    make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
) -> None:
    target = sandbox.sources[0]
    other_tenant = {"type": "SOURCE", "id": "0" * 32, "name": "Renamed in sandbox"}
    path = write_json([make_profile("Employees", source=other_tenant)])
    result = run_import(path, "--map-source", f"{'0' * 32}={target.id}")
    assert result.exit_code == 0, result.output
    assert sandbox.state.profiles["Employees"]["authoritativeSource"] == {
        "type": "SOURCE",
        "id": target.id,
        "name": "Renamed in sandbox",
    }


def test_dry_run_shows_the_plan_and_sends_nothing(
    write_json: Callable[..., Path],
    make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
    import_requests: Callable[[], int],
) -> None:
    result = run_import(write_json([make_profile("Employees", priority=7)]), "--dry-run")
    assert result.exit_code == 0
    row = next(line for line in result.output.splitlines() if "Employees" in line)
    assert [cell.strip() for cell in row.strip("│ ").split("│")] == [
        "1",
        "Employees",
        "7",
        "HR Workday",
        "1",
    ]
    assert "Dry run: nothing was sent" in result.output
    assert import_requests() == 0


def test_profiles_go_in_chunks_and_all_are_imported(
    sandbox: SandboxServer,
    write_json: Callable[..., Path],
    make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
    import_requests: Callable[[], int],
) -> None:
    path = write_json([make_profile(f"P{n}") for n in range(5)])
    result = run_import(path, "--chunk-size", "2")
    assert result.exit_code == 0, result.output
    assert import_requests() == 3
    assert sorted(sandbox.state.profiles) == [f"P{n}" for n in range(5)]


def test_a_failed_chunk_hides_nothing_of_the_others(
    sandbox: SandboxServer,
    write_json: Callable[..., Path],
    make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
) -> None:
    sandbox.faults.add("http_500", times=2, operation="import", after=1)  # chunk 2, retried once
    path = write_json([make_profile(f"P{n}") for n in range(5)])
    result = run_import(path, "--chunk-size", "2", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    statuses = {p["name"]: p["status"] for p in document["profiles"]}
    assert statuses == {
        "P0": "imported",
        "P1": "imported",
        "P2": "request failed",
        "P3": "request failed",
        "P4": "imported",
    }
    assert document["failedRequests"][0]["profiles"] == ["P2", "P3"]
    assert document["failedRequests"][0]["status"] == 500
    assert document["exitCode"] == 1
    assert sorted(sandbox.state.profiles) == ["P0", "P1", "P4"]


@pytest.mark.parametrize("fault", ["null_strings", "unknown_enums", "extra_fields"])
def test_odd_replies_never_break_the_command(
    fault: str,
    sandbox: SandboxServer,
    write_json: Callable[..., Path],
    make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
) -> None:
    sandbox.faults.add(fault, operation="import")
    orphan = make_profile("Orphan", source={"type": "SOURCE", "name": "Nowhere"})
    result = run_import(write_json([make_profile("Good"), orphan]), "--format", "json")
    assert result.exit_code == 1, result.output  # the error in the reply still counts
    document = json.loads(result.stdout)
    assert len(document["errors"]) == 1
    assert len(document["importedObjects"]) == 1
    statuses = {p["name"]: p["status"] for p in document["profiles"]}
    assert statuses == {"Good": "imported", "Orphan": "rejected"}


def test_the_table_shows_unknown_types_and_nulls_from_the_reply(
    sandbox: SandboxServer,
    write_json: Callable[..., Path],
    make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
) -> None:
    sandbox.faults.add("unknown_enums", operation="import")
    sandbox.faults.add("null_strings", operation="import")
    result = run_import(write_json([make_profile("Good")]))
    assert result.exit_code == 0, result.output
    assert "FUTURE_TYPE" in result.output


def test_a_failed_login_never_shows_the_secret(
    write_json: Callable[..., Path],
    make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
) -> None:
    secret = "s3cr3t-value-that-must-not-leak"
    result = run_import(write_json([make_profile("E")]), "--client-secret", secret)
    assert result.exit_code == 3  # refused before anything could be sent (#12.9)
    assert result.stderr.strip().splitlines()[0].startswith("error: 401 ")
    assert secret not in result.output


def test_stdin_and_yaml_are_read(
    sandbox: SandboxServer,
    tmp_path: Path,
    make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
) -> None:
    yaml_file = tmp_path / "contractors.yaml"
    yaml_file.write_text(
        "- version: 1\n"
        "  self: {type: IDENTITY_PROFILE, name: Contractors}\n"
        "  object:\n"
        "    name: Contractors\n"
        "    created: 2025-03-01T10:00:00Z\n"
        "    authoritativeSource: {type: SOURCE, name: Contractors CSV}\n"
        "    description: 2025-03-01\n",
        encoding="utf-8",
    )
    stdin = json.dumps(make_profile("Employees")).encode()
    result = run_import("-", yaml_file, stdin=stdin)
    assert result.exit_code == 0, result.output
    assert sorted(sandbox.state.profiles) == ["Contractors", "Employees"]
    assert sandbox.state.profiles["Contractors"]["description"] == "2025-03-01"


def test_help_documents_exit_codes_and_the_round_trip(run_import: Callable[..., Result]) -> None:
    result = run_import("--help")
    assert result.exit_code == 0
    assert "Exit status: 0" in result.output
    assert "--dry-run" in result.output
    assert "--map-source" in result.output
    assert "round trip" in result.output


def test_the_table_names_a_failed_request_and_its_profiles(
    sandbox: SandboxServer,
    write_json: Callable[..., Path],
    make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
) -> None:
    sandbox.faults.add("http_503", times=2, operation="import")
    path = write_json([make_profile(f"P{n}") for n in range(3)])
    result = run_import(path, "--chunk-size", "2")
    assert result.exit_code == 1
    assert "request 1/2 (2 profiles): failed: 503" in result.stderr
    assert "request 2/2 (1 profiles): 1 imported objects, 0 errors" in result.stderr
    assert "Request 1 failed: 503" in result.stdout
    assert "not imported: P0, P1" in result.stdout
    assert "FAILED: 1 imported, 2 request failed; 1 of 2 requests failed." in result.stdout


def test_bad_input_with_json_format_is_also_a_json_document(
    write_json: Callable[..., Path],
    make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
) -> None:
    write_json([make_profile("A", priority="high")])
    result = run_import("export.json", "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout) == {
        "succeeded": False,
        "exitCode": 2,
        "summary": "1 problem in the input; nothing was sent.",
        "problems": [
            {
                "file": "export.json",
                "path": "[0].object.priority",
                "message": 'expected integer, got "high"',
            }
        ],
    }
