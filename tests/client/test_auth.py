"""OAuth client credentials: cached, refreshed before expiry and on 401, single-flight."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx
import pytest
from iscctl.auth import ClientCredentialsAuth
from iscctl.client import AsyncClient, Client
from iscctl.errors import AuthenticationError
from iscctl.sandbox import SandboxServer

if TYPE_CHECKING:
    from .conftest import Exposure


def test_one_token_serves_many_calls(
    sandbox: SandboxServer, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    for _ in range(5):
        client.process_identities(sandbox.identity_ids[:1])
    assert sandbox.state.tokens_issued == 1
    assert client.stats.token_refreshes == 0


def test_token_expiry_in_the_middle_of_a_run_is_invisible_to_the_caller(
    make_sandbox: Callable[..., SandboxServer], make_client: Callable[..., Client]
) -> None:
    server = make_sandbox(token_max_uses=3)  # every token dies after 3 calls
    client = make_client(server, retry=None)
    tasks = [client.process_identities(server.identity_ids[i : i + 1]) for i in range(10)]
    assert len({task.id for task in tasks}) == 10
    assert client.stats.retries == 0  # the 401s were absorbed by the auth flow
    assert server.state.tokens_issued == 4
    assert client.stats.token_refreshes == 3


def test_expired_token_fault_is_refreshed_once_and_the_call_succeeds(
    sandbox: SandboxServer, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    client.process_identities(sandbox.identity_ids[:1])
    sandbox.faults.add("expire_token", operation="process")
    task = client.process_identities(sandbox.identity_ids[:1])
    assert task.id
    assert sandbox.state.tokens_issued == 2
    statuses = [r.status for r in sandbox.state.requests if r.operation == "process"]
    assert statuses == [202, 401, 202]


def test_many_concurrent_calls_with_an_expired_token_cause_exactly_one_refresh(
    sandbox: SandboxServer, make_async_client: Callable[..., AsyncClient]
) -> None:
    ids = sandbox.identity_ids

    async def run() -> AsyncClient:
        async with make_async_client() as isc:
            await isc.process_identities(ids[:1])
            sandbox.expire_tokens()
            tasks = await asyncio.gather(
                *(isc.process_identities(ids[i : i + 1]) for i in range(1, 41))
            )
            assert len({task.id for task in tasks}) == 40
            return isc

    isc = asyncio.run(run())
    assert sandbox.state.tokens_issued == 2
    assert isc.stats.token_refreshes == 1


def test_many_threads_sharing_a_sync_client_fetch_one_token(
    sandbox: SandboxServer, make_client: Callable[..., Client]
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    client = make_client()
    with ThreadPoolExecutor(8) as pool:
        tasks = list(
            pool.map(lambda i: client.process_identities([sandbox.identity_ids[i]]), range(24))
        )
    assert len(tasks) == 24
    assert sandbox.state.tokens_issued == 1


def test_a_token_is_replaced_before_it_expires_without_a_401(sandbox: SandboxServer) -> None:
    now = [0.0]
    auth = ClientCredentialsAuth(
        f"{sandbox.base_url}/oauth/token",
        sandbox.client_id,
        sandbox.client_secret,
        clock=lambda: now[0],
    )
    body = {"identityIds": sandbox.identity_ids[:1]}
    headers = {"X-SailPoint-Experimental": "true"}
    with httpx.Client(base_url=f"{sandbox.base_url}/v2025", auth=auth) as http:
        assert http.post("/identities/process", json=body, headers=headers).status_code == 202
        now[0] = 749 - 29  # inside the 30 s margin before expires_in (749 s) runs out
        assert http.post("/identities/process", json=body, headers=headers).status_code == 202
    assert sandbox.state.tokens_issued == 2
    assert [r.status for r in sandbox.state.requests if r.operation == "process"] == [202, 202]


def test_refused_credentials_name_the_client_id_and_never_the_secret(
    sandbox: SandboxServer, exposed: Exposure
) -> None:
    with (
        Client(
            base_url=sandbox.base_url, client_id="sandbox-client", client_secret="s3cr3t-from-args"
        ) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.process_identities(sandbox.identity_ids[:1])
    error = caught.value
    exposed.add(error)
    assert error.status == 401
    assert "client_id 'sandbox-client'" in str(error)
    assert "Bad credentials" in str(error)
    assert error.url.endswith("/oauth/token")
    assert sandbox.state.tokens_issued == 0
    token_calls = [r for r in sandbox.state.requests if r.operation == "token"]
    assert len(token_calls) == 1  # a refused credential is not retried


def test_a_5xx_from_the_token_endpoint_is_retried(
    sandbox: SandboxServer, make_client: Callable[..., Client]
) -> None:
    sandbox.faults.add("http_500", operation="token")
    task = make_client().process_identities(sandbox.identity_ids[:1])
    assert task.id
    assert [r.status for r in sandbox.state.requests if r.operation == "token"] == [500, 200]


def test_repr_of_auth_and_token_hide_the_secrets(
    sandbox: SandboxServer, make_client: Callable[..., Client], exposed: Exposure
) -> None:
    client = make_client()
    client.process_identities(sandbox.identity_ids[:1])
    auth = client._core.auth
    token = auth._token
    assert token is not None
    for shown in (repr(auth), repr(token), repr(client), str(client)):
        assert "***" in shown
        exposed.add(shown)


def test_a_401_that_persists_with_a_fresh_token_is_an_authentication_error(
    sandbox: SandboxServer, make_client: Callable[..., Client], exposed: Exposure
) -> None:
    sandbox.faults.add("expire_token", times=2, operation="process")
    with pytest.raises(AuthenticationError) as caught:
        make_client().process_identities(sandbox.identity_ids[:1])
    exposed.add(caught.value)
    assert caught.value.status == 401
    assert "JWT validation failed" in str(caught.value)
    assert [r.status for r in sandbox.state.requests if r.operation == "process"] == [401, 401]
    assert sandbox.state.tokens_issued == 2
