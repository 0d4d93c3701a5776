"""openapi/isc.yaml says what shared/reference/isc-contract.md says, field by field.

The expected values below are transcribed from the contract sheet; each test
reads the spec itself, so a spec edit that breaks the wire contract fails here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "isc.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        section = node["$ref"].split("/")[2]
        node = SPEC["components"][section][name]
    return node


def describe(schema: dict[str, Any]) -> tuple[str, bool]:
    """(type or schema name, nullable) of a property, whatever way it is written."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1], False
    if "anyOf" in schema:
        branches = schema["anyOf"]
        nullable = {"type": "null"} in branches
        named = [describe(b)[0] for b in branches if b != {"type": "null"}]
        return named[0], nullable
    kind = schema["type"]
    if isinstance(kind, list):
        return next(k for k in kind if k != "null"), "null" in kind
    return kind, False


# schema, field, (type, format), required, nullable, readOnly
FIELDS = [
    ("ProcessIdentitiesRequest", "identityIds", ("array", None), True, False, False),
    ("TaskResultResponse", "type", ("string", None), False, False, False),
    ("TaskResultResponse", "id", ("string", None), False, False, False),
    ("TaskResultResponse", "name", ("string", None), False, True, False),
    ("IdentityProfileExportedObject", "version", ("integer", "int32"), False, False, False),
    ("IdentityProfileExportedObject", "self", ("SelfImportExportDto", None), False, False, False),
    ("IdentityProfileExportedObject", "object", ("IdentityProfile", None), False, False, False),
    ("SelfImportExportDto", "type", ("SpConfigObjectType", None), False, False, False),
    ("SelfImportExportDto", "id", ("string", None), False, False, False),
    ("SelfImportExportDto", "name", ("string", None), False, False, False),
    ("IdentityProfile", "id", ("string", None), False, False, True),
    ("IdentityProfile", "name", ("string", None), True, True, False),
    ("IdentityProfile", "created", ("string", "date-time"), False, False, True),
    ("IdentityProfile", "modified", ("string", "date-time"), False, False, True),
    ("IdentityProfile", "description", ("string", None), False, True, False),
    ("IdentityProfile", "owner", ("IdentityProfileOwner", None), False, True, False),
    ("IdentityProfile", "priority", ("integer", "int64"), False, False, False),
    (
        "IdentityProfile",
        "authoritativeSource",
        ("IdentityProfileAuthoritativeSource", None),
        True,
        False,
        False,
    ),
    ("IdentityProfile", "identityRefreshRequired", ("boolean", None), False, False, False),
    ("IdentityProfile", "identityCount", ("integer", "int32"), False, False, False),
    (
        "IdentityProfile",
        "identityAttributeConfig",
        ("IdentityAttributeConfig", None),
        False,
        False,
        False,
    ),
    (
        "IdentityProfile",
        "identityExceptionReportReference",
        ("IdentityExceptionReportReference", None),
        False,
        True,
        False,
    ),
    ("IdentityProfile", "hasTimeBasedAttr", ("boolean", None), False, False, False),
    ("IdentityProfileOwner", "type", ("IdentityReferenceType", None), False, False, False),
    ("IdentityProfileOwner", "id", ("string", None), False, False, False),
    ("IdentityProfileOwner", "name", ("string", None), False, False, False),
    (
        "IdentityProfileAuthoritativeSource",
        "type",
        ("SourceReferenceType", None),
        False,
        False,
        False,
    ),
    ("IdentityProfileAuthoritativeSource", "id", ("string", None), False, False, False),
    ("IdentityProfileAuthoritativeSource", "name", ("string", None), False, False, False),
    ("IdentityAttributeConfig", "enabled", ("boolean", None), False, False, False),
    ("IdentityAttributeConfig", "attributeTransforms", ("array", None), False, False, False),
    ("IdentityAttributeTransform", "identityAttributeName", ("string", None), False, False, False),
    (
        "IdentityAttributeTransform",
        "transformDefinition",
        ("TransformDefinition", None),
        False,
        False,
        False,
    ),
    ("TransformDefinition", "type", ("string", None), False, False, False),
    ("TransformDefinition", "attributes", ("object", None), False, False, False),
    ("IdentityExceptionReportReference", "taskResultId", ("string", "uuid"), False, False, False),
    ("IdentityExceptionReportReference", "reportName", ("string", None), False, False, False),
    ("ObjectImportResult", "infos", ("array", None), True, False, False),
    ("ObjectImportResult", "warnings", ("array", None), True, False, False),
    ("ObjectImportResult", "errors", ("array", None), True, False, False),
    ("ObjectImportResult", "importedObjects", ("array", None), True, False, False),
    ("SpConfigMessage", "key", ("string", None), True, False, False),
    ("SpConfigMessage", "text", ("string", None), True, False, False),
    ("SpConfigMessage", "details", ("object", None), True, False, False),
    ("ImportObject", "type", ("ImportedObjectType", None), False, False, False),
    ("ImportObject", "id", ("string", None), False, False, False),
    ("ImportObject", "name", ("string", None), False, False, False),
    ("ErrorResponseDto", "detailCode", ("string", None), False, False, False),
    ("ErrorResponseDto", "trackingId", ("string", None), False, False, False),
    ("ErrorResponseDto", "messages", ("array", None), False, False, False),
    ("ErrorResponseDto", "causes", ("array", None), False, False, False),
    ("ErrorMessageDto", "locale", ("string", None), False, True, False),
    ("ErrorMessageDto", "localeOrigin", ("LocaleOrigin", None), False, True, False),
    ("ErrorMessageDto", "text", ("string", None), False, False, False),
    ("ErrorFieldResponse", "error", ("string", None), False, False, False),
    ("RateLimitExceededResponse", "message", ("string", None), False, False, False),
]


@pytest.mark.parametrize(
    ("schema", "field", "kind", "required", "nullable", "read_only"),
    FIELDS,
    ids=[f"{row[0]}.{row[1]}" for row in FIELDS],
)
def test_field_matches_the_contract(
    schema: str,
    field: str,
    kind: tuple[str, str | None],
    required: bool,
    nullable: bool,
    read_only: bool,
) -> None:
    definition = SCHEMAS[schema]
    prop = definition["properties"][field]
    found_type, found_nullable = describe(prop)
    assert (found_type, prop.get("format")) == kind
    assert (field in definition.get("required", [])) is required
    assert found_nullable is nullable
    assert bool(prop.get("readOnly")) is read_only


def test_every_schema_property_is_in_the_contract() -> None:
    """No invented fields: every property the spec declares was checked above."""
    checked = {(schema, field) for schema, field, *_ in FIELDS}
    declared = {
        (name, field)
        for name, schema in SCHEMAS.items()
        if "x-contract" not in schema  # checked against its own sheet elsewhere (tests/selection)
        for field in schema.get("properties", {})
    }
    assert declared == checked


def test_process_ids_are_limited_to_1_to_250_strings() -> None:
    ids = SCHEMAS["ProcessIdentitiesRequest"]["properties"]["identityIds"]
    assert (ids["minItems"], ids["maxItems"], ids["items"]) == (1, 250, {"type": "string"})


def test_boolean_defaults() -> None:
    profile = SCHEMAS["IdentityProfile"]["properties"]
    assert profile["identityRefreshRequired"]["default"] is False
    assert profile["hasTimeBasedAttr"]["default"] is False
    assert SCHEMAS["IdentityAttributeConfig"]["properties"]["enabled"]["default"] is False


def test_transform_attributes_are_free_form() -> None:
    attributes = SCHEMAS["TransformDefinition"]["properties"]["attributes"]
    assert attributes["additionalProperties"] is True
    assert SCHEMAS["SpConfigMessage"]["properties"]["details"]["additionalProperties"] is True


def test_enum_values_are_exact() -> None:
    assert SCHEMAS["SpConfigObjectType"]["enum"] == sorted(
        [
            "ACCESS_PROFILE",
            "ACCESS_REQUEST_CONFIG",
            "ATTR_SYNC_SOURCE_CONFIG",
            "AUTH_ORG",
            "CAMPAIGN_FILTER",
            "CONNECTOR_RULE",
            "FORM_DEFINITION",
            "GOVERNANCE_GROUP",
            "IDENTITY_OBJECT_CONFIG",
            "IDENTITY_PROFILE",
            "LIFECYCLE_STATE",
            "NOTIFICATION_TEMPLATE",
            "PASSWORD_POLICY",
            "PASSWORD_SYNC_GROUP",
            "PUBLIC_IDENTITIES_CONFIG",
            "ROLE",
            "RULE",
            "SEGMENT",
            "SERVICE_DESK_INTEGRATION",
            "SOD_POLICY",
            "SOURCE",
            "TAG",
            "TRANSFORM",
            "TRIGGER_SUBSCRIPTION",
            "WORKFLOW",
        ]
    )
    assert SCHEMAS["ImportedObjectType"]["enum"] == [
        "CONNECTOR_RULE",
        "IDENTITY_OBJECT_CONFIG",
        "IDENTITY_PROFILE",
        "RULE",
        "SOURCE",
        "TRANSFORM",
        "TRIGGER_SUBSCRIPTION",
    ]
    assert SCHEMAS["LocaleOrigin"]["enum"] == ["DEFAULT", "REQUEST"]
    assert SCHEMAS["IdentityReferenceType"]["enum"] == ["IDENTITY"]
    assert SCHEMAS["SourceReferenceType"]["enum"] == ["SOURCE"]


def test_enums_in_replies_are_open() -> None:
    """Unknown values from the live API must parse: the enum is one branch, str the other."""
    for schema, field in [("ImportObject", "type"), ("ErrorMessageDto", "localeOrigin")]:
        branches = SCHEMAS[schema]["properties"][field]["anyOf"]
        assert {"type": "string"} in branches


def test_no_enum_lists_null_and_no_schema_has_a_title() -> None:
    for name, schema in SCHEMAS.items():
        assert None not in schema.get("enum", []), name
        assert "title" not in schema, name


PROCESS_ERRORS = {"400", "401", "403", "404", "429", "500"}
IMPORT_ERRORS = {"400", "401", "403", "429", "500"}  # no 404
OPERATIONS = {
    "/identities/process": ("startIdentityProcessing", "202", PROCESS_ERRORS),
    "/identities/v1/process": ("startIdentityProcessingV1", "202", PROCESS_ERRORS),
    "/identity-profiles/import": ("importIdentityProfiles", "200", IMPORT_ERRORS),
    "/identity-profiles/v1/import": ("importIdentityProfilesV1", "200", IMPORT_ERRORS),
}


@pytest.mark.parametrize("path", OPERATIONS)
def test_operation_statuses_and_bodies(path: str) -> None:
    operation_id, success, errors = OPERATIONS[path]
    operation = SPEC["paths"][path]["post"]
    assert operation["operationId"] == operation_id
    assert set(operation["responses"]) == {success} | errors
    body = resolve(operation["responses"]["401"])["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ErrorFieldResponse"}
    limited = resolve(operation["responses"]["429"])
    assert limited["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RateLimitExceededResponse"
    }
    retry_after = resolve(limited["headers"]["Retry-After"])
    assert retry_after["schema"]["type"] == "integer"
    for status in errors - {"401", "429"}:
        content = resolve(operation["responses"][status])["content"]["application/json"]
        schema = content["schema"]
        refs = [schema, *resolve(schema).get("anyOf", []), *resolve(schema).get("allOf", [])]
        assert {"$ref": "#/components/schemas/ErrorResponseDto"} in refs, status


def test_the_400_of_process_reads_either_error_shape() -> None:
    """ISC answers a bad body with ErrorResponseDto and a missing experimental header with
    `{"error": ...}`: the 400 schema has the fields of both, all optional."""
    body = SCHEMAS["ProcessBadRequestBody"]
    assert body["allOf"] == [
        {"$ref": "#/components/schemas/ErrorResponseDto"},
        {"$ref": "#/components/schemas/ErrorFieldResponse"},
    ]
    for part in body["allOf"]:
        assert "required" not in resolve(part)


def test_per_path_servers_and_the_routing_rule_agree() -> None:
    """The generator ignores per-path `servers`; iscctl places a path under the API root
    when its second segment is a version (iscctl.versions.per_service_version), else under
    `{root}/{version}`. The spec's per-path servers must say the same for every path."""
    from iscctl.versions import per_service_version

    for path, item in SPEC["paths"].items():
        under_root = [server["url"] for server in item.get("servers", [])]
        if per_service_version(path) is None:
            assert under_root == [], f"{path}: versioned path with servers of its own"
        else:
            assert "{apiRoot}" in under_root, f"{path}: per-service path needs {{apiRoot}} servers"


def test_import_has_no_404_and_takes_an_array_of_exported_objects() -> None:
    body = resolve(SPEC["paths"]["/identity-profiles/import"]["post"]["requestBody"])
    schema = resolve(body["content"]["application/json"]["schema"])
    assert schema["type"] == "array"
    assert schema["items"] == {"$ref": "#/components/schemas/IdentityProfileExportedObject"}


@pytest.mark.parametrize("path", ["/identities/process", "/identities/v1/process"])
def test_process_sends_the_experimental_header_as_the_string_true(path: str) -> None:
    parameters = [resolve(p) for p in SPEC["paths"][path]["post"]["parameters"]]
    header = next(p for p in parameters if p["name"] == "X-SailPoint-Experimental")
    assert header["in"] == "header"
    assert header["schema"] == {"type": "string", "default": "true"}


def test_servers_cover_tenants_and_free_api_roots() -> None:
    urls = [server["url"] for server in SPEC["servers"]]
    assert urls == ["https://{tenant}.api.identitynow.com/{version}", "{apiRoot}/{version}"]
    versions = SPEC["servers"][0]["variables"]["version"]["enum"]
    assert versions == ["beta", "v2024", "v2025", "v2026", "v3"]
    for path in ("/identities/v1/process", "/identity-profiles/v1/import"):
        per_service = [server["url"] for server in SPEC["paths"][path]["servers"]]
        assert per_service == ["https://{tenant}.api.identitynow.com", "{apiRoot}"]


def test_security_is_oauth2_client_credentials_with_the_documented_scopes() -> None:
    schemes = SPEC["components"]["securitySchemes"]
    for scheme in schemes.values():
        assert scheme["type"] == "oauth2"
        assert "clientCredentials" in scheme["flows"]
    process = SPEC["paths"]["/identities/process"]["post"]["security"]
    assert process == [{"userAuth": ["idn:identity:process", "idn:identity:manage"]}]
    imports = SPEC["paths"]["/identity-profiles/import"]["post"]["security"]
    assert imports == [{"userAuth": ["idn:identity-profile:manage"]}]
