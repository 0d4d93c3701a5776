"""Search kept in sort order: paging, `searchAfter` positions, and processing seen at once (#15).

The sandbox keeps the index sorted per sort (`search_order.py`) instead of
sorting it for every page; these tests pin what that must not change: the
pages of a sort add up to exactly the matching identities in that order,
`searchAfter` starts strictly after the given values wherever they fall, and
what processing changes shows in the very next search.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from iscctl.sandbox import SandboxServer
from iscctl.sandbox.directory import IdentityRecord
from iscctl.sandbox.search_order import KeptOrder, SortField, is_after

from .conftest import fetch_token

Keep = Callable[[IdentityRecord], bool]


@pytest.fixture
def bearer(http: httpx.Client, sandbox: SandboxServer) -> dict[str, str]:
    return {"Authorization": f"Bearer {fetch_token(http, sandbox)}"}


def search(
    http: httpx.Client,
    bearer: dict[str, str],
    query: str,
    params: dict[str, Any] | None = None,
    **body: Any,
) -> list[dict[str, Any]]:
    payload = {"indices": ["identities"], "query": {"query": query}, **body}
    reply = http.post("/v2025/search", json=payload, params=params or {}, headers=bearer)
    assert reply.status_code == 200, reply.text
    documents: list[dict[str, Any]] = reply.json()
    return documents


def in_order(records: list[IdentityRecord], *keys: tuple[str, bool]) -> list[IdentityRecord]:
    """The expected order, worked out here independently: stable sorts, last key first."""
    for attribute, descending in reversed(keys):
        records = sorted(
            records, key=lambda r: getattr(r, attribute).casefold(), reverse=descending
        )
    return records


def page_through(
    http: httpx.Client,
    bearer: dict[str, str],
    query: str,
    sort: list[str],
    limit: int,
) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    after: list[str] = []
    while True:
        body: dict[str, Any] = {"sort": sort}
        if after:
            body["searchAfter"] = after
        page = search(http, bearer, query, {"limit": limit}, **body)
        seen += page
        if len(page) < limit:
            return seen
        last = page[-1]
        after = [str(last[name.lstrip("+-")]) for name in sort]


@pytest.mark.parametrize(
    ("query", "keep"),
    [
        ("*", lambda r: True),
        ("attributes.department:Sales OR lifecycleState:inactive",
         lambda r: r.department == "Sales" or r.lifecycle_state == "inactive"),
    ],
)  # fmt: skip
@pytest.mark.parametrize(
    ("sort", "keys"),
    [
        (["id"], [("id", False)]),
        (["lastName", "id"], [("last_name", False), ("id", False)]),
        (["-email", "id"], [("email", True), ("id", False)]),
        (["-lastName", "-id"], [("last_name", True), ("id", True)]),
    ],
)
def test_pages_of_a_sort_add_up_to_every_match_in_that_order(
    http: httpx.Client,
    sandbox: SandboxServer,
    bearer: dict[str, str],
    query: str,
    keep: Keep,
    sort: list[str],
    keys: list[tuple[str, bool]],
) -> None:
    want = in_order([r for r in sandbox.directory.records if keep(r)], *keys)
    assert len(want) > 333  # more than one page
    pages = page_through(http, bearer, query, sort, limit=333)
    assert [d["id"] for d in pages] == [r.id for r in want]


def test_search_after_starts_strictly_after_values_that_are_not_in_the_index(
    http: httpx.Client, sandbox: SandboxServer, bearer: dict[str, str]
) -> None:
    ids = sorted(sandbox.identity_ids)
    between = ids[499] + "0"  # after ids[499], before ids[500] (ids differ before their end)
    assert ids[499] < between < ids[500]
    page = search(http, bearer, "*", {"limit": 5}, sort=["id"], searchAfter=[between])
    assert [d["id"] for d in page] == ids[500:505]
    assert search(http, bearer, "*", {"limit": 5}, sort=["id"], searchAfter=[ids[-1]]) == []
    before_all = search(http, bearer, "*", {"limit": 2}, sort=["id"], searchAfter=[""])
    assert [d["id"] for d in before_all] == ids[:2]
    upper = search(http, bearer, "*", {"limit": 2}, sort=["id"], searchAfter=[ids[10].upper()])
    assert [d["id"] for d in upper] == ids[11:13]  # values compare case-insensitively


def test_search_after_on_a_sort_with_ties_skips_the_whole_tie(
    http: httpx.Client, sandbox: SandboxServer, bearer: dict[str, str]
) -> None:
    names = sorted({r.last_name for r in sandbox.directory.records}, key=str.casefold)
    after = search(http, bearer, "*", {"limit": 10000}, sort=["lastName"], searchAfter=[names[2]])
    assert {d["lastName"] for d in after} == set(names[3:])
    want = [r.id for r in in_order(list(sandbox.directory.records), ("last_name", False))]
    assert [d["id"] for d in after] == want[len(want) - len(after) :]


def test_the_total_counts_the_matches_after_search_after(
    http: httpx.Client, sandbox: SandboxServer, bearer: dict[str, str]
) -> None:
    ids = sorted(r.id for r in sandbox.directory.records if r.department == "Legal")
    reply = http.post(
        "/v2025/search",
        params={"limit": 3, "count": "true"},
        json={
            "indices": ["identities"],
            "query": {"query": "attributes.department:Legal"},
            "sort": ["id"],
            "searchAfter": [ids[9]],
        },
        headers=bearer,
    )
    assert [d["id"] for d in reply.json()] == ids[10:13]
    assert reply.headers["x-total-count"] == str(len(ids) - 10)


def test_a_projection_builds_only_the_kept_keys_and_nested_paths_still_work(
    http: httpx.Client, sandbox: SandboxServer, bearer: dict[str, str]
) -> None:
    first = sorted(sandbox.directory.records, key=lambda r: r.id)[0]
    lean = search(
        http, bearer, "*", {"limit": 1}, sort=["id"],
        queryResultFilter={"includes": ["name", "id", "nickname"]},
    )  # fmt: skip
    assert lean == [{"id": first.id, "name": first.name}]  # the document's own key order
    nested = search(
        http, bearer, "*", {"limit": 1}, sort=["id"],
        queryResultFilter={"includes": ["id", "identityProfile.name"], "excludes": ["id"]},
    )  # fmt: skip
    assert nested == [{"identityProfile": {"name": first.profile.name}}]


def test_what_processing_changes_shows_in_the_next_search(
    make_sandbox: Callable[..., SandboxServer],
) -> None:
    server = make_sandbox(processing_delay=0, processing_time=0)
    with httpx.Client(base_url=server.base_url, timeout=10) as http:
        bearer = {"Authorization": f"Bearer {fetch_token(http, server)}"}
        ids = sorted(server.identity_ids)
        before = search(http, bearer, "*", {"limit": 4}, sort=["id"])  # keeps the id order
        assert [d["processingState"] for d in before] == [None] * 4
        server.processing.fail([ids[1]])
        reply = http.post(
            "/v2025/identities/process",
            json={"identityIds": ids[:3]},
            headers={**bearer, "X-SailPoint-Experimental": "true"},
        )
        assert reply.status_code == 202, reply.text
        after = search(http, bearer, "*", {"limit": 4}, sort=["id"])
        assert [d["processingState"] for d in after] == ["OK", "ERROR", "OK", None]
        assert after[1]["processingDetails"]["retryCount"] == 0
        assert after[0]["modified"] > before[0]["modified"]
        failed = search(http, bearer, "processingState:ERROR", {"limit": 10}, sort=["id"])
        assert [d["id"] for d in failed] == [ids[1]]
        # a sort on a field processing changes follows it at once (the newest first)
        newest = search(http, bearer, "*", {"limit": 3}, sort=["-modified", "id"])
        assert [d["id"] for d in newest] == ids[:3]
        later = search(
            http, bearer, "*", {"limit": 1}, sort=["-modified", "id"],
            searchAfter=[newest[-1]["modified"], newest[-1]["id"]],
        )  # fmt: skip
        assert later[0]["id"] not in ids[:3]


@pytest.mark.parametrize("seed", range(5))
def test_start_after_agrees_with_reading_every_key(seed: int) -> None:
    chooser = random.Random(seed)
    sort = (
        SortField("a", lambda view: None, chooser.random() < 0.5),
        SortField("b", lambda view: None, chooser.random() < 0.5),
    )
    keys = [(chooser.choice("abcd"), chooser.choice("xyz")) for _ in range(200)]
    for field in reversed(range(2)):  # the order the kept index holds
        keys.sort(key=lambda key: key[field], reverse=sort[field].descending)
    order = KeptOrder((), (), tuple(keys), sort)
    for after in [(a, b) for a in "_abcde" for b in "wxyz"]:
        linear = next((i for i, key in enumerate(keys) if is_after(key, after, sort)), len(keys))
        assert order.start_after(after) == linear
