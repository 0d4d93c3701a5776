"""A progress bar on the terminal (ids done/total, rate, ETA, retries, waits); elsewhere
one line per long wait and nothing else.

When standard error is not a terminal (a pipe, a CI log, a test) no bar is
drawn, so logs stay clean and the summary is the only output; but a wait of
more than 5 s (a tenant's `Retry-After` can ask for 20 minutes) gets one line,
so a log never looks hung. On a terminal a wait shows as a countdown in the
bar ("waiting 42 s for the rate limit"), and the rate is taken over the last
30 s *including* the wait, so it keeps moving instead of freezing.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID


class _Retries(Protocol):
    retries: int
    rate_limited: int


LOGGED_WAIT = 5.0
"""Waits longer than this get a line when no bar is drawn."""
RATE_WINDOW = 30.0
"""Seconds the rate is taken over: three of the tenant's 10 s windows, so bursts average out."""
_WHY = {
    "rate limit": "for the rate limit",
    "Retry-After": "as the tenant's Retry-After asks",
    "backoff": "before retrying",
}


def wait_text(seconds: float, reason: str) -> str:
    """`waiting 42 s for the rate limit`."""
    return f"waiting {seconds:,.0f} s {_WHY.get(reason, f'({reason})')}"


class RateMeter:
    """Ids per second over the last RATE_WINDOW seconds, up to now (not to the last id)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._started = clock()
        self._done: deque[tuple[float, int]] = deque()

    def add(self, count: int) -> None:
        self._done.append((self._clock(), count))

    def rate(self) -> float:
        now = self._clock()
        while self._done and self._done[0][0] < now - RATE_WINDOW:
            self._done.popleft()
        span = min(RATE_WINDOW, now - self._started)
        return sum(count for _, count in self._done) / span if span > 0 else 0.0


class WaitRelay:
    """The client's `on_wait` callback, made before the display it feeds exists (the client
    is made first, the display once sending starts)."""

    def __init__(self) -> None:
        self.target: Callable[[float, str], None] | None = None

    def __call__(self, seconds: float, reason: str) -> None:
        if self.target is not None:
            self.target(seconds, reason)


class ProgressDisplay:
    """Use as a context manager around the sending; `advance(n)` after each outcome and
    `on_wait(seconds, reason)` before each wait (the client's `on_wait` callback)."""

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
        self.rate = RateMeter()
        self._wait_ends = 0.0
        self._wait_reason = ""
        # rich is a good part of the command's start-up time: load it only to draw.
        self.enabled = total > 0 and (console is not None or _stderr_may_be_a_terminal())
        if not self.enabled:
            return
        from rich.console import Console

        screen = console or Console(stderr=True)
        self.enabled = screen.is_terminal
        if self.enabled:
            self._progress = _progress_bar(screen, self)
            self._task = self._progress.add_task("ids", total=total, retries=0, limited=0)

    def on_wait(self, seconds: float, reason: str) -> None:
        """Show a wait that is about to start: a countdown on the bar, else one line if long."""
        ends = time.monotonic() + seconds
        if ends > self._wait_ends:
            self._wait_ends, self._wait_reason = ends, reason
        if self._progress is None and seconds > LOGGED_WAIT:
            until = (datetime.now(UTC) + timedelta(seconds=seconds)).strftime("%H:%M:%S UTC")
            print(f"iscctl: {wait_text(seconds, reason)} (until {until})", file=sys.stderr)

    def waiting(self) -> str:
        """The countdown of the longest wait still running, or ''."""
        left = self._wait_ends - time.monotonic()
        return wait_text(left, self._wait_reason) if left >= 1 else ""

    def advance(self, count: int) -> None:
        self.rate.add(count)
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


def _progress_bar(console: Console, display: ProgressDisplay) -> Progress:
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
            speed = display.rate.rate()
            text = f"{speed:,.0f} ids/s" if speed else "- ids/s"
            return Text(text, style="progress.data.speed")

    class WaitColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            return Text(display.waiting(), style="progress.remaining")

    return Progress(
        TextColumn("processing"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[retries]} retries, {task.fields[limited]} 429s"),
        WaitColumn(),
        console=console,
        speed_estimate_period=30.0,  # spans 3 rate windows: bursts average out
    )
