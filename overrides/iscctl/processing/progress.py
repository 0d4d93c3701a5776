"""Progress on the terminal, one line now and then elsewhere: for sending (`ProgressDisplay`:
ids done/total, rate, ETA, retries, waits, and how far a selection read meanwhile has got),
for reading a whole selection without sending (`SelectionDisplay`, a dry run) and for
`--wait` (`WaitDisplay`: identities finished / in error / pending of the total, rate,
elapsed, time left to the timeout, waits).

When standard error is not a terminal (a pipe, a CI log, a test) no bar is
drawn, so logs stay clean; but a wait of more than 5 s (a tenant's `Retry-After`
can ask for 20 minutes) gets one line, so a log never looks hung, and a `--wait`
logs its counts when they change, at most every 30 s (a wait on 100,000
identities lasts long enough to need a sign of life, and short enough a line
per read would flood the log). On a terminal a wait shows as a countdown in the
bar ("waiting 42 s for the rate limit"), and the rate is taken over the last
30 s *including* the wait, so it keeps moving instead of freezing.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, ProgressColumn, TaskID


class _Retries(Protocol):
    retries: int
    rate_limited: int


LOGGED_WAIT = 5.0
"""Waits longer than this get a line when no bar is drawn."""
LOG_EVERY = 30.0
"""Seconds at least between two lines of a `--wait`'s counts when no bar is drawn."""
STATES = ("finished", "error", "pending", "missing")
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


class _Display:
    """What both displays share: a rich bar on a terminal (rich loaded only then), the
    countdown of the longest wait the client announced, and, when nothing is drawn, one
    line on standard error per wait over LOGGED_WAIT."""

    def __init__(self, wanted: bool, console: Console | None) -> None:
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._wait_ends = 0.0
        self._wait_reason = ""
        # rich is a good part of the command's start-up time: load it only to draw.
        self.enabled = wanted and (console is not None or _stderr_may_be_a_terminal())
        self._console: Console | None = None
        if self.enabled:
            from rich.console import Console

            self._console = console or Console(stderr=True)
            self.enabled = self._console.is_terminal

    def on_wait(self, seconds: float, reason: str) -> None:
        """Show a wait that is about to start: a countdown on the bar, else one line if long."""
        ends = time.monotonic() + seconds
        if ends > self._wait_ends:
            self._wait_ends, self._wait_reason = ends, reason
        if self._progress is None and seconds > LOGGED_WAIT:
            until = (datetime.now(UTC) + timedelta(seconds=seconds)).strftime("%H:%M:%S UTC")
            log_line(f"{wait_text(seconds, reason)} (until {until})")

    def waiting(self) -> str:
        """The countdown of the longest wait still running, or ''."""
        left = self._wait_ends - time.monotonic()
        return wait_text(left, self._wait_reason) if left >= 1 else ""

    def __enter__(self) -> Self:
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


class ProgressDisplay(_Display):
    """The sending's display. Use as a context manager around the sending; `advance(n)`
    after each outcome and `on_wait(seconds, reason)` before each wait (the client's
    `on_wait` callback)."""

    def __init__(
        self,
        total: int,
        stats: Callable[[], _Retries] | None = None,
        *,
        console: Console | None = None,
        selecting: Callable[[], str] | None = None,
    ) -> None:
        """`selecting()`: how far the selection being sent has been read (`selected 20,000
        of 100,000`), '' once it is complete; the total then grows as pages come in."""
        super().__init__(total > 0, console)
        self._stats = stats
        self._selecting = selecting
        self.rate = RateMeter()
        if self.enabled and self._console is not None:
            self._progress = _sending_bar(self._console, self)
            self._task = self._progress.add_task("ids", total=total)

    def advance(self, count: int) -> None:
        self.rate.add(count)
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, advance=count)

    def set_total(self, total: int) -> None:
        """The ids to send as now known (a selection's grow, or shrink by its duplicates)."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, total=total)

    def status_text(self) -> str:
        """`2 retries, 1 429s` so far (the client's own counts), with how far a selection
        has been read while it lasts; '' without them."""
        parts = [self._selecting()] if self._selecting is not None else []
        if self._stats is not None:
            stats = self._stats()
            parts.append(f"{stats.retries:,} retries, {stats.rate_limited:,} 429s")
        return ", ".join(part for part in parts if part)


class SelectionDisplay(_Display):
    """Reading a selection without sending it (a dry run): on a terminal, a bar of the
    values read of the tenant's count (when it sent one), the rate and the time elapsed;
    `update(matched, total)` after each page. Nothing elsewhere: it takes seconds."""

    def __init__(self, label: str, *, console: Console | None = None) -> None:
        super().__init__(True, console)
        self.rate = RateMeter()
        self._matched = 0
        if self.enabled and self._console is not None:
            self._progress = _selecting_bar(self._console, self, label)
            self._task = self._progress.add_task("ids", total=None)

    def update(self, matched: int, total: int | None) -> None:
        self.rate.add(max(0, matched - self._matched))
        self._matched = matched
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=matched, total=total)


class WaitDisplay(_Display):
    """The `--wait` display (and `identities status`'s): `update(counts)` after each read,
    with the identities' counts by state (`finished`, `error`, `pending`, `missing`);
    `on_wait` as for `ProgressDisplay`.

    On a terminal: a bar of the identities settled (finished, in error or missing) of
    `total`, the counts, a rate of identities settled per second, the time elapsed and
    the time left until `timeout`, and the countdown of a wait. Elsewhere: a line
    `iscctl: waiting: 120 finished, 3 in error, 77 pending of 200; ...` for the first
    counts, then whenever they changed and `log_every` seconds passed since the last
    line, and once more at the end if they changed since.
    """

    def __init__(
        self,
        total: int,
        *,
        timeout: float | None = None,
        console: Console | None = None,
        log_every: float = LOG_EVERY,
        enabled: bool = True,
        label: str = "waiting",
    ) -> None:
        super().__init__(enabled and total > 0, console)
        self.total = total
        self.timeout = timeout
        self.rate = RateMeter()
        self._log = enabled and total > 0 and not self.enabled
        self._log_every = log_every
        self._label = label
        """What the lines say it is doing: `waiting`, or `checking` for a single pass."""
        self._logged_at: float | None = None
        self._logged: dict[str, int] | None = None
        self._counts = {**dict.fromkeys(STATES, 0), "pending": total}
        self._settled = 0
        self._started = time.monotonic()
        if self.enabled and self._console is not None:
            self._progress = _waiting_bar(self._console, self)
            self._task = self._progress.add_task("identities", total=total)

    def update(self, counts: Mapping[str, int]) -> None:
        """Take in the identities' counts by state after a read."""
        self._counts = {state: int(counts.get(state, 0)) for state in STATES}
        settled = self.total - self._counts["pending"]
        self.rate.add(max(0, settled - self._settled))
        self._settled = settled
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=settled)
        elif self._log and self._counts != self._logged:
            now = time.monotonic()
            if self._logged_at is None or now - self._logged_at >= self._log_every:
                self._log_counts(now)

    def counts_text(self, *, of_total: bool = True) -> str:
        """`120 finished, 3 in error, 77 pending of 200` (missing only when there are some)."""
        counts = self._counts
        parts = [f"{counts['finished']:,} finished", f"{counts['error']:,} in error"]
        if counts["missing"]:
            parts.append(f"{counts['missing']:,} missing")
        of = f" of {self.total:,}" if of_total else ""
        parts.append(f"{counts['pending']:,} pending{of}")
        return ", ".join(parts)

    def time_left(self) -> str:
        """`timeout in 4:10`, or '' without a timeout."""
        if self.timeout is None:
            return ""
        left = round(max(0.0, self.timeout - (time.monotonic() - self._started)))
        hours, rest = divmod(left, 3600)
        clock = (
            f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
            if hours
            else f"{rest // 60}:{rest % 60:02d}"
        )
        return f"timeout in {clock}"

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        super().__exit__(kind, error, trace)
        if self._log and self._logged is not None and self._counts != self._logged:
            self._log_counts(time.monotonic())

    def _log_counts(self, now: float) -> None:
        self._logged, self._logged_at = dict(self._counts), now
        parts = [f"{self._label}: {self.counts_text()}", _rate_text(self.rate)]
        parts.append(f"{duration(now - self._started)} elapsed")
        if self.timeout is not None:
            parts.append(self.time_left())
        log_line("; ".join(parts))


def log_line(text: str) -> None:
    """One line on standard error, as the displays write when no bar is drawn."""
    print(f"iscctl: {text}", file=sys.stderr, flush=True)


def duration(seconds: float) -> str:
    """`45 s`, `6 min 40 s`, `2 h 05 min` (as the summaries write them)."""
    from iscctl.processing.presentation import duration as spoken

    return spoken(seconds)


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


def _sending_bar(console: Console, display: ProgressDisplay) -> Progress:
    from rich.progress import MofNCompleteColumn, TextColumn, TimeRemainingColumn

    return _two_lines(
        console,
        display,
        lambda: display.status_text(),
        TextColumn("processing"),
        _bar_column(),
        MofNCompleteColumn(),
        _column(lambda: _rate_text(display.rate)),
        _elapsed_column(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        speed_estimate_period=30.0,  # spans 3 rate windows: bursts average out
    )


def _selecting_bar(console: Console, display: SelectionDisplay, label: str) -> Progress:
    from rich.progress import MofNCompleteColumn, TextColumn

    return _two_lines(
        console,
        display,
        lambda: label,
        TextColumn("selecting"),
        _bar_column(),
        MofNCompleteColumn(),
        _column(lambda: _rate_text(display.rate)),
        _elapsed_column(),
    )


def _waiting_bar(console: Console, display: WaitDisplay) -> Progress:
    from rich.progress import MofNCompleteColumn, TextColumn

    return _two_lines(
        console,
        display,
        lambda: display.counts_text(of_total=False),
        TextColumn("processed"),
        _bar_column(),
        MofNCompleteColumn(),
        _column(lambda: _rate_text(display.rate)),
        _elapsed_column(),
        _column(display.time_left, "progress.remaining"),
    )


def _two_lines(
    console: Console,
    display: _Display,
    below: Callable[[], str],
    *columns: ProgressColumn,
    **settings: Any,
) -> Progress:
    """A bar on two lines, so that both fit 80 columns: the bar with its numbers, then
    `below()` and the countdown of a wait (on a line of its own when it does not fit)."""
    from rich.console import RenderableType
    from rich.progress import Progress
    from rich.text import Text

    class TwoLines(Progress):
        def get_renderables(self) -> Iterable[RenderableType]:
            yield self.make_tasks_table(self.tasks)
            line = Text("  " + below(), style="progress.description")
            waiting = display.waiting()
            if waiting:
                space = "  " if len(line) + 2 + len(waiting) <= console.width else "\n  "
                line.append(space + waiting, style="progress.remaining")
            yield line

    return TwoLines(*columns, console=console, **settings)


def _bar_column() -> ProgressColumn:
    from rich.progress import BarColumn

    return BarColumn(bar_width=20)


def _elapsed_column() -> ProgressColumn:
    from rich.progress import TimeElapsedColumn

    return TimeElapsedColumn()


def _rate_text(meter: RateMeter) -> str:
    speed = meter.rate()
    if not speed:
        return "- ids/s"
    return f"{speed:,.1f} ids/s" if speed < 10 else f"{speed:,.0f} ids/s"


def _column(text: Callable[[], str], style: str = "progress.data.speed") -> ProgressColumn:
    """A column showing `text()` at every redraw."""
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    class Live(ProgressColumn):
        def render(self, task: Task) -> Text:
            return Text(text(), style=style)

    return Live()
