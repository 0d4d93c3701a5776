"""POST /search and POST /search/count over the identities index.

Versions: v3, v2024, v2025, v2026 and per-service `/search/v1` (beta has no
search). Body: `indices` (omitted, `identities` or `*`), `queryType`
`SAILPOINT` (the default), `query.query` (see `search.py`), `sort`,
`searchAfter`, `queryResultFilter` (`includes`/`excludes`, dotted paths),
`includeNested` (accepted; identities here have no nested objects). Query
string: `limit` (default 250, at most 10000), `offset`, `count`
(`X-Total-Count`). `offset + limit` past 10,000 is refused, as
Elasticsearch's result window is; `searchAfter` reaches further.

Cost: a sort on fields processing does not change is kept (`search_order.py`),
so a `searchAfter` page is a binary search plus reading forward to the page's
end; documents are built with only the keys `queryResultFilter` keeps. What
processing changes is read per hit when the page is built, never kept.

Anything the sandbox does not implement (DSL, text or typeahead queries,
aggregations, `filters`, inner hits, `query.fields`) is a 400 naming it, so
a client never mistakes an ignored part of its query for an answer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from attrs import define
from starlette.requests import Request

from iscctl.sandbox.api_routes import SEARCH_VERSIONS, ApiRoute, versioned
from iscctl.sandbox.documents import (
    IdentityView,
    document_parts,
    search_document,
    search_fields,
)
from iscctl.sandbox.paging import Paging, ParameterInvalid, read_paging, total_header
from iscctl.sandbox.reply import Reply, bad_request
from iscctl.sandbox.search import SearchInvalid, compile_query, match_all
from iscctl.sandbox.search_order import SearchOrders, SortField, is_after, sort_text, sort_views

if TYPE_CHECKING:
    from iscctl.sandbox.tenant import Tenant

MAX_LIMIT: Final = 10_000
RESULT_WINDOW: Final = 10_000
INDICES: Final = frozenset({"identities", "*"})
UNSUPPORTED_KEYS: Final = (
    "queryDsl",
    "textQuery",
    "typeAheadQuery",
    "aggregationType",
    "aggregationsDsl",
    "aggregations",
    "filters",
)
UTC_ZONES: Final = frozenset({"UTC", "Etc/UTC", "GMT", "Z", "+00:00"})
UNSORTABLE_PREFIXES: Final = ("processingDetails.",)


def _read_body(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise SearchInvalid("request body: not valid JSON") from None
    if not isinstance(body, dict):
        raise SearchInvalid("request body: must be a Search object")
    for key in UNSUPPORTED_KEYS:
        if body.get(key) not in (None, {}, []):
            raise SearchInvalid(f"{key}: not supported by the sandbox; use query.query")
    indices = body.get("indices")
    if indices is not None and (
        not isinstance(indices, list)
        or not indices
        or not all(isinstance(index, str) and index in INDICES for index in indices)
    ):
        raise SearchInvalid(
            f"indices: the sandbox has only the identities index, not {json.dumps(indices)}"
        )
    query_type = body.get("queryType", "SAILPOINT")
    if query_type != "SAILPOINT":
        raise SearchInvalid(
            f"queryType: only SAILPOINT (query.query) is supported by the sandbox, "
            f"not {query_type!r}"
        )
    query = body.get("query")
    if not isinstance(query, dict) or not isinstance(query.get("query"), str):
        raise SearchInvalid('query.query: required, a query string such as "*"')
    for key in ("fields", "innerHit"):
        if query.get(key) not in (None, "", []):
            raise SearchInvalid(f"query.{key}: not supported by the sandbox")
    zone = query.get("timeZone")
    if zone not in (None, "") and zone not in UTC_ZONES:
        raise SearchInvalid(f"query.timeZone: the sandbox compares dates in UTC only, not {zone!r}")
    return body


def _strings(body: Mapping[str, Any], key: str) -> list[str]:
    value = body.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SearchInvalid(f"{key}: must be an array of strings")
    return list(value)


def _project(document: dict[str, Any], includes: list[str], excludes: list[str]) -> dict[str, Any]:
    """`queryResultFilter`: keep the dotted paths in `includes` (all if none), drop `excludes`."""
    if includes:
        kept: dict[str, Any] = {}
        for path in includes:
            _copy_path(document, kept, path.split("."))
        document = kept
    for path in excludes:
        _drop_path(document, path.split("."))
    return document


def _copy_path(source: dict[str, Any], target: dict[str, Any], parts: list[str]) -> None:
    head, rest = parts[0], parts[1:]
    if head not in source:
        return
    if not rest:
        target[head] = source[head]
    elif isinstance(source[head], dict):
        inner = target.setdefault(head, {})
        if isinstance(inner, dict):
            _copy_path(source[head], inner, rest)


def _drop_path(document: dict[str, Any], parts: list[str]) -> None:
    head, rest = parts[0], parts[1:]
    if not rest:
        document.pop(head, None)
    elif isinstance(document.get(head), dict):
        _drop_path(document[head], rest)


class _Search:
    """One search request, checked, then run over the tenant's identities."""

    def __init__(self, tenant: Tenant, raw: bytes, params: Mapping[str, str]) -> None:
        self.tenant = tenant
        self.fields = search_fields(tenant.directory)
        try:
            self.paging: Paging = read_paging(params, MAX_LIMIT)
        except ParameterInvalid as invalid:
            raise SearchInvalid(str(invalid)) from None
        body = _read_body(raw)
        self.predicate = compile_query(body["query"]["query"], self.fields)
        self.sort = self._sort(_strings(body, "sort"))
        self.search_after = _strings(body, "searchAfter")
        if self.search_after and not self.sort:
            raise SearchInvalid('searchAfter: needs sort (e.g. sort: ["id"])')
        if self.search_after and len(self.search_after) != len(self.sort):
            raise SearchInvalid(
                f"searchAfter: {len(self.search_after)} values for {len(self.sort)} sort fields; "
                "send the last hit's value of each sort field, in order"
            )
        if self.search_after and self.paging.offset:
            raise SearchInvalid("offset: leave it out (or 0) when searchAfter is used")
        if not self.search_after and self.paging.offset + self.paging.limit > RESULT_WINDOW:
            raise SearchInvalid(
                f"offset + limit: at most {RESULT_WINDOW} (the result window); "
                "page further with sort and searchAfter"
            )
        result_filter = body.get("queryResultFilter")
        result_filter = {} if result_filter is None else result_filter
        if not isinstance(result_filter, dict):
            raise SearchInvalid("queryResultFilter: must be an object")
        self.includes = _strings(result_filter, "includes")
        self.excludes = _strings(result_filter, "excludes")

    def _sort(self, sort: list[str]) -> list[SortField]:
        keys: list[SortField] = []
        for item in sort:
            name = item.lstrip("+-")
            getter = self.fields.get(name)
            if getter is None or name.startswith(UNSORTABLE_PREFIXES):
                raise SearchInvalid(
                    f"sort: cannot sort by {name!r} in the sandbox; use id, name, displayName, "
                    "email, created, modified or another plain document field"
                )
            keys.append(SortField(name, getter, item.startswith("-")))
        return keys

    def hits(self, orders: SearchOrders, *, total: bool) -> Hits:
        """The page of hits and (when `total`) how many match in all, after `searchAfter`.

        On a kept order (see `search_order.py`) only the hits up to the page's end are
        read, unless the total is asked for; `*` counts without reading any.
        """
        book = self.tenant.processing
        now = book.now()
        records = self.tenant.directory.records
        if self.sort and not orders.keepable(self.sort):
            return self._sorted_now(records, now, total)
        start = 0
        ordered = records
        if self.sort:
            kept = orders.order(records, self.sort, book)
            ordered = kept.records
            if self.search_after:
                start = kept.start_after([sort_text(value) for value in self.search_after])
        first, end = self.paging.offset, self.paging.offset + self.paging.limit
        if self.predicate is match_all:
            chosen = ordered[start + first : start + end]
            return Hits(
                [IdentityView(record, book, now) for record in chosen], len(ordered) - start
            )
        page: list[IdentityView] = []
        matched = 0
        predicate = self.predicate
        for position in range(start, len(ordered)):
            if matched >= end and not total:
                break
            view = IdentityView(ordered[position], book, now)
            if predicate(view):
                if matched >= first and matched < end:
                    page.append(view)
                matched += 1
        return Hits(page, matched if total else None)

    def _sorted_now(self, records: tuple[Any, ...], now: float, total: bool) -> Hits:
        """A sort on fields processing changes: every match read and sorted at this moment."""
        book = self.tenant.processing
        views = [IdentityView(record, book, now) for record in records]
        views = sort_views([view for view in views if self.predicate(view)], self.sort)
        if self.search_after:
            after = [sort_text(value) for value in self.search_after]
            views = [
                view
                for view in views
                if is_after(
                    [sort_text(field.getter(view)) for field in self.sort], after, self.sort
                )
            ]
        return Hits(list(self.paging.page(views)), len(views) if total else None)

    def documents(self, views: list[IdentityView]) -> list[dict[str, Any]]:
        """The hits' documents, building only the keys `queryResultFilter` keeps."""
        directory = self.tenant.directory
        heads = {path.split(".", 1)[0] for path in self.includes}
        parts = document_parts(heads) if self.includes else None
        documents = [search_document(view, directory, parts) for view in views]
        if self.excludes or any("." in path for path in self.includes):
            documents = [_project(d, self.includes, self.excludes) for d in documents]
        return documents


@define
class Hits:
    """One search's page of hits and, when asked for, its total."""

    page: list[IdentityView]
    total: int | None


def api_routes(tenant: Tenant) -> list[ApiRoute]:
    orders = SearchOrders()

    async def search(request: Request, client_id: str, version: str) -> Reply:
        try:
            query = _Search(tenant, await request.body(), request.query_params)
            hits = query.hits(orders, total=query.paging.count)
        except SearchInvalid as invalid:
            return bad_request(str(invalid))
        headers = total_header(query.paging, hits.total or 0)
        return Reply(200, query.documents(hits.page), headers)

    async def count(request: Request, client_id: str, version: str) -> Reply:
        try:
            query = _Search(tenant, await request.body(), {})
            total = query.hits(orders, total=True).total or 0
        except SearchInvalid as invalid:
            return bad_request(str(invalid))
        return Reply(204, headers={"X-Total-Count": str(total)}, empty=True)

    return [
        *versioned("POST", "/search", "search", search, SEARCH_VERSIONS, "/search/v1"),
        *versioned("POST", "/search/count", "search", count, SEARCH_VERSIONS, "/search/v1/count"),
    ]
