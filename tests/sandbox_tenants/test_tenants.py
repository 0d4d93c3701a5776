"""Named tenants: same names, different ids per tenant name, derived from the name alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from iscctl.sandbox import SandboxServer, SandboxSettings, SandboxTenants
from iscctl.sandbox.catalog import Catalog
from iscctl.sandbox.population import seeded_sources

from .conftest import Api

EXAMPLE = Path(__file__).parents[2] / "examples" / "identity-profiles-export.json"


def by_name(items: list[dict[str, Any]]) -> dict[str, str]:
    return {item["name"]: item["id"] for item in items}


def test_dev_and_prod_have_the_same_source_names_under_different_ids(dev: Api, prod: Api) -> None:
    dev_sources = by_name(dev.ok("/v2025/sources"))
    prod_sources = by_name(prod.ok("/v2025/sources"))
    assert set(dev_sources) == set(prod_sources) >= {"HR Workday", "Active Directory"}
    assert not set(dev_sources.values()) & set(prod_sources.values())


def test_dev_and_prod_have_the_same_transform_names_under_different_ids(
    dev: Api, prod: Api
) -> None:
    dev_transforms = by_name(dev.ok("/v2025/transforms"))
    prod_transforms = by_name(prod.ok("/v2025/transforms"))
    assert set(dev_transforms) == set(prod_transforms)
    assert not set(dev_transforms.values()) & set(prod_transforms.values())


def test_seeded_profiles_have_the_same_names_under_different_ids(dev: Api, prod: Api) -> None:
    dev_profiles = by_name(dev.ok("/v2025/identity-profiles"))
    prod_profiles = by_name(prod.ok("/v2025/identity-profiles"))
    assert set(dev_profiles) == set(prod_profiles) == {"Employees", "Contractors"}
    assert not set(dev_profiles.values()) & set(prod_profiles.values())


def test_identity_attributes_and_admins_differ_by_id_between_tenants(
    tenants: SandboxTenants,
) -> None:
    dev, prod = tenants["dev"].catalog, tenants["prod"].catalog
    for kind in ("identity_attributes", "identities"):
        dev_items, prod_items = getattr(dev, kind), getattr(prod, kind)
        assert [i.name for i in dev_items] == [i.name for i in prod_items]
        assert not {i.id for i in dev_items} & {i.id for i in prod_items}


def test_ids_depend_on_the_tenant_name_only() -> None:
    one = Catalog.build("dev", 1, seeded_sources(1))
    again = Catalog.build("dev", 7, seeded_sources(7))  # another seed: same tenant ids
    other = Catalog.build("prod", 1, seeded_sources(1))
    assert one.to_json() == again.to_json()
    assert one.to_json()["sources"] != other.to_json()["sources"]


def test_a_tenant_started_twice_under_one_name_has_the_same_ids() -> None:
    settings = SandboxSettings(tenant="stage", rate_limit=None, population_size=10)
    with SandboxServer(settings) as first:
        first_ids = [p["id"] for p in first.profile_directory.profiles()]
        first_sources = [s.id for s in first.sources]
    with SandboxServer(settings) as second:
        assert [p["id"] for p in second.profile_directory.profiles()] == first_ids
        assert [s.id for s in second.sources] == first_sources


def test_the_unnamed_sandbox_keeps_its_seeded_sources_and_has_no_profiles(
    sandbox: SandboxServer,
) -> None:
    assert sandbox.sources == seeded_sources(sandbox.settings.seed)
    assert sandbox.state.profiles == {}
    assert sandbox.tenant_name is None


def test_seed_profiles_off_starts_a_named_tenant_empty() -> None:
    settings = SandboxSettings(tenant="prod", seed_profiles=False, population_size=10)
    with SandboxServer(settings) as server:
        assert server.state.profiles == {}


def test_reset_stores_the_seeded_profiles_again(dev: Api, tenants: SandboxTenants) -> None:
    server = tenants["dev"]
    server.state.store_profile("Extra", {"id": "x", "name": "Extra"})
    server.reset()
    assert set(server.state.profiles) == {"Employees", "Contractors"}


def test_a_tenant_name_with_spaces_is_refused() -> None:
    with pytest.raises(ValueError, match="tenant must be a name"):
        SandboxSettings(tenant="my tenant")


def test_tenants_need_distinct_names() -> None:
    with pytest.raises(ValueError, match="must differ"):
        SandboxTenants("dev", "dev")


def test_each_tenant_listens_on_its_own_port(tenants: SandboxTenants) -> None:
    assert tenants["dev"].port != tenants["prod"].port
    assert [s.tenant_name for s in tenants.values()] == ["dev", "prod"]


def _comparable(profile: dict[str, Any]) -> dict[str, Any]:
    """A profile without what differs between tenants or exports (ids, times, counts)."""
    drop = {"id", "created", "modified", "identityCount", "identityRefreshRequired"}
    kept = {k: v for k, v in profile.items() if k not in drop}
    for reference in ("authoritativeSource", "owner"):
        if isinstance(kept.get(reference), dict):
            kept[reference] = {k: v for k, v in kept[reference].items() if k != "id"}
    kept.setdefault("identityExceptionReportReference", None)
    return kept


def test_the_dev_export_holds_the_profiles_of_the_example_file(dev: Api) -> None:
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    wanted = {
        item["object"]["name"]: _comparable(item["object"])
        for item in example["objects"]
        if item["self"]["type"] == "IDENTITY_PROFILE"
    }
    exported = {
        item["object"]["name"]: _comparable(item["object"])
        for item in dev.ok("/v2025/identity-profiles/export")
    }
    assert exported == wanted


def test_the_example_file_imports_into_a_named_tenant_without_errors(prod: Api) -> None:
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    profiles = [o for o in example["objects"] if o["self"]["type"] == "IDENTITY_PROFILE"]
    body = prod.post("/v2025/identity-profiles/import", profiles).json()
    assert body["errors"] == []
    assert [o["name"] for o in body["importedObjects"]] == ["Employees", "Contractors"]


def test_a_named_tenants_admins_are_identities_of_the_tenant(dev: Api) -> None:
    owner = dev.ok("/v2025/identity-profiles", filters='name eq "Employees"')[0]["owner"]
    found = dev.ok("/v2025/identities", filters='name eq "Jane Admin"')
    assert [(i["id"], i["name"]) for i in found] == [(owner["id"], "Jane Admin")]
    assert dev.ok(f"/v2025/identities/{owner['id']}")["name"] == "Jane Admin"
    assert owner["id"] in dev.server.identity_ids


def test_the_unnamed_sandbox_has_exactly_its_population(sandbox: SandboxServer) -> None:
    assert len(sandbox.identity_ids) == sandbox.settings.population_size
