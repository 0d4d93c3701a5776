"""The result of waiting for (or later checking) a run: per identity, per batch, in total.

The same report comes out of `identities process --wait`, `identities status
JOURNAL` and the Python API. Its JSON form (camelCase, schema in
`docs/schemas/status-report.schema.json`) lists every identity that ended in
error with the tenant's processing details, every identity still pending, and
every batch with its task's status.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from attrs import define, field

from iscctl.exit_codes import ExitCode
from iscctl.processing.presentation import wrapped
from iscctl.processing.verification import State, Watched, WatchList
from iscctl.processing.waiting import BatchWatch, WaitOutcome

MAX_SHOWN = 20
"""Identities listed on the terminal per state; the JSON report lists them all."""


@define
class IdentityOutcome:
    """How processing ended for one identity (`state` pending: not known to have ended)."""

    id: str
    state: State
    batch: int
    task_id: str | None
    last_refresh: datetime | None
    processing_state: str | None
    stage: str | None = None
    message: str | None = None
    retry_count: int | None = None
    details_date: datetime | None = None


@define
class StatusReport:
    """Everything a wait or a status check found. `exit_code` is what the command exits with."""

    journal: Path | None
    watch: WatchList
    batches: list[BatchWatch] = field(factory=list)
    outcome: WaitOutcome = field(factory=WaitOutcome)
    rate_limit: tuple[int, float] = (100, 10.0)
    unanswered: int = 0
    """Ids whose batch had no recorded answer (killed in flight): not checked."""

    @property
    def identities(self) -> int:
        return len(self.watch)

    @property
    def finished(self) -> int:
        return self.watch.counts["finished"]

    @property
    def errors(self) -> int:
        return self.watch.counts["error"]

    @property
    def pending(self) -> int:
        return self.watch.counts["pending"]

    @property
    def missing(self) -> int:
        return self.watch.counts["missing"]

    @property
    def complete(self) -> bool:
        """Every identity finished or ended in error."""
        return self.watch.settled and not self.missing

    @property
    def exit_code(self) -> int:
        """130 interrupted; 4 some ended in error; 3 nothing could be read; 1 still pending or
        gone; 0 every identity finished cleanly."""
        if self.outcome.interrupted:
            return ExitCode.INTERRUPTED
        if self.errors:
            return ExitCode.PROCESSING_ERRORS
        stats = self.outcome.stats
        if self.outcome.fatal_error and stats.failed_reads == stats.calls:
            return ExitCode.CANNOT_START
        if self.pending or self.missing or self.outcome.fatal_error:
            return ExitCode.FAILED_ITEMS
        return ExitCode.OK

    def outcomes(self, state: State | None = None) -> Iterator[IdentityOutcome]:
        """The outcome of every identity (or of those in `state`), in the order sent."""
        tasks = {batch.batch.number: batch.batch.task_id for batch in self.batches}
        for identity, watched in self.watch.identities.items():
            if state is None or watched.state == state:
                yield _outcome(identity, watched, tasks.get(watched.batch))

    def error_ids(self) -> list[str]:
        return [identity for identity, _ in self.watch.in_state("error")]

    # -- JSON ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        stats = self.outcome.stats
        return {
            "journal": str(self.journal) if self.journal else None,
            "complete": self.complete,
            "exitCode": int(self.exit_code),
            "counts": {
                "identities": self.identities,
                "finished": self.finished,
                "error": self.errors,
                "pending": self.pending,
                "missing": self.missing,
                "unanswered": self.unanswered,
            },
            "timedOut": self.outcome.timed_out,
            "interrupted": self.outcome.interrupted,
            "fatalError": self.outcome.fatal_error,
            "waited": {
                "seconds": round(stats.elapsed, 3),
                "calls": stats.calls,
                "identityReads": stats.identity_reads,
                "detailReads": stats.detail_reads,
                "taskReads": stats.task_reads,
                "failedReads": stats.failed_reads,
                "budgetShare": round(stats.budget_share(self.rate_limit), 4),
            },
            "errors": [_outcome_dict(item, details=True) for item in self.outcomes("error")],
            "pending": [_outcome_dict(item) for item in self.outcomes("pending")],
            "missing": [_outcome_dict(item) for item in self.outcomes("missing")],
            "batches": [_batch_dict(batch) for batch in self.batches],
        }

    # -- text ------------------------------------------------------------------------------
    def summary_lines(self) -> list[str]:
        """The text summary, every line within 80 columns (long messages wrap, indented)."""
        lines: list[str] = []
        for item in _first(self.outcomes("error")):
            where = f"{item.stage}: " if item.stage else ""
            retries = f" (retried {item.retry_count}x)" if item.retry_count else ""
            lines += wrapped(f"error {item.id}: {where}{item.message or 'no details'}{retries}")
        if self.errors > MAX_SHOWN:
            lines.append(f"... {self.errors - MAX_SHOWN:,} more in error (see --format json)")
        untracked = [b for b in self.batches if b.task_state == "notTracked"]
        for batch in _first(iter(untracked)):
            lines += wrapped(
                f"batch {batch.batch.number}: task {batch.batch.task_id} not tracked by the "
                "tenant (404 at /task-status); judged by its identities"
            )
        stats = self.outcome.stats
        lines += [
            f"identities      {self.identities:>10,}",
            f"  finished      {self.finished:>10,}",
            f"  in error      {self.errors:>10,}",
            f"  pending       {self.pending:>10,}",
        ]
        if self.missing:
            lines.append(f"  missing       {self.missing:>10,} (no longer in the tenant)")
        if self.unanswered:
            lines.append(f"not checked     {self.unanswered:>10,} (sent without a recorded answer)")
        polled = [b for b in self.batches if b.task is not None]
        if polled:
            statuses: dict[str, int] = {}
            for batch in polled:
                assert batch.task is not None
                key = batch.task.completion_status or "not finished"
                statuses[key] = statuses.get(key, 0) + 1
            shown = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
            lines.append(f"tasks           {len(polled):>10,} read: {shown}")
        lines.append(
            f"waited          {stats.elapsed:>10.1f} s  {stats.calls:,} reads, "
            f"{stats.budget_share(self.rate_limit):.1%} of the rate budget"
        )
        if self.outcome.timed_out:
            lines.append(f"timed out with {self.pending:,} identities still pending")
        if self.outcome.fatal_error:
            lines += wrapped(f"stopped: {self.outcome.fatal_error}")
        return lines


def _first(items: Iterator[Any]) -> Iterator[Any]:
    for count, item in enumerate(items):
        if count == MAX_SHOWN:
            return
        yield item


def _outcome(identity: str, watched: Watched, task_id: str | None) -> IdentityOutcome:
    details = watched.details
    return IdentityOutcome(
        id=identity,
        state=watched.state,
        batch=watched.batch,
        task_id=task_id,
        last_refresh=watched.last_refresh,
        processing_state=watched.processing_state,
        stage=details.stage if details else None,
        message=details.message if details else None,
        retry_count=details.retry_count if details else None,
        details_date=details.date if details else None,
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _outcome_dict(item: IdentityOutcome, *, details: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": item.id,
        "batch": item.batch,
        "taskId": item.task_id,
        "lastRefresh": _iso(item.last_refresh),
        "processingState": item.processing_state,
    }
    if details:
        result["processingDetails"] = {
            "stage": item.stage,
            "message": item.message,
            "retryCount": item.retry_count,
            "date": _iso(item.details_date),
        }
    return result


def _batch_dict(batch: BatchWatch) -> dict[str, Any]:
    task = batch.task
    return {
        "batch": batch.batch.number,
        "size": batch.batch.size,
        "taskId": batch.batch.task_id,
        "sentAt": _iso(batch.batch.sent_at),
        "task": {
            "state": batch.task_state,
            "completionStatus": task.completion_status if task else None,
            "percentComplete": task.percent_complete if task else None,
            "error": batch.task_error,
        },
    }
