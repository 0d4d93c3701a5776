"""Stopping a run on Ctrl-C, SIGTERM or SIGHUP, in bounded time.

The first signal stops handing out batches and lets the requests in flight
finish, so their outcomes are journaled; but a request may be waiting on a
token endpoint that never answers, a backoff or a long `Retry-After`, so that
wait is bounded: after `grace` seconds (the client's timeout) the requests
still in flight are abandoned (journaled `unknown`, sent again on resume).
A second signal abandons them at once. SIGHUP (the terminal went away) is
treated as SIGTERM.

Before and after the sending loop, SIGTERM and SIGHUP raise KeyboardInterrupt
like Ctrl-C, so the journal lock and the scratch files are released on the way
out instead of the process dying where it stands.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable, Iterator
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iscctl.processing.job import ProcessingJob
    from iscctl.processing.report import ProcessReport

__all__ = ["STOP_SIGNALS", "StopOnSignals", "send_until_stopped", "stop_signals_interrupt"]

STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def stop_signals_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise KeyboardInterrupt (as Ctrl-C does)."""
    previous: dict[signal.Signals, Any] = {}
    for sig in STOP_SIGNALS:
        if sig != signal.SIGINT:
            previous[sig] = signal.signal(sig, _interrupt)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class StopOnSignals:
    """The sending loop's handlers: first signal stops within `grace` s, second at once."""

    def __init__(
        self,
        job: ProcessingJob,
        grace: float,
        *,
        announce: Callable[[], None],
        abandon: Callable[[], None],
    ) -> None:
        self._job = job
        self._grace = grace
        self._announce = announce
        self._abandon = abandon
        self._deadline: asyncio.TimerHandle | None = None
        self._signalled = False

    def install(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in STOP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows
                loop.add_signal_handler(sig, self._on_signal)

    def cancel_deadline(self) -> None:
        """The run ended by itself: the pending abandon must not hit the shutdown."""
        if self._deadline is not None:
            self._deadline.cancel()

    def _on_signal(self) -> None:
        runner = self._job.runner
        if self._signalled or runner is None:
            self._abandon()
            return
        self._signalled = True
        runner.request_stop()
        self._announce()
        self._deadline = asyncio.get_running_loop().call_later(self._grace, self._abandon)


async def send_until_stopped(
    job: ProcessingJob,
    grace: float,
    send: Callable[[], Awaitable[ProcessReport]],
    say: Callable[[str], None],
) -> ProcessReport:
    """Await `send()` (the job's sending) under `StopOnSignals`: a first signal stops it
    within `grace` seconds, saying so through `say`; a second (or the grace running out)
    abandons the requests in flight. Returns the job's report, complete either way."""
    main = asyncio.current_task()
    assert main is not None, "called from a task"

    def announce() -> None:
        say(
            f"\nstopping: waiting up to {grace:g} s for the requests in flight "
            "(Ctrl-C again to abandon them)"
        )

    def abandon() -> None:
        job.report.interrupted = True
        main.cancel()

    stopper = StopOnSignals(job, grace, announce=announce, abandon=abandon)
    stopper.install()
    try:
        return await send()
    except asyncio.CancelledError:
        main.uncancel()
        return job.report
    finally:
        stopper.cancel_deadline()
