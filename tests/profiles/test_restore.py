"""#16 leftovers over real HTTP with two sandbox tenants (`dev` -> `prod`):

- `--dry-run` and `--plan` agree on what would be sent, also when references are
  rewritten by name; a dry run that does not read the target says so in one line;
- restoring a backup returns the target to its earlier state, deleting the profiles
  the import created, only after `--yes`.
"""

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
from iscctl.client import Client
from iscctl.profiles.deleting import DeletionNotConfirmed
from iscctl.profiles.moving import apply_move_sync, plan_move_sync
from iscctl.sandbox import SandboxServer, SandboxTenants

from ..tenant_pair import TENANT_SECRET

SCHEMAS = Path(__file__).parents[2] / "docs" / "schemas"
Run = Callable[..., Result]


def _schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / name).read_text())
    return loaded


def _export(iscctl: Run, path: Path, tenant: str) -> list[dict[str, Any]]:
    result = iscctl("export", "-o", path, tenant=tenant)
    assert result.exit_code == 0, result.output
    exported: list[dict[str, Any]] = json.loads(path.read_text())
    return exported


def _calls(server: SandboxServer, *operations: str) -> int:
    return sum(1 for record in server.state.requests if record.operation in operations)


# -- (a) --dry-run and --plan ----------------------------------------------------------------
def test_dry_run_and_plan_send_the_same_bodies_when_references_are_rewritten(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    export = tmp_path / "dev.json"
    _export(iscctl, export, "dev")
    plan = iscctl("import", export, "--plan", "--format", "json", tenant="prod")
    dry = iscctl("import", export, "--dry-run", "--format", "json", tenant="prod")
    assert plan.exit_code == 0 and dry.exit_code == 0, (plan.output, dry.output)
    planned, dried = json.loads(plan.stdout), json.loads(dry.stdout)
    jsonschema.validate(dried, _schema("import-report.schema.json"))
    assert any(r["reason"] == "matched by name" for r in planned["rewrites"])  # dev ids != prod
    assert dried["wouldSend"] == planned["wouldSend"]
    assert dried["rewrites"] == planned["rewrites"]
    assert dried["offline"] is None and dry.stderr == ""
    assert _calls(tenants["prod"], "import", "delete-profile") == 0

    offline = iscctl("import", export, "--dry-run", "--offline", "--format", "json", tenant="prod")
    assert offline.exit_code == 0, offline.output
    document = json.loads(offline.stdout)
    jsonschema.validate(document, _schema("import-report.schema.json"))
    assert document["wouldSend"] != planned["wouldSend"]  # the dev ids, as written
    assert offline.stderr.splitlines() == [document["offline"]]
    assert document["offline"].startswith("Dry run offline (--offline): the target is not read")


def test_a_dry_run_without_a_tenant_runs_offline_and_says_so(
    iscctl: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = tmp_path / "dev.json"
    _export(iscctl, export, "dev")
    home = tmp_path / "home"
    home.mkdir()
    unset: dict[str, str | None] = {
        name: None for name in ("SAIL_BASE_URL", "SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET")
    }
    env = {**unset, "HOME": str(home), "ISCCTL_CONFIG_DIR": str(home / "config")}
    command = ["identity-profiles", "import", str(export), "--dry-run"]
    result = CliRunner().invoke(cli, command, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Dry run offline (no tenant configured: missing base_url")
    assert "Dry run: nothing was sent; 2 profiles would be imported." in result.stdout


def test_a_dry_run_stops_on_a_reference_the_target_lacks_as_the_plan_does(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    export = tmp_path / "dev.json"
    objects = _export(iscctl, export, "dev")
    objects[0]["object"]["authoritativeSource"] = {"type": "SOURCE", "name": "Payroll"}
    export.write_text(json.dumps(objects))
    for flag in ("--plan", "--dry-run"):
        result = iscctl("import", export, flag, tenant="prod")
        assert result.exit_code == 2, result.output
        assert "source 'Payroll' does not exist in the target tenant" in result.stderr


def test_a_dry_run_the_credentials_cannot_read_is_one_line_naming_offline(
    iscctl: Run, tmp_path: Path
) -> None:
    export = tmp_path / "dev.json"
    _export(iscctl, export, "dev")
    result = iscctl("import", export, "--dry-run", tenant="prod", secret="wrong-secret")
    assert result.exit_code == 3
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and "401" in line
    assert line.endswith("(--offline checks the files without reading the target)")


# -- (b) restoring deletes what the import created -------------------------------------------
def _normalised(exported: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An export without what the tenant keeps for itself and changes on any write:
    `modified` (a restore writes the profile again) and `identityRefreshRequired`."""
    kept = json.loads(json.dumps(exported))
    for item in kept:
        item["object"].pop("modified", None)
        item["object"].pop("identityRefreshRequired", None)
    return list(kept)


def _changed_export(iscctl: Run, tmp_path: Path) -> Path:
    """dev's profiles with Employees changed and a new profile, Interns."""
    export = tmp_path / "dev.json"
    objects = _export(iscctl, export, "dev")
    by_name = {o["object"]["name"]: o for o in objects}
    by_name["Employees"]["object"]["priority"] = 99
    interns = json.loads(json.dumps(by_name["Contractors"]))
    interns["object"]["name"] = interns["self"]["name"] = "Interns"
    export.write_text(json.dumps([*objects, interns]))
    return export


def test_restore_deletes_the_created_profile_only_with_yes_and_returns_the_earlier_state(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    prod = tenants["prod"]
    before = _export(iscctl, tmp_path / "before.json", "prod")
    backup = tmp_path / "backup.json"
    changes = _changed_export(iscctl, tmp_path)
    imported = iscctl("import", changes, "--backup", backup, tenant="prod")
    assert imported.exit_code == 0, imported.output
    interns_id = prod.state.profiles["Interns"]["id"]
    document = json.loads(backup.read_text())
    assert document["iscctlBackup"] == {"createdByImport": [{"name": "Interns", "id": interns_id}]}
    assert {o["object"]["name"] for o in document["objects"]} == {"Contractors", "Employees"}
    changed = _export(iscctl, tmp_path / "changed.json", "prod")
    assert _normalised(changed) != _normalised(before)

    writes = _calls(prod, "import", "delete-profile")
    refused = iscctl("import", backup, "--no-backup", tenant="prod")
    assert refused.exit_code == 2, refused.output
    assert f"Interns (id {interns_id})" in refused.stderr
    assert "run again with --yes" in refused.stderr.splitlines()[-1]
    assert "nothing was deleted or imported" in refused.stderr
    assert _calls(prod, "import", "delete-profile") == writes
    assert _normalised(_export(iscctl, tmp_path / "still.json", "prod")) == _normalised(changed)

    restored = iscctl("import", backup, "--no-backup", "--yes", "--format", "json", tenant="prod")
    assert restored.exit_code == 0, restored.output
    report = json.loads(restored.stdout)
    jsonschema.validate(report, _schema("import-report.schema.json"))
    assert [(d["name"], d["id"], d["error"]) for d in report["deleted"]] == [
        ("Interns", interns_id, None)
    ]
    assert isinstance(report["deleted"][0]["taskId"], str)
    after = _export(iscctl, tmp_path / "after.json", "prod")
    assert _normalised(after) == _normalised(before)


def test_the_plan_of_a_restore_lists_what_it_would_delete(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.json"
    result = iscctl("import", _changed_export(iscctl, tmp_path), "--backup", backup, tenant="prod")
    assert result.exit_code == 0, result.output
    planned = iscctl("import", backup, "--plan", "--format", "json", tenant="prod")
    assert planned.exit_code == 0, planned.output
    plan = json.loads(planned.stdout)
    jsonschema.validate(plan, _schema("import-plan.schema.json"))
    assert [d["name"] for d in plan["deletions"]] == ["Interns"]
    text = iscctl("import", backup, "--dry-run", tenant="prod")
    assert text.exit_code == 0 and "Would delete 1 profile" in text.stdout
    assert "Interns" in tenants["prod"].state.profiles
    assert _calls(tenants["prod"], "delete-profile") == 0


def test_a_refused_delete_is_reported_per_profile_and_exits_1(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    """A backup that (wrongly) says Employees was created: the tenant refuses to delete a
    profile its identities belong to; the refusal is shown and the profile stays."""
    backup = tmp_path / "backup.json"
    created = [{"name": "Employees", "id": None}]
    backup.write_text(
        json.dumps({"version": 1, "objects": [], "iscctlBackup": {"createdByImport": created}})
    )
    result = iscctl("import", backup, "--no-backup", "--yes", tenant="prod")
    assert result.exit_code == 1, result.output
    assert "Not deleted" in result.stdout and "still has" in result.stdout
    assert "Employees" in tenants["prod"].state.profiles


def _restore_on_a_terminal(server: SandboxServer, backup: Path, answer: str) -> tuple[int, str]:
    """`import BACKUP` for real, standard input and error a pseudo-terminal answering
    `answer` to the question; the exit status and what the terminal showed."""
    controller, terminal = pty.openpty()
    env = {
        **os.environ,
        "SAIL_BASE_URL": server.base_url,
        "SAIL_CLIENT_ID": server.client_id,
        "SAIL_CLIENT_SECRET": TENANT_SECRET,
        "ISCCTL_CONFIG_DIR": str(backup.parent / "config"),
    }
    command = [sys.executable, "-m", "iscctl", "identity-profiles", "import", str(backup)]
    try:
        os.write(controller, f"{answer}\n".encode())
        finished = subprocess.run(
            [*command, "--no-backup", "--rate-limit", "off"],
            stdin=terminal, stderr=terminal, stdout=subprocess.PIPE, timeout=120,
            cwd=backup.parent, env=env,
        )  # fmt: skip
        os.set_blocking(controller, False)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except (BlockingIOError, OSError):
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
        os.close(terminal)
    return finished.returncode, shown.decode(errors="replace")


def test_on_a_terminal_the_restore_asks_before_deleting(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    prod = tenants["prod"]
    backup = tmp_path / "backup.json"
    result = iscctl("import", _changed_export(iscctl, tmp_path), "--backup", backup, tenant="prod")
    assert result.exit_code == 0, result.output
    status, shown = _restore_on_a_terminal(prod, backup, "n")
    assert status == 2, shown
    assert "Interns (id" in shown and "Delete them? [y/N]" in shown
    assert "Interns" in prod.state.profiles
    assert prod.state.profiles["Employees"]["priority"] == 99  # nothing imported either
    status, shown = _restore_on_a_terminal(prod, backup, "y")
    assert status == 0, shown
    assert "Interns" not in prod.state.profiles
    assert prod.state.profiles["Employees"]["priority"] != 99


def test_the_python_api_deletes_only_when_told(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.json"
    result = iscctl("import", _changed_export(iscctl, tmp_path), "--backup", backup, tenant="prod")
    assert result.exit_code == 0, result.output
    prod = tenants["prod"]
    with Client(
        base_url=prod.base_url,
        client_id=prod.client_id,
        client_secret=TENANT_SECRET,
        rate_limit=None,
    ) as isc:
        move = plan_move_sync(isc, backup)
        assert [d.name for d in move.deletions] == ["Interns"]
        with pytest.raises(DeletionNotConfirmed, match="confirm_deletions=True"):
            apply_move_sync(isc, move)
        assert "Interns" in prod.state.profiles
        outcome = apply_move_sync(isc, move, confirm_deletions=True)
    assert outcome.exit_code == 0
    assert [r.name for r in outcome.removals if r.task_id] == ["Interns"]
    assert "Interns" not in prod.state.profiles
