"""The reads of a selection and of a wait, through the generated client.

Every call is a generated endpoint function (`iscctl_client.api...`) given the
client's `ApiClient` (`isc.api`), so it shares the client's token, pacer,
retries and rate budget with the process calls of the same run, and is read
with `iscctl.unwrap` into the generated models or an `iscctl.errors` exception.
With a synchronous `Client` the same functions run in a worker thread.

Which function: versioned paths (`/search`, `/identities`, `/task-status/{id}`)
for `beta` … `v2026`; the per-service ones (`/search/v1`, …) for `v1`. Beta has
no search and v3 neither identities nor task status: asking for them there is a
`ConfigurationError` before anything is sent.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from iscctl_client.api.identities import list_identities, list_identities_v1
from iscctl_client.api.search import search_post, search_post_v1
from iscctl_client.api.task_management import get_task_status, get_task_status_v1
from iscctl_client.models import (
    IdentityDefaultFilter,
    QueryResultFilter,
    Search,
    SearchIndex,
    SearchQuery,
    SearchQueryType,
)
from iscctl_client.types import UNSET

from iscctl.api import unwrap
from iscctl.errors import APIConnectionError, ConfigurationError, NotFoundError
from iscctl.processing.accepted import parse_time
from iscctl.processing.selection import SEARCH_FIELDS, SearchPage
from iscctl.processing.verification import ProcessingDetails, Reading
from iscctl.processing.waiting import TaskReading
from iscctl.versions import NO_SEARCH

if TYPE_CHECKING:
    from iscctl.api import ApiClient

T = TypeVar("T")

DETAIL_FIELDS = (*SEARCH_FIELDS, "processingState", "processingDetails")
NO_IDENTITIES = {"v3"}


class TenantReads:
    """`SelectionSource` and `StatusSource` over one `ApiClient`.

    `threaded=True` calls the synchronous endpoint functions in worker threads
    (for a synchronous `Client`, whose connections belong to no event loop).
    """

    def __init__(self, api: ApiClient, *, threaded: bool = False) -> None:
        self.api = api
        self.threaded = threaded
        self.version = api.version
        self.per_service = api.core.api_version.per_service

    # -- search ---------------------------------------------------------------------------
    async def search_page(
        self, query: str, *, after: str | None, limit: int, count: bool
    ) -> SearchPage:
        body = Search(
            indices=[SearchIndex.IDENTITIES],
            query_type=SearchQueryType.SAILPOINT,
            query=SearchQuery(query=query),
            sort=["id"],
            include_nested=False,
            query_result_filter=QueryResultFilter(includes=list(SEARCH_FIELDS)),
            search_after=[after] if after is not None else UNSET,
        )
        response = await self._search_reply(body, limit=limit, count=count)
        ids = _hit_ids(response.content) if 200 <= int(response.status_code) < 300 else None
        if ids is None:  # an error, or a 2xx that is not a list of objects: unwrap judges
            documents = list(unwrap(response))
            ids = [doc.id if isinstance(doc.id, str) else None for doc in documents]
        return SearchPage(ids, _total(response.headers) if count else None)

    async def error_details(self, ids: Sequence[str]) -> dict[str, ProcessingDetails | None]:
        """The search documents' `processingDetails` of `ids` (at most a few hundred: ISC
        limits how many values one query lists)."""
        body = Search(
            indices=[SearchIndex.IDENTITIES],
            query_type=SearchQueryType.SAILPOINT,
            query=SearchQuery(query=" OR ".join(f"id:{_quoted(i)}" for i in ids)),
            sort=["id"],
            include_nested=False,
            query_result_filter=QueryResultFilter(includes=list(DETAIL_FIELDS)),
        )
        documents, _ = await self._search(body, limit=len(ids), count=False)
        found: dict[str, ProcessingDetails | None] = {}
        for doc in documents:
            if not isinstance(doc.id, str):
                continue
            raw = doc.processing_details
            found[doc.id] = (
                None
                if raw is None or raw is UNSET
                else ProcessingDetails(
                    stage=_text(getattr(raw, "stage", None)),
                    message=_text(getattr(raw, "message", None)),
                    retry_count=_int(getattr(raw, "retry_count", None)),
                    date=_moment(getattr(raw, "date", None)),
                )
            )
        return found

    async def _search(self, body: Search, *, limit: int, count: bool) -> tuple[list[Any], Any]:
        response = await self._search_reply(body, limit=limit, count=count)
        return list(unwrap(response)), response.headers

    async def _search_reply(self, body: Search, *, limit: int, count: bool) -> Any:
        """The generated `Response` of one search; its `parsed` models are built only if read."""
        if self.version in NO_SEARCH:
            raise ConfigurationError(
                f"API version {self.version} has no search (POST /search); choose another "
                "with --api-version, e.g. v2025"
            )
        module: Any = search_post_v1 if self.per_service else search_post
        return await self._call(module, body=body, limit=limit, count=count if count else UNSET)

    # -- the identities list -------------------------------------------------------------
    async def list_page(self, filters: str, *, offset: int, limit: int, count: bool) -> SearchPage:
        identities, headers = await self._list(
            filters, offset=offset, limit=limit, count=count, everyone=False
        )
        ids = [item.id if isinstance(item.id, str) else None for item in identities]
        return SearchPage(ids, _total(headers) if count else None)

    async def read_identities(self, ids: Sequence[str]) -> list[Reading]:
        filters = f"id in ({','.join(_quoted(identity) for identity in ids)})"
        identities, _ = await self._list(
            filters, offset=0, limit=len(ids), count=False, everyone=True
        )
        readings = []
        for item in identities:
            if not isinstance(item.id, str):
                continue
            readings.append(
                Reading(item.id, _moment(item.last_refresh), _enum_text(item.processing_state))
            )
        return readings

    async def _list(
        self, filters: str, *, offset: int, limit: int, count: bool, everyone: bool
    ) -> tuple[list[Any], Any]:
        self._require_identities("the identities list (GET /identities)")
        module: Any = list_identities_v1 if self.per_service else list_identities
        response = await self._call(
            module,
            filters=filters,
            offset=offset,
            limit=limit,
            count=count if count else UNSET,
            default_filter=IdentityDefaultFilter.NONE if everyone else UNSET,
        )
        return list(unwrap(response)), response.headers

    # -- task status -----------------------------------------------------------------------
    async def task_status(self, task_id: str) -> TaskReading | None:
        self._require_identities("task status (GET /task-status/{id})")
        module: Any = get_task_status_v1 if self.per_service else get_task_status
        response = await self._call(module, id=task_id)
        try:
            task = unwrap(response)
        except NotFoundError:
            return None
        return TaskReading(_enum_text(task.completion_status), _int(task.percent_complete))

    # -- plumbing -------------------------------------------------------------------------
    def _require_identities(self, what: str) -> None:
        if self.version in NO_IDENTITIES:
            raise ConfigurationError(
                f"API version {self.version} has no {what}; choose another with "
                "--api-version, e.g. v2025"
            )

    async def _call(self, module: Any, **kwargs: Any) -> Any:
        """One generated call; failures the transport does not turn into an ISCError (a body
        httpx cannot decode, a 2xx that is not JSON) become `APIConnectionError`."""
        try:
            if self.threaded:
                call: Callable[..., Any] = module.sync_detailed
                return await asyncio.to_thread(call, client=self.api, **kwargs)
            coroutine: Callable[..., Awaitable[Any]] = module.asyncio_detailed
            return await coroutine(client=self.api, **kwargs)
        except (httpx.HTTPError, ValueError) as failure:
            text = str(failure) or type(failure).__name__
            kind = type(failure).__name__
            raise APIConnectionError(f"unreadable reply: {kind}: {text}") from None


def _hit_ids(content: bytes) -> list[str | None] | None:
    """The ids of a search page's hits, read from the reply's bytes (None for a hit without
    a string id); None when the body is not a JSON list of objects.

    A selection needs only the ids of 10,000 hits a page: building the generated
    `IdentityDocument` of each (about 30 us a hit, 0.3 s a page) was most of the
    client's time per page. The generated `Response` builds its models only when
    `parsed` is read, so this reads `content` instead; any other body is left to
    `unwrap`, which reads `parsed` and raises as for any reply that does not fit.
    """
    try:
        hits = json.loads(content)
    except ValueError:
        return None
    if not isinstance(hits, list) or not all(isinstance(hit, dict) for hit in hits):
        return None
    return [hit["id"] if isinstance(hit.get("id"), str) else None for hit in hits]


def _quoted(value: str) -> str:
    """A double-quoted value for a filter or a search query (`"` and `\\` escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _total(headers: Any) -> int | None:
    try:
        return int(headers.get("X-Total-Count"))
    except (TypeError, ValueError):
        return None


def _moment(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return parse_time(value.isoformat())
    return parse_time(value) if isinstance(value, str) else None


def _enum_text(value: object) -> str | None:
    """An open enum's value: the enum member's value, or the unknown string as it came."""
    if value is None or value is UNSET:
        return None
    return str(getattr(value, "value", value))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
