"""Import resolves references by id, then by name, against the importing tenant."""

from __future__ import annotations

import copy
from typing import Any

import httpx

from .conftest import Api, account, exported, profile

IMPORT = "/v2025/identity-profiles/import"


def source(api: Api, name: str) -> dict[str, Any]:
    found = api.ok("/v2025/sources", filters=f'name eq "{name}"')[0]
    return {"type": "SOURCE", "id": found["id"], "name": found["name"]}


def imported(api: Api, *objects: dict[str, Any]) -> dict[str, Any]:
    reply = api.post(IMPORT, [exported(o) for o in objects])
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def stored(api: Api, name: str) -> dict[str, Any]:
    found: dict[str, Any] = api.ok("/v2025/identity-profiles", filters=f'name eq "{name}"')[0]
    return found


def test_a_reference_that_matches_by_id_is_kept(dev: Api) -> None:
    hr = source(dev, "HR Workday")
    body = imported(dev, profile("P", source=hr, mappings={"uid": account(None, "id", hr["id"])}))
    assert body["errors"] == []
    got = stored(dev, "P")
    assert got["authoritativeSource"] == hr
    uid = got["identityAttributeConfig"]["attributeTransforms"][0]["transformDefinition"]
    assert uid["attributes"] == {"attributeName": "id", "sourceId": hr["id"]}


def test_a_reference_that_matches_only_by_name_gets_this_tenants_id(dev: Api, prod: Api) -> None:
    dev_hr, prod_hr = source(dev, "HR Workday"), source(prod, "HR Workday")
    nested = {
        "type": "lower",
        "attributes": {"input": account("HR Workday", "mail", dev_hr["id"])},
    }
    body = imported(prod, profile("P", source=dev_hr, mappings={"email": nested}))
    assert body["errors"] == []
    got = stored(prod, "P")
    assert got["authoritativeSource"] == prod_hr
    email = got["identityAttributeConfig"]["attributeTransforms"][0]["transformDefinition"]
    assert email["attributes"]["input"]["attributes"]["sourceId"] == prod_hr["id"]


def test_a_reference_found_by_id_under_another_name_is_kept_as_sent(dev: Api) -> None:
    hr = source(dev, "HR Workday")
    renamed = {"type": "SOURCE", "id": hr["id"], "name": "Old HR"}
    assert imported(dev, profile("P", source=renamed))["errors"] == []
    assert stored(dev, "P")["authoritativeSource"] == renamed


def test_an_unknown_source_is_an_unknown_reference_error_and_nothing_is_stored(
    dev: Api,
) -> None:
    missing = {"type": "SOURCE", "id": "0" * 32, "name": "Mainframe"}
    body = imported(dev, profile("Broken", source=missing), profile("Fine"))
    (error,) = body["errors"]
    assert error["key"] == "UNKNOWN_REFERENCE_RESOLVER"
    assert "SOURCE:Mainframe" in error["text"] and "Broken" in error["text"]
    details = error["details"]
    assert details["objectName"] == "Broken" and details["referenceType"] == "SOURCE"
    assert details["references"] == [
        {
            "referenceType": "SOURCE",
            "referenceId": "0" * 32,
            "referenceName": "Mainframe",
            "path": "authoritativeSource",
        }
    ]
    assert [o["name"] for o in body["importedObjects"]] == ["Fine"]
    assert "Broken" not in dev.server.state.profiles


def test_an_unknown_source_deep_inside_a_transform_names_its_path(dev: Api) -> None:
    deep = {
        "type": "firstValid",
        "attributes": {"values": [account("HR Workday", "a"), account("Mainframe", "b")]},
    }
    body = imported(dev, profile("Deep", mappings={"uid": deep}))
    (error,) = body["errors"]
    (reference,) = error["details"]["references"]
    assert reference["path"] == (
        "identityAttributeConfig.attributeTransforms[0].transformDefinition"
        ".attributes.values[1].attributes.sourceName"
    )
    assert reference["referenceName"] == "Mainframe"


def test_every_unknown_reference_of_an_object_is_listed(dev: Api) -> None:
    body = imported(
        dev,
        profile(
            "Many",
            source={"type": "SOURCE", "name": "Gone"},
            owner={"type": "IDENTITY", "id": "1" * 32, "name": "Nobody"},
            mappings={"uid": {"type": "reference", "attributes": {"id": "No Such Transform"}}},
        ),
    )
    (error,) = body["errors"]
    kinds = [(r["referenceType"], r["referenceName"]) for r in error["details"]["references"]]
    assert kinds == [
        ("SOURCE", "Gone"),
        ("IDENTITY", "Nobody"),
        ("TRANSFORM", "No Such Transform"),
    ]


def test_reference_transforms_resolve_by_name(dev: Api) -> None:
    mapping = {"type": "reference", "attributes": {"id": "Lowercase Email"}}
    assert imported(dev, profile("R", mappings={"email": mapping}))["errors"] == []
    got = stored(dev, "R")["identityAttributeConfig"]["attributeTransforms"][0]
    assert got["transformDefinition"] == mapping  # a name stays a name


def test_an_owner_resolves_by_name_to_this_tenants_identity(dev: Api, prod: Api) -> None:
    dev_owner = stored(dev, "Employees")["owner"]
    assert imported(prod, profile("O", owner=dev_owner))["errors"] == []
    prod_owner = stored(prod, "O")["owner"]
    assert prod_owner["name"] == dev_owner["name"] == "Jane Admin"
    assert prod_owner["id"] != dev_owner["id"]
    assert prod_owner["id"] == stored(prod, "Employees")["owner"]["id"]


def test_export_from_dev_imports_into_prod_and_reads_back_the_same(dev: Api, prod: Api) -> None:
    """The round trip h6's move relies on: only ids differ afterwards."""
    prod.server.state.clear()  # prod starts without the profiles
    items = dev.ok("/v2025/identity-profiles/export")
    body = prod.post(IMPORT, items).json()
    assert body["errors"] == []
    moved = {i["object"]["name"]: i["object"] for i in prod.ok("/v2025/identity-profiles/export")}

    def without_ids(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: without_ids(v)
                for k, v in value.items()
                if k not in {"id", "sourceId", "created", "modified", "identityCount"}
            }
        if isinstance(value, list):
            return [without_ids(v) for v in value]
        return value

    for item in items:
        original = item["object"]
        assert without_ids(moved[original["name"]]) == without_ids(original)
        assert (
            moved[original["name"]]["authoritativeSource"]["id"]
            == source(prod, original["authoritativeSource"]["name"])["id"]
        )


def test_changed_mappings_set_identity_refresh_required_until_processed(dev: Api) -> None:
    employees = stored(dev, "Employees")
    unchanged = copy.deepcopy(employees)
    assert imported(dev, unchanged)["errors"] == []
    assert stored(dev, "Employees")["identityRefreshRequired"] is False

    changed = copy.deepcopy(employees)
    changed["identityAttributeConfig"]["attributeTransforms"].pop()
    imported(dev, changed)
    assert stored(dev, "Employees")["identityRefreshRequired"] is True
    imported(dev, copy.deepcopy(changed))  # the same again: still waiting for processing
    assert stored(dev, "Employees")["identityRefreshRequired"] is True

    dev.post(f"/v2025/identity-profiles/{employees['id']}/process-identities")
    assert stored(dev, "Employees")["identityRefreshRequired"] is False


def test_a_client_cannot_set_identity_refresh_required(dev: Api) -> None:
    imported(dev, profile("New", identityRefreshRequired=True))
    assert stored(dev, "New")["identityRefreshRequired"] is False


def test_an_update_keeps_the_profiles_id(dev: Api) -> None:
    employees = stored(dev, "Employees")
    changed = {**employees, "priority": 99}
    body = imported(dev, changed)
    assert body["importedObjects"][0]["id"] == employees["id"]
    assert stored(dev, "Employees")["priority"] == 99


def test_new_profiles_get_ids_of_the_tenant(dev: Api, prod: Api) -> None:
    dev_id = imported(dev, profile("Same"))["importedObjects"][0]["id"]
    prod_id = imported(prod, profile("Same"))["importedObjects"][0]["id"]
    assert dev_id != prod_id


def test_the_unnamed_sandbox_resolves_too(sandbox: Any) -> None:
    with httpx.Client(base_url=sandbox.base_url, timeout=10) as http:
        token = http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": sandbox.client_id,
                "client_secret": sandbox.client_secret,
            },
        ).json()["access_token"]
        item = exported(profile("P", mappings={"uid": account("Nowhere", "id")}))
        body = http.post(IMPORT, json=[item], headers={"Authorization": f"Bearer {token}"})
    assert body.json()["errors"][0]["key"] == "UNKNOWN_REFERENCE_RESOLVER"


def test_an_owner_can_be_any_identity_of_the_tenant(dev: Api) -> None:
    person = dev.server.tenant.directory.records[3]
    by_id = {"type": "IDENTITY", "id": person.id, "name": "whatever"}
    by_name = {"type": "IDENTITY", "id": "f" * 32, "name": person.name}
    assert imported(dev, profile("A", owner=by_id), profile("B", owner=by_name))["errors"] == []
    assert stored(dev, "A")["owner"]["id"] == person.id
    assert (
        stored(dev, "B")["owner"]["id"]
        == dev.ok("/v2025/identities", filters=f'name eq "{person.name}"')[0]["id"]
    )
