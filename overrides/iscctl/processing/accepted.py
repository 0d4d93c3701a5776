"""What a journal says the tenant accepted: each batch with a 202, its ids, its task id and
when it was sent. `--wait`, `identities status` and `--retry-failed` all start from here,
so checking right after a run and checking days later read the same facts.

Tolerant of the journal's evolution: record keys are read in camelCase or
snake_case (formats 2 and 1), an outcome is matched to its `sending` by run id
and batch number, torn lines (a killed writer) are skipped, and records this
module does not know are ignored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from attrs import define, field

from iscctl.processing.journal import JournalError, whole_records
from iscctl.processing.verification import Expectation


@define
class AcceptedBatch:
    """One request that got its 202."""

    number: int
    size: int
    task_id: str | None
    sent_at: datetime
    accepted_at: datetime | None


@define
class AcceptedRun:
    """The accepted part of a journal (all its resumed segments together)."""

    path: Path
    base_url: str = ""
    api_version: str = ""
    batches: list[AcceptedBatch] = field(factory=list)
    expectations: list[Expectation] = field(factory=list)
    unanswered: int = 0
    """Ids of batches sent without a recorded answer (killed in flight): not waited for."""

    @property
    def identities(self) -> int:
        return len({expected.id for expected in self.expectations})


def read_accepted(path: Path) -> AcceptedRun:
    """Read the accepted batches of the journal at `path`; raise `JournalError` when it is not
    an `identities process` journal."""
    if not path.is_file():
        raise JournalError(f"{path}: no such journal file; give the path printed by the run")
    run = AcceptedRun(path)
    in_flight: dict[tuple[str | None, int], tuple[list[str], datetime]] = {}
    headers = 0
    for number, record in whole_records(path):
        kind = record.get("type")
        if kind == "header":
            headers += 1
            if headers == 1:
                run.base_url = str(_get(record, "base_url") or "")
                run.api_version = str(_get(record, "api_version") or "")
            continue
        if headers == 0:
            raise JournalError(f"{path}:{number}: no header record first; not an iscctl journal")
        batch = record.get("batch")
        if not isinstance(batch, int):
            continue
        run_id = record.get("runId")
        key = (run_id if isinstance(run_id, str) else None, batch)
        if kind == "sending":
            ids = [str(identity) for identity in record.get("ids") or []]
            in_flight[key] = (ids, _time(record.get("at")) or datetime.now(UTC))
        elif kind == "accepted" and key in in_flight:
            ids, sent_at = in_flight.pop(key)
            task_id = _get(record, "task_id")
            run.batches.append(
                AcceptedBatch(
                    batch,
                    len(ids),
                    task_id if isinstance(task_id, str) else None,
                    sent_at,
                    _time(record.get("at")),
                )
            )
            run.expectations += [Expectation(identity, batch, sent_at) for identity in ids]
        elif kind in ("rejected", "failed", "unknown"):
            in_flight.pop(key, None)
    if headers == 0:
        raise JournalError(f"{path}: empty journal; nothing was sent in that run")
    run.unanswered = sum(len(ids) for ids, _ in in_flight.values())
    return run


def _get(record: dict[str, Any], snake: str) -> Any:
    """A key in snake_case or its camelCase spelling."""
    if snake in record:
        return record[snake]
    head, *rest = snake.split("_")
    return record.get(head + "".join(part.title() for part in rest))


def _time(value: object) -> datetime | None:
    return parse_time(value) if isinstance(value, str) else None


def parse_time(text: str) -> datetime | None:
    """An ISO-8601 date-time as ISC and the journal write it (`Z` or an offset), in UTC;
    None when it is not one (a tolerant reader never fails a reply on a timestamp)."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
