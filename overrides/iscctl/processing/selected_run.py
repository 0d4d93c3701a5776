"""One run of `identities process` that chooses its identities: by a search query, a list
filter, or the identities in error of an earlier run (`SelectedJob`), and what it did
(`SelectedRun`).

The steps are the caller's to drive, in order: `start()` (the journal, then the
selection's first page), `send()` or `dry_run()`, then, for a wait, a `Waiter`
over the run's journal (`workflow.waiter_for`). The command line drives them
itself, to show progress and handle Ctrl-C; `workflow.process_selected` and
the other API functions drive them for Python callers.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

from attrs import define, field

from iscctl.errors import BadRequestError, ISCError
from iscctl.exit_codes import ExitCode
from iscctl.processing.job import ProcessingJob, ProcessOptions
from iscctl.processing.journal import JournalError
from iscctl.processing.report import ProcessReport
from iscctl.processing.runner import DEFAULT_CONCURRENCY
from iscctl.processing.selection import Selection, SelectionProgress
from iscctl.processing.selection_journal import JournaledSelection, read_selection
from iscctl.processing.selection_stream import SelectionStream
from iscctl.processing.status_report import StatusReport
from iscctl.processing.tenant_reads import TenantReads
from iscctl.processing.waiting import WaitOptions


class QueryRejectedError(ISCError):
    """The tenant refused the query or filter (400); nothing was processed."""

    def __init__(self, selection: Selection, error: BadRequestError) -> None:
        texts = [text.strip().rstrip(".") for text in error.causes or error.messages]
        reason = "; ".join(dict.fromkeys(t for t in texts if t)) or error.message
        what = "query" if selection.kind == "query" else "filter"
        super().__init__(f"the tenant refused the {what} {selection.text!r}: {reason}")
        self.error = error


@define
class SelectedRun:
    """A run that chose its identities by query or filter (or its journal's earlier failures)."""

    selection: Selection
    process: ProcessReport
    matched: int = 0
    """Values the selection returned (before validation and dedupe)."""
    total: int | None = None
    """The tenant's own count of matches (X-Total-Count), when it sent one."""
    resumed_selection: bool = False
    """The ids came from the resumed journal (all of them, or the part it recorded before
    the run stopped; the rest was then read from the tenant)."""
    status: StatusReport | None = None
    """What the wait found (None without `wait`)."""
    fail_if_empty: bool = False
    seconds: float = 0.0
    """How long the selection took, from its first read to its last page (the sending
    went on meanwhile)."""
    complete: bool = False
    """The selection was read to its end (a stopped run leaves the rest to `resume=`)."""
    run_seconds: float = 0.0
    """From the selection's first read to the last batch's outcome."""

    @property
    def exit_code(self) -> int:
        """`ProcessReport.exit_code` (1 at least when the selection was not read to its
        end), then the wait's verdict; 0 (or 1 with `fail_if_empty`) when nothing matched."""
        if self.matched == 0:
            return ExitCode.FAILED_ITEMS if self.fail_if_empty else ExitCode.OK
        process = self.process.exit_code
        if not self.complete and process == ExitCode.OK:
            process = ExitCode.FAILED_ITEMS  # what was read went out; the rest was not read
        if self.status is None or process == ExitCode.INTERRUPTED:
            return process
        waited = self.status.exit_code
        if waited in (ExitCode.INTERRUPTED, ExitCode.PROCESSING_ERRORS):
            return waited
        return process or waited

    def selection_dict(self) -> dict[str, Any]:
        return {
            "kind": self.selection.kind,
            "text": self.selection.text,
            "matched": self.matched,
            "total": self.total,
            "fromJournal": self.resumed_selection,
            "complete": self.complete,
            "seconds": round(self.seconds, 3),
            "runSeconds": round(self.run_seconds, 3),
        }


@define
class RunSettings:
    """How a selected run sends and waits (the keyword arguments of the API functions)."""

    batch_size: int = 250
    concurrency: int = DEFAULT_CONCURRENCY
    skip_invalid: bool = False
    journal: Path | None = None
    resume: Path | None = None
    dry_run: bool = False
    wait: bool = False
    wait_options: WaitOptions = field(factory=WaitOptions)
    fail_if_empty: bool = False
    page_size: int | None = None
    """Hits per search (or list) page; None: the largest the tenant allows."""


Sender = Callable[[list[str]], Awaitable[Any]]


class SelectedJob:
    """One selected run: the selection streamed into a `ProcessingJob`, the sending, the wait.

    The command line drives the steps itself (to show progress and handle
    Ctrl-C); the API functions of `workflow.py` call them in order: `start()`,
    then `send()` (or `dry_run()`), then wait on the run's journal
    (`workflow.waiter_for`).
    """

    def __init__(
        self,
        reads: TenantReads,
        selection: Selection | None,
        settings: RunSettings,
        *,
        preset: list[str] | None = None,
    ):
        """`preset`: process these ids (the failures of an earlier run) instead of asking
        the tenant."""
        self.settings = settings
        journaled: JournaledSelection | None = None
        if settings.resume is not None:
            journaled = read_selection(settings.resume)
        if journaled is not None:
            if selection is not None and selection != journaled.selection:
                raise JournalError(
                    f"{settings.resume} was selected by {journaled.selection.describe()}, "
                    f"not {selection.describe()}; resume without --query/--filters (the "
                    "journal's ids are used) or start a new run"
                )
            selection = journaled.selection
        if selection is None:
            raise ValueError("give a query or filters (or resume a journal of a selected run)")
        self.selection = selection
        self.job = ProcessingJob(
            ProcessOptions(
                batch_size=settings.batch_size,
                concurrency=settings.concurrency,
                skip_invalid=settings.skip_invalid,
                journal=settings.journal,
                resume=settings.resume,
                write_journal=not settings.dry_run,
            ),
            inputs=[selection.describe()],
            base_url=reads.api.api_root,
            api_version=reads.version,
        )
        self.stream = SelectionStream(
            self.job,
            reads,
            selection,
            journaled=journaled,
            preset=preset,
            page_size=settings.page_size,
            record_journaled=journaled is not None and self.job.resumes_elsewhere(),
        )
        self.result = SelectedRun(
            selection,
            self.job.report,
            resumed_selection=journaled is not None,
            fail_if_empty=settings.fail_if_empty,
        )

    @property
    def progress(self) -> SelectionProgress:
        return self.stream.progress

    def close(self) -> None:
        self.job.__exit__(None, None, None)

    async def start(self) -> None:
        """Own the journal(s) and read the one being resumed, then the selection's first
        page: a query the tenant refuses, or one that matches nothing, is known before
        anything is journaled or sent."""
        self.job.load_resume()
        with self._refusal_named():
            await self.stream.prime()
        self._take_counts()

    async def send(self, send: Sender, stats: Callable[[], Any], **kwargs: Any) -> ProcessReport:
        """Send the selection's batches while reading the rest of it (after `start()`)."""
        if self.stream.nothing_matched:
            self.job.report.journal = None
            return self.job.report
        try:
            with self._refusal_named():
                return await self.job.send(send, stats, batches=self.stream.batches(), **kwargs)
        finally:
            self._take_counts()
            self.result.run_seconds = time.perf_counter() - self.stream.started_at

    async def dry_run(self, keep: int) -> list[list[str]]:
        """Read and check the whole selection, sending nothing; the first `keep` batches
        (the report counts them all)."""
        kept: list[list[str]] = []
        try:
            with self._refusal_named():
                async for batch in self.stream.batches():
                    if len(kept) < keep:
                        kept.append(batch)
        finally:
            self._take_counts()
        return kept

    def _take_counts(self) -> None:
        self.result.matched = self.stream.matched
        self.result.total = self.stream.progress.total
        self.result.seconds = self.stream.seconds
        self.result.complete = self.stream.complete

    @contextlib.contextmanager
    def _refusal_named(self) -> Iterator[None]:
        try:
            yield
        except BadRequestError as error:
            raise QueryRejectedError(self.selection, error) from None
