"""The typed result of a run, its one-screen summary and its JSON form."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, TextIO

from attrs import define, field

from iscctl.exit_codes import ExitCode
from iscctl.processing.presentation import fit, plural, wrapped
from iscctl.processing.validation import InvalidId

Outcome = Literal["accepted", "rejected", "failed", "unknown"]
TASK_IDS_SHOWN = 3
"""Task ids printed in the text summary; the JSON result and the journal hold them all."""


@define
class BatchResult:
    """One request of the run; `parent` is the refused batch it was split from."""

    number: int
    size: int
    outcome: Outcome
    task_id: str | None = None
    status: int | None = None
    detail_code: str | None = None
    message: str | None = None
    parent: int | None = None


@define
class RejectedId:
    """An id the tenant refused, with the tenant's reason."""

    id: str
    status: int
    detail_code: str | None
    message: str
    tracking_id: str | None = None
    batch: int | None = None


@define
class ProcessReport:
    """Everything a run did. `exit_code` is what the command line exits with."""

    inputs: list[str] = field(factory=list)
    journal: Path | None = None
    dry_run: bool = False
    read: int = 0
    invalid_count: int = 0
    invalid: list[InvalidId] = field(factory=list)
    duplicates: int = 0
    already_processed: int = 0
    to_send: int = 0
    processed: int = 0
    rejected: list[RejectedId] = field(factory=list)
    failed: int = 0
    unknown: int = 0
    not_sent: int = 0
    batches: list[BatchResult] = field(factory=list)
    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    elapsed: float = 0.0
    interrupted: bool = False
    fatal_error: str | None = None
    cannot_start: bool = False
    """The run could not begin (credentials refused, tenant unreachable): exit 3, no resume."""
    journal_failed: bool = False
    """Writing the journal failed mid-run (a full disk): the run stopped there."""
    missing_from_input: int = 0
    """Resume with --allow-missing: ids the journal planned, never finished, and not in this
    input. Accepted knowingly, so they do not change the exit status; counted in the report."""

    @property
    def unique(self) -> int:
        return self.read - self.invalid_count - self.duplicates

    @property
    def ids_per_second(self) -> float:
        return self.processed / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def complete(self) -> bool:
        """Every valid unique id was processed (now or in the run being resumed)."""
        return (
            not self.dry_run
            and not self.interrupted
            and self.processed + self.already_processed == self.unique
        )

    @property
    def unfinished(self) -> bool:
        """Something is left that a resume would send: the run was interrupted, or ids
        failed, are in doubt, or were never sent."""
        return bool(self.interrupted or self.failed or self.unknown or self.not_sent)

    @property
    def exit_code(self) -> int:
        """0 when every id read was processed, 130 when interrupted, 3 when the run could not
        start at all, else 1 (see `iscctl.exit_codes.ExitCode`)."""
        if self.interrupted:
            return ExitCode.INTERRUPTED
        if self.dry_run:
            return ExitCode.OK
        if self.cannot_start:
            return ExitCode.CANNOT_START
        if self.complete and not self.invalid_count:
            return ExitCode.OK
        return ExitCode.FAILED_ITEMS

    def accepted_batches(self) -> list[BatchResult]:
        return [batch for batch in self.batches if batch.outcome == "accepted"]

    def summary_dict(self) -> dict[str, Any]:
        """Everything but the per-batch and per-id lists."""
        return {
            "inputs": self.inputs,
            "journal": str(self.journal) if self.journal else None,
            "dryRun": self.dry_run,
            "complete": self.complete,
            "exitCode": int(self.exit_code),
            "counts": {
                "read": self.read,
                "invalid": self.invalid_count,
                "duplicates": self.duplicates,
                "unique": self.unique,
                "alreadyProcessed": self.already_processed,
                "toSend": self.to_send,
                "processed": self.processed,
                "rejected": len(self.rejected),
                "failed": self.failed,
                "unknown": self.unknown,
                "notSent": self.not_sent,
                "missingFromInput": self.missing_from_input,
                "batches": len(self.batches),
                "requests": self.requests,
                "retries": self.retries,
                "rateLimited": self.rate_limited,
            },
            "elapsedSeconds": round(self.elapsed, 3),
            "idsPerSecond": round(self.ids_per_second, 1),
            "interrupted": self.interrupted,
            "cannotStart": self.cannot_start,
            "fatalError": self.fatal_error,
        }

    def lists(self) -> dict[str, Iterator[dict[str, Any]]]:
        """The per-batch task ids and outcomes, the rejected ids and the invalid values."""
        return {
            "batches": (_batch_dict(batch) for batch in self.batches),
            "rejected": (_rejected_dict(item) for item in self.rejected),
            "invalid": (_invalid_dict(item) for item in self.invalid),
        }

    def to_dict(self) -> dict[str, Any]:
        """The machine-readable result as one dict (what `write_json` writes)."""
        return {**self.summary_dict(), **{key: list(items) for key, items in self.lists().items()}}

    def write_json(
        self, out: TextIO, extra: Mapping[str, Iterable[dict[str, Any]]] | None = None
    ) -> None:
        """Write `to_dict()` as JSON, one list item per line, without building it in memory
        (a million ids make 4,000 batches: the document would cost more than the run)."""
        out.write("{\n")
        for key, value in self.summary_dict().items():
            out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
        lists = {**self.lists(), **(extra or {})}
        for position, (key, items) in enumerate(lists.items(), start=1):
            out.write(f"  {json.dumps(key)}: [")
            separator = "\n    "
            for item in items:
                out.write(separator + json.dumps(item, ensure_ascii=False))
                separator = ",\n    "
            out.write("]" if separator == "\n    " else "\n  ]")
            out.write(",\n" if position < len(lists) else "\n")
        out.write("}\n")

    def summary_lines(self) -> list[str]:
        """The human summary printed at the end of a run; every line fits 80 columns (but
        for a long path, which is never cut)."""
        lines = [
            f"ids read        {self.read:>10,}",
            f"  invalid       {self.invalid_count:>10,}"
            + (" (skipped)" if self.invalid_count else ""),
            f"  duplicates    {self.duplicates:>10,}",
            f"  unique        {self.unique:>10,}",
        ]
        if self.already_processed:
            lines.append(
                f"  already done  {self.already_processed:>10,} (202 in the resumed journal)"
            )
        if self.missing_from_input:
            lines.append(
                f"  not in input  {self.missing_from_input:>10,} (planned by the journal; "
                "--allow-missing)"
            )
        accepted = self.accepted_batches()
        lines += [f"processed       {self.processed:>10,} in {plural(len(accepted), 'batch')}"]
        lines += self._task_lines(accepted)
        lines.append(f"rejected        {len(self.rejected):>10,}")
        for reason, count in _reasons(self.rejected):
            lines.append(fit(f"  {count:>6,} x {reason}"))
        if self.failed:
            lines.append(
                f"failed          {self.failed:>10,} (not refused for their ids; resume retries)"
            )
            for reason, count in _failure_reasons(self.batches):
                lines += wrapped(f"  {count:>6,} x {reason}", indent=" " * 11)
        if self.unknown:
            lines.append(
                f"unknown         {self.unknown:>10,} (interrupted in flight; resume sends)"
            )
        if self.not_sent:
            lines.append(f"not sent        {self.not_sent:>10,}")
        lines += [
            f"requests        {self.requests:>10,}"
            f"  retries {self.retries:,}  429s {self.rate_limited:,}",
            f"elapsed         {self.elapsed:>10.1f} s  {self.ids_per_second:,.0f} ids/s",
        ]
        if self.fatal_error:
            lines += wrapped(f"stopped: {self.fatal_error}")
        return lines

    def _task_lines(self, accepted: list[BatchResult]) -> list[str]:
        """The task ids ISC gave the accepted batches: a few here, all in the journal."""
        task_ids = [batch.task_id for batch in accepted if batch.task_id]
        if not task_ids:
            return []
        shown = task_ids[:TASK_IDS_SHOWN]
        lines = [f"  task ids      {shown[0]}", *(f"                {t}" for t in shown[1:])]
        if len(task_ids) > len(shown):
            more = len(task_ids) - len(shown)
            lines.append(f"                ({more:,} more: --output FILE, or the journal)")
        return [fit(line) for line in lines]


def _batch_dict(batch: BatchResult) -> dict[str, Any]:
    return {
        "batch": batch.number,
        "size": batch.size,
        "outcome": batch.outcome,
        "taskId": batch.task_id,
        "status": batch.status,
        "detailCode": batch.detail_code,
        "message": batch.message,
        "parent": batch.parent,
    }


def _rejected_dict(item: RejectedId) -> dict[str, Any]:
    return {
        "id": item.id,
        "status": item.status,
        "detailCode": item.detail_code,
        "message": item.message,
        "trackingId": item.tracking_id,
        "batch": item.batch,
    }


def _invalid_dict(item: InvalidId) -> dict[str, Any]:
    return {
        "source": item.location.source,
        "line": item.location.line,
        "path": item.location.json_path,
        "value": item.value,
        "reason": item.reason,
    }


def _reasons(rejected: list[RejectedId]) -> list[tuple[str, int]]:
    """The most common (status, detailCode) of the rejected ids, with one message as example."""
    counts: dict[tuple[int, str | None], list[Any]] = {}
    for item in rejected:
        entry = counts.setdefault((item.status, item.detail_code), [0, item.message])
        entry[0] += 1
    ranked = sorted(counts.items(), key=lambda pair: -pair[1][0])[:10]
    return [
        (f"{status_and_code(status, code)}: {example}", count)
        for (status, code), (count, example) in ranked
    ]


def status_and_code(status: int, code: str | None) -> str:
    """`404 Not found` rather than `404 404 Not found` (ISC's detailCode repeats the status)."""
    if not code:
        return str(status)
    return code if code.startswith(str(status)) else f"{status} {code}"


def _failure_reasons(batches: list[BatchResult]) -> list[tuple[str, int]]:
    """Why requests failed (the error's one-line text), most common first, ids counted."""
    counts: dict[str, int] = {}
    for batch in batches:
        if batch.outcome == "failed":
            reason = batch.message or f"status {batch.status}"
            counts[reason] = counts.get(reason, 0) + batch.size
    ranked = sorted(counts.items(), key=lambda pair: -pair[1])[:5]
    return [(" ".join(reason.split()), count) for reason, count in ranked]
