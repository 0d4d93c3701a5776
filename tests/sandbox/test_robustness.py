"""Bad input never gets a 500, and secrets never reach logs, reprs or recorded requests."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from iscctl.sandbox import SandboxServer, SandboxSettings

from .conftest import fetch_token

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=15), children, max_size=5)
    ),
    max_leaves=30,
)
# Bodies near the real shapes find more than uniform noise.
process_bodies = json_values | st.fixed_dictionaries({"identityIds": json_values})
profile_items = st.fixed_dictionaries(
    {},
    optional={
        "version": json_values,
        "self": st.fixed_dictionaries({}, optional={"type": st.text(max_size=20) | json_values}),
        "object": st.fixed_dictionaries(
            {}, optional={"name": json_values, "authoritativeSource": json_values}
        )
        | json_values,
    },
)
import_bodies = json_values | st.lists(profile_items, max_size=4)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same bodies on every run: a failure reproduces
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(body=process_bodies)
def test_any_json_to_process_is_answered_without_a_server_error(
    http: httpx.Client, auth: dict[str, str], body: Any
) -> None:
    reply = http.post("/v2025/identities/process", json=body, headers=auth)
    assert reply.status_code in {202, 400, 404}, reply.text


@FUZZ
@given(body=import_bodies)
def test_any_json_to_import_is_answered_without_a_server_error(
    http: httpx.Client, auth: dict[str, str], body: Any
) -> None:
    reply = http.post("/v2025/identity-profiles/import", json=body, headers=auth)
    assert reply.status_code in {200, 400}, reply.text


@FUZZ
@given(raw=st.binary(max_size=200))
def test_any_bytes_are_answered_without_a_server_error(
    http: httpx.Client, auth: dict[str, str], raw: bytes
) -> None:
    headers = {**auth, "Content-Type": "application/json"}
    for path in ("/beta/identities/process", "/beta/identity-profiles/import"):
        reply = http.post(path, content=raw, headers=headers)
        assert reply.status_code in {200, 202, 400, 404}, reply.text
    token = http.post("/oauth/token", content=raw)
    assert token.status_code in {200, 400, 401}


def test_logs_reprs_and_records_never_hold_secrets_or_tokens(
    http: httpx.Client,
    sandbox: SandboxServer,
    caplog: pytest.LogCaptureFixture,
    secret_in_url: None,
) -> None:
    caplog.set_level(logging.DEBUG)
    form = {
        "grant_type": "client_credentials",
        "client_id": sandbox.client_id,
        "client_secret": sandbox.client_secret,
    }
    tokens = [fetch_token(http, sandbox)]
    tokens.append(http.post("/oauth/token", params=form).json()["access_token"])
    http.post("/oauth/token", params={**form, "client_secret": "almost-" + sandbox.client_secret})
    headers = {"Authorization": f"Bearer {tokens[0]}"}
    http.post("/beta/identities/process", json={"identityIds": ["nobody"]}, headers=headers)
    sandbox.expire_tokens()
    http.post("/beta/identities/process", json={"identityIds": ["nobody"]}, headers=headers)
    sandbox.faults.add("drop_connection")
    with pytest.raises(httpx.TransportError):
        http.post("/beta/identities/process", json={"identityIds": ["x"]}, headers=headers)

    # What the server side logged (httpx, the client here, logs its own URLs).
    server_log = "\n".join(
        record.getMessage()
        for record in caplog.records
        if record.name.startswith(("iscctl.sandbox", "uvicorn", "starlette", "asyncio"))
    )
    assert "/oauth/token" in server_log  # the sandbox did log: the check below is not vacuous
    seen = "\n".join(
        [
            server_log,
            repr(sandbox),
            repr(sandbox.settings),
            repr(SandboxSettings(client_secret="another-secret")),
            repr(sandbox.state.requests),
            http.get("/__sandbox__/requests").text,
            http.get("/__sandbox__/state").text,
        ]
    )
    for secret in [sandbox.client_secret, "another-secret", *tokens]:
        assert secret not in seen
