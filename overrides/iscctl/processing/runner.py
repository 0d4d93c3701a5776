"""The engine: send batches concurrently, isolate refused ids, journal every step.

A fixed pool of workers pulls batches from one iterator (or, for a selection read
while it is sent, one async iterator, pulled by one worker at a time). The client paces
itself under the tenant's rate limit and retries 429/5xx/connection failures,
so the pool only has to be large enough that the pacer, not the round trip,
is the bottleneck. Each request is journaled before it leaves and again when
its outcome is known; `request_stop()` (the first Ctrl-C) stops handing out
batches while the requests in flight finish, and cancelling the run records
those still in flight as `unknown`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterator, Sequence
from typing import Any, Protocol

from iscctl.errors import (
    APIError,
    APIStatusError,
    AuthenticationError,
    ISCError,
    PermissionDeniedError,
)
from iscctl.processing.isolation import named_ids, reason_of, refusal_about_ids
from iscctl.processing.journal import JournalWriteError, JournalWriter
from iscctl.processing.report import BatchResult, ProcessReport, RejectedId

DEFAULT_CONCURRENCY = 4
"""Requests in flight. Enough for the tenant's 100 requests per 10 s while a round trip
takes under 0.4 s (100 x 0.4 s / 4 = 10 s); more only adds queueing (the pacer counts
each window from an answer, so queueing costs time, not 429s: see docs/processing.md)."""
FAILURES_IN_A_ROW_TO_STOP = 5
"""After this many failed requests with no success between them, the tenant is
unreachable or broken: stop instead of retrying every remaining batch."""


class TaskResult(Protocol):
    """What the facade returns for a 202 (`iscctl_client.models.TaskResultResponse`)."""

    @property
    def id(self) -> Any: ...


SendBatch = Callable[[list[str]], Awaitable[TaskResult]]
ProgressCallback = Callable[[int], None]
Batches = Iterator[list[str]] | AsyncGenerator[list[str], None]


class BatchRunner:
    """Runs batches through `send`, filling `report` and the journal as it goes."""

    def __init__(
        self,
        send: SendBatch,
        report: ProcessReport,
        *,
        journal: JournalWriter | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        first_batch_number: int = 1,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._send = send
        self._report = report
        self._journal = journal
        self._concurrency = concurrency
        self._next_number = first_batch_number
        self._on_progress = on_progress
        self._stopping = False
        self._failures_in_a_row = 0
        self._taking = asyncio.Lock()
        self._handed_out = 0
        self._source_error: BaseException | None = None

    @property
    def stopping(self) -> bool:
        return self._stopping

    def request_stop(self) -> None:
        """Send no new batch; the requests in flight finish and are journaled."""
        if not self._stopping:
            self._stopping = True
            self._report.interrupted = True

    async def run(self, batches: Batches) -> None:
        """Send every batch; returns when all are done or a stop was requested.

        Cancelled, it cancels the requests in flight (journaled as `unknown`)
        and re-raises; the ids never handed out are counted as not sent. An error
        raised by an async source (a selection that cannot go on) stops the run as
        a stop request does, the requests in flight finishing, and is raised then.
        """
        workers: list[asyncio.Task[None]] = []
        try:
            first = await self._take(batches)
            if first is not None:
                # First contact alone: credentials refused or a tenant that cannot be
                # reached is then found with one request, not one per worker.
                await self._process(first)
            if not self._stopping:
                workers = [
                    asyncio.create_task(self._worker(batches)) for _ in range(self._concurrency)
                ]
                await asyncio.gather(*workers)
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            if isinstance(batches, Iterator):
                self._report.not_sent += sum(len(batch) for batch in batches)
            else:
                await batches.aclose()
                self._report.not_sent += max(0, self._report.to_send - self._handed_out)
        if self._source_error is not None:
            raise self._source_error

    async def _worker(self, batches: Batches) -> None:
        while not self._stopping:
            batch = await self._take(batches)
            if batch is None:
                return
            await self._process(batch)

    async def _take(self, batches: Batches) -> list[str] | None:
        """The next batch, or None when there is none or the run is stopping."""
        if isinstance(batches, Iterator):
            return next(batches, None)
        async with self._taking:
            if self._stopping:
                return None
            try:
                batch = await anext(batches, None)
            except Exception as error:  # the source's own error: raised by run() at the end
                self._source_error = error
                self._stopping = True
                return None
            if batch is None or self._stopping:  # a stop asked for while the page was read
                return None
            self._handed_out += len(batch)
            return batch

    async def _process(self, batch: list[str]) -> None:
        """Send one batch; while it is refused for its ids, split it until only bad ids are left."""
        pending: list[tuple[list[str], int | None]] = [(batch, None)]
        rejected_before = len(self._report.rejected)
        while pending:
            ids, parent = pending.pop()
            if self._stopping and parent is not None:
                self._report.not_sent += len(ids)
                continue
            number = self._next_number
            self._next_number += 1
            if not self._write(
                {"type": "sending", "batch": number, "size": len(ids), "parent": parent, "ids": ids}
            ):
                self._report.not_sent += len(ids)  # never sent unjournaled
                continue
            try:
                task = await self._send(ids)
            except asyncio.CancelledError:
                self._record_unknown(number, ids, parent)
                raise
            except ISCError as error:
                pending.extend(self._refused(number, ids, parent, error))
            else:
                self._record_accepted(number, ids, parent, task)
        if len(self._report.rejected) - rejected_before == len(batch) > 1:
            self._nothing_accepted_anywhere(len(batch))

    def _nothing_accepted_anywhere(self, size: int) -> None:
        """Every id of a batch was refused one by one. If no id of the run was accepted
        either, the refusal is most likely about the request, not the ids: stop rather
        than spend 2n-1 requests on every remaining batch."""
        if self._report.processed == 0 and not self._stopping:
            example = self._report.rejected[-1]
            self._report.fatal_error = (
                f"all {size} ids of a batch were refused one by one and none has been "
                f"accepted so far ({example.status} {example.detail_code or ''}: "
                f"{example.message}); check the ids and the tenant"
            )
            self._stopping = True

    def _record_accepted(
        self, number: int, ids: list[str], parent: int | None, task: TaskResult
    ) -> None:
        task_id = task.id if isinstance(task.id, str) else None
        self._failures_in_a_row = 0
        self._write({"type": "accepted", "batch": number, "status": 202, "taskId": task_id})
        self._report.batches.append(
            BatchResult(number, len(ids), "accepted", task_id, 202, parent=parent)
        )
        self._report.processed += len(ids)
        self._progress(len(ids))

    def _record_unknown(self, number: int, ids: list[str], parent: int | None) -> None:
        self._write({"type": "unknown", "batch": number})
        self._report.batches.append(BatchResult(number, len(ids), "unknown", parent=parent))
        self._report.unknown += len(ids)

    def _refused(
        self, number: int, ids: list[str], parent: int | None, error: ISCError
    ) -> list[tuple[list[str], int | None]]:
        """Journal and report a failed request; return the parts of it to send again."""
        if not (isinstance(error, APIStatusError) and refusal_about_ids(error)):
            self._record_failed(number, ids, parent, error)
            return []
        named = named_ids(error, ids)
        bad = dict(named) if named else ({ids[0]: reason_of(error)} if len(ids) == 1 else {})
        self._write(
            {
                "type": "rejected",
                "batch": number,
                "status": error.status,
                "detailCode": error.detail_code,
                "trackingId": error.tracking_id,
                "message": reason_of(error),
                "badIds": sorted(bad),
            }
        )
        self._report.batches.append(
            BatchResult(
                number,
                len(ids),
                "rejected",
                None,
                error.status,
                error.detail_code,
                reason_of(error),
                parent,
            )
        )
        for identity, text in bad.items():
            self._report.rejected.append(
                RejectedId(
                    identity, error.status, error.detail_code, text, error.tracking_id, number
                )
            )
        self._progress(len(bad))
        rest = [identity for identity in ids if identity not in bad]
        if named or not rest:
            return [(rest, number)] if rest else []
        middle = len(rest) // 2
        return [(rest[middle:], number), (rest[:middle], number)]

    def _record_failed(
        self, number: int, ids: list[str], parent: int | None, error: ISCError
    ) -> None:
        status = error.status if isinstance(error, APIStatusError) else None
        detail = error.detail_code if isinstance(error, APIStatusError) else None
        self._write(
            {
                "type": "failed",
                "batch": number,
                "error": type(error).__name__,
                "status": status,
                "detailCode": detail,
                "message": str(error),
            }
        )
        self._report.batches.append(
            BatchResult(number, len(ids), "failed", None, status, detail, str(error), parent)
        )
        self._report.failed += len(ids)
        self._progress(len(ids))
        self._failures_in_a_row += 1
        if self._report.processed == 0 and not self._report.rejected and _before_any_id(error):
            self._report.cannot_start = True
            self._report.fatal_error = str(error)
            self._stopping = True
        elif _stops_everything(error):
            self._report.fatal_error = str(error)
            self._stopping = True
        elif self._failures_in_a_row >= FAILURES_IN_A_ROW_TO_STOP:
            self._report.fatal_error = (
                f"{self._failures_in_a_row} requests in a row failed, the last with: {error}"
            )
            self._stopping = True

    def _write(self, record: dict[str, Any]) -> bool:
        """Journal a record; False when the journal cannot be written (a full disk): the run
        then stops, since a request whose `sending` is not on disk must not leave."""
        if self._journal is None:
            return True
        try:
            self._journal.write(record)
        except JournalWriteError as error:
            if not self._report.journal_failed:
                self._report.fatal_error = str(error)
                self._report.journal_failed = True
            self._stopping = True
            return False
        return True

    def _progress(self, count: int) -> None:
        if self._on_progress is not None and count:
            self._on_progress(count)


def _stops_everything(error: ISCError) -> bool:
    """Errors every further batch would meet too: wrong credentials, scopes, URL or headers."""
    if isinstance(error, AuthenticationError | PermissionDeniedError):
        return True
    if isinstance(error, APIStatusError) and error.status in (400, 404):
        return True  # not about the ids (see refusal_about_ids), so about the request
    return not isinstance(error, APIError)


def _before_any_id(error: ISCError) -> bool:
    """On the first request, an error that is about the run, not its ids: credentials,
    scopes, the operation's path or version. (A tenant that cannot be reached at all is
    found before, by `preflight.check_reachable`.)"""
    return _stops_everything(error)


def chunked(ids: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])
