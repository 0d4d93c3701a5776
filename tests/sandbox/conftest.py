"""Fixtures for the sandbox's own tests: a plain httpx client and a valid token."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from iscctl.sandbox import SandboxServer


def fetch_token(http: httpx.Client, sandbox: SandboxServer) -> str:
    reply = http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": sandbox.client_id,
            "client_secret": sandbox.client_secret,
        },
    )
    assert reply.status_code == 200, reply.text
    token: str = reply.json()["access_token"]
    return token


@pytest.fixture
def http(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.base_url, timeout=10) as client:
        yield client


@pytest.fixture
def auth(http: httpx.Client, sandbox: SandboxServer) -> dict[str, str]:
    """Headers with a fresh bearer token (and the experimental header, harmless in beta)."""
    token = fetch_token(http, sandbox)
    return {"Authorization": f"Bearer {token}", "X-SailPoint-Experimental": "true"}
