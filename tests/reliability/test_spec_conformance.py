"""Spec-driven API tests: schemathesis generates requests from our own openapi/isc.yaml
(valid and invalid ones) and the sandbox must answer each with a status, content type,
headers and body that the spec allows.

Bounded: `EXAMPLES` cases per operation, derandomized so CI sees the same requests on
every run. The sandbox accepts unknown identity ids here, so that a request the spec
calls valid is also valid for the tenant (the seeded population is not in the spec).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from iscctl.sandbox import SandboxServer, SandboxSettings
from iscctl.sandbox.app import build_app
from iscctl.sandbox.tenant import Tenant
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.routing import Match

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "isc.yaml"
EXAMPLES = 30
EXPERIMENTAL_HEADER = "X-SailPoint-Experimental"

schema = schemathesis.openapi.from_path(SPEC)


@pytest.fixture(scope="module")
def tenant(_reliability_server: SandboxServer) -> Any:
    """A sandbox that processes any id, and a token for it (module-wide: one per run).

    Same credentials as the suite's sandbox, so the leak watch knows the secret."""
    settings_ = attrs.evolve(_reliability_server.settings, unknown_ids="accept")
    with SandboxServer(settings_) as server:
        reply = httpx.post(
            f"{server.base_url}/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": server.client_id,
                "client_secret": server.client_secret,
            },
        )
        reply.raise_for_status()
        yield server, reply.json()["access_token"]


PER_SERVICE = re.compile(r"/v1(/|$)")


def base_url_for(server: SandboxServer, path: str) -> str:
    """Versioned paths live under {API root}/{version}; per-service ones (`/sources/v1`,
    `/identities/v1/process`) under the root."""
    return server.base_url if PER_SERVICE.search(path) else f"{server.base_url}/v2025"


RESPONSE_CHECKS: list[Any] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
"""The answer is one the spec allows: status, content type, headers and body."""


def checks_for(case: schemathesis.Case[Any]) -> list[Any]:
    """The response checks, plus "a schema-valid request is accepted" where that is fair.

    Not asked: "a schema-violating request is rejected". The sandbox binds JSON as
    leniently as ISC does (0 is a false, "10" a 10, as Jackson coerces), so some
    invalid bodies are rightly answered 200.

    "Valid data is accepted" is not asked of a process request whose
    X-SailPoint-Experimental header is not `true`: the spec declares the header as any
    string (default 'true') and only says in prose that ISC answers any other value
    with 400, so such a request is schema-valid only because the spec is loose. Its
    400 must still be a status and body the spec allows.

    Nor is it asked where the request carries one of ISC's query grammars (`filters`,
    `sorters`, a search's `query`): the spec types them as free strings, but each
    endpoint allows only certain fields and operators, so most generated strings are
    rightly a 400 (as on ISC). That 400 must still be one the spec allows.
    """
    headers: dict[str, Any] = dict(case.headers or {})
    header = headers.get(EXPERIMENTAL_HEADER)
    if case.path.endswith("/process") and header != "true":
        return RESPONSE_CHECKS
    if (case.query and {"filters", "sorters"} & set(case.query)) or "/search" in case.path:
        return RESPONSE_CHECKS
    return [*RESPONSE_CHECKS, positive_data_acceptance]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_generated_request_gets_an_answer_the_spec_allows(
    case: schemathesis.Case[Any], tenant: tuple[SandboxServer, str], evidence: Any
) -> None:
    server, token = tenant
    evidence.tokens.append(token)  # issued before this test's leak watch began
    server.tenant.state.clear()  # keeps the stored-profiles map small
    case.call_and_validate(
        base_url=base_url_for(server, case.path),
        headers={"Authorization": f"Bearer {token}"},
        checks=checks_for(case),
        timeout=10,
    )


def test_the_spec_covers_both_operations_on_both_kinds_of_path() -> None:
    operations: Callable[[], Any] = schema.get_all_operations
    found = {result.ok().label for result in operations()}
    assert {
        "POST /identities/process",
        "POST /identities/v1/process",
        "POST /identity-profiles/import",
        "POST /identity-profiles/v1/import",
    } <= found


def test_the_sandbox_serves_every_operation_of_the_spec() -> None:
    """Otherwise the conformance test above would only see 404s for the missing ones."""
    routes = build_app(Tenant(SandboxSettings(population_size=1))).routes
    operations: Callable[[], Any] = schema.get_all_operations
    unserved = []
    for result in operations():
        operation = result.ok()
        concrete = re.sub(r"\{[^}]+\}", "x0", operation.path)
        path = concrete if PER_SERVICE.search(operation.path) else f"/v2025{concrete}"
        scope = {"type": "http", "path": path, "method": operation.method.upper()}
        if not any(route.matches(scope)[0] is Match.FULL for route in routes):
            unserved.append(operation.label)
    assert unserved == []
