"""Nulls in an import body: refused where openapi/isc.yaml does not declare them (#13.7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from iscctl.sandbox import SandboxServer
from iscctl.sandbox.nulls import NULLABLE, NULLABLE_IN_BETA, TOLERATED, null_fields
from iscctl_models import IdentityProfileExportedObject

from .test_import import IMPORT, exported

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "isc.yaml"


def _with(item: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    target = item
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    return item


@pytest.mark.parametrize(
    "path",
    [
        ("self",),
        ("object",),
        ("version",),
        ("object", "priority"),
        ("object", "identityAttributeConfig"),
        ("object", "identityRefreshRequired"),
        ("object", "authoritativeSource"),
        ("self", "type"),
        ("object", "authoritativeSource", "name"),
        ("object", "identityAttributeConfig", "enabled"),
    ],
)
def test_a_null_the_spec_does_not_allow_is_400_naming_the_field(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str], path: tuple[str, ...]
) -> None:
    item = _with(exported("HR"), path, None)
    reply = http.post(IMPORT, json=[item], headers=auth)
    assert reply.status_code == 400
    causes = [cause["text"] for cause in reply.json()["causes"]]
    assert causes == [
        f"[0].{'.'.join(path)}: must not be null (not nullable in the API definition); "
        "leave the field out or give it a value"
    ]
    assert sandbox.state.profiles == {}


def test_nulls_inside_transforms_are_found_too(http: httpx.Client, auth: dict[str, str]) -> None:
    config = {"attributeTransforms": [{"identityAttributeName": None, "transformDefinition": {}}]}
    reply = http.post(
        IMPORT, json=[exported("A"), exported("B", identityAttributeConfig=config)], headers=auth
    )
    assert reply.status_code == 400
    assert reply.json()["causes"][0]["text"].startswith(
        "[1].object.identityAttributeConfig.attributeTransforms[0].identityAttributeName:"
    )


def test_declared_nullable_fields_and_unknown_fields_may_be_null(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    item = exported(
        "HR", description=None, owner=None, identityExceptionReportReference=None, future=None
    )
    reply = http.post(IMPORT, json=[item], headers=auth)
    assert reply.status_code == 200
    assert sandbox.state.profiles["HR"]["description"] is None


def test_beta_allows_null_transform_attributes_and_others_do_not(
    http: httpx.Client, auth: dict[str, str]
) -> None:
    config = {
        "attributeTransforms": [
            {
                "identityAttributeName": "email",
                "transformDefinition": {"type": "x", "attributes": None},
            }
        ]
    }
    item = exported("HR", identityAttributeConfig=config)
    assert http.post("/beta/identity-profiles/import", json=[item], headers=auth).status_code == 200
    assert http.post(IMPORT, json=[item], headers=auth).status_code == 400


def _spec_nullable(schemas: dict[str, Any], name: str, seen: set[str]) -> set[tuple[str, str]]:
    """(schema, property) pairs declared nullable, over every schema reachable from `name`."""
    if name in seen:
        return set()
    seen.add(name)
    found: set[tuple[str, str]] = set()
    for prop, definition in schemas[name].get("properties", {}).items():
        types = definition.get("type")
        variants = definition.get("anyOf", []) + definition.get("oneOf", [])
        if (isinstance(types, list) and "null" in types) or {"type": "null"} in variants:
            found.add((name, prop))
        for reference in _refs(definition):
            found |= _spec_nullable(schemas, reference, seen)
    return found


def _refs(definition: Any) -> list[str]:
    if isinstance(definition, dict):
        refs = [definition["$ref"].rsplit("/", 1)[-1]] if "$ref" in definition else []
        for value in definition.values():
            refs += _refs(value)
        return refs
    if isinstance(definition, list):
        return [ref for item in definition for ref in _refs(item)]
    return []


def test_the_nullable_table_equals_the_spec() -> None:
    schemas = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["components"]["schemas"]
    declared = _spec_nullable(schemas, "IdentityProfileExportedObject", set())
    assert declared == NULLABLE
    # The beta-only addition and the tolerated self.id are not in the spec.
    assert not ((NULLABLE_IN_BETA | TOLERATED) & declared)


def test_the_walk_reports_every_null_with_its_path() -> None:
    body = [
        {"version": None, "self": {"type": None}, "object": {"priority": None, "name": None}},
        {"object": {"identityAttributeConfig": {"attributeTransforms": [None]}}},
    ]
    # (A null list item is left to the model, which refuses it as "a valid dictionary".)
    assert null_fields(body, IdentityProfileExportedObject) == [
        (0, "version"),
        (0, "self", "type"),
        (0, "object", "priority"),
    ]
