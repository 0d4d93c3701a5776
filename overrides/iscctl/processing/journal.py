"""The run journal: one JSON object per line, written and fsync'd as the run goes.

Records, in the order a run writes them (every record has `type` and `at`):

- `header`: input names and their SHA-256 fingerprint, batch size, base URL,
  API version, tool version. Never a secret. A resumed run appends another.
- `sending`: batch number, its ids, and `parent` when it is part of a refused
  batch being split. Written *before* the request leaves.
- one outcome per batch: `accepted` (task id), `rejected` (status, detailCode,
  trackingId, message, and `bad_ids` when the offending ids are known),
  `failed` (an error that has nothing to do with the ids, after retries), or
  `unknown` (interrupted while the request was in flight).
- `end`: the counts of the run.

Resume trusts only `accepted`: an id is done when a batch holding it got a
202. A `sending` with no outcome (the process was killed) counts as not done,
so its ids are sent again; processing an identity twice is harmless, losing one
is not. The only batches that can therefore reach the tenant twice are those
whose 202 was on the wire when the process died.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
from attrs import define, field

from iscctl.errors import ISCError

STATE_DIR_ENV = "ISCCTL_STATE_DIR"
JOURNAL_FORMAT = 1


class JournalError(ISCError):
    """The journal given to --resume cannot be used."""


def default_journal_path(now: datetime | None = None) -> Path:
    """`<state dir>/journals/process-<UTC timestamp>.jsonl`, the state dir from ISCCTL_STATE_DIR
    or the platform's user state folder."""
    state = os.environ.get(STATE_DIR_ENV) or platformdirs.user_state_dir("iscctl")
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    return Path(state) / "journals" / f"process-{stamp}.jsonl"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JournalWriter:
    """Appends records; each one is flushed and (unless told not to) fsync'd before returning,
    so a record that `write` returned for survives a crash or a power cut."""

    def __init__(self, path: Path, *, fsync: bool = True) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fsync = fsync
        self._file = path.open("ab")
        if self._file.tell() > 0:
            self._end_partial_line()

    def write(self, record: Mapping[str, Any]) -> None:
        line = json.dumps({"type": record["type"], "at": _now(), **record}, ensure_ascii=False)
        self._file.write(line.encode() + b"\n")
        self._file.flush()
        if self._fsync:
            os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()

    def _end_partial_line(self) -> None:
        """A killed run may have left half a line; start ours on a fresh one."""
        with self.path.open("rb") as existing:
            existing.seek(-1, os.SEEK_END)
            if existing.read(1) != b"\n":
                self._file.write(b"\n")


@define
class JournalReplay:
    """What a journal says was done, for resuming."""

    headers: list[dict[str, Any]] = field(factory=list)
    accepted_batches: int = 0
    unknown_batches: list[int] = field(factory=list)
    torn_lines: list[int] = field(factory=list)
    last_batch: int = 0

    @property
    def header(self) -> dict[str, Any]:
        return self.headers[0]


def replay_journal(path: Path) -> tuple[JournalReplay, Iterator[str]]:
    """Read a journal; returns the replay and an iterator over every id in an accepted batch.

    The iterator must be consumed before the replay's counts are complete.
    """
    if not path.is_file():
        raise JournalError(f"{path}: no such journal file; give the path printed by the first run")
    replay = JournalReplay()
    return replay, _accepted_ids(path, replay)


def _accepted_ids(path: Path, replay: JournalReplay) -> Iterator[str]:
    in_flight: dict[int, list[str]] = {}
    for number, record in _records(path):
        if record is None:
            if not replay.headers:
                raise JournalError(f"{path}:{number}: not a JSON record; not an iscctl journal")
            replay.torn_lines.append(number)
            continue
        kind = record.get("type")
        batch = record.get("batch")
        if kind == "header":
            if record.get("journal_format") != JOURNAL_FORMAT:
                raise JournalError(f"{path}:{number}: not an iscctl identities process journal")
            replay.headers.append(record)
        elif not replay.headers:
            raise JournalError(f"{path}:{number}: no header record before the first batch")
        elif kind == "sending" and isinstance(batch, int):
            in_flight[batch] = [str(identity) for identity in record.get("ids", [])]
            replay.last_batch = max(replay.last_batch, batch)
        elif kind == "accepted" and isinstance(batch, int):
            replay.accepted_batches += 1
            yield from in_flight.pop(batch, [])
        elif kind in ("rejected", "failed", "unknown") and isinstance(batch, int):
            in_flight.pop(batch, None)
    replay.unknown_batches = sorted(in_flight)
    if not replay.headers:
        raise JournalError(f"{path}: empty journal, nothing to resume")


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """Yield (line number, record); None for a line torn by a killed writer.

    A torn line is a prefix of a record: losing it can only make resume send a
    batch again, never skip one, so it is tolerated (and reported).
    """
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except ValueError:
                yield number, None
                continue
            yield number, record if isinstance(record, dict) else None
