"""POST /oauth/token: the client-credentials grant as ISC answers it."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from iscctl.sandbox import SandboxServer


def _form(sandbox: SandboxServer, **changes: str) -> dict[str, str]:
    form = {
        "grant_type": "client_credentials",
        "client_id": sandbox.client_id,
        "client_secret": sandbox.client_secret,
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value != "-"}


def test_good_credentials_get_a_bearer_token_with_isc_fields(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    reply = http.post("/oauth/token", data=_form(sandbox))
    body = reply.json()
    assert reply.status_code == 200
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 749
    assert body["scope"] == "sp:scopes:all"
    assert body["access_token"].count(".") == 2  # JWT-looking
    for extra in ("tenant_id", "pod", "strong_auth_supported", "claims_supported", "jti"):
        assert extra in body
    assert reply.headers["cache-control"] == "no-store"
    assert sandbox.state.tokens_issued == 1


def test_each_token_is_different(http: httpx.Client, sandbox: SandboxServer) -> None:
    first = http.post("/oauth/token", data=_form(sandbox)).json()["access_token"]
    second = http.post("/oauth/token", data=_form(sandbox)).json()["access_token"]
    assert first != second


def test_credentials_are_also_accepted_as_query_parameters(
    http: httpx.Client, sandbox: SandboxServer, secret_in_url: None
) -> None:
    reply = http.post("/oauth/token", params=_form(sandbox))
    assert reply.status_code == 200
    assert reply.json()["access_token"]


def test_expires_in_follows_the_configured_ttl(make_sandbox: Callable[..., SandboxServer]) -> None:
    server = make_sandbox(token_ttl=30.0)
    with httpx.Client(base_url=server.base_url) as client:
        reply = client.post("/oauth/token", data=_form(server))
    assert reply.json()["expires_in"] == 30


def test_wrong_secret_is_401_invalid_client(http: httpx.Client, sandbox: SandboxServer) -> None:
    reply = http.post("/oauth/token", data=_form(sandbox, client_secret="wrong"))
    assert reply.status_code == 401
    assert reply.json() == {"error": "invalid_client", "error_description": "Bad credentials"}
    assert sandbox.state.tokens_issued == 0


def test_unknown_client_id_is_401_invalid_client(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    reply = http.post("/oauth/token", data=_form(sandbox, client_id="someone-else"))
    assert reply.status_code == 401
    assert reply.json()["error"] == "invalid_client"


def test_missing_secret_is_401_invalid_client(http: httpx.Client, sandbox: SandboxServer) -> None:
    reply = http.post("/oauth/token", data=_form(sandbox, client_secret="-"))
    assert reply.status_code == 401
    assert reply.json()["error"] == "invalid_client"


def test_wrong_grant_type_is_400_unsupported_grant_type(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    reply = http.post("/oauth/token", data=_form(sandbox, grant_type="password"))
    assert reply.status_code == 400
    assert reply.json()["error"] == "unsupported_grant_type"
    assert "client_credentials" in reply.json()["error_description"]


def test_missing_grant_type_is_400_unsupported_grant_type(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    reply = http.post("/oauth/token", data=_form(sandbox, grant_type="-"))
    assert reply.status_code == 400
    assert reply.json()["error"] == "unsupported_grant_type"


def test_get_on_the_token_endpoint_is_405(http: httpx.Client) -> None:
    assert http.get("/oauth/token").status_code == 405


def test_credentials_are_also_accepted_as_http_basic(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    reply = http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(sandbox.client_id, sandbox.client_secret),
    )
    assert reply.status_code == 200


def test_wrong_http_basic_credentials_are_401(http: httpx.Client, sandbox: SandboxServer) -> None:
    reply = http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(sandbox.client_id, "no")
    )
    assert reply.status_code == 401
    assert reply.json()["error"] == "invalid_client"
