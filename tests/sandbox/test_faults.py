"""Every fault kind, its matching rules, and the ways to plan one."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from iscctl.sandbox import Fault, SandboxServer
from iscctl.sandbox.faults import parse_fault_spec, parse_fault_specs

PROCESS = "/beta/identities/process"
IMPORT = "/beta/identity-profiles/import"
PROFILE = {
    "version": 1,
    "self": {"type": "IDENTITY_PROFILE", "name": "HR"},
    "object": {"name": "HR", "authoritativeSource": {"type": "SOURCE", "name": "HR Workday"}},
}


def process(http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]) -> httpx.Response:
    return http.post(PROCESS, json={"identityIds": sandbox.identity_ids[:2]}, headers=auth)


def import_(http: httpx.Client, auth: dict[str, str], items: Any = None) -> httpx.Response:
    return http.post(IMPORT, json=[PROFILE] if items is None else items, headers=auth)


# -- refusing faults: an error reply and nothing processed -------------------------


def test_http_500_answers_an_error_response_dto_and_processes_nothing(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("http_500", times=2)
    statuses = [process(http, sandbox, auth).status_code for _ in range(3)]
    assert statuses == [500, 500, 202]
    assert len(sandbox.state.accepted_batches) == 1


def test_http_500_body_is_an_error_response_dto(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("http_500")
    body = process(http, sandbox, auth).json()
    assert body["detailCode"].startswith("500")
    assert len(body["trackingId"]) == 32
    assert body["messages"][0]["text"]


def test_after_lets_matching_requests_through_first(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("http_500", after=2)
    statuses = [process(http, sandbox, auth).status_code for _ in range(4)]
    assert statuses == [202, 202, 500, 202]


def test_a_fault_for_one_operation_leaves_the_other_alone(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("http_500", operation="import")
    assert process(http, sandbox, auth).status_code == 202
    assert import_(http, auth).status_code == 500
    assert sandbox.state.profiles == {}


def test_an_operation_less_fault_spares_the_token_endpoint(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("http_500")
    token = http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": sandbox.client_id,
            "client_secret": sandbox.client_secret,
        },
    )
    assert token.status_code == 200
    assert import_(http, auth).status_code == 500


def test_token_faults_apply_when_asked_for(http: httpx.Client, sandbox: SandboxServer) -> None:
    sandbox.faults.add("http_503", operation="token")
    form = {
        "grant_type": "client_credentials",
        "client_id": sandbox.client_id,
        "client_secret": sandbox.client_secret,
    }
    assert http.post("/oauth/token", data=form).status_code == 503
    assert http.post("/oauth/token", data=form).status_code == 200
    assert sandbox.state.tokens_issued == 1


def test_http_503_answers_html_not_json(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("http_503")
    reply = process(http, sandbox, auth)
    assert reply.status_code == 503
    assert reply.headers["content-type"].startswith("text/html")
    assert reply.text.lstrip().startswith("<html>")
    assert sandbox.state.accepted_batches == []


def test_drop_connection_closes_before_any_reply(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("drop_connection")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        process(http, sandbox, auth)
    assert sandbox.state.accepted_batches == []
    assert sandbox.state.requests[-1].status is None
    assert sandbox.state.requests[-1].fault == "drop_connection"
    assert process(http, sandbox, auth).status_code == 202  # the next request is served


def test_rate_limit_fault_answers_429_with_the_chosen_retry_after(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("rate_limit", retry_after=7)
    reply = process(http, sandbox, auth)
    assert reply.status_code == 429
    assert reply.headers["retry-after"] == "7"
    assert reply.json() == {"message": " Rate Limit Exceeded "}
    assert sandbox.state.accepted_batches == []


def test_expire_token_answers_401_expired(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("expire_token")
    reply = process(http, sandbox, auth)
    assert reply.status_code == 401
    assert reply.json() == {"error": "JWT validation failed: JWT is expired"}
    assert sandbox.state.accepted_batches == []


# -- shaping faults: processed normally, the reply bent ---------------------------


def test_slow_still_processes_normally(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("slow", seconds=0.05)
    reply = process(http, sandbox, auth)
    assert reply.status_code == 202
    assert len(sandbox.state.accepted_batches) == 1
    assert sandbox.state.requests[-1].fault == "slow"


def test_null_strings_in_a_task_result(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("null_strings")
    reply = process(http, sandbox, auth)
    assert reply.status_code == 202
    assert reply.json()["type"] is None
    assert reply.json()["id"] == sandbox.state.accepted_batches[0].task_id


def test_null_strings_in_an_import_result(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("null_strings", operation="import")
    ghost = {**PROFILE, "object": {"name": "G", "authoritativeSource": {"name": "nope"}}}
    body = import_(http, auth, [PROFILE, ghost]).json()
    assert body["importedObjects"][0]["name"] is None
    assert body["errors"][0]["text"] is None
    assert "HR" in sandbox.state.profiles


def test_unknown_enums_in_an_import_result(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("unknown_enums")
    body = import_(http, auth).json()
    assert body["importedObjects"][0]["type"] == "FUTURE_TYPE"
    assert "HR" in sandbox.state.profiles


def test_unknown_enums_in_an_error_response(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("unknown_enums")
    reply = http.post(PROCESS, json={"identityIds": ["nobody"]}, headers=auth)
    assert reply.status_code == 404
    assert reply.json()["messages"][0]["localeOrigin"] == "BROWSER"


def test_extra_fields_at_several_levels(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("extra_fields", times=2)
    task = process(http, sandbox, auth).json()
    result = import_(http, auth).json()
    assert "sandboxFutureField" in task
    assert "sandboxFutureField" in result
    assert "sandboxFutureField" in result["importedObjects"][0]
    assert len(sandbox.state.accepted_batches) == 1
    assert "HR" in sandbox.state.profiles


def test_faults_of_both_families_combine(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("extra_fields")
    sandbox.faults.add("http_500")
    reply = process(http, sandbox, auth)
    assert reply.status_code == 500
    assert "sandboxFutureField" in reply.json()


# -- planning faults ----------------------------------------------------------------


def test_faults_from_settings_apply_from_the_start(
    make_sandbox: Callable[..., SandboxServer],
) -> None:
    server = make_sandbox(faults=[Fault("http_503", operation="token")])
    with httpx.Client(base_url=server.base_url) as client:
        reply = client.post("/oauth/token", data={"grant_type": "client_credentials"})
    assert reply.status_code == 503


def test_clear_removes_planned_faults(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("http_500", times=5)
    sandbox.faults.clear()
    assert process(http, sandbox, auth).status_code == 202


def test_pending_counts_down(
    sandbox: SandboxServer, http: httpx.Client, auth: dict[str, str]
) -> None:
    sandbox.faults.add("http_500", times=3, after=1)
    process(http, sandbox, auth)
    process(http, sandbox, auth)
    assert [(f.times, f.after) for f in sandbox.faults.pending] == [(2, 0)]


def test_faults_over_http(http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]) -> None:
    planned = http.post(
        "/__sandbox__/faults",
        json=[{"kind": "http_500", "operation": "process"}, {"kind": "slow", "seconds": 0}],
    )
    assert planned.status_code == 200
    assert [f["kind"] for f in planned.json()] == ["http_500", "slow"]
    assert process(http, sandbox, auth).status_code == 500
    assert http.delete("/__sandbox__/faults").json() == []
    assert sandbox.faults.pending == []


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"kind": "explode"}, "unknown fault kind 'explode'"),
        ({"times": 2}, "a fault needs a kind"),
        ({"kind": "http_500", "times": 0}, "times"),
        ({"kind": "http_500", "color": "red"}, "unknown fault field(s) color"),
        ({"kind": "http_500", "operation": "delete"}, "operation"),
    ],
)
def test_bad_faults_over_http_are_400_saying_why(
    http: httpx.Client, payload: dict[str, Any], message: str
) -> None:
    reply = http.post("/__sandbox__/faults", json=payload)
    assert reply.status_code == 400
    assert message in reply.json()["error"]


def test_parse_fault_spec() -> None:
    assert parse_fault_spec("http_500") == Fault("http_500")
    assert parse_fault_spec("rate_limit:times=2,operation=import,after=1,retry_after=5") == Fault(
        "rate_limit", times=2, operation="import", after=1, retry_after=5
    )
    assert parse_fault_spec(" slow : seconds=0.5 ") == Fault("slow", seconds=0.5)
    assert parse_fault_specs("http_500;;drop_connection:after=3") == [
        Fault("http_500"),
        Fault("drop_connection", after=3),
    ]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("boom", "unknown fault kind 'boom'"),
        ("http_500:times=x", "times must be a whole number"),
        ("http_500:times", "is not key=value"),
        ("http_500:colour=red", "is not key=value"),
        ("http_500:times=0", "times"),
        ("expire_token:operation=token", "cannot apply to the token operation"),
    ],
)
def test_bad_fault_specs_say_what_is_wrong(spec: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_fault_spec(spec)
    assert message in str(raised.value)


def test_a_slow_request_overtaken_by_a_reset_changes_nothing(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    """A test that gave up on a slow reply must not leak a batch into the next test."""
    sandbox.faults.add("slow", seconds=0.5)
    replies: list[httpx.Response] = []
    worker = threading.Thread(target=lambda: replies.append(process(http, sandbox, auth)))
    worker.start()
    while sandbox.faults.pending:  # the request has taken the fault and is sleeping
        time.sleep(0.005)
    sandbox.reset()
    worker.join()
    assert replies[0].status_code == 503
    assert sandbox.state.accepted_batches == []
    assert sandbox.state.requests == []


def test_a_slow_call_is_processed_even_if_the_client_gave_up(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    sandbox.faults.add("slow", seconds=0.3)
    with pytest.raises(httpx.ReadTimeout):
        http.post(
            PROCESS, json={"identityIds": sandbox.identity_ids[:2]}, headers=auth, timeout=0.05
        )
    deadline = time.monotonic() + 10
    while not sandbox.state.accepted_batches and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(sandbox.state.accepted_batches) == 1


def test_deeply_nested_json_to_the_faults_endpoint_is_400(http: httpx.Client) -> None:
    reply = http.post("/__sandbox__/faults", content=b"[" * 100_000 + b"]" * 100_000)
    assert reply.status_code == 400


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"kind": "http_500", "times": "2"}, "times must be a whole number, not '2'"),
        ({"kind": "http_500", "times": 2.5}, "times must be a whole number, not 2.5"),
        ({"kind": "http_500", "after": True}, "after must be a whole number, not True"),
        ({"kind": "slow", "seconds": "long"}, "seconds must be a number, not 'long'"),
    ],
)
def test_fault_fields_of_the_wrong_type_are_refused(
    http: httpx.Client, payload: dict[str, Any], message: str
) -> None:
    reply = http.post("/__sandbox__/faults", json=payload)
    assert reply.status_code == 400
    assert message in reply.json()["error"]
