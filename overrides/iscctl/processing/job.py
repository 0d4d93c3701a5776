"""One `identities process` run from input to report, shared by the CLI and the Python API.

The order is fixed and is what makes the guarantees hold:

1. take the journal (an OS lock: one live process per journal), and read the journal
   being resumed (its accepted ids go into the ledger's `done` set);
2. read and validate the whole input, dropping duplicates and done ids (nothing sent yet),
   and refuse a resume whose input lacks ids the journal planned and never finished;
3. write the journal header and plan, then send the spooled ids in batches, journaling
   each step.

A selection (`selection_stream.py`) streams instead: a page of ids is validated
(`feed_page`), recorded and sent while the next page is read, so the tenant's rate
budget is not left idle while it searches; there the selection records take the place
of the plan.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import AsyncGenerator, AsyncIterable, Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from attrs import define

from iscctl import __version__
from iscctl.processing.inputs import InputItem
from iscctl.processing.journal import (
    JOURNAL_FORMAT,
    JournalError,
    JournalReplay,
    JournalWriteError,
    JournalWriter,
    default_journal_path,
    header_value,
    new_run_id,
    replay_journal,
    state_dir,
)
from iscctl.processing.ledger import IdLedger
from iscctl.processing.ownership import FileInUseError, OwnedFile, os_reason
from iscctl.processing.preparation import (
    InvalidInputError,
    Preparation,
    Preparer,
    spooled_batches,
)
from iscctl.processing.report import ProcessReport
from iscctl.processing.runner import DEFAULT_CONCURRENCY, BatchRunner, SendBatch
from iscctl.processing.scratch import ScratchError, ScratchFolder
from iscctl.processing.validation import Location

MAX_BATCH_SIZE = 250


class ClientStats(Protocol):
    """The counters of `iscctl.client.ClientStats` that a report shows."""

    requests: int
    retries: int
    rate_limited: int


@define
class ProcessOptions:
    """How a run behaves; the defaults are what the command line uses."""

    batch_size: int = MAX_BATCH_SIZE
    concurrency: int = DEFAULT_CONCURRENCY
    skip_invalid: bool = False
    journal: Path | None = None
    """Where to write the journal; None: the resumed journal, else the default place."""
    write_journal: bool = True
    resume: Path | None = None
    fsync: bool = True
    allow_missing: bool = False
    """Resume even when the input lacks ids the journal planned and did not finish."""

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.batch_size <= MAX_BATCH_SIZE:
            raise ValueError(f"batch size must be 1 to {MAX_BATCH_SIZE}, not {self.batch_size}")
        if self.concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, not {self.concurrency}")


class ShortInputError(JournalError):
    """The resumed input lacks ids that the journal planned and never finished."""

    def __init__(self, journal: Path, missing: int) -> None:
        super().__init__(
            f"the input lacks {missing:,} id(s) that {journal} planned and never finished; "
            "give the same input as the first run, or pass --allow-missing to finish only "
            "the ids of this input"
        )
        self.missing = missing


class ProcessingJob:
    """Holds the run's journal lock and scratch files; use as a context manager so they are
    released."""

    def __init__(
        self,
        options: ProcessOptions,
        *,
        inputs: list[str] | None = None,
        base_url: str = "",
        api_version: str = "",
    ) -> None:
        self.options = options
        self.base_url = base_url
        self.api_version = api_version
        self.report = ProcessReport(inputs=inputs or [])
        self.replay: JournalReplay | None = None
        self.preparation: Preparation | None = None
        self.runner: BatchRunner | None = None
        self.run_id = new_run_id()
        self.journal: JournalWriter | None = None
        """The journal being written, while `send` runs (a streamed input records into it)."""
        self._journal_path: Path | None = None
        self._owned: list[OwnedFile] = []
        self._journal_file: OwnedFile | None = None
        self._scratch = ScratchFolder(state_dir() / "scratch")
        try:
            self._ledger = IdLedger(self._scratch.path, ("seen", "done", "planned", "refused"))
            self._preparer = Preparer(self._ledger)
        except BaseException:
            self._scratch.close()
            raise

    def __enter__(self) -> ProcessingJob:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the journal(s) and delete the scratch files."""
        try:
            self._preparer.abandon()
            self._ledger.close()
        finally:
            for owned in reversed(self._owned):
                owned.release(remove_if_empty=True)
            self._owned.clear()
            self._scratch.close()

    # -- step 1 ---------------------------------------------------------------------------
    def load_resume(self) -> JournalReplay | None:
        """Own the journal(s), then mark every id of an accepted batch in the resumed one done.

        The journal written and the journal resumed are locked for the whole run: a second
        process on either is refused at once. Also refuses to append a new run to an
        existing journal that is not being resumed: its 202s would count for this run.
        """
        target, resume = self.journal_path(), self.options.resume
        if resume is not None and not resume.is_file():
            replay_journal(resume)  # raises the one-line "no such journal file"
        if target is not None:
            self._journal_file = self._own(target, "ab")
            if self._journal_file.size() > 0 and (resume is None or not _same_file(target, resume)):
                raise JournalError(
                    f"{target}: already holds a journal; resume it (--resume {target}) "
                    "or choose another journal file"
                )
        if resume is None:
            return None
        if target is None or not _same_file(target, resume):
            self._own(resume, "rb")
        replay, events = replay_journal(resume)
        for kind, ids in events:
            for identity in ids:
                self._ledger.add(kind, identity)
        written_for = str(header_value(replay.header, "baseUrl") or "")
        if written_for and self.base_url and written_for != self.base_url:
            raise JournalError(
                f"{resume}: written for {written_for}, not {self.base_url}; "
                "resume against the same tenant (its 202s mean nothing elsewhere)"
            )
        self.replay = replay
        return replay

    def _own(self, path: Path, mode: str) -> OwnedFile:
        try:
            owned = OwnedFile(path, mode)
        except FileInUseError as error:
            raise JournalError(
                f"{path}: in use by {error.owner or 'another live process'}; wait for that "
                "run to end (or stop it), then resume"
            ) from None
        except OSError as error:
            raise JournalError(_cannot_use(path, mode, error)) from None
        self._owned.append(owned)
        return owned

    # -- step 2 ---------------------------------------------------------------------------
    def prepare(self, items: Iterable[InputItem]) -> Preparation:
        with self._scratch_writes():
            self._preparer.spool_to(self._scratch.path / "to-send.txt")
            for item in items:
                self._preparer.feed(item)
            return self._finish_preparation()

    async def prepare_async(self, items: AsyncIterable[InputItem]) -> Preparation:
        with self._scratch_writes():
            self._preparer.spool_to(self._scratch.path / "to-send.txt")
            async for item in items:
                self._preparer.feed(item)
            return self._finish_preparation()

    @contextlib.contextmanager
    def _scratch_writes(self) -> Iterator[None]:
        """A full disk or a file size limit (`ulimit -f`) while spooling is one line."""
        try:
            yield
        except (OSError, sqlite3.Error) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise ScratchError(
                f"{self._scratch.path.parent}: cannot write the run's scratch files ({reason}); "
                "free some space or set ISCCTL_STATE_DIR to a folder with room; nothing was sent"
            ) from None

    def feed_page(self, items: Iterable[InputItem]) -> list[str]:
        """Validate and dedupe one page of a streamed input; returns its ids to send. Raises
        `InvalidInputError` when a value of the page is bad and not skipped, before any of
        its ids is handed on."""
        invalid_before = self._preparer.result.invalid_count
        with self._scratch_writes():
            to_send = [v for item in items if (v := self._preparer.feed(item)) is not None]
        self._count_input()
        result = self._preparer.result
        if result.invalid_count > invalid_before and not self.options.skip_invalid:
            first_new = result.invalid[invalid_before : invalid_before + 1]
            raise InvalidInputError(first_new, result.invalid_count - invalid_before)
        return to_send

    def _count_input(self) -> None:
        result = self._preparer.result
        report = self.report
        report.read, report.duplicates = result.read, result.duplicates
        report.invalid_count, report.invalid = result.invalid_count, result.invalid
        report.already_processed, report.to_send = result.already_processed, result.to_send

    def _finish_preparation(self) -> Preparation:
        try:
            preparation = self._preparer.finish(skip_invalid=self.options.skip_invalid)
        finally:
            self._count_input()
        self.preparation = preparation
        if self.replay is not None and self.options.resume is not None:
            missing = self._ledger.count_missing("planned", unless_in=("done", "refused", "seen"))
            self.report.missing_from_input = missing
            if missing and not self.options.allow_missing:
                raise ShortInputError(self.options.resume, missing)
        return preparation

    def input_changed(self) -> bool:
        """True when resuming a journal whose input fingerprint differs from this input's."""
        if self.replay is None or self.preparation is None:
            return False
        return self.replay.header.get("fingerprint") != self.preparation.fingerprint

    def batches(self) -> Iterator[list[str]]:
        """The batches to send, read back from the spool."""
        assert self.preparation is not None, "prepare() first"
        assert self.preparation.spool is not None, "a streamed input has no spool"
        return spooled_batches(self.preparation.spool, self.options.batch_size)

    # -- step 3 ---------------------------------------------------------------------------
    def journal_path(self) -> Path | None:
        """Where this run journals (decided once, so the path printed is the path written)."""
        options = self.options
        if self._journal_path is None and options.write_journal:
            self._journal_path = options.journal or options.resume or default_journal_path()
        return self._journal_path

    async def send(
        self,
        send: SendBatch,
        stats: Callable[[], ClientStats],
        *,
        on_progress: Callable[[int], None] | None = None,
        on_runner: Callable[[BatchRunner], None] | None = None,
        batches: AsyncGenerator[list[str], None] | None = None,
    ) -> ProcessReport:
        """Send every spooled batch (or, for a streamed input, every batch of `batches`,
        which records its input in `self.journal` before yielding it); the report is
        complete when this returns or raises."""
        assert (batches is None) == (self.preparation is not None), "prepare() or batches"
        path = self.journal_path()
        self.report.journal = path
        journal = None
        if path is not None:
            if self._journal_file is None:
                self._journal_file = self._own(path, "ab")
            journal = JournalWriter(
                path, run_id=self.run_id, fsync=self.options.fsync, file=self._journal_file.file
            )
        before = _snapshot(stats())
        first = (self.replay.last_batch if self.replay else 0) + 1
        self.runner = BatchRunner(
            send,
            self.report,
            journal=journal,
            concurrency=self.options.concurrency,
            first_batch_number=first,
            on_progress=on_progress,
        )
        if on_runner is not None:
            on_runner(self.runner)
        started = time.perf_counter()
        self.journal = journal
        sending = False
        try:
            if journal is not None:
                journal.write(self._header())
                if self.resumes_elsewhere():
                    journal.write_ids("carried", self._done_in_resumed_journal())
                if batches is None:
                    journal.write_plan(line for batch in self.batches() for line in batch)
            sending = True
            await self.runner.run(batches if batches is not None else self.batches())
        except JournalWriteError as error:
            self.report.fatal_error = str(error)
            self.report.journal_failed = True
            if not sending:  # the header, the carried ids or the plan: nothing was sent
                self.report.not_sent = self.report.to_send
            # else a selection's records, mid-run: the runner counted what it never sent
        finally:
            after = _snapshot(stats())
            self.report.requests, self.report.retries, self.report.rate_limited = (
                a - b for a, b in zip(after, before, strict=True)
            )
            self.report.elapsed = time.perf_counter() - started
            self.journal = None
            if journal is not None:
                try:
                    journal.write({"type": "end", "counts": self.report.summary_dict()["counts"]})
                except JournalWriteError as error:
                    self.report.fatal_error = self.report.fatal_error or str(error)
                    self.report.journal_failed = True
                journal.close()
        return self.report

    def resumes_elsewhere(self) -> bool:
        """True when this run resumes one journal and writes its records to another
        (`--resume OLD --journal NEW`): NEW must then carry what it needs from OLD."""
        target, resume = self.journal_path(), self.options.resume
        return resume is not None and target is not None and not _same_file(target, resume)

    def _done_in_resumed_journal(self) -> Iterator[str]:
        """The ids the resumed journal has a 202 for (read again: the ledger keeps digests)."""
        assert self.options.resume is not None
        _, events = replay_journal(self.options.resume)
        for kind, ids in events:
            if kind == "done":
                yield from ids

    def _header(self) -> dict[str, Any]:
        preparation = self.preparation
        return {
            "type": "header",
            "journalFormat": JOURNAL_FORMAT,
            "tool": f"iscctl {__version__}",
            "operation": "identities process",
            "pid": os.getpid(),
            "inputs": self.report.inputs,
            # A streamed input is recorded in the journal itself (its selection records).
            "fingerprint": preparation.fingerprint if preparation else None,
            "idsToSend": preparation.to_send if preparation else None,
            "batchSize": self.options.batch_size,
            "baseUrl": self.base_url,
            "apiVersion": self.api_version,
            "resumed": str(self.options.resume) if self.options.resume else None,
        }


def iterable_items(ids: Iterable[str], source: str = "<iterable>") -> Iterator[InputItem]:
    """Python values as input items; the 'line' is the 1-based position."""
    for number, value in enumerate(ids, start=1):
        yield _item(value, source, number)


async def async_iterable_items(
    ids: AsyncIterable[str], source: str = "<async iterable>"
) -> AsyncIterable[InputItem]:
    number = 0
    async for value in ids:
        number += 1
        yield _item(value, source, number)


def _item(value: object, source: str, number: int) -> InputItem:
    location = Location(source, number)
    if isinstance(value, str):
        return InputItem(value.strip(), location)
    return InputItem(repr(value)[:60], location, f"a {type(value).__name__}, not a string")


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve() or one.samefile(other)
    except OSError:
        return False


def _cannot_use(path: Path, mode: str, error: OSError) -> str:
    """One line for a journal that cannot be opened, with what to do about it."""
    reason = os_reason(path, error)
    if mode == "rb":
        return f"{path}: cannot read the journal ({reason})"
    if path.exists():
        return (
            f"{path}: cannot append to the journal ({reason}); make it writable, or resume "
            "with --journal NEW to write this run's records elsewhere"
        )
    return f"{path}: cannot create the journal ({reason}); choose another --journal"


def _snapshot(stats: ClientStats) -> tuple[int, int, int]:
    return stats.requests, stats.retries, stats.rate_limited
