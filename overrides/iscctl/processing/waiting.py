"""Waiting until processing finished: paced polls inside a small share of the rate budget.

The tenant's limit (100 requests per 10 s per client and API version) is shared
by every call of the client, so a wait must never starve the work it waits on:
its calls are spaced `window / (requests * share)` apart (2 s at the default 5 %
share), on top of the client's own pacer. Each slot is spent on the most useful
read:

1. the task of the first batch, once: does the tenant track process tasks
   (`GET /task-status/{id}`; a 404 means "not tracked", never a failure)?
2. the processing details (`POST /search`) of identities read as `ERROR`;
3. every fourth slot, while the tenant tracks tasks, the task of a batch whose
   identities all settled (its `completionStatus` for the report);
4. otherwise the next 250 pending identities (`GET /identities` with
   `filters=id in (...)`), oldest batch first, wrapping round.

`request_stop()` (Ctrl-C) ends the wait at the next slot, or at once while
sleeping; the journal already holds everything `identities status` needs.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Literal, Protocol

from attrs import define, field

from iscctl.errors import APIStatusError, ISCError, NotFoundError
from iscctl.processing.accepted import AcceptedBatch
from iscctl.processing.verification import ProcessingDetails, Reading, WatchList

DEFAULT_BUDGET_SHARE = 0.05
IDS_PER_READ = 250
"""The list endpoint's largest page; the id list rides in the URL (about 10 KB)."""
TASK_SLOT_EVERY = 4
FAILED_READS_TO_STOP = 5
NOT_TRACKED_TO_STOP = 3
"""Tasks answered 404 in a row, none answered 200: the tenant does not track process tasks."""
FINAL_TASK_READS = 4
"""Task reads still spent once every identity settled, so a small run reports its tasks'
final status without a large one lingering for them."""

TaskState = Literal["polled", "notTracked", "notPolled"]


@define
class TaskReading:
    """What `GET /task-status/{id}` says about a batch's task."""

    completion_status: str | None
    percent_complete: int | None = None


@define
class BatchWatch:
    """A batch and what is known of its task."""

    batch: AcceptedBatch
    task_state: TaskState = "notPolled"
    task: TaskReading | None = None
    task_error: str | None = None
    reads: int = 0


class StatusSource(Protocol):
    """The reads a wait makes; implemented over the generated client."""

    async def read_identities(self, ids: Sequence[str]) -> list[Reading]: ...

    async def error_details(self, ids: Sequence[str]) -> dict[str, ProcessingDetails | None]: ...

    async def task_status(self, task_id: str) -> TaskReading | None:
        """None when the tenant answers 404 (it does not know the task)."""
        ...


@define
class WaitOptions:
    """How a wait behaves; the defaults are those of the command line."""

    timeout: float | None = None
    """Seconds to wait at most (None: until every identity settled)."""
    budget_share: float = DEFAULT_BUDGET_SHARE
    rate_limit: tuple[int, float] = (100, 10.0)
    """The client's limit, requests per seconds; the wait uses `budget_share` of it."""
    ids_per_read: int = IDS_PER_READ
    poll_tasks: bool = True
    single_pass: bool = False
    """Read every identity once and stop (`identities status`), instead of until all settled."""

    def __attrs_post_init__(self) -> None:
        if not 0 < self.budget_share <= 1:
            raise ValueError(f"budget share must be in (0, 1], not {self.budget_share}")
        if self.timeout is not None and self.timeout < 0:
            raise ValueError(f"timeout must be >= 0 seconds, not {self.timeout}")
        if not 1 <= self.ids_per_read <= IDS_PER_READ:
            raise ValueError(f"ids per read must be 1 to {IDS_PER_READ}")

    @property
    def interval(self) -> float:
        requests, seconds = self.rate_limit
        return seconds / (requests * self.budget_share)


@define
class WaitStats:
    """What the wait spent."""

    identity_reads: int = 0
    detail_reads: int = 0
    task_reads: int = 0
    failed_reads: int = 0
    elapsed: float = 0.0
    last_error: str | None = None

    @property
    def calls(self) -> int:
        return self.identity_reads + self.detail_reads + self.task_reads

    def budget_share(self, rate_limit: tuple[int, float]) -> float:
        """Calls made as a share of what the rate limit allowed during the wait."""
        requests, seconds = rate_limit
        allowed = requests * max(self.elapsed, seconds) / seconds
        return self.calls / allowed if allowed else 0.0


@define
class WaitOutcome:
    """How the wait ended."""

    timed_out: bool = False
    interrupted: bool = False
    fatal_error: str | None = None
    stats: WaitStats = field(factory=WaitStats)


ProgressCallback = Callable[[WatchList], None]


class Waiter:
    """Polls `source` until every identity of `watch` settled, the timeout, or a stop."""

    def __init__(
        self,
        source: StatusSource,
        watch: WatchList,
        batches: Sequence[AcceptedBatch],
        options: WaitOptions,
        *,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self.source = source
        self.watch = watch
        self.options = options
        self.batches = {batch.number: BatchWatch(batch) for batch in batches}
        self.outcome = WaitOutcome()
        self.on_progress = on_progress
        self._stop = asyncio.Event()
        self._tracking: bool | None = None if options.poll_tasks else False
        self._not_tracked_in_a_row = 0
        self._failed_in_a_row = 0
        self._slot = 0
        self._final_task_reads = 0
        self.unanswered = 0
        """Ids sent without a recorded answer (not waited for); set by whoever built the watch."""
        self._next_start = 0.0

    def request_stop(self) -> None:
        self.outcome.interrupted = True
        self._stop.set()

    async def run(self) -> WaitOutcome:
        started = time.monotonic()
        deadline = None if self.options.timeout is None else started + self.options.timeout
        # The first read one interval in, like every other: n reads then take n intervals, so
        # the share of the budget holds from the first minute on (and right after the last
        # 202 nothing has been processed yet anyway).
        self._next_start = started + self.options.interval
        try:
            while not self._stop.is_set():
                work = self._next_work()
                if work is None:
                    break
                if not await self._take_slot(deadline):
                    break
                await work()
                self._report_progress()
        finally:
            self.outcome.stats.elapsed = time.monotonic() - started
        return self.outcome

    # -- choosing what to read --------------------------------------------------------
    def _next_work(self) -> Callable[[], Awaitable[None]] | None:
        """The read for the next slot, or None when there is nothing left to learn."""
        self._slot += 1
        if self._tracking is None:
            probe = next(
                (b for b in self.batches.values() if b.batch.task_id and b.reads == 0), None
            )
            if probe is not None:
                return partial(self._read_task, probe)
            self._tracking = False
        needs = self.watch.needs_details()
        if needs:
            return partial(self._read_details, needs[: self.options.ids_per_read])
        if self.watch.settled:
            batch = self._task_to_read()
            if batch is not None and self._final_task_reads < FINAL_TASK_READS:
                self._final_task_reads += 1
                return partial(self._read_task, batch)
            return None
        if self._slot % TASK_SLOT_EVERY == 0:
            batch = self._task_to_read()
            if batch is not None:
                return partial(self._read_task, batch)
        chunk = self.watch.next_chunk(self.options.ids_per_read, wrap=not self.options.single_pass)
        if chunk:
            return partial(self._read_identities, chunk)
        if self.watch.needs_details():  # the last chunk found errors: their details first
            return self._next_work()
        batch = self._task_to_read() if self.options.single_pass else None
        if batch is not None and self._final_task_reads < FINAL_TASK_READS:
            self._final_task_reads += 1
            return partial(self._read_task, batch)
        return None

    def _task_to_read(self) -> BatchWatch | None:
        """A settled batch whose task has not told its final status yet (two reads at most)."""
        if not self._tracking:
            return None
        for batch in self.batches.values():
            unfinished = batch.task is None or batch.task.completion_status is None
            if (
                batch.batch.task_id
                and batch.reads < 2
                and batch.task_state != "notTracked"
                and unfinished
                and self.watch.batch_settled(batch.batch.number)
            ):
                return batch
        return None

    async def _take_slot(self, deadline: float | None) -> bool:
        """Sleep until the next slot of the wait's budget; False when the deadline or a stop
        comes first."""
        now = time.monotonic()
        start = max(now, self._next_start)
        if deadline is not None and start > deadline:
            self.outcome.timed_out = True
            return False
        if start > now:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), start - now)
            if self._stop.is_set():
                return False
        self._next_start = start + self.options.interval
        return True

    # -- the reads ------------------------------------------------------------------------
    async def _read_identities(self, chunk: list[str]) -> None:
        stats = self.outcome.stats
        stats.identity_reads += 1
        try:
            readings = await self.source.read_identities(chunk)
        except ISCError as error:
            self._failed(error, fatal=_about_the_request(error))
            return
        self._failed_in_a_row = 0
        returned = set()
        for reading in readings:
            returned.add(reading.id)
            self.watch.observe(reading)
        for identity in chunk:
            if identity not in returned:
                self.watch.absent(identity)

    async def _read_details(self, chunk: list[str]) -> None:
        self.outcome.stats.detail_reads += 1
        try:
            details = await self.source.error_details(chunk)
        except ISCError as error:
            self._failed(error, fatal=False)
            for identity in chunk:  # reported without details rather than asked for forever
                self.watch.explain(identity, ProcessingDetails(message=f"not readable: {error}"))
            return
        self._failed_in_a_row = 0
        for identity in chunk:
            self.watch.explain(identity, details.get(identity) or ProcessingDetails())

    async def _read_task(self, batch: BatchWatch) -> None:
        self.outcome.stats.task_reads += 1
        batch.reads += 1
        assert batch.batch.task_id is not None
        try:
            reading = await self.source.task_status(batch.batch.task_id)
        except ISCError as error:
            batch.task_state, batch.task_error = "polled", str(error)
            self._failed(error, fatal=False)
            if self._tracking is None:
                self._tracking = False
            return
        self._failed_in_a_row = 0
        if reading is None:
            batch.task_state = "notTracked"
            self._not_tracked_in_a_row += 1
            if self._tracking is None and self._not_tracked_in_a_row >= NOT_TRACKED_TO_STOP:
                self._tracking = False
        else:
            batch.task_state, batch.task = "polled", reading
            self._tracking = True
            self._not_tracked_in_a_row = 0

    def _failed(self, error: ISCError, *, fatal: bool) -> None:
        stats = self.outcome.stats
        stats.failed_reads += 1
        stats.last_error = str(error)
        self._failed_in_a_row += 1
        if fatal or self._failed_in_a_row >= FAILED_READS_TO_STOP:
            self.outcome.fatal_error = (
                str(error) if fatal else f"{self._failed_in_a_row} reads in a row failed: {error}"
            )
            self._stop.set()

    def _report_progress(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.watch)


def _about_the_request(error: ISCError) -> bool:
    """A 400/401/403/404 on the identities list repeats for every read: stop waiting."""
    if isinstance(error, NotFoundError):
        return True
    return isinstance(error, APIStatusError) and error.status in (400, 401, 403)
