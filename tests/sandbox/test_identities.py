"""GET /identities and GET /identities/{id}: shapes, filters, paging, versions (#15.4)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from iscctl.sandbox import RateLimit, SandboxServer

from .conftest import fetch_token

IDENTITY_KEYS = {
    "id", "name", "created", "modified", "alias", "emailAddress", "processingState",
    "identityStatus", "managerRef", "isManager", "lastRefresh", "attributes", "lifecycleState",
}  # fmt: skip
IDENTITY_STATUSES = {
    "UNREGISTERED", "REGISTERED", "PENDING", "WARNING", "DISABLED", "ACTIVE", "DEACTIVATED",
    "TERMINATED", "ERROR", "LOCKED",
}  # fmt: skip


@pytest.fixture
def bearer(http: httpx.Client, sandbox: SandboxServer) -> dict[str, str]:
    """Only the token: none of these operations takes the experimental header."""
    return {"Authorization": f"Bearer {fetch_token(http, sandbox)}"}


def listed(http: httpx.Client, bearer: dict[str, str], **params: str | int) -> httpx.Response:
    return http.get("/v2025/identities", params=params, headers=bearer)


def test_an_identity_carries_the_documented_fields(
    http: httpx.Client, sandbox: SandboxServer, bearer: dict[str, str]
) -> None:
    reply = listed(http, bearer, limit=20)
    assert reply.status_code == 200
    identities = reply.json()
    assert [identity["id"] for identity in identities] == sandbox.identity_ids[:20]
    for identity in identities:
        assert set(identity) == IDENTITY_KEYS
        assert identity["identityStatus"] in IDENTITY_STATUSES
        assert identity["processingState"] is None  # never processed yet
        assert identity["lastRefresh"].endswith("Z")
        assert set(identity["lifecycleState"]) == {"stateName", "manuallyUpdated"}
        assert {"department", "cloudLifecycleState", "identityProfile"} <= set(
            identity["attributes"]
        )
    managed = [identity for identity in identities if identity["managerRef"]]
    assert managed and all(m["managerRef"]["type"] == "IDENTITY" for m in managed)
    assert any(identity["isManager"] for identity in identities)


def test_the_same_seed_gives_the_same_people(
    http: httpx.Client, bearer: dict[str, str], make_sandbox: Callable[..., SandboxServer]
) -> None:
    first = listed(http, bearer, limit=5).json()
    other = make_sandbox()
    with httpx.Client(base_url=other.base_url) as client:
        token = {"Authorization": f"Bearer {fetch_token(client, other)}"}
        again = client.get("/v2025/identities", params={"limit": 5}, headers=token).json()
    assert [(i["id"], i["name"], i["attributes"]) for i in first] == [
        (i["id"], i["name"], i["attributes"]) for i in again
    ]


def test_get_one_identity_and_404_for_an_unknown_one(
    http: httpx.Client, sandbox: SandboxServer, bearer: dict[str, str]
) -> None:
    identity_id = sandbox.identity_ids[7]
    reply = http.get(f"/v2025/identities/{identity_id}", headers=bearer)
    assert reply.status_code == 200
    assert reply.json()["id"] == identity_id
    assert set(reply.json()) == IDENTITY_KEYS
    missing = http.get("/v2025/identities/0123456789abcdef0123456789abcdef", headers=bearer)
    assert missing.status_code == 404
    assert missing.json()["detailCode"] == "404 Not found"


@pytest.mark.parametrize(
    "path",
    [
        "/beta/identities",
        "/v2024/identities",
        "/v2025/identities",
        "/v2026/identities",
        "/identities/v1",
    ],
)
def test_every_version_that_has_the_list_serves_it(
    http: httpx.Client, bearer: dict[str, str], path: str
) -> None:
    assert http.get(path, params={"limit": 1}, headers=bearer).status_code == 200


def test_v3_has_no_identities(http: httpx.Client, bearer: dict[str, str]) -> None:
    assert http.get("/v3/identities", headers=bearer).status_code == 404


def test_without_a_token_it_is_401(http: httpx.Client) -> None:
    assert http.get("/v2025/identities").status_code == 401


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ('id eq "{0}"', lambda ids: ids[:1]),
        ('id in ("{0}","{1}","{2}")', lambda ids: ids[:3]),
        ('processingState eq "ERROR"', lambda ids: []),
    ],
)
def test_filters_by_id_and_processing_state(
    http: httpx.Client,
    sandbox: SandboxServer,
    bearer: dict[str, str],
    filters: str,
    expected: Callable[[list[str]], list[str]],
) -> None:
    ids = sandbox.identity_ids
    reply = listed(http, bearer, filters=filters.format(*ids[:3]))
    assert reply.status_code == 200
    assert [identity["id"] for identity in reply.json()] == expected(ids)


def test_filters_by_name_eq_and_sw(
    http: httpx.Client, sandbox: SandboxServer, bearer: dict[str, str]
) -> None:
    record = sandbox.directory.records[3]
    by_name = listed(http, bearer, filters=f'name eq "{record.name.upper()}"').json()
    assert record.id in [identity["id"] for identity in by_name]
    assert all(identity["name"] == record.name for identity in by_name)
    prefix = record.name[:3]
    starting = listed(http, bearer, filters=f'name sw "{prefix}"', count="true")
    expected = [r.id for r in sandbox.directory.records if r.name.startswith(prefix)]
    assert int(starting.headers["x-total-count"]) == len(expected)
    assert [identity["id"] for identity in starting.json()] == expected[:250]


@pytest.mark.parametrize(
    ("params", "cause"),
    [
        ({"filters": 'lastRefresh gt "2026-01-01"'}, "lastRefresh cannot be filtered here"),
        ({"filters": 'id sw "ab"'}, "id does not take the sw operator"),
        ({"filters": 'id EQ "a"'}, "operators are lowercase"),
        ({"limit": 251}, "limit: must be at most 250"),
        ({"limit": -1}, "limit: must be 0 or more"),
        ({"offset": "x"}, "offset: must be a whole number"),
        ({"count": "yes"}, "count: must be true or false"),
        ({"sorters": "lastRefresh"}, "cannot sort by 'lastRefresh'"),
        ({"defaultFilter": "ALL"}, "defaultFilter: must be CORRELATED_ONLY or NONE"),
    ],
)
def test_what_isc_refuses_is_a_400_naming_it(
    http: httpx.Client, bearer: dict[str, str], params: dict[str, str | int], cause: str
) -> None:
    reply = listed(http, bearer, **params)
    assert reply.status_code == 400
    assert reply.json()["detailCode"] == "400.1 Bad Request Content"
    assert cause in reply.json()["causes"][0]["text"]


def test_limit_offset_and_count_page_through_everything(
    http: httpx.Client, sandbox: SandboxServer, bearer: dict[str, str]
) -> None:
    seen: list[str] = []
    offset = 0
    while True:
        reply = listed(http, bearer, limit=250, offset=offset, count="true")
        assert reply.headers["x-total-count"] == str(len(sandbox.identity_ids))
        page = [identity["id"] for identity in reply.json()]
        seen += page
        if len(page) < 250:
            break
        offset += 250
    assert seen == sandbox.identity_ids
    assert "x-total-count" not in listed(http, bearer, limit=1).headers


def test_default_filter_none_and_correlated_only_both_answer(
    http: httpx.Client, bearer: dict[str, str]
) -> None:
    # Every seeded identity is correlated, so both give everyone.
    none = listed(http, bearer, defaultFilter="NONE", count="true")
    correlated = listed(http, bearer, defaultFilter="CORRELATED_ONLY", count="true")
    assert none.headers["x-total-count"] == correlated.headers["x-total-count"]


def test_sorters_order_by_name_both_ways(http: httpx.Client, bearer: dict[str, str]) -> None:
    up = [i["name"].casefold() for i in listed(http, bearer, sorters="name", limit=250).json()]
    down = [i["name"].casefold() for i in listed(http, bearer, sorters="-name", limit=250).json()]
    assert up == sorted(up)
    assert down == sorted(down, reverse=True)


def test_reads_count_against_the_rate_limit(make_sandbox: Callable[..., SandboxServer]) -> None:
    server = make_sandbox(rate_limit=RateLimit(requests=2, seconds=60))
    with httpx.Client(base_url=server.base_url) as client:
        headers = {"Authorization": f"Bearer {fetch_token(client, server)}"}
        statuses = [
            client.get("/v2025/identities", params={"limit": 1}, headers=headers).status_code
            for _ in range(3)
        ]
        other_version = client.get("/v2024/identities", params={"limit": 1}, headers=headers)
    assert statuses == [200, 200, 429]
    assert other_version.status_code == 200  # each version is its own bucket


def test_a_planned_fault_can_hit_the_identity_reads(
    http: httpx.Client, sandbox: SandboxServer, bearer: dict[str, str]
) -> None:
    sandbox.faults.add("http_500", operation="identities")
    assert listed(http, bearer).status_code == 500
    assert listed(http, bearer).status_code == 200
