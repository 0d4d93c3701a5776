"""A progress bar on the terminal (ids done/total, rate, ETA, retries); nothing elsewhere.

When standard error is not a terminal (a pipe, a CI log, a test) nothing is
drawn at all, so logs stay clean and the summary is the only output.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class _Retries(Protocol):
    retries: int
    rate_limited: int


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.speed
        return Text(f"{speed:,.0f} ids/s" if speed else "- ids/s", style="progress.data.speed")


class ProgressDisplay:
    """Use as a context manager around the sending; `advance(n)` after each outcome."""

    def __init__(
        self,
        total: int,
        stats: Callable[[], _Retries] | None = None,
        *,
        console: Console | None = None,
    ) -> None:
        self._console = console or Console(stderr=True)
        self._stats = stats
        self._progress: Progress | None = None
        self._task = None
        self.enabled = self._console.is_terminal and total > 0
        if self.enabled:
            self._progress = Progress(
                TextColumn("processing"),
                BarColumn(),
                MofNCompleteColumn(),
                _RateColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[retries]} retries, {task.fields[limited]} 429s"),
                console=self._console,
                speed_estimate_period=30.0,  # spans 3 rate windows: bursts average out
            )
            self._task = self._progress.add_task("ids", total=total, retries=0, limited=0)

    def advance(self, count: int) -> None:
        if self._progress is None or self._task is None:
            return
        retries, limited = (0, 0)
        if self._stats is not None:
            stats = self._stats()
            retries, limited = stats.retries, stats.rate_limited
        self._progress.update(self._task, advance=count, retries=retries, limited=limited)

    def __enter__(self) -> ProgressDisplay:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
