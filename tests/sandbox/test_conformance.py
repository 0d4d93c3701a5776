"""The sandbox's replies conform to openapi/isc.yaml, and parse with the generated models.

Each reply is checked twice: against the response schema the spec declares
for that operation and status (JSON Schema, OpenAPI 3.1 dialect), and by the
generated attrs models that our client uses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from iscctl.sandbox import SandboxServer
from iscctl_client.models import (
    ErrorFieldResponse,
    ErrorResponseDto,
    ImportedObjectType,
    ObjectImportResult,
    RateLimitExceededResponse,
    TaskResultResponse,
)
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "isc.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
REGISTRY: Registry[Any] = Registry().with_resource(
    "urn:isc", Resource.from_contents(SPEC, default_specification=DRAFT202012)
)


def declared_schema(path: str, status: int) -> dict[str, Any]:
    """The JSON schema the spec declares for POST `path` answering `status`."""
    response = SPEC["paths"][path]["post"]["responses"][str(status)]
    if "$ref" in response:
        response = SPEC["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    schema: dict[str, Any] = response["content"]["application/json"]["schema"]

    def absolute(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: ("urn:isc" + v if k == "$ref" else absolute(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [absolute(item) for item in node]
        return node

    return dict(absolute(schema))


def assert_conforms(path: str, reply: httpx.Response) -> None:
    validator = Draft202012Validator(declared_schema(path, reply.status_code), registry=REGISTRY)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(reply.json())]
    assert errors == [], errors


def test_task_result_conforms(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    reply = http.post(
        "/v2025/identities/process", json={"identityIds": sandbox.identity_ids[:5]}, headers=auth
    )
    assert reply.status_code == 202
    assert_conforms("/identities/process", reply)
    task = TaskResultResponse.from_dict(reply.json())
    assert task.type_ == "TASK_RESULT"
    assert task.id == sandbox.state.accepted_batches[0].task_id
    assert task.name is None


def test_import_result_conforms(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    items = [
        {
            "version": 1,
            "self": {"type": "IDENTITY_PROFILE", "name": name},
            "object": {"name": name, "authoritativeSource": {"name": source}},
        }
        for name, source in [("HR", "HR Workday"), ("Ghost", "Nowhere")]
    ]
    reply = http.post("/v3/identity-profiles/import", json=items, headers=auth)
    assert reply.status_code == 200
    assert_conforms("/identity-profiles/import", reply)
    result = ObjectImportResult.from_dict(reply.json())
    assert result.imported_objects[0].type_ == ImportedObjectType.IDENTITY_PROFILE
    assert result.errors[0].key == "UNKNOWN_REFERENCE_RESOLVER"


@pytest.mark.parametrize(
    ("path", "spec_path", "body", "status"),
    [
        ("/v2025/identities/process", "/identities/process", {"identityIds": []}, 400),
        ("/v2025/identities/process", "/identities/process", {"identityIds": ["nobody"]}, 404),
        ("/identity-profiles/v1/import", "/identity-profiles/v1/import", {"x": 1}, 400),
    ],
)
def test_error_response_dtos_conform(
    http: httpx.Client,
    auth: dict[str, str],
    path: str,
    spec_path: str,
    body: object,
    status: int,
) -> None:
    reply = http.post(path, json=body, headers=auth)
    assert reply.status_code == status
    assert_conforms(spec_path, reply)
    error = ErrorResponseDto.from_dict(reply.json())
    assert error.detail_code and error.tracking_id and error.messages and error.causes


def test_experimental_header_400_conforms(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    reply = http.post(
        "/identities/v1/process",
        json={"identityIds": sandbox.identity_ids[:1]},
        headers={"Authorization": auth["Authorization"]},
    )
    assert reply.status_code == 400
    assert_conforms("/identities/v1/process", reply)
    assert ErrorFieldResponse.from_dict(reply.json()).error


def test_401_conforms(http: httpx.Client) -> None:
    reply = http.post("/v2025/identity-profiles/import", json=[])
    assert reply.status_code == 401
    assert_conforms("/identity-profiles/import", reply)
    assert ErrorFieldResponse.from_dict(reply.json()).error


def test_429_and_500_conform(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("rate_limit")
    sandbox.faults.add("http_500", after=1)
    limited = http.post("/beta/identity-profiles/import", json=[], headers=auth)
    failed = http.post("/beta/identity-profiles/import", json=[], headers=auth)
    assert (limited.status_code, failed.status_code) == (429, 500)
    assert_conforms("/identity-profiles/import", limited)
    assert_conforms("/identity-profiles/import", failed)
    assert RateLimitExceededResponse.from_dict(limited.json()).message == " Rate Limit Exceeded "
    assert int(limited.headers["retry-after"]) >= 0


def test_the_schema_check_can_fail() -> None:
    """Guard against a vacuous check: a wrong body must be reported."""
    bad = httpx.Response(200, json={"infos": [], "warnings": [], "errors": [{"key": 1}]})
    with pytest.raises(AssertionError):
        assert_conforms("/identity-profiles/import", bad)
