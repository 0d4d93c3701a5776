"""POST /identity-profiles/import: storing by name, per-object errors inside a 200."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from iscctl.sandbox import SandboxServer

IMPORT = "/v2025/identity-profiles/import"


def exported(name: str, source: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    """One IdentityProfileExportedObject as SP-Config exports it."""
    return {
        "version": 1,
        "self": {
            "type": "IDENTITY_PROFILE",
            "id": "2c9180835d191a86015d28455b4b232a",
            "name": name,
        },
        "object": {
            "name": name,
            "authoritativeSource": source or {"type": "SOURCE", "name": "HR Workday"},
            **fields,
        },
    }


def test_import_stores_profiles_by_name_and_lists_them(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    reply = http.post(IMPORT, json=[exported("HR"), exported("Contractors")], headers=auth)
    body = reply.json()
    assert reply.status_code == 200
    assert body["infos"] == body["warnings"] == body["errors"] == []
    assert [(o["type"], o["name"]) for o in body["importedObjects"]] == [
        ("IDENTITY_PROFILE", "HR"),
        ("IDENTITY_PROFILE", "Contractors"),
    ]
    assert set(sandbox.state.profiles) == {"HR", "Contractors"}
    assert body["importedObjects"][0]["id"] == sandbox.state.profiles["HR"]["id"]


def test_stored_profile_is_what_was_sent_plus_server_fields(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    transforms = {
        "enabled": True,
        "attributeTransforms": [
            {
                "identityAttributeName": "email",
                "transformDefinition": {
                    "type": "firstValid",
                    "attributes": {
                        "values": [{"type": "accountAttribute", "attributes": {"x": 1}}]
                    },
                },
            }
        ],
    }
    item = exported(
        "HR",
        priority=9007199254740993,  # beyond float precision: must stay exact
        description=None,
        identityAttributeConfig=transforms,
        futureField={"kept": [1, 2.5, "three"]},
    )
    http.post(IMPORT, json=[item], headers=auth)
    stored = sandbox.state.profiles["HR"]
    sent = item["object"]
    assert {k: v for k, v in stored.items() if k not in {"id", "created", "modified"}} == sent
    assert stored["priority"] == 9007199254740993
    assert stored["created"].endswith("Z") and stored["modified"] == stored["created"]


def test_read_only_fields_sent_by_the_client_are_ignored(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    item = exported("HR", id="client-chosen", created="not even a date", modified="2001-01-01")
    reply = http.post(IMPORT, json=[item], headers=auth)
    stored = sandbox.state.profiles["HR"]
    assert reply.status_code == 200
    assert stored["id"] != "client-chosen"
    assert stored["created"] != "not even a date"
    assert stored["modified"] != "2001-01-01"


def test_importing_again_updates_and_keeps_the_id_and_created(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    http.post(IMPORT, json=[exported("HR", priority=1)], headers=auth)
    before = sandbox.state.profiles["HR"]
    reply = http.post(IMPORT, json=[exported("HR", priority=2)], headers=auth)
    after = sandbox.state.profiles["HR"]
    assert reply.json()["importedObjects"][0]["id"] == before["id"]
    assert after["id"] == before["id"]
    assert after["created"] == before["created"]
    assert after["priority"] == 2


def test_a_source_can_be_referenced_by_id(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    source = sandbox.sources[1]
    reply = http.post(
        IMPORT, json=[exported("AD", {"type": "SOURCE", "id": source.id})], headers=auth
    )
    assert reply.json()["errors"] == []
    assert "AD" in sandbox.state.profiles


@pytest.mark.parametrize(
    ("source", "reference"),
    [
        ({"type": "SOURCE", "name": "Nowhere"}, "SOURCE:Nowhere"),
        ({"type": "SOURCE", "id": "0" * 32}, "SOURCE:" + "0" * 32),
    ],
)
def test_an_unknown_source_is_an_error_inside_a_200_and_is_not_stored(
    http: httpx.Client,
    sandbox: SandboxServer,
    auth: dict[str, str],
    source: dict[str, str],
    reference: str,
) -> None:
    reply = http.post(IMPORT, json=[exported("Ghost", source), exported("HR")], headers=auth)
    body = reply.json()
    assert reply.status_code == 200
    assert body["errors"] == [
        {
            "key": "UNKNOWN_REFERENCE_RESOLVER",
            "text": f"Unable to resolve reference {reference} for IDENTITY_PROFILE Ghost",
            "details": body["errors"][0]["details"],
        }
    ]
    assert body["errors"][0]["details"]["objectName"] == "Ghost"
    assert [o["name"] for o in body["importedObjects"]] == ["HR"]
    assert set(sandbox.state.profiles) == {"HR"}


def test_an_object_of_another_type_is_an_error_and_is_not_stored(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    item = exported("Admins")
    item["self"]["type"] = "ROLE"
    reply = http.post(IMPORT, json=[item], headers=auth)
    body = reply.json()
    assert reply.status_code == 200
    assert body["errors"][0]["key"] == "UNSUPPORTED_OBJECT_TYPE"
    assert "ROLE" in body["errors"][0]["text"]
    assert body["importedObjects"] == []
    assert sandbox.state.profiles == {}


def test_an_empty_import_is_200_with_nothing_imported(
    http: httpx.Client, auth: dict[str, str]
) -> None:
    reply = http.post(IMPORT, json=[], headers=auth)
    assert reply.json() == {"infos": [], "warnings": [], "errors": [], "importedObjects": []}


@pytest.mark.parametrize(
    ("payload", "named"),
    [
        ({"not": "a list"}, "request body: Input should be a valid"),
        ([{"object": {"name": "HR"}}], "[0].object.authoritativeSource: Field required"),
        ([{"self": {"type": "NOT_A_TYPE"}}], "[0].self.type: Input should be"),
        (
            [{"object": {"name": "HR", "authoritativeSource": {}, "priority": "high"}}],
            "[0].object.priority",
        ),
    ],
)
def test_bodies_that_break_the_schema_are_400_naming_the_path(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str], payload: object, named: str
) -> None:
    reply = http.post(IMPORT, json=payload, headers=auth)
    assert reply.status_code == 400
    assert reply.json()["detailCode"] == "400.1 Bad Request Content"
    assert reply.json()["causes"][0]["text"].startswith(named)
    assert sandbox.state.profiles == {}


def test_malformed_json_is_400(http: httpx.Client, auth: dict[str, str]) -> None:
    reply = http.post(IMPORT, content=b"[{", headers={**auth, "Content-Type": "application/json"})
    assert reply.status_code == 400
    assert "not valid JSON" in reply.json()["causes"][0]["text"]


@pytest.mark.parametrize("number", [b"NaN", b"Infinity", b"1e400"])
def test_numbers_json_cannot_hold_are_400(
    http: httpx.Client, auth: dict[str, str], number: bytes
) -> None:
    body = b'[{"object": {"name": "HR", "authoritativeSource": {}, "x": ' + number + b"}}]"
    reply = http.post(IMPORT, content=body, headers={**auth, "Content-Type": "application/json"})
    assert reply.status_code == 400
    assert "not valid JSON" in reply.json()["causes"][0]["text"]


@pytest.mark.parametrize("depth", [501, 5000, 100_000])
def test_json_nested_too_deeply_is_400_not_a_crash(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str], depth: int
) -> None:
    nested = b"[" * depth + b"]" * depth
    body = b'[{"object": {"name": "HR", "authoritativeSource": {}, "x": ' + nested + b"}}]"
    reply = http.post(IMPORT, content=body, headers={**auth, "Content-Type": "application/json"})
    assert reply.status_code == 400
    assert "nested deeper than 500 levels" in reply.json()["causes"][0]["text"]
    assert sandbox.state.profiles == {}


def test_json_nested_up_to_the_limit_is_stored(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    nested: Any = {"type": "accountAttribute", "attributes": {"attributeName": "x"}}
    for level in range(240):  # a transform nested 240 deep: 480 levels of JSON, and more around
        nested = {"type": "lower", "attributes": {"input": nested, "level": level}}
    reply = http.post(IMPORT, json=[exported("Deep", futureField=nested)], headers=auth)
    assert reply.json()["importedObjects"][0]["name"] == "Deep"
    assert sandbox.state.profiles["Deep"]["futureField"] == nested
    assert http.get("/__sandbox__/profiles").json()["Deep"]["futureField"] == nested


def test_a_json_null_body_is_400_naming_the_type(http: httpx.Client, auth: dict[str, str]) -> None:
    reply = http.post(IMPORT, content=b"null", headers={**auth, "Content-Type": "application/json"})
    assert reply.status_code == 400
    assert reply.json()["causes"][0]["text"].startswith("request body: Input should be")
