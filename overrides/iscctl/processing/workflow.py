"""Reprocessing as a whole job: choose the identities, process them, know that it finished.

The Python API of #15, over the engine `iscctl identities process --query/--filters/--wait`,
`identities status` and `--retry-failed` run on (`selected_run.py`, the waits here):

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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from iscctl.core import DEFAULT_RATE_LIMIT
from iscctl.processing.accepted import read_accepted
from iscctl.processing.journal import JournalWriter
from iscctl.processing.runner import DEFAULT_CONCURRENCY
from iscctl.processing.selected_run import RunSettings, SelectedJob, SelectedRun, Sender
from iscctl.processing.selection import Selection
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
            waiter = waiter_for(reads, journal, settings.wait_options, on_wait_progress)
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
