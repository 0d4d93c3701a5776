"""Bearer tokens on the API paths: 401 bodies, expiry, and where auth sits among the checks."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from iscctl.sandbox import RateLimit, SandboxServer

from .conftest import fetch_token

PROCESS = "/beta/identities/process"


def _body(sandbox: SandboxServer) -> dict[str, list[str]]:
    return {"identityIds": sandbox.identity_ids[:2]}


def test_missing_bearer_token_is_401_jwt_validation_failed(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    reply = http.post(PROCESS, json=_body(sandbox))
    assert reply.status_code == 401
    assert reply.json()["error"].startswith("JWT validation failed:")
    assert sandbox.state.process_counts == {}


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Token abc", "token-without-scheme"])
def test_malformed_authorization_is_401(
    http: httpx.Client, sandbox: SandboxServer, header: str
) -> None:
    reply = http.post(PROCESS, json=_body(sandbox), headers={"Authorization": header})
    assert reply.status_code == 401
    assert reply.json()["error"].startswith("JWT validation failed:")


def test_unknown_token_is_401(http: httpx.Client, sandbox: SandboxServer) -> None:
    reply = http.post(PROCESS, json=_body(sandbox), headers={"Authorization": "Bearer a.b.c"})
    assert reply.status_code == 401
    assert "expired" not in reply.json()["error"]


def test_expired_token_is_401_saying_expired(http: httpx.Client, sandbox: SandboxServer) -> None:
    token = fetch_token(http, sandbox)
    sandbox.expire_tokens()
    reply = http.post(PROCESS, json=_body(sandbox), headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 401
    assert reply.json() == {"error": "JWT validation failed: JWT is expired"}
    assert sandbox.state.process_counts == {}


def test_a_new_token_works_after_tokens_expired(http: httpx.Client, sandbox: SandboxServer) -> None:
    fetch_token(http, sandbox)
    sandbox.expire_tokens()
    token = fetch_token(http, sandbox)
    reply = http.post(PROCESS, json=_body(sandbox), headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 202


def test_token_expires_after_max_uses(make_sandbox: Callable[..., SandboxServer]) -> None:
    server = make_sandbox(token_max_uses=2)
    with httpx.Client(base_url=server.base_url) as client:
        headers = {"Authorization": f"Bearer {fetch_token(client, server)}"}
        statuses = [
            client.post(PROCESS, json=_body(server), headers=headers).status_code for _ in range(3)
        ]
        last = client.post(PROCESS, json=_body(server), headers=headers)
    assert statuses == [202, 202, 401]
    assert last.json() == {"error": "JWT validation failed: JWT is expired"}


def test_token_expires_after_its_ttl(make_sandbox: Callable[..., SandboxServer]) -> None:
    server = make_sandbox(token_ttl=0.05)
    with httpx.Client(base_url=server.base_url) as client:
        headers = {"Authorization": f"Bearer {fetch_token(client, server)}"}
        time.sleep(0.1)
        reply = client.post(PROCESS, json=_body(server), headers=headers)
    assert reply.status_code == 401
    assert reply.json() == {"error": "JWT validation failed: JWT is expired"}


def test_auth_is_checked_before_the_experimental_header_and_body(
    http: httpx.Client,
) -> None:
    reply = http.post("/v2025/identities/process", content=b"not json")
    assert reply.status_code == 401


def test_requests_refused_with_401_do_not_use_up_the_rate_limit(
    make_sandbox: Callable[..., SandboxServer],
) -> None:
    server = make_sandbox(rate_limit=RateLimit(requests=2, seconds=60))
    with httpx.Client(base_url=server.base_url) as client:
        for _ in range(5):
            assert client.post(PROCESS, json=_body(server)).status_code == 401
        headers = {"Authorization": f"Bearer {fetch_token(client, server)}"}
        statuses = [
            client.post(PROCESS, json=_body(server), headers=headers).status_code for _ in range(3)
        ]
    assert statuses == [202, 202, 429]
