"""A progress bar on the terminal (ids done/total, rate, ETA, retries); nothing elsewhere.

When standard error is not a terminal (a pipe, a CI log, a test) nothing is
drawn at all, so logs stay clean and the summary is the only output.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID


class _Retries(Protocol):
    retries: int
    rate_limited: int


class ProgressDisplay:
    """Use as a context manager around the sending; `advance(n)` after each outcome."""

    def __init__(
        self,
        total: int,
        stats: Callable[[], _Retries] | None = None,
        *,
        console: Console | None = None,
    ) -> None:
        self._stats = stats
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        # rich is a good part of the command's start-up time: load it only to draw.
        self.enabled = total > 0 and (console is not None or _stderr_may_be_a_terminal())
        if not self.enabled:
            return
        from rich.console import Console

        screen = console or Console(stderr=True)
        self.enabled = screen.is_terminal
        if self.enabled:
            self._progress = _progress_bar(screen)
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


def _stderr_may_be_a_terminal() -> bool:
    """False only where rich's Console(stderr=True).is_terminal is sure to be False too."""
    if os.environ.get("TTY_COMPATIBLE") == "0":
        return False
    if os.environ.get("TTY_COMPATIBLE") == "1" or os.environ.get("FORCE_COLOR") is not None:
        return True
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except ValueError:  # closed
        return False


def _progress_bar(console: Console) -> Progress:
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

    class RateColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.speed
            text = f"{speed:,.0f} ids/s" if speed else "- ids/s"
            return Text(text, style="progress.data.speed")

    return Progress(
        TextColumn("processing"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[retries]} retries, {task.fields[limited]} 429s"),
        console=console,
        speed_estimate_period=30.0,  # spans 3 rate windows: bursts average out
    )
