"""One `identities process` run from input to report, shared by the CLI and the Python API.

The order is fixed and is what makes the guarantees hold:

1. read the journal being resumed (its accepted ids go into the ledger's `done` set);
2. read and validate the whole input, dropping duplicates and done ids (nothing sent yet);
3. write the journal header, then send the spooled ids in batches, journaling each step.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterable, Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, TypeGuard

from attrs import define

from iscctl import __version__
from iscctl.processing.inputs import InputItem
from iscctl.processing.journal import (
    JOURNAL_FORMAT,
    JournalError,
    JournalReplay,
    JournalWriter,
    default_journal_path,
    replay_journal,
)
from iscctl.processing.ledger import IdLedger
from iscctl.processing.preparation import Preparation, Preparer, spooled_batches
from iscctl.processing.report import ProcessReport
from iscctl.processing.runner import DEFAULT_CONCURRENCY, BatchRunner, SendBatch
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

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.batch_size <= MAX_BATCH_SIZE:
            raise ValueError(f"batch size must be 1 to {MAX_BATCH_SIZE}, not {self.batch_size}")
        if self.concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, not {self.concurrency}")


class ProcessingJob:
    """Holds the run's temporary files; use as a context manager so they are removed."""

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
        self._journal_path: Path | None = None
        self._ledger = IdLedger()
        self._preparer = Preparer(self._ledger, self._ledger.folder / "to-send.txt")

    def __enter__(self) -> ProcessingJob:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._ledger.close()

    # -- step 1 ---------------------------------------------------------------------------
    def load_resume(self) -> JournalReplay | None:
        """Mark every id of an accepted batch in the resumed journal as done.

        Also refuses to append a new run to an existing journal that is not being
        resumed: its 202s would then count for this run's resume.
        """
        target, resume = self.options.journal, self.options.resume
        if _holds_a_journal(target) and (resume is None or target.resolve() != resume.resolve()):
            raise JournalError(
                f"{target}: already holds a journal; resume it (--resume {target}) "
                "or choose another journal file"
            )
        if resume is None:
            return None
        replay, accepted = replay_journal(resume)
        for identity in accepted:
            self._ledger.add("done", identity)
        written_for = str(replay.header.get("base_url") or "")
        if written_for and self.base_url and written_for != self.base_url:
            raise JournalError(
                f"{resume}: written for {written_for}, not {self.base_url}; "
                "resume against the same tenant (its 202s mean nothing elsewhere)"
            )
        self.replay = replay
        return replay

    # -- step 2 ---------------------------------------------------------------------------
    def prepare(self, items: Iterable[InputItem]) -> Preparation:
        for item in items:
            self._preparer.feed(item)
        return self._finish_preparation()

    async def prepare_async(self, items: AsyncIterable[InputItem]) -> Preparation:
        async for item in items:
            self._preparer.feed(item)
        return self._finish_preparation()

    def _finish_preparation(self) -> Preparation:
        try:
            preparation = self._preparer.finish(skip_invalid=self.options.skip_invalid)
        finally:
            result = self._preparer.result
            report = self.report
            report.read, report.duplicates = result.read, result.duplicates
            report.invalid_count, report.invalid = result.invalid_count, result.invalid
            report.already_processed, report.to_send = result.already_processed, result.to_send
        self.preparation = preparation
        return preparation

    def input_changed(self) -> bool:
        """True when resuming a journal whose input fingerprint differs from this input's."""
        if self.replay is None or self.preparation is None:
            return False
        return self.replay.header.get("fingerprint") != self.preparation.fingerprint

    def batches(self) -> Iterator[list[str]]:
        """The batches to send, read back from the spool."""
        assert self.preparation is not None, "prepare() first"
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
    ) -> ProcessReport:
        """Send every spooled batch; the report is complete when this returns or raises."""
        assert self.preparation is not None, "prepare() first"
        path = self.journal_path()
        self.report.journal = path
        journal = JournalWriter(path, fsync=self.options.fsync) if path else None
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
        try:
            if journal is not None:
                journal.write(self._header())
            await self.runner.run(self.batches())
        finally:
            after = _snapshot(stats())
            self.report.requests, self.report.retries, self.report.rate_limited = (
                a - b for a, b in zip(after, before, strict=True)
            )
            self.report.elapsed = time.perf_counter() - started
            if journal is not None:
                journal.write({"type": "end", "counts": self.report.summary_dict()["counts"]})
                journal.close()
        return self.report

    def _header(self) -> dict[str, Any]:
        assert self.preparation is not None
        return {
            "type": "header",
            "journal_format": JOURNAL_FORMAT,
            "tool": f"iscctl {__version__}",
            "operation": "identities process",
            "inputs": self.report.inputs,
            "fingerprint": self.preparation.fingerprint,
            "ids_to_send": self.preparation.to_send,
            "batch_size": self.options.batch_size,
            "base_url": self.base_url,
            "api_version": self.api_version,
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


def _holds_a_journal(path: Path | None) -> TypeGuard[Path]:
    return path is not None and path.exists() and path.stat().st_size > 0


def _snapshot(stats: ClientStats) -> tuple[int, int, int]:
    return stats.requests, stats.retries, stats.rate_limited
