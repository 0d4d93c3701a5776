"""Owners are found by search (which API clients may call), the identities list only as
the fallback (user tokens only on ISC), over real HTTP with two sandbox tenants."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from iscctl.sandbox import SandboxServer, SandboxTenants

Run = Callable[..., Result]


def _operations(server: SandboxServer) -> list[str]:
    return [record.operation for record in server.state.requests]


def _owner_rewrites(iscctl: Run, tmp_path: Path, *extra: str) -> list[dict[str, str]]:
    export = tmp_path / "dev.json"
    assert iscctl("export", "-o", export, tenant="dev").exit_code == 0
    assert any(o["object"].get("owner") for o in json.loads(export.read_text()))
    result = iscctl("import", export, "--plan", "--format", "json", *extra, tenant="prod")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["unchecked"] == []
    return [r for r in plan["rewrites"] if r["path"].endswith(".object.owner.id")]


def test_owners_are_found_by_search_not_the_identities_list(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    prod = tenants["prod"]
    rewrites = _owner_rewrites(iscctl, tmp_path)
    jane = next(i for i in prod.catalog.identities if i.name == "Jane Admin")
    assert rewrites and {(r["after"], r["reason"]) for r in rewrites} == {
        (jane.id, "matched by name")
    }
    operations = _operations(prod)
    assert operations.count("search") == 1  # one query names every owner
    assert "identities" not in operations


def test_without_search_the_identities_list_is_read(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    prod = tenants["prod"]
    rewrites = _owner_rewrites(iscctl, tmp_path, "--api-version", "beta")  # beta: no search
    jane = next(i for i in prod.catalog.identities if i.name == "Jane Admin")
    assert {r["after"] for r in rewrites} == {jane.id}
    operations = _operations(prod)
    assert "search" not in operations and "identities" in operations


def test_a_refused_search_falls_back_to_the_identities_list(
    tenants: SandboxTenants, iscctl: Run, tmp_path: Path
) -> None:
    prod = tenants["prod"]
    prod.faults.add("http_status", operation="search", status=403)  # e.g. no sp:search:read
    rewrites = _owner_rewrites(iscctl, tmp_path)
    jane = next(i for i in prod.catalog.identities if i.name == "Jane Admin")
    assert {r["after"] for r in rewrites} == {jane.id}
    operations = _operations(prod)
    assert operations.count("search") == 1 and "identities" in operations
