"""The #15 operations in openapi/isc.yaml say what isc-workflow-contract.md says (6-8).

Replies are read tolerantly: where SailPoint declares a reply field required or
non-nullable, the spec may make it optional or nullable so that a `null` never
throws a 200 away (TOLERATED below lists each such place); everything else is
exactly the sheet's.
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


def kind_of(schema: dict[str, Any]) -> tuple[str, bool]:
    """(type or referenced schema, nullable)."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1], False
    if "anyOf" in schema:
        branches = [b for b in schema["anyOf"] if b != {"type": "null"}]
        return kind_of(branches[0])[0], {"type": "null"} in schema["anyOf"]
    declared = schema["type"]
    if isinstance(declared, list):
        return next(t for t in declared if t != "null"), "null" in declared
    return declared, False


# schema, field, type, format, nullable on the sheet
FIELDS = [
    ("Search", "indices", "array", None, False),
    ("Search", "queryType", "SearchQueryType", None, False),
    ("Search", "query", "SearchQuery", None, False),
    ("Search", "includeNested", "boolean", None, False),
    ("Search", "queryResultFilter", "QueryResultFilter", None, False),
    ("Search", "sort", "array", None, False),
    ("Search", "searchAfter", "array", None, False),
    ("SearchQuery", "query", "string", None, False),
    ("SearchQuery", "fields", "string", None, False),
    ("SearchQuery", "timeZone", "string", None, False),
    ("QueryResultFilter", "includes", "array", None, False),
    ("QueryResultFilter", "excludes", "array", None, False),
    ("IdentityDocument", "id", "string", None, False),
    ("IdentityDocument", "name", "string", None, False),
    ("IdentityDocument", "displayName", "string", None, False),
    ("IdentityDocument", "email", "string", None, False),
    ("IdentityDocument", "created", "string", "date-time", True),
    ("IdentityDocument", "modified", "string", "date-time", True),
    ("IdentityDocument", "synced", "string", None, False),
    ("IdentityDocument", "status", "string", None, False),
    ("IdentityDocument", "processingState", "string", None, True),
    ("IdentityDocument", "processingDetails", "ProcessingDetails", None, True),
    ("IdentityDocument", "identityProfile", "DocumentReference", None, False),
    ("IdentityDocument", "source", "DocumentReference", None, False),
    ("IdentityDocument", "attributes", "object", None, False),
    ("ProcessingDetails", "date", "string", "date-time", True),
    ("ProcessingDetails", "stage", "string", None, False),
    ("ProcessingDetails", "retryCount", "integer", "int32", False),
    ("ProcessingDetails", "stackTrace", "string", None, False),
    ("ProcessingDetails", "message", "string", None, False),
    ("DocumentReference", "id", "string", None, False),
    ("DocumentReference", "name", "string", None, False),
    ("Identity", "id", "string", None, False),
    ("Identity", "name", "string", None, False),
    ("Identity", "created", "string", "date-time", False),
    ("Identity", "modified", "string", "date-time", False),
    ("Identity", "alias", "string", None, False),
    ("Identity", "emailAddress", "string", None, True),
    ("Identity", "processingState", "ProcessingState", None, True),
    ("Identity", "identityStatus", "IdentityStatus", None, False),
    ("Identity", "isManager", "boolean", None, False),
    ("Identity", "lastRefresh", "string", "date-time", False),
    ("Identity", "attributes", "object", None, False),
    ("Identity", "lifecycleState", "IdentityLifecycleState", None, True),
    ("IdentityLifecycleState", "stateName", "string", None, False),
    ("IdentityLifecycleState", "manuallyUpdated", "boolean", None, False),
    ("TaskStatus", "id", "string", None, False),
    ("TaskStatus", "type", "string", None, False),
    ("TaskStatus", "uniqueName", "string", None, False),
    ("TaskStatus", "description", "string", None, False),
    ("TaskStatus", "parentName", "string", None, True),
    ("TaskStatus", "launcher", "string", None, False),
    ("TaskStatus", "created", "string", "date-time", False),
    ("TaskStatus", "modified", "string", "date-time", True),
    ("TaskStatus", "launched", "string", "date-time", True),
    ("TaskStatus", "completed", "string", "date-time", True),
    ("TaskStatus", "completionStatus", "CompletionStatus", None, True),
    ("TaskStatus", "progress", "string", None, True),
    ("TaskStatus", "percentComplete", "integer", None, False),
    ("TaskStatus", "messages", "array", None, False),
    ("TaskStatus", "attributes", "object", None, False),
]

TOLERATED = {
    # reply fields declared non-nullable that the spec lets be null: the generated
    # reader would otherwise fail a whole page on one null object or timestamp
    ("IdentityDocument", "displayName"),
    ("IdentityDocument", "email"),
    ("IdentityDocument", "synced"),
    ("IdentityDocument", "status"),
    ("IdentityDocument", "identityProfile"),
    ("IdentityDocument", "source"),
    ("IdentityDocument", "attributes"),
    ("ProcessingDetails", "stage"),
    ("ProcessingDetails", "retryCount"),
    ("ProcessingDetails", "stackTrace"),
    ("ProcessingDetails", "message"),
    ("DocumentReference", "name"),
    ("Identity", "alias"),
    ("Identity", "identityStatus"),
    ("Identity", "lastRefresh"),
    ("Identity", "attributes"),
    ("TaskStatus", "type"),
    ("TaskStatus", "uniqueName"),
    ("TaskStatus", "description"),
    ("TaskStatus", "launcher"),
    ("TaskStatus", "created"),
    ("TaskStatus", "percentComplete"),
    ("TaskStatus", "messages"),
    ("TaskStatus", "attributes"),
}


@pytest.mark.parametrize(
    ("schema", "field", "kind", "fmt", "nullable"), FIELDS, ids=[f"{r[0]}.{r[1]}" for r in FIELDS]
)
def test_field_matches_the_sheet(
    schema: str, field: str, kind: str, fmt: str | None, nullable: bool
) -> None:
    prop = SCHEMAS[schema]["properties"][field]
    found, found_nullable = kind_of(prop)
    assert (found, prop.get("format")) == (kind, fmt)
    assert found_nullable is (nullable or (schema, field) in TOLERATED)
    assert "required" not in SCHEMAS[schema]  # replies read leniently, requests built by us


def test_every_property_of_the_workflow_schemas_is_checked() -> None:
    checked = {(schema, field) for schema, field, *_ in FIELDS}
    declared = {
        (name, field)
        for name, schema in SCHEMAS.items()
        if schema.get("x-contract") == "isc-workflow-contract.md"
        for field in schema.get("properties", {})
    }
    assert declared == checked


def test_enums_are_the_sheets() -> None:
    assert SCHEMAS["SearchIndex"]["enum"] == [
        "accessprofiles", "accountactivities", "entitlements", "events", "identities", "roles", "*"
    ]  # fmt: skip
    assert SCHEMAS["SearchQueryType"]["enum"] == ["DSL", "SAILPOINT", "TEXT", "TYPEAHEAD"]
    assert SCHEMAS["ProcessingState"]["enum"] == ["ERROR", "OK"]
    assert SCHEMAS["IdentityDefaultFilter"]["enum"] == ["CORRELATED_ONLY", "NONE"]
    assert SCHEMAS["CompletionStatus"]["enum"] == [
        "SUCCESS", "WARNING", "ERROR", "TERMINATED", "TEMPERROR"
    ]  # fmt: skip
    assert len(SCHEMAS["IdentityStatus"]["enum"]) == 10


def test_page_sizes_are_the_sheets() -> None:
    assert PARAMETERS["SearchLimit"]["schema"]["maximum"] == 10000
    assert PARAMETERS["IdentityListLimit"]["schema"]["maximum"] == 250


@pytest.mark.parametrize(
    ("path", "method", "operation_id"),
    [
        ("/search", "post", "searchPost"),
        ("/search/v1", "post", "searchPostV1"),
        ("/identities", "get", "listIdentities"),
        ("/identities/v1", "get", "listIdentitiesV1"),
        ("/identities/{id}", "get", "getIdentity"),
        ("/identities/v1/{id}", "get", "getIdentityV1"),
        ("/task-status/{id}", "get", "getTaskStatus"),
        ("/task-status/v1/{id}", "get", "getTaskStatusV1"),
    ],
)
def test_operations_live_where_the_sheet_says(path: str, method: str, operation_id: str) -> None:
    operation = SPEC["paths"][path][method]
    assert operation["operationId"] == operation_id
    assert not any(
        "Experimental" in str(parameter) for parameter in operation.get("parameters", [])
    )


def test_task_status_404_and_403_have_no_body() -> None:
    responses = SPEC["paths"]["/task-status/{id}"]["get"]["responses"]
    assert "content" not in responses["404"]
    assert "content" not in responses["403"]


def test_the_identities_list_takes_the_default_filter() -> None:
    names = {
        PARAMETERS[p["$ref"].rsplit("/", 1)[-1]]["name"]
        for p in SPEC["paths"]["/identities"]["get"]["parameters"]
    }
    assert names == {"filters", "sorters", "defaultFilter", "count", "limit", "offset"}
