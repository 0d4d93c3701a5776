"""Reprocessing as a whole job: choose the identities, process them, know that it finished.

The Python API of #15, and the engine `iscctl identities process --query/--filters/--wait`,
`identities status` and `--retry-failed` run on:

    async with AsyncClient.from_environment() as isc:
        run = await process_selected(isc, query='attributes.department:"Engineering"', wait=True)
        run.status.errors                      # identities that ended in error
        for outcome in run.status.outcomes("error"):
            print(outcome.id, outcome.stage, outcome.message)
        later = await check_status(isc, run.process.journal)
        checked, retried = await retry_failed(isc, run.process.journal, wait=True)

    with Client.from_environment() as isc:     # the same, synchronously
        run = process_selected_sync(isc, filters='processingState eq "ERROR"')

The selection streams into the same pipeline as ids read from a file
(validation, dedupe, batches, journal, pacing), each page sent while the next
is read (`selection_stream.py`); the journal records every matched id before a
batch holding it leaves, so `resume=` never searches again for what it
recorded, and never processes a different set.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from attrs import define, field

from iscctl.core import DEFAULT_RATE_LIMIT
from iscctl.errors import BadRequestError, ISCError
from iscctl.exit_codes import ExitCode
from iscctl.processing.accepted import read_accepted
from iscctl.processing.job import ProcessingJob, ProcessOptions
from iscctl.processing.journal import JournalError, JournalWriter
from iscctl.processing.report import ProcessReport
from iscctl.processing.runner import DEFAULT_CONCURRENCY
from iscctl.processing.selection import Selection, SelectionProgress
from iscctl.processing.selection_journal import JournaledSelection, read_selection
from iscctl.processing.selection_stream import SelectionStream
from iscctl.processing.status_report import StatusReport
from iscctl.processing.tenant_reads import TenantReads
from iscctl.processing.verification import WatchList
from iscctl.processing.waiting import (
    DEFAULT_BUDGET_SHARE,
    ProgressCallback,
    Waiter,
    WaitOptions,
)

if TYPE_CHECKING:
    from iscctl.client import AsyncClient, Client

STATUS_BUDGET_SHARE = 0.5
"""A one-off `status` check may use half the rate budget: nothing else of the run is
waiting on it (a `--wait` keeps to 5 %)."""


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
    Ctrl-C); the API functions below call them in order: `start()`, then
    `send()` (or `dry_run()`), then `waiter()` for a wait.
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
        self.reads = reads
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

    def waiter(self, options: WaitOptions, on_progress: ProgressCallback | None = None) -> Waiter:
        journal = self.job.report.journal
        if journal is None:
            raise JournalError("nothing was journaled, so there is nothing to wait for")
        return waiter_for(self.reads, journal, options, on_progress)


def waiter_for(
    reads: TenantReads,
    journal: Path,
    options: WaitOptions,
    on_progress: ProgressCallback | None = None,
) -> Waiter:
    """A `Waiter` over every accepted identity of `journal`."""
    run = read_accepted(journal)
    watch = WatchList.of(run.expectations)
    waiter = Waiter(reads, watch, run.batches, options, on_progress=on_progress)
    waiter.unanswered = run.unanswered
    return waiter


def status_report(waiter: Waiter, journal: Path) -> StatusReport:
    return StatusReport(
        journal,
        waiter.watch,
        list(waiter.batches.values()),
        waiter.outcome,
        waiter.options.rate_limit,
        waiter.unanswered,
    )


def journal_waited(journal: Path, report: StatusReport) -> None:
    """Append what the wait found to the run's journal (`waited`), for the record; the
    journal's batches stay the source of truth for a later `identities status`."""
    writer = JournalWriter(journal)
    try:
        writer.write(
            {
                "type": "waited",
                "counts": report.to_dict()["counts"],
                "timedOut": report.outcome.timed_out,
                "interrupted": report.outcome.interrupted,
                "errorIds": report.error_ids(),
            }
        )
    finally:
        writer.close()


def rate_limit_of(reads: TenantReads) -> tuple[int, float]:
    """The client's pacing limit; the tenant's published one when pacing is off."""
    limit = getattr(reads.api.core, "rate_limit", None)
    if limit is None:
        return DEFAULT_RATE_LIMIT
    requests, seconds = limit
    return int(requests), float(seconds)


# -- the Python API ---------------------------------------------------------------------------


class RetryResult(NamedTuple):
    """What `retry_failed` did: the check of the earlier run, then the new run (None when no
    identity of the earlier run was in error, so nothing was sent). Unpacks as a pair."""

    checked: StatusReport
    retried: SelectedRun | None


async def process_selected(
    isc: AsyncClient,
    *,
    query: str | None = None,
    filters: str | None = None,
    wait: bool = False,
    wait_timeout: float | None = None,
    wait_budget: float = DEFAULT_BUDGET_SHARE,
    batch_size: int = 250,
    concurrency: int = DEFAULT_CONCURRENCY,
    skip_invalid: bool = False,
    journal: str | Path | None = None,
    resume: str | Path | None = None,
    page_size: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_wait_progress: ProgressCallback | None = None,
) -> SelectedRun:
    """Process every identity a search `query` (or an identities-list `filters` expression)
    matches, as `iscctl identities process --query/--filters` does.

    The matched ids go through the same checks, dedupe, batches, pacing and journal as
    ids from a file; the journal records the selection and every matched id before the
    first batch, so `resume=` that journal finishes exactly the same set without
    searching again. With `wait=True`, return only once every accepted identity finished
    or ended in error (or `wait_timeout` seconds passed), its reads kept to `wait_budget`
    (a share, default 5 %) of the client's rate limit; `run.status` then says which
    identity ended how. `on_progress(ids)` is called after each batch's outcome,
    `on_wait_progress(watch)` after each read of the wait.

    Raises `QueryRejectedError` when the tenant refuses the query or filter (nothing is
    processed), `InvalidInputError` when a matched value cannot be an identity id (unless
    `skip_invalid`), `JournalError` for a journal that cannot be used.
    """
    reads = TenantReads(isc.api)
    settings = _settings(
        reads, batch_size, concurrency, skip_invalid, journal, resume, wait, wait_timeout,
        wait_budget, page_size,
    )  # fmt: skip
    return await _run_selected(
        reads,
        _selection(query, filters),
        settings,
        lambda batch: isc.process_identities(batch),
        lambda: isc.stats,
        on_progress,
        on_wait_progress,
    )  # fmt: skip


def process_selected_sync(
    isc: Client,
    *,
    query: str | None = None,
    filters: str | None = None,
    wait: bool = False,
    wait_timeout: float | None = None,
    wait_budget: float = DEFAULT_BUDGET_SHARE,
    batch_size: int = 250,
    concurrency: int = DEFAULT_CONCURRENCY,
    skip_invalid: bool = False,
    journal: str | Path | None = None,
    resume: str | Path | None = None,
    page_size: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_wait_progress: ProgressCallback | None = None,
) -> SelectedRun:
    """`process_selected` for the synchronous `Client`: the same arguments and result (its
    calls run in worker threads under an event loop of its own, so do not call it from a
    running loop)."""
    reads = TenantReads(isc.api, threaded=True)
    settings = _settings(
        reads, batch_size, concurrency, skip_invalid, journal, resume, wait, wait_timeout,
        wait_budget, page_size,
    )  # fmt: skip
    return asyncio.run(
        _run_selected(
            reads,
            _selection(query, filters),
            settings,
            lambda batch: asyncio.to_thread(isc.process_identities, batch),
            lambda: isc.stats,
            on_progress,
            on_wait_progress,
        )
    )


async def check_status(
    isc: AsyncClient,
    journal: str | Path,
    *,
    wait: bool = False,
    wait_timeout: float | None = None,
    budget: float | None = None,
    on_progress: ProgressCallback | None = None,
) -> StatusReport:
    """Check whether processing finished for every identity a run's `journal` (of
    `identities process`, any kind of input) has a 202 for, as `iscctl identities status`.

    Without `wait`, every identity is read once, using up to `budget` of the rate limit
    (a share, default half: nothing else of the run waits on it); with it, reading goes
    on until all settled or `wait_timeout`, within `budget` (default 5 %). Raises
    `JournalError` for a journal that cannot be read.
    """
    reads = TenantReads(isc.api)
    return await _check(reads, Path(journal), wait, wait_timeout, budget, on_progress)


def check_status_sync(
    isc: Client,
    journal: str | Path,
    *,
    wait: bool = False,
    wait_timeout: float | None = None,
    budget: float | None = None,
    on_progress: ProgressCallback | None = None,
) -> StatusReport:
    """`check_status` for the synchronous `Client` (the same arguments and report)."""
    reads = TenantReads(isc.api, threaded=True)
    return asyncio.run(_check(reads, Path(journal), wait, wait_timeout, budget, on_progress))


async def retry_failed(
    isc: AsyncClient,
    journal: str | Path,
    *,
    wait: bool = False,
    wait_timeout: float | None = None,
    wait_budget: float = DEFAULT_BUDGET_SHARE,
    new_journal: str | Path | None = None,
    batch_size: int = 250,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> RetryResult:
    """Check `journal`'s run, then process again just the identities that ended in error,
    as `iscctl identities process --retry-failed JOURNAL`.

    The retry is a new run with its own journal (`new_journal`, else a new default path)
    whose selection records name the journal it retried; `wait` waits for it as
    `process_selected` does.
    """
    return await _retry(
        TenantReads(isc.api),
        Path(journal),
        _RetrySettings(wait, wait_timeout, wait_budget, new_journal, batch_size, concurrency),
        lambda batch: isc.process_identities(batch),
        lambda: isc.stats,
    )


def retry_failed_sync(
    isc: Client,
    journal: str | Path,
    *,
    wait: bool = False,
    wait_timeout: float | None = None,
    wait_budget: float = DEFAULT_BUDGET_SHARE,
    new_journal: str | Path | None = None,
    batch_size: int = 250,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> RetryResult:
    """`retry_failed` for the synchronous `Client` (the same arguments and result)."""
    return asyncio.run(
        _retry(
            TenantReads(isc.api, threaded=True),
            Path(journal),
            _RetrySettings(wait, wait_timeout, wait_budget, new_journal, batch_size, concurrency),
            lambda batch: asyncio.to_thread(isc.process_identities, batch),
            lambda: isc.stats,
        )
    )


class _RetrySettings(NamedTuple):
    wait: bool
    wait_timeout: float | None
    wait_budget: float
    new_journal: str | Path | None
    batch_size: int
    concurrency: int


async def _retry(
    reads: TenantReads,
    journal: Path,
    settings: _RetrySettings,
    send: Sender,
    stats: Callable[[], Any],
) -> RetryResult:
    checked = await _check(reads, journal, False, None, None, None)
    errors = checked.error_ids()
    if not errors:
        return RetryResult(checked, None)
    run_settings = _settings(
        reads, settings.batch_size, settings.concurrency, False, settings.new_journal, None,
        settings.wait, settings.wait_timeout, settings.wait_budget, None,
    )  # fmt: skip
    run = await _run_selected(
        reads,
        Selection("retry-failed", str(journal)),
        run_settings,
        send,
        stats,
        None,
        None,
        ids=errors,
    )
    return RetryResult(checked, run)


async def _check(
    reads: TenantReads,
    journal: Path,
    wait: bool,
    wait_timeout: float | None,
    budget: float | None,
    on_progress: ProgressCallback | None,
) -> StatusReport:
    options = WaitOptions(
        timeout=wait_timeout,
        budget_share=budget or (DEFAULT_BUDGET_SHARE if wait else STATUS_BUDGET_SHARE),
        rate_limit=rate_limit_of(reads),
        single_pass=not wait,
    )
    waiter = waiter_for(reads, journal, options, on_progress)
    await waiter.run()
    return status_report(waiter, journal)


async def _run_selected(
    reads: TenantReads,
    selection: Selection | None,
    settings: RunSettings,
    send: Sender,
    stats: Callable[[], Any],
    on_progress: Callable[[int], None] | None,
    on_wait_progress: ProgressCallback | None,
    *,
    ids: list[str] | None = None,
) -> SelectedRun:
    job = SelectedJob(reads, selection, settings, preset=ids)
    try:
        await job.start()
        await job.send(send, stats, on_progress=on_progress)
        journal = job.job.report.journal
        if settings.wait and journal is not None and not job.job.report.interrupted:
            waiter = job.waiter(settings.wait_options, on_wait_progress)
            await waiter.run()
            job.result.status = status_report(waiter, journal)
            journal_waited(journal, job.result.status)
        return job.result
    finally:
        job.close()


def _selection(query: str | None, filters: str | None) -> Selection | None:
    if query is not None and filters is not None:
        raise ValueError("give a query or filters, not both")
    for kind, text in (("query", query), ("filters", filters)):
        if text is not None:
            if not text.strip():
                raise ValueError(f"the {kind} is empty")
            return Selection(kind, text)  # type: ignore[arg-type]
    return None


def _settings(
    reads: TenantReads,
    batch_size: int,
    concurrency: int,
    skip_invalid: bool,
    journal: str | Path | None,
    resume: str | Path | None,
    wait: bool,
    wait_timeout: float | None,
    wait_budget: float,
    page_size: int | None,
) -> RunSettings:
    return RunSettings(
        batch_size=batch_size,
        concurrency=concurrency,
        skip_invalid=skip_invalid,
        journal=Path(journal) if journal is not None else None,
        resume=Path(resume) if resume is not None else None,
        wait=wait,
        wait_options=WaitOptions(
            timeout=wait_timeout, budget_share=wait_budget, rate_limit=rate_limit_of(reads)
        ),
        page_size=page_size,
    )
