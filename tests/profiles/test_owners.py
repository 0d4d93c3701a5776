"""Owners are found by search (which API clients may call), the identities list only as
the fallback (user tokens only on ISC), over real HTTP with two sandbox tenants."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from iscctl.client import AsyncClient, Client
from iscctl.profiles.catalog import Reference
from iscctl.profiles.owners import TERMS_PER_QUERY, find_owners, find_owners_sync
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


# -- the Python lookup itself, sync and async alike ----------------------------------------
def _lookup(
    server: SandboxServer, values: list[str], flavour: str, version: str | None = None
) -> list[Reference]:
    """``find_owners_sync`` or ``find_owners`` against one tenant."""
    settings: dict[str, Any] = {
        "base_url": server.base_url,
        "client_id": server.client_id,
        "client_secret": server.client_secret,
        "rate_limit": None,
        "version": version,
    }
    if flavour == "sync":
        with Client(**settings) as isc:
            return find_owners_sync(isc, values)

    async def run() -> list[Reference]:
        async with AsyncClient(**settings) as isc:
            return await find_owners(isc, values)

    return asyncio.run(run())


FLAVOURS = pytest.mark.parametrize("flavour", ["sync", "async"])


@FLAVOURS
def test_the_lookup_searches_for_the_values_only(tenants: SandboxTenants, flavour: str) -> None:
    prod = tenants["prod"]
    jane = next(i for i in prod.catalog.identities if i.name == "Jane Admin")
    assert _lookup(prod, ["Jane Admin", "nobody-by-that-name"], flavour) == [
        Reference(jane.id, jane.name)
    ]
    assert _operations(prod).count("search") == 1 and "identities" not in _operations(prod)


@FLAVOURS
def test_no_values_ask_nothing(tenants: SandboxTenants, flavour: str) -> None:
    prod = tenants["prod"]
    assert _lookup(prod, [], flavour) == []
    assert _lookup(prod, [], flavour, version="beta") == []
    assert "search" not in _operations(prod) and "identities" not in _operations(prod)


@FLAVOURS
def test_without_search_the_lookup_reads_the_list(tenants: SandboxTenants, flavour: str) -> None:
    prod = tenants["prod"]
    found = _lookup(prod, ["Jane Admin"], flavour, version="beta")
    assert "Jane Admin" in {r.name for r in found}
    assert "search" not in _operations(prod) and "identities" in _operations(prod)


@FLAVOURS
def test_many_values_take_several_searches_and_a_refusal_stops_them(
    tenants: SandboxTenants, flavour: str
) -> None:
    prod = tenants["prod"]
    values = [f"unknown-{n}" for n in range(TERMS_PER_QUERY // 2)] + ["Jane Admin"]
    assert [r.name for r in _lookup(prod, values, flavour)] == ["Jane Admin"]
    assert _operations(prod).count("search") == 2  # the values do not fit one query

    before = len(_operations(prod))
    prod.faults.add("http_status", operation="search", status=403)
    found = _lookup(prod, values, flavour)
    assert "Jane Admin" in {r.name for r in found}
    after = _operations(prod)[before:]
    # the first refusal ends the searching: the second query is not sent
    assert after.count("search") == 1 and "identities" in after
