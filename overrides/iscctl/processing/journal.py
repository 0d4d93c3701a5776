"""The run journal: one JSON object per line, written and fsync'd as the run goes.

Records, in the order a run writes them (every record has `type`, `at` and the
`runId` of the process that wrote it; keys are camelCase):

- `header`: input names and their SHA-256 fingerprint, batch size, base URL,
  API version, tool version, process id. Never a secret. A resumed run appends another.
- `plan`: the ids this run means to send, in chunks, written once before the first
  request, so a resume can tell when its input lacks ids the journal never finished.
- `carried`: ids another journal has a 202 for, in chunks, written by a run that
  resumed that journal into this one (`--resume OLD --journal NEW`), so that a later
  resume of this journal alone knows them done too.
- `sending`: batch number, its ids, and `parent` when it is part of a refused
  batch being split. Written *before* the request leaves.
- one outcome per batch: `accepted` (task id), `rejected` (status, detailCode,
  trackingId, message, and `badIds` when the offending ids are known),
  `failed` (an error that has nothing to do with the ids, after retries), or
  `unknown` (interrupted while the request was in flight).
- `end`: the counts of the run.

Resume trusts only `accepted`: an id is done when a batch holding it got a
202. A `sending` with no outcome (the process was killed) counts as not done,
so its ids are sent again; processing an identity twice is harmless, losing one
is not. The only batches that can therefore reach the tenant twice are those
whose 202 was on the wire when the process died.

An outcome is matched to its `sending` by run id and batch number. Journals of
format 1 (no run id, snake_case keys) are still read; there two processes
writing at once could give two batches one number, so an outcome that could
belong to more than one `sending` credits none of them (they are sent again).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, Literal

import platformdirs
from attrs import define, field

from iscctl.errors import ISCError

STATE_DIR_ENV = "ISCCTL_STATE_DIR"
JOURNAL_FORMAT = 2
"""2: camelCase keys, a run id on every record, `plan` records. 1 is still read."""
READABLE_FORMATS = (1, 2)
PLAN_CHUNK = 10_000
"""Ids per `plan` record: lines of about 350 KB, so a million ids take 100 records."""


class JournalError(ISCError):
    """The journal cannot be used: missing, not a journal, in use, or not writable."""


class JournalWriteError(JournalError):
    """Writing to the journal failed during the run (a full disk, a file size limit)."""


def state_dir() -> Path:
    """$ISCCTL_STATE_DIR, else the platform's user state folder for iscctl."""
    return Path(os.environ.get(STATE_DIR_ENV) or platformdirs.user_state_dir("iscctl"))


def default_journal_path(now: datetime | None = None) -> Path:
    """`<state dir>/journals/process-<UTC timestamp>.jsonl`, the state dir from ISCCTL_STATE_DIR
    or the platform's user state folder."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    return state_dir() / "journals" / f"process-{stamp}.jsonl"


def new_run_id() -> str:
    return uuid.uuid4().hex[:16]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JournalWriter:
    """Appends records; each one is flushed and (unless told not to) fsync'd before returning,
    so a record that `write` returned for survives a crash or a power cut.

    `file` is the journal already opened for appending and locked (see ownership.py);
    without it the writer opens `path` itself. A failed write raises
    `JournalWriteError` and every later write raises it again without writing.
    """

    def __init__(
        self,
        path: Path,
        *,
        run_id: str | None = None,
        fsync: bool = True,
        file: BinaryIO | None = None,
    ) -> None:
        self.path = path
        self.run_id = run_id or new_run_id()
        self._fsync = fsync
        self._own_file = file is None
        if file is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            file = path.open("ab")
        self._fd = file.fileno()
        self._file = file
        self._broken: JournalWriteError | None = None
        if os.fstat(self._fd).st_size > 0:
            self._end_partial_line()

    def write(self, record: Mapping[str, Any], *, sync: bool = True) -> None:
        fields = {"type": record["type"], "at": _now(), "runId": self.run_id, **record}
        line = json.dumps(fields, ensure_ascii=False).encode() + b"\n"
        self._append(line, sync=sync and self._fsync)

    def write_plan(self, ids: Iterable[str]) -> None:
        """The ids this run means to send, as `plan` records, made durable once at the end."""
        self.write_ids("plan", ids)

    def write_ids(self, kind: str, ids: Iterable[str]) -> None:
        """Records of type `kind` holding `ids` in chunks, made durable once at the end."""
        chunk: list[str] = []
        for identity in ids:
            chunk.append(identity)
            if len(chunk) == PLAN_CHUNK:
                self.write({"type": kind, "ids": chunk}, sync=False)
                chunk = []
        if chunk:
            self.write({"type": kind, "ids": chunk}, sync=False)
        self._append(b"", sync=self._fsync)

    def close(self) -> None:
        if self._own_file:
            self._file.close()

    def _append(self, data: bytes, *, sync: bool) -> None:
        if self._broken is not None:
            raise self._broken
        try:
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            if sync:
                os.fsync(self._fd)
        except OSError as error:
            self._broken = JournalWriteError(
                f"cannot write the journal {self.path}: {error.strerror or error}"
            )
            raise self._broken from None

    def _end_partial_line(self) -> None:
        """A killed run may have left half a line; start ours on a fresh one."""
        with self.path.open("rb") as existing:
            existing.seek(-1, os.SEEK_END)
            if existing.read(1) != b"\n":
                self._append(b"\n", sync=False)


EventKind = Literal["done", "planned", "refused"]
"""`done`: ids of a batch with a 202; `planned`: ids a run meant to send (plan records and
every `sending`); `refused`: ids the tenant named as bad (400/404)."""


@define
class JournalReplay:
    """What a journal says was done, for resuming."""

    headers: list[dict[str, Any]] = field(factory=list)
    accepted_batches: int = 0
    unknown_batches: list[int] = field(factory=list)
    torn_lines: list[int] = field(factory=list)
    last_batch: int = 0
    ambiguous_batches: int = 0
    """Outcomes of a format-1 journal that could belong to more than one `sending` (two
    processes wrote it at once): none of their ids counts as done."""

    @property
    def header(self) -> dict[str, Any]:
        return self.headers[0]


def header_value(header: Mapping[str, Any], key: str) -> Any:
    """A header field by its camelCase name, also found under its format-1 snake_case name."""
    return read_field(header, key)


def read_field(record: Mapping[str, Any], key: str) -> Any:
    if key in record:
        return record[key]
    return record.get(_snake(key))


def _snake(key: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


def replay_journal(path: Path) -> tuple[JournalReplay, Iterator[tuple[EventKind, list[str]]]]:
    """Read a journal; returns the replay and an iterator over what it says about ids.

    The iterator must be consumed before the replay's counts are complete.
    """
    if not path.is_file():
        raise JournalError(f"{path}: no such journal file; give the path printed by the first run")
    replay = JournalReplay()
    return replay, _events(path, replay)


@define
class _Sent:
    """The `sending` records with one (run id, batch number) still waiting for outcomes."""

    ids: list[list[str]] = field(factory=list)
    outcomes: int = 0
    ambiguous: bool = False


def _events(path: Path, replay: JournalReplay) -> Iterator[tuple[EventKind, list[str]]]:
    open_batches: dict[tuple[str | None, int], _Sent] = {}
    for number, record in _records(path):
        if record is None:
            if not replay.headers:
                raise JournalError(f"{path}:{number}: not a JSON record; not an iscctl journal")
            replay.torn_lines.append(number)
            continue
        kind = record.get("type")
        batch = record.get("batch")
        run = record.get("runId") if isinstance(record.get("runId"), str) else None
        if kind == "header":
            if read_field(record, "journalFormat") not in READABLE_FORMATS:
                raise JournalError(f"{path}:{number}: not an iscctl identities process journal")
            replay.headers.append(record)
        elif not replay.headers:
            raise JournalError(f"{path}:{number}: no header record before the first batch")
        elif kind == "plan":
            yield "planned", [str(identity) for identity in record.get("ids", [])]
        elif kind == "carried":
            yield "done", [str(identity) for identity in record.get("ids", [])]
        elif kind == "sending" and isinstance(batch, int):
            ids = [str(identity) for identity in record.get("ids", [])]
            open_batches.setdefault((run, batch), _Sent()).ids.append(ids)
            replay.last_batch = max(replay.last_batch, batch)
            yield "planned", ids
        elif kind in ("accepted", "rejected", "failed", "unknown") and isinstance(batch, int):
            credited = _settle(open_batches, (run, batch), replay)
            if kind == "accepted" and credited is not None:
                replay.accepted_batches += 1
                yield "done", credited
            elif kind == "rejected":
                yield "refused", [str(i) for i in read_field(record, "badIds") or []]
    replay.unknown_batches = sorted(
        number for (_, number), sent in open_batches.items() for _ in sent.ids[sent.outcomes :]
    )
    if not replay.headers:
        raise JournalError(f"{path}: empty journal, nothing to resume")


def _settle(
    open_batches: dict[tuple[str | None, int], _Sent],
    key: tuple[str | None, int],
    replay: JournalReplay,
) -> list[str] | None:
    """The ids an outcome is certainly about, or None when it cannot be told."""
    sent = open_batches.get(key)
    if sent is None:
        return None
    sent.outcomes += 1
    if len(sent.ids) > 1:
        if not sent.ambiguous:
            replay.ambiguous_batches += 1
        sent.ambiguous = True
    credited = None if sent.ambiguous else sent.ids[0]
    if sent.outcomes >= len(sent.ids):
        del open_batches[key]
    return credited


def whole_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) of every whole record, torn lines passed over.

    For readers that only look up what a run recorded (status, selection); replay
    reads torn lines too, to report them. An unreadable file is a `JournalError`.
    """
    for number, record in _records(path):
        if record is not None:
            yield number, record


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """Yield (line number, record); None for a line torn by a killed writer.

    A torn line is a prefix of a record: losing it can only make resume send a
    batch again, never skip one, so it is tolerated (and reported).
    """
    try:
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
    except OSError as error:
        raise JournalError(f"{path}: cannot read the journal ({error.strerror})") from None
