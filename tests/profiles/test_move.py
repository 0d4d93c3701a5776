"""Moving profiles between two sandbox tenants over real HTTP (#16 "Done when").

`dev` and `prod` hold sources, transforms and identities of the same names under
different ids, and each starts with the profiles of examples/identity-profiles-export.json.
Every test drives the real command (export, import --plan, import) against them
(the `iscctl` fixture, in conftest.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import jsonschema
from click.testing import Result
from iscctl.sandbox import SandboxServer, SandboxTenants

SCHEMAS = Path(__file__).parents[2] / "docs" / "schemas"
Run = Callable[..., Result]


def _imports(server: SandboxServer) -> int:
    return sum(1 for record in server.state.requests if record.operation == "import")


def _source_id(server: SandboxServer, name: str) -> str:
    return next(s.id for s in server.catalog.sources if s.name == name)


def _export(iscctl: Run, tmp_path: Path, tenant: str = "dev") -> Path:
    path = tmp_path / f"{tenant}.json"
    result = iscctl("export", "-o", path, tenant=tenant)
    assert result.exit_code == 0, result.output
    return path


def test_export_then_import_remaps_references_by_name(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    export = _export(iscctl, tmp_path)
    objects = json.loads(export.read_text())
    dev_hr = _source_id(tenants["dev"], "HR Workday")
    assert {o["object"]["authoritativeSource"].get("id") for o in objects} >= {dev_hr}
    assert export.read_text() == _export(iscctl, tmp_path).read_text()  # deterministic
    result = iscctl("import", export, "--format", "json", "--no-backup", tenant="prod")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    jsonschema.validate(report, json.loads((SCHEMAS / "import-report.schema.json").read_text()))
    prod_hr = _source_id(tenants["prod"], "HR Workday")
    stored = tenants["prod"].state.profiles
    assert any(p["authoritativeSource"]["id"] == prod_hr for p in stored.values())
    assert dev_hr != prod_hr
    assert any(r["before"] == dev_hr and r["after"] == prod_hr for r in report["rewrites"])
    assert all(entry["differences"] == [] for entry in report["readBack"])


def test_a_missing_source_stops_before_anything_is_sent(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    export = _export(iscctl, tmp_path)
    objects = json.loads(export.read_text())
    transforms = objects[0]["object"]["identityAttributeConfig"]["attributeTransforms"]
    transforms.append(
        {
            "identityAttributeName": "payrollId",
            "transformDefinition": {
                "type": "accountAttribute",
                "attributes": {"sourceName": "Payroll", "attributeName": "id"},
            },
        }
    )
    export.write_text(json.dumps(objects))
    result = iscctl("import", export, tenant="prod")
    assert result.exit_code == 2, result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith(
        f"error: {export}: [0].object.identityAttributeConfig.attributeTransforms"
    )
    assert "source 'Payroll' does not exist in the target tenant" in first
    assert _imports(tenants["prod"]) == 0


def test_plan_shows_create_update_unchanged_and_field_diffs(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    export = _export(iscctl, tmp_path)
    objects = json.loads(export.read_text())
    by_name = {o["object"]["name"]: o for o in objects}
    earlier = by_name["Employees"]["object"]["priority"]
    by_name["Employees"]["object"]["priority"] = 99
    created = json.loads(json.dumps(by_name["Contractors"]))
    created["object"]["name"] = created["self"]["name"] = "Interns"
    export.write_text(json.dumps([*objects, created]))
    result = iscctl("import", export, "--plan", "--format", "json", tenant="prod")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    jsonschema.validate(plan, json.loads((SCHEMAS / "import-plan.schema.json").read_text()))
    actions = {p["name"]: p["action"] for p in plan["profiles"]}
    assert actions == {"Contractors": "unchanged", "Employees": "update", "Interns": "create"}
    employees = next(p for p in plan["profiles"] if p["name"] == "Employees")
    assert [(c["field"], c["before"], c["after"]) for c in employees["changes"]] == [
        ("priority", earlier, 99)
    ]
    assert _imports(tenants["prod"]) == 0
    text = iscctl("import", export, "--plan", tenant="prod")
    assert text.exit_code == 0
    assert "priority:" in text.stdout and "-> 99" in text.stdout
    assert max(len(line) for line in text.stdout.splitlines()) <= 80
    assert _imports(tenants["prod"]) == 0


def test_backup_then_restore_returns_the_target_to_its_earlier_state(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    before = {name: dict(p) for name, p in tenants["prod"].state.profiles.items()}
    export = _export(iscctl, tmp_path)
    objects = json.loads(export.read_text())
    for item in objects:
        item["object"]["priority"] = 77
        item["object"]["description"] = "changed by the test"
    export.write_text(json.dumps(objects))
    backup = tmp_path / "backup.json"
    result = iscctl("import", export, "--backup", backup, tenant="prod")
    assert result.exit_code == 0, result.output
    assert str(backup) in result.stdout.replace("\n", "")
    assert {p["priority"] for p in tenants["prod"].state.profiles.values()} == {77}
    restored = iscctl("import", backup, "--no-backup", tenant="prod")
    assert restored.exit_code == 0, restored.output
    after = tenants["prod"].state.profiles
    for name, profile in before.items():
        for key in ("priority", "description", "authoritativeSource", "identityAttributeConfig"):
            assert after[name].get(key) == profile.get(key), (name, key)


def test_a_failed_backup_write_imports_nothing(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    export = _export(iscctl, tmp_path)
    result = iscctl("import", export, "--backup", tmp_path / "missing" / "b.json", tenant="prod")
    assert result.exit_code == 2
    assert "cannot write the backup" in result.stderr and "nothing was imported" in result.stderr
    assert _imports(tenants["prod"]) == 0


def test_read_back_catches_a_dropped_mapping(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    export = _export(iscctl, tmp_path)
    attribute = json.loads(export.read_text())[0]["object"]["identityAttributeConfig"][
        "attributeTransforms"
    ][0]["identityAttributeName"]
    reply = httpx.post(
        f"{tenants['prod'].inspection_url}/dropped-mappings",
        json={"attributes": [attribute]},
        timeout=10,
    )
    assert reply.status_code == 200
    result = iscctl("import", export, "--no-backup", "--format", "json", tenant="prod")
    assert result.exit_code == 5, result.output
    report = json.loads(result.stdout)
    differing = [entry for entry in report["readBack"] if entry["differences"]]
    assert differing
    assert {(c["field"], c["change"]) for c in differing[0]["differences"]} == {
        (f"mapping {attribute}", "dropped")
    }


def test_process_after_reprocesses_the_profiles_identities(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    export = _export(iscctl, tmp_path)
    objects = json.loads(export.read_text())
    employees = next(o for o in objects if o["object"]["name"] == "Employees")
    employees["object"]["identityAttributeConfig"]["attributeTransforms"].append(
        {
            "identityAttributeName": "department",
            "transformDefinition": {
                "type": "accountAttribute",
                "attributes": {"sourceName": "HR Workday", "attributeName": "department"},
            },
        }
    )
    export.write_text(json.dumps([employees]))
    result = iscctl(
        "import", export, "--no-backup", "--process-after", "--format", "json", tenant="prod"
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    [processing] = report["processing"]
    assert processing["name"] == "Employees" and processing["taskId"] and not processing["error"]
    assert tenants["prod"].profile_directory.processed == {processing["profileId"]: 1}


def test_export_of_an_unknown_name_is_one_line(iscctl: Run) -> None:
    result = iscctl("export", "--name", "Nobody", tenant="dev")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: no identity profile named 'Nobody' in the tenant"
    ]


def test_export_by_name_and_yaml(iscctl: Run, tmp_path: Path) -> None:
    result = iscctl("export", "--name", "Contractors", "--format", "yaml", tenant="dev")
    assert result.exit_code == 0, result.output
    path = tmp_path / "c.yaml"
    path.write_text(result.stdout)
    planned = iscctl("import", path, "--plan", "--format", "json", tenant="dev")
    assert planned.exit_code == 0, planned.output
    assert [p["action"] for p in json.loads(planned.stdout)["profiles"]] == ["unchanged"]


def test_a_mapping_file_naming_a_missing_target_is_refused_with_its_line(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    export = _export(iscctl, tmp_path)
    mappings = tmp_path / "mappings.yaml"
    mappings.write_text("sources:\n  HR Workday: Payroll\n", encoding="utf-8")
    result = iscctl("import", export, "--mappings", mappings, tenant="prod")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {mappings}:2: source 'Payroll'")
    assert _imports(tenants["prod"]) == 0


def test_a_plan_the_credentials_cannot_read_is_one_line(iscctl: Run, tmp_path: Path) -> None:
    export = _export(iscctl, tmp_path)
    result = iscctl("import", export, "--plan", tenant="prod", secret="wrong-secret")
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "401" in lines[0]
