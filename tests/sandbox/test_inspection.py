"""/__sandbox__/: the inspection and control API, and the Python view of the same state."""

from __future__ import annotations

import asyncio

import httpx
from iscctl.sandbox import SandboxServer

PROCESS = "/beta/identities/process"
PROFILE = {
    "self": {"type": "IDENTITY_PROFILE"},
    "object": {"name": "HR", "authoritativeSource": {"name": "HR Workday"}},
}


def _activity(http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]) -> list[str]:
    ids = sandbox.identity_ids[:3]
    http.post(PROCESS, json={"identityIds": ids}, headers=auth)
    http.post(PROCESS, json={"identityIds": ids[:1]}, headers=auth)
    http.post(PROCESS, json={"identityIds": ["unknown"]}, headers=auth)
    http.post("/v3/identity-profiles/import", json=[PROFILE], headers=auth)
    return ids


def test_state_summarises_the_tenant(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    _activity(http, sandbox, auth)
    state = http.get("/__sandbox__/state").json()
    assert state["requestsByStatus"] == {"200": 2, "202": 2, "404": 1}  # token + import = 200s
    assert state["requests"] == 5
    assert state["acceptedBatches"] == 2
    assert state["processedIdentities"] == 3
    assert state["identitiesProcessed"] == 4
    assert state["profiles"] == 1
    assert state["tokensIssued"] == 1
    assert state["identities"] == 2000


def test_processed_batches_and_profiles(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    ids = _activity(http, sandbox, auth)
    assert http.get("/__sandbox__/processed").json() == {ids[0]: 2, ids[1]: 1, ids[2]: 1}
    batches = http.get("/__sandbox__/batches").json()
    assert [b["identityIds"] for b in batches] == [ids, ids[:1]]
    assert batches[0]["taskId"] == sandbox.state.accepted_batches[0].task_id
    assert http.get("/__sandbox__/profiles").json() == sandbox.state.profiles


def test_requests_are_listed_without_query_strings(
    http: httpx.Client, sandbox: SandboxServer, secret_in_url: None
) -> None:
    http.post(
        "/oauth/token",
        params={
            "grant_type": "client_credentials",
            "client_id": sandbox.client_id,
            "client_secret": sandbox.client_secret,
        },
    )
    records = http.get("/__sandbox__/requests").json()
    assert records == [
        {
            "method": "POST",
            "path": "/oauth/token",
            "status": 200,
            "clientId": None,
            "version": None,
            "operation": "token",
            "fault": None,
        }
    ]


def test_api_records_carry_client_and_version(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    http.post(
        "/v2025/identities/process", json={"identityIds": sandbox.identity_ids[:1]}, headers=auth
    )
    record = sandbox.state.requests[-1]
    assert (record.status, record.client_id, record.version, record.operation) == (
        202,
        sandbox.client_id,
        "v2025",
        "process",
    )


def test_identities_are_paged(http: httpx.Client, sandbox: SandboxServer) -> None:
    page = http.get("/__sandbox__/identities", params={"offset": 10, "limit": 5}).json()
    assert page["total"] == 2000
    assert page["identityIds"] == sandbox.identity_ids[10:15]
    assert [s["name"] for s in page["sources"]] == sandbox.source_names


def test_bad_paging_is_400(http: httpx.Client) -> None:
    reply = http.get("/__sandbox__/identities", params={"limit": "-1"})
    assert reply.status_code == 400
    assert "limit" in reply.json()["error"]


def test_reset_forgets_everything(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    _activity(http, sandbox, auth)
    sandbox.faults.add("http_500")
    assert http.post("/__sandbox__/reset").status_code == 200
    assert sandbox.state.process_counts == {}
    assert sandbox.state.accepted_batches == []
    assert sandbox.state.requests == []
    assert sandbox.state.profiles == {}
    assert sandbox.state.tokens_issued == 0
    assert sandbox.faults.pending == []
    # tokens were forgotten too: the old one is refused
    reply = http.post(PROCESS, json={"identityIds": sandbox.identity_ids[:1]}, headers=auth)
    assert reply.status_code == 401


def test_inspection_calls_are_not_recorded_as_isc_requests(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    http.get("/__sandbox__/state")
    http.get("/__sandbox__/nothing-here")
    assert sandbox.state.requests == []


def test_state_copies_cannot_change_the_tenant(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    _activity(http, sandbox, auth)
    sandbox.state.profiles["HR"]["name"] = "changed"
    sandbox.state.process_counts.clear()
    assert sandbox.state.profiles["HR"]["name"] == "HR"
    assert sandbox.state.process_counts


def test_inspection_refuses_clients_that_are_not_on_loopback(sandbox: SandboxServer) -> None:
    # A remote peer cannot be arranged on a loopback-only machine: the app is called directly.
    from iscctl.sandbox.app import build_app

    async def from_afar() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=build_app(sandbox.tenant), client=("192.0.2.7", 4000))
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as remote:
            refused = await remote.post("/__sandbox__/reset")
            isc_path = await remote.post("/oauth/token", data={"grant_type": "client_credentials"})
        return refused, isc_path

    refused, isc_path = asyncio.run(from_afar())
    assert refused.status_code == 403
    assert "loopback" in refused.json()["error"]
    assert isc_path.status_code == 401  # the ISC paths themselves serve anyone
