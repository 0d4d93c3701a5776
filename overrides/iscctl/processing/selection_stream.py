"""A selection read into a run page by page, each page sent while the next is read.

The tenant's rate limit counts searches and process calls alike, and the
search pages come one after another (each needs the last id of the one
before). Reading the whole selection before sending anything left the rate
budget idle for as long as the searches took, and added that time to the run
(a second or more per 10,000 identities). Here each page goes, in order:

1. through validation and dedupe (`ProcessingJob.feed_page`): a value that
   cannot be an identity id stops the run before any id of its page is sent,
   unless the run skips invalid values;
2. into the journal (`SelectionRecorder`), before a batch holding one of its ids;
3. to the sender, in batches; the next page was asked for before this one was
   handed on, so it is usually there when the sender needs it.

Where the values come from, in order: the ids to retry (a `--retry-failed` run),
else the resumed journal's recorded ids, then (when the journal's selection was
cut short, or there is no journal) the tenant, from where the records end.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from contextlib import aclosing
from typing import NamedTuple

from iscctl.processing.inputs import InputItem
from iscctl.processing.job import ProcessingJob
from iscctl.processing.selection import (
    SEARCH_PAGE_SIZE,
    Selection,
    SelectionProgress,
    SelectionSource,
    select_pages,
)
from iscctl.processing.selection_journal import JournaledSelection, SelectionRecorder
from iscctl.processing.validation import Location

JOURNAL_PAGE = SEARCH_PAGE_SIZE
"""Recorded ids read back per page on resume (as many as one search page)."""


class _Page(NamedTuple):
    """Values from one source, whether they still need recording in this journal, and
    whether they are known to be the selection's last."""

    values: Sequence[str | None]
    source: str
    record: bool
    last: bool = False


class SelectionStream:
    """Feeds one selected run: `prime()` reads the first page (so a refused query or an
    empty selection is known before anything is journaled), then `batches()` yields the
    batches to send while reading, checking and recording the rest."""

    def __init__(
        self,
        job: ProcessingJob,
        source: SelectionSource,
        selection: Selection,
        *,
        journaled: JournaledSelection | None = None,
        preset: list[str] | None = None,
        page_size: int | None = None,
        record_journaled: bool = False,
    ) -> None:
        """`record_journaled`: the resumed journal's ids are recorded again, because this
        run journals somewhere else (`--resume OLD --journal NEW`)."""
        self.job = job
        self.selection = selection
        self.progress = SelectionProgress()
        self.matched = 0
        """Values read so far (from the journal and the tenant), before validation."""
        self.complete = False
        """Every page was read and recorded (a run stopped before leaves the rest to its
        resume); the batches of the last may still be going out."""
        self.seconds = 0.0
        """From the first read to the last page."""
        self._source = source
        self._journaled = journaled
        self._preset = preset
        self._page_size = page_size
        self._record_journaled = record_journaled
        self._recorder = _recorder_for(selection, journaled, record_journaled)
        self._pages: AsyncGenerator[_Page, None] | None = None
        self._first: _Page | None = None
        self._first_ids: list[str] = []
        self.started_at = 0.0
        """`time.perf_counter()` at the first read."""

    async def prime(self) -> None:
        """Read and check the first page; raises what the tenant answered to a refused
        query, and `InvalidInputError` for a bad value on it, before anything is journaled."""
        self.started_at = time.perf_counter()
        self._pages = self._read()
        self._first = await anext(self._pages, None)
        if self._first is not None:
            self._first_ids = self._check(self._first)

    @property
    def nothing_matched(self) -> bool:
        """True when the first page was empty: the selection matches nothing."""
        return self._first is None or not self._first.values

    async def batches(self) -> AsyncGenerator[list[str], None]:
        """Batches of `job.options.batch_size` ids, each page recorded in `job.journal`
        before a batch holding one of its ids is yielded."""
        assert self._pages is not None, "prime() first"
        size = self.job.options.batch_size
        waiting: list[str] = []
        page, to_send = self._first, self._first_ids
        try:
            while page is not None:
                self._record(page)
                if page.last:
                    self._complete()
                waiting.extend(to_send)
                full = len(waiting) - len(waiting) % size
                for start in range(0, full, size):
                    yield waiting[start : start + size]
                del waiting[:full]
                page = await anext(self._pages, None)
                to_send = self._check(page) if page is not None else []
            self._complete()
            if waiting:
                yield waiting
        finally:
            await self._pages.aclose()

    def _complete(self) -> None:
        """The last page is recorded: mark the selection complete, in the journal too, so a
        run stopped while its batches go out is resumed without asking the tenant again."""
        if not self.complete:
            self.complete = True
            if self._recorder is not None:
                self._recorder.complete(self.job.journal)

    def _check(self, page: _Page) -> list[str]:
        """Validate and dedupe a page (the last read); its ids to send."""
        first = self.matched - len(page.values) + 1
        items = (_item(value, page.source, n) for n, value in enumerate(page.values, first))
        return self.job.feed_page(items)

    def _record(self, page: _Page) -> None:
        if page.record and self._recorder is not None:
            self._recorder.page(self.job.journal, page.values, self.progress.total)

    async def _read(self) -> AsyncGenerator[_Page, None]:
        try:
            async for page in self._values():
                self.matched += len(page.values)
                self.progress.matched = self.matched
                yield page
        finally:
            self.seconds = time.perf_counter() - self.started_at

    async def _values(self) -> AsyncIterator[_Page]:
        if self._preset is not None:
            yield _Page(self._preset, self.selection.kind, True, last=True)
            return
        start = None
        journaled = self._journaled
        if journaled is not None:
            self.progress.total = journaled.total
            chunk: list[str | None] = []
            for value in journaled.values():
                chunk.append(value)
                if len(chunk) == JOURNAL_PAGE:
                    yield _Page(chunk, "journal", self._record_journaled)
                    chunk = []
            if chunk:
                yield _Page(chunk, "journal", self._record_journaled)
            if journaled.complete:
                return
            start = journaled.resume_point()
        pages = select_pages(
            self._source, self.selection, self.progress, page_size=self._page_size, start=start
        )
        async with aclosing(pages):
            async for values in pages:
                yield _Page(values, self.selection.kind, True, last=self.progress.done)


def _recorder_for(
    selection: Selection, journaled: JournaledSelection | None, record_journaled: bool
) -> SelectionRecorder | None:
    """None when nothing is left to record: a complete selection resumed in its journal."""
    if journaled is None or record_journaled:
        return SelectionRecorder(selection)
    if journaled.complete:
        return None
    return SelectionRecorder(selection, continues=journaled)


def _item(value: str | None, source: str, number: int) -> InputItem:
    location = Location(source, number)
    if value is None:
        return InputItem("", location, "a hit without an id")
    return InputItem(value.strip(), location)
