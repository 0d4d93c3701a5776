"""Fixtures for the sandbox's own tests: a plain httpx client and a valid token."""

from __future__ import annotations

import logging
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


class _ErrorCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(("uvicorn", "iscctl")):
            self.messages.append(record.getMessage())


@pytest.fixture(autouse=True)
def _no_server_errors(_shared_sandbox: SandboxServer) -> Iterator[None]:
    """Every sandbox test also checks that the server logged no error (no traceback).

    Servers log an exception after they have answered, so the check first makes
    one more round trip to the shared server; `make_sandbox` servers are stopped
    (and so done logging) before this fixture's teardown.
    """
    collector = _ErrorCollector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield
        httpx.get(f"{_shared_sandbox.inspection_url}/state", timeout=10)
    finally:
        root.removeHandler(collector)
    assert collector.messages == [], collector.messages
