"""Choosing the identities to process by a search query or a list filter, page by page.

Two ways to select, both streamed so that 100,000 matches never sit in memory
as one reply:

- `--query`: ISC search (`POST /search`, index `identities`), Elasticsearch
  query-string syntax. Offset paging stops at 10,000 hits, so pages are chained
  with `searchAfter` on a total sort (`["id"]`) at the largest page size (10,000)
  and the selection ends on a short page.
- `--filters`: the identities list (`GET /identities?filters=...`), ISC's
  filter grammar (`id`, `name`, `alias`, `email`, `processingState`, ...),
  offset paging at its largest page (250) until a short page.

This module holds the paging rules and the selection's description; the calls
themselves go through a `SelectionSource` (the generated client, see
`iscctl.processing.tenant_reads`), so every request shares the client's pacing,
retries and rate budget with the process calls of the same run.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Sequence
from typing import Any, Literal, Protocol

from attrs import define, frozen

from iscctl.errors import ISCError

SEARCH_PAGE_SIZE = 10_000
"""The largest `limit` `POST /search` takes."""
LIST_PAGE_SIZE = 250
"""The largest `limit` of `GET /identities`."""
SEARCH_INDEX = "identities"
SEARCH_FIELDS = ("id", "name")
"""What a selection needs from each hit; `id` and `name` are the document's required
fields, so a tenant that honours the projection still returns valid documents."""

SelectionKind = Literal["query", "filters", "retry-failed"]


class SelectionError(ISCError):
    """The selection cannot go on (the tenant's paging does not advance, a hit has no id)."""


@frozen
class Selection:
    """What a run processes when it is not given ids: a search query, a list filter, or the
    identities that ended in error in an earlier run's journal."""

    kind: SelectionKind
    text: str

    def describe(self) -> str:
        """How the run's input is named in reports and the journal header."""
        labels = {"query": "search", "filters": "filters", "retry-failed": "retry-failed"}
        return f"{labels[self.kind]}: {self.text}"

    def to_record(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Selection:
        kind = record.get("kind")
        text = record.get("text")
        if kind not in ("query", "filters", "retry-failed") or not isinstance(text, str):
            raise ValueError(f"not a selection record: {record!r}")
        return cls(kind, text)


def search_body(query: str, after: str | None = None) -> dict[str, Any]:
    """The JSON body of one search page: identities matching `query`, sorted by id,
    starting after the id `after` (None: the first page)."""
    body: dict[str, Any] = {
        "indices": [SEARCH_INDEX],
        "queryType": "SAILPOINT",
        "query": {"query": query},
        "sort": ["id"],
        "includeNested": False,
        "queryResultFilter": {"includes": list(SEARCH_FIELDS)},
    }
    if after is not None:
        body["searchAfter"] = [after]
    return body


@define
class SearchPage:
    """One page of search hits (their ids; None for a hit that has none) and, when asked
    for, the total the tenant reports in `X-Total-Count`."""

    ids: list[str | None]
    total: int | None = None


class SelectionSource(Protocol):
    """The two reads a selection makes; implemented over the generated client."""

    async def search_page(
        self, query: str, *, after: str | None, limit: int, count: bool
    ) -> SearchPage: ...

    async def list_page(
        self, filters: str, *, offset: int, limit: int, count: bool
    ) -> SearchPage: ...


@define
class SearchCursor:
    """The `searchAfter` chain: where the next page starts and whether there is one."""

    page_size: int = SEARCH_PAGE_SIZE
    after: str | None = None
    done: bool = False
    pages: int = 0

    def advance(self, ids: Sequence[str | None]) -> None:
        """Take in a page; a short page is the last one."""
        self.pages += 1
        if len(ids) < self.page_size:
            self.done = True
            return
        last = ids[-1]
        if last is None:
            raise SelectionError(
                "a full search page ended with a hit without an id, so the next page cannot "
                "be asked for (searchAfter needs it)"
            )
        if last == self.after:
            raise SelectionError(
                f"the tenant answered the same search page twice (searchAfter {last!r} did "
                "not advance); stopping instead of selecting forever"
            )
        self.after = last


@define
class OffsetCursor:
    """Offset paging of the identities list: the next offset, and whether there is more."""

    page_size: int = LIST_PAGE_SIZE
    offset: int = 0
    done: bool = False
    pages: int = 0

    def advance(self, count: int) -> None:
        self.pages += 1
        self.offset += count
        if count < self.page_size:
            self.done = True


@define
class SelectionProgress:
    """What the selection has done so far, for the progress line and the report."""

    matched: int = 0
    total: int | None = None
    """The tenant's count of matches (X-Total-Count), when it sent one."""
    done: bool = False
    """The page last handed on is the last one."""


@frozen
class ResumePoint:
    """Where a selection cut short goes on: after the last id it recorded (search pages are
    sorted by id, so `searchAfter` that id is the rest) or, for the identities list,
    at the offset of the values it recorded."""

    after: str | None = None
    offset: int = 0


async def select_pages(
    source: SelectionSource,
    selection: Selection,
    progress: SelectionProgress | None = None,
    *,
    page_size: int | None = None,
    start: ResumePoint | None = None,
) -> AsyncGenerator[list[str | None], None]:
    """Yield the ids of the identities the selection matches, one page at a time.

    A hit without an id is kept as None, so the caller reports it as a bad
    input value instead of losing it silently. The next page is asked for
    before a page is handed on, so the tenant searches while the caller
    records and sends the ids it has.
    """
    seen = progress if progress is not None else SelectionProgress()
    begin = start or ResumePoint()
    if selection.kind == "query":
        cursor = SearchCursor(page_size or SEARCH_PAGE_SIZE, after=begin.after)

        def search() -> asyncio.Task[SearchPage]:
            return asyncio.ensure_future(
                source.search_page(
                    selection.text,
                    after=cursor.after,
                    limit=cursor.page_size,
                    count=cursor.pages == 0,
                )
            )

        pending: asyncio.Task[SearchPage] | None = search()
        try:
            while pending is not None:
                page = await pending
                cursor.advance(page.ids)
                _count(seen, page, cursor.done)
                pending = None if cursor.done else search()
                yield page.ids
        finally:
            if pending is not None:
                pending.cancel()
    elif selection.kind == "filters":
        offsets = OffsetCursor(page_size or LIST_PAGE_SIZE, offset=begin.offset)
        while not offsets.done:
            page = await source.list_page(
                selection.text,
                offset=offsets.offset,
                limit=offsets.page_size,
                count=offsets.pages == 0,
            )
            offsets.advance(len(page.ids))
            _count(seen, page, offsets.done)
            yield page.ids
    else:
        raise ValueError(f"a {selection.kind} selection is read from its journal, not the tenant")


def _count(progress: SelectionProgress, page: SearchPage, done: bool) -> None:
    progress.done = done
    progress.matched += len(page.ids)
    if page.total is not None and progress.total is None:
        progress.total = page.total
