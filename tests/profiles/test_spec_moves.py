"""The #16 operations in openapi/isc.yaml say what isc-workflow-contract.md says (0-5).

Replies are read tolerantly: nothing in Source or Transform is required, and fields
a client may meet as null are nullable, so that a `null` never throws a 200 away.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

SPEC: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "openapi" / "isc.yaml").read_text()
)
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
PARAMETERS: dict[str, Any] = SPEC["components"]["parameters"]


def _kind(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"].rsplit("/", 1)[-1])
    if "anyOf" in schema:
        return _kind(next(b for b in schema["anyOf"] if b != {"type": "null"}))
    declared = schema["type"]
    return str(next(t for t in declared if t != "null") if isinstance(declared, list) else declared)


# schema, field, type on the sheet
FIELDS = [
    ("Source", "id", "string"),
    ("Source", "name", "string"),
    ("Source", "description", "string"),
    ("Source", "type", "string"),
    ("Source", "connector", "string"),
    ("Source", "connectorName", "string"),
    ("Source", "authoritative", "boolean"),
    ("Source", "owner", "IdentityProfileOwner"),
    ("Source", "created", "string"),
    ("Source", "modified", "string"),
    ("Transform", "id", "string"),
    ("Transform", "name", "string"),
    ("Transform", "type", "string"),
    ("Transform", "internal", "boolean"),
    ("Transform", "attributes", "object"),
]


@pytest.mark.parametrize(
    ("schema", "field", "kind"), FIELDS, ids=[f"{s}.{f}" for s, f, _ in FIELDS]
)
def test_field_matches_the_sheet(schema: str, field: str, kind: str) -> None:
    assert _kind(SCHEMAS[schema]["properties"][field]) == kind
    assert "required" not in SCHEMAS[schema]


def test_every_property_of_the_16_schemas_is_checked() -> None:
    declared = {
        (name, field)
        for name, schema in SCHEMAS.items()
        if str(schema.get("x-contract", "")).startswith("isc-workflow-contract.md section")
        for field in schema.get("properties", {})
    }
    assert declared == {(schema, field) for schema, field, _ in FIELDS}


OPERATIONS = [
    ("/identity-profiles/export", "get", "exportIdentityProfiles"),
    ("/identity-profiles/v1/export", "get", "exportIdentityProfilesV1"),
    ("/identity-profiles", "get", "listIdentityProfiles"),
    ("/identity-profiles/v1", "get", "listIdentityProfilesV1"),
    ("/identity-profiles/{identity-profile-id}", "get", "getIdentityProfile"),
    ("/identity-profiles/{identity-profile-id}/process-identities", "post", "syncIdentityProfile"),
    ("/sources", "get", "listSources"),
    ("/sources/v1", "get", "listSourcesV1"),
    ("/transforms", "get", "listTransforms"),
    ("/transforms/v1", "get", "listTransformsV1"),
    ("/identity-profiles/{identity-profile-id}", "delete", "deleteIdentityProfile"),
]


@pytest.mark.parametrize(("path", "method", "operation_id"), OPERATIONS)
def test_the_operation_is_where_the_sheet_puts_it(
    path: str, method: str, operation_id: str
) -> None:
    operation = SPEC["paths"][path][method]
    assert operation["operationId"] == operation_id
    parameters = {
        PARAMETERS[p["$ref"].rsplit("/", 1)[-1]]["name"] for p in operation.get("parameters", [])
    }
    if method == "get" and "{" not in path:  # every list pages with limit, offset, count
        assert {"limit", "offset", "count", "filters"} <= parameters
    if "/v1" in path:  # per-service paths sit directly under the API root
        assert SPEC["paths"][path]["servers"][1]["url"] == "{apiRoot}"
    assert "X-SailPoint-Experimental" not in str(operation)  # none of these takes it


def test_lists_page_at_most_250() -> None:
    assert PARAMETERS["ListLimit"]["schema"]["maximum"] == 250
    assert PARAMETERS["IdentityProfileId"]["schema"] == {"type": "string"}  # not a uuid


# TaskResultSimplified (the 202 of deleteIdentityProfile), per SailPoint's definitions:
# field, type, declared format; nothing required, and read tolerantly (nullable but id).
TASK_RESULT_FIELDS = [
    ("id", "string", None),
    ("name", "string", None),
    ("description", "string", None),
    ("launcher", "string", None),
    ("completed", "string", "date-time"),
    ("launched", "string", "date-time"),
    ("completionStatus", "TaskResultCompletionStatus", None),
]


def test_the_delete_answers_202_with_a_task_result_simplified() -> None:
    operation = SPEC["paths"]["/identity-profiles/{identity-profile-id}"]["delete"]
    assert set(operation["responses"]) == {"202", "400", "401", "403", "404", "429", "500"}
    assert operation["security"] == [{"userAuth": ["idn:identity-profile:delete"]}]
    reply = SPEC["components"]["responses"]["ProfileDeletionStarted"]
    assert reply["content"]["application/json"]["schema"]["$ref"].endswith("/TaskResultSimplified")
    schema = SCHEMAS["TaskResultSimplified"]
    assert "required" not in schema
    found = {name: (_kind(prop), prop.get("format")) for name, prop in schema["properties"].items()}
    assert found == {name: (kind, fmt) for name, kind, fmt in TASK_RESULT_FIELDS}
    assert SCHEMAS["TaskResultCompletionStatus"]["enum"] == [
        "Success", "Warning", "Error", "Terminated", "TempError"
    ]  # fmt: skip
    status = schema["properties"]["completionStatus"]["anyOf"]
    assert {"type": "string"} in status and {"type": "null"} in status  # open, nullable
