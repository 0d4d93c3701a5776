"""POST /search over the identities index: query syntax, paging, sorting, refusals (#15.4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from iscctl.sandbox import SandboxServer
from iscctl.sandbox.directory import IdentityRecord

from .conftest import fetch_token


@pytest.fixture
def bearer(http: httpx.Client, sandbox: SandboxServer) -> dict[str, str]:
    return {"Authorization": f"Bearer {fetch_token(http, sandbox)}"}


def search(
    http: httpx.Client,
    bearer: dict[str, str],
    query: str,
    path: str = "/v2025/search",
    params: dict[str, Any] | None = None,
    **body: Any,
) -> httpx.Response:
    payload = {"indices": ["identities"], "query": {"query": query}, **body}
    return http.post(path, json=payload, params=params or {}, headers=bearer)


def ids_of(reply: httpx.Response) -> list[str]:
    assert reply.status_code == 200, reply.text
    return [document["id"] for document in reply.json()]


def expected(sandbox: SandboxServer, keep: Callable[[IdentityRecord], bool]) -> list[str]:
    return [record.id for record in sandbox.directory.records if keep(record)]


@pytest.mark.parametrize(
    ("query", "keep"),
    [
        ("*", lambda r: True),
        ('attributes.department:"Engineering"', lambda r: r.department == "Engineering"),
        ("attributes.department:engineering", lambda r: r.department == "Engineering"),
        (
            'attributes.department:"Engineering" AND lifecycleState:active',
            lambda r: r.department == "Engineering" and r.lifecycle_state == "active",
        ),
        (
            "attributes.department:Sales OR attributes.department:Legal",
            lambda r: r.department in {"Sales", "Legal"},
        ),
        (
            "attributes.department:(Sales OR Legal) AND NOT attributes.location:Berlin",
            lambda r: r.department in {"Sales", "Legal"} and r.location != "Berlin",
        ),
        ("-lifecycleState:active", lambda r: r.lifecycle_state != "active"),
        ('identityProfile.name:"Contractors"', lambda r: r.profile.name == "Contractors"),
        ("name:Ad*", lambda r: r.name.lower().startswith("ad")),
        ("email:*.berg1??@example.com", lambda r: r.last_name == "Berg" and 100 <= r.index < 200),
        ("status:DISABLED", lambda r: r.identity_status == "DISABLED"),
        ("inactive:true", lambda r: r.lifecycle_state != "active"),
        ("attributes.favouriteColour:blue", lambda r: False),
    ],
)  # fmt: skip
def test_queries_select_exactly_the_matching_identities(
    http: httpx.Client,
    sandbox: SandboxServer,
    bearer: dict[str, str],
    query: str,
    keep: Callable[[IdentityRecord], bool],
) -> None:
    want = expected(sandbox, keep)
    assert want or "favouriteColour" in query  # a test that matches nothing proves little
    reply = search(http, bearer, query, params={"limit": 10000, "count": "true"})
    assert ids_of(reply) == want
    assert reply.headers["x-total-count"] == str(len(want))


def test_date_ranges_inclusive_exclusive_and_open(
    http: httpx.Client, sandbox: SandboxServer, bearer: dict[str, str]
) -> None:
    records = sandbox.directory.records
    low, high = records[10].created, records[20].created
    inclusive = search(http, bearer, f'created:["{low}" TO "{high}"]', params={"limit": 10000})
    assert ids_of(inclusive) == [r.id for r in records[10:21]]
    exclusive = search(http, bearer, f'created:{{"{low}" TO "{high}"}}', params={"limit": 10000})
    assert ids_of(exclusive) == [r.id for r in records[11:20]]
    open_end = search(http, bearer, f'created:["{high}" TO *]', params={"limit": 10000})
    assert ids_of(open_end) == [r.id for r in records[20:]]
    day = records[0].created[:10]
    whole_day = search(http, bearer, f"created:{day}", params={"limit": 10000})
    assert ids_of(whole_day) == [r.id for r in records if r.created.startswith(day)]


@pytest.mark.parametrize(
    ("query", "cause"),
    [
        ("engineering", "names no field"),
        ("name:ada name:ben", "join them with AND or OR"),
        ("name:ada~1", "fuzzy matching"),
        ("name:ada^2", "boosts"),
        ("name:/ad.*/", "regular expressions"),
        ('"ada berg"~3', "proximity"),
        ("nickname:ada", "unknown field 'nickname'"),
        ("name:[a TO c]", "ranges work on dates and numbers"),
        ("created:[now-1d TO *]", "date math"),
        ("name:ada AND", "cannot parse"),
        ("", "empty"),
    ],
)
def test_unsupported_queries_are_400_never_a_silent_wrong_match(
    http: httpx.Client, bearer: dict[str, str], query: str, cause: str
) -> None:
    reply = search(http, bearer, query)
    assert reply.status_code == 400
    assert reply.json()["detailCode"] == "400.1 Bad Request Content"
    assert cause in reply.json()["causes"][0]["text"]


@pytest.mark.parametrize(
    ("body", "params", "cause"),
    [
        ({"queryType": "DSL"}, {}, "queryType: only SAILPOINT"),
        ({"indices": ["accounts"]}, {}, "only the identities index"),
        ({"aggregations": {"x": 1}}, {}, "aggregations: not supported"),
        ({"query": {"query": "*", "fields": "name"}}, {}, "query.fields: not supported"),
        ({"query": {"query": "*", "timeZone": "Europe/Paris"}}, {}, "UTC only"),
        ({"query": {}}, {}, "query.query: required"),
        ({"searchAfter": ["x"]}, {}, "searchAfter: needs sort"),
        ({"sort": ["id"], "searchAfter": ["x", "y"]}, {}, "2 values for 1 sort fields"),
        ({"sort": ["nickname"]}, {}, "cannot sort by 'nickname'"),
        ({}, {"limit": 10001}, "limit: must be at most 10000"),
        ({}, {"offset": 9000, "limit": 2000}, "the result window"),
    ],
)
def test_unsupported_search_bodies_and_parameters_are_400(
    http: httpx.Client,
    bearer: dict[str, str],
    body: dict[str, Any],
    params: dict[str, Any],
    cause: str,
) -> None:
    payload: dict[str, Any] = {"indices": ["identities"], "query": {"query": "*"}, **body}
    reply = http.post("/v2025/search", json=payload, params=params, headers=bearer)
    assert reply.status_code == 400
    assert cause in reply.json()["causes"][0]["text"]


def test_search_after_pages_through_everything_in_sort_order(
    http: httpx.Client, sandbox: SandboxServer, bearer: dict[str, str]
) -> None:
    seen: list[str] = []
    after: list[str] = []
    pages = 0
    while True:
        body: dict[str, Any] = {"sort": ["id"], **({"searchAfter": after} if after else {})}
        page = ids_of(search(http, bearer, "*", params={"limit": 700}, **body))
        pages += 1
        seen += page
        if len(page) < 700:
            break
        after = [page[-1]]
    assert pages == 3  # 2,000 identities in pages of 700
    assert seen == sorted(sandbox.identity_ids)


def test_sort_on_several_fields_with_direction_and_search_after(
    http: httpx.Client, sandbox: SandboxServer, bearer: dict[str, str]
) -> None:
    records = sorted(sandbox.directory.records, key=lambda r: r.id)
    records = sorted(records, key=lambda r: r.name.casefold(), reverse=True)
    body = {"sort": ["-name", "id"]}
    first = search(http, bearer, "*", params={"limit": 100}, **body).json()
    assert [d["id"] for d in first] == [r.id for r in records[:100]]
    last = first[-1]
    second = search(
        http, bearer, "*", params={"limit": 100}, searchAfter=[last["name"], last["id"]], **body
    )
    assert ids_of(second) == [r.id for r in records[100:200]]


def test_offset_and_limit_page_too(
    http: httpx.Client, sandbox: SandboxServer, bearer: dict[str, str]
) -> None:
    reply = search(http, bearer, "*", params={"offset": 5, "limit": 3})
    assert ids_of(reply) == sandbox.identity_ids[5:8]
    assert "x-total-count" not in reply.headers


def test_documents_carry_processing_state_and_the_identity_fields(
    http: httpx.Client, sandbox: SandboxServer, bearer: dict[str, str]
) -> None:
    document = search(http, bearer, f"id:{sandbox.identity_ids[0]}").json()[0]
    for key in (
        "id", "name", "displayName", "email", "created", "modified", "synced", "status",
        "processingState", "processingDetails", "identityProfile", "source", "manager",
        "attributes", "_type", "type",
    ):  # fmt: skip
        assert key in document
    assert document["processingState"] is None
    assert document["processingDetails"] is None
    assert document["_type"] == "identity"
    assert set(document["identityProfile"]) == {"id", "name"}


def test_query_result_filter_projects_documents(
    http: httpx.Client, sandbox: SandboxServer, bearer: dict[str, str]
) -> None:
    projected = search(
        http,
        bearer,
        "*",
        params={"limit": 2},
        queryResultFilter={"includes": ["id", "name", "attributes.department"]},
    ).json()
    assert [set(d) for d in projected] == [{"id", "name", "attributes"}] * 2
    assert set(projected[0]["attributes"]) == {"department"}
    trimmed = search(
        http, bearer, "*", params={"limit": 1}, queryResultFilter={"excludes": ["attributes"]}
    ).json()[0]
    assert "attributes" not in trimmed and "id" in trimmed


@pytest.mark.parametrize("path", ["/v3/search", "/v2024/search", "/v2026/search", "/search/v1"])
def test_every_version_that_has_search_serves_it(
    http: httpx.Client, bearer: dict[str, str], path: str
) -> None:
    assert search(http, bearer, "*", path=path, params={"limit": 1}).status_code == 200


def test_beta_has_no_search(http: httpx.Client, bearer: dict[str, str]) -> None:
    assert search(http, bearer, "*", path="/beta/search").status_code == 404


def test_search_count_answers_204_with_the_total(
    http: httpx.Client, sandbox: SandboxServer, bearer: dict[str, str]
) -> None:
    reply = search(http, bearer, "lifecycleState:active", path="/v2025/search/count")
    assert reply.status_code == 204
    active = expected(sandbox, lambda r: r.lifecycle_state == "active")
    assert reply.headers["x-total-count"] == str(len(active))


def test_search_is_rate_limited_and_faultable(
    http: httpx.Client, sandbox: SandboxServer, bearer: dict[str, str]
) -> None:
    sandbox.faults.add("rate_limit", operation="search", retry_after=7)
    limited = search(http, bearer, "*")
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "7"
    assert search(http, bearer, "*").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"indices": [{}], "query": {"query": "*"}},
        {"indices": "identities", "query": {"query": "*"}},
        {"query": {"query": 5}},
        {"query": "*"},
        {"query": {"query": "*"}, "sort": "id"},
        {"query": {"query": "*"}, "queryResultFilter": []},
        [1, 2],
    ],
)
def test_odd_bodies_are_400_not_a_server_error(
    http: httpx.Client, bearer: dict[str, str], body: Any
) -> None:
    reply = http.post("/v2025/search", json=body, headers=bearer)
    assert reply.status_code == 400
