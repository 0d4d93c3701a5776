"""The client-side pacer: at most N requests in any window of S seconds.

ISC allows 100 requests per 10 seconds per client_id and API version and
answers 429 past that. The pacer keeps a client under the limit so that 429s
are the exception, not the control loop, while still using all of it: a
request may start when fewer than N requests started in the last S seconds,
and otherwise waits exactly until the oldest of them leaves the window. A
token bucket or a smoothed rate (`aiolimiter`, `pyrate-limiter`'s leaky
bucket) would either allow bursts past N or run below the ceiling.

One pacer is shared by every client of the process with the same API root,
client_id, version and limit (`shared_pacer`), and serves threads and event
loops alike: `reserve()` books a start time under a `threading.Lock` and
returns how long to wait; the caller sleeps with `time.sleep` or
`asyncio.sleep`. A 429 moves every later start behind its `Retry-After`
(`hold_until`).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = ["Pacer", "shared_pacer"]

SAFETY_MARGIN = 0.05
"""Seconds added to each window: a request sent at the window's edge may reach the
server a little earlier, relative to the first one, than it was sent."""


class Pacer:
    """A sliding-window limiter: `requests` starts per `seconds`, exactly.

    >>> pacer = Pacer(100, 10.0)
    >>> pacer.reserve()          # seconds to wait before sending; 0.0 while under the limit
    0.0
    """

    def __init__(
        self,
        requests: int,
        seconds: float,
        *,
        margin: float = SAFETY_MARGIN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if requests < 1 or seconds <= 0:
            raise ValueError(
                f"a rate limit needs requests >= 1 and seconds > 0, got {requests}/{seconds}"
            )
        self.requests = requests
        self.seconds = seconds
        self._window = seconds + margin
        self._clock = clock
        self._starts: deque[float] = deque()
        self._not_before = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Pacer({self.requests}, {self.seconds})"

    def reserve(self) -> float:
        """Book the next start; return the seconds to wait until it (0.0 if none)."""
        with self._lock:
            now = self._clock()
            start = max(now, self._not_before)
            if len(self._starts) >= self.requests:
                start = max(start, self._starts.popleft() + self._window)
            self._starts.append(start)
            return start - now

    def hold_until(self, delay: float) -> None:
        """Start nothing for `delay` seconds from now (the server said Retry-After)."""
        with self._lock:
            self._not_before = max(self._not_before, self._clock() + delay)

    def wait(self) -> None:
        """Reserve and sleep (synchronous callers)."""
        delay = self.reserve()
        if delay > 0:
            time.sleep(delay)

    async def wait_async(self) -> None:
        """Reserve and sleep (asynchronous callers)."""
        delay = self.reserve()
        if delay > 0:
            import asyncio

            await asyncio.sleep(delay)


_shared: dict[tuple[str, str, str, int, float], Pacer] = {}
_shared_lock = threading.Lock()


def shared_pacer(
    api_root: str, client_id: str, version: str, requests: int, seconds: float
) -> Pacer:
    """The one pacer of this process for this API root, client_id, version and limit."""
    key = (api_root, client_id, version, requests, seconds)
    with _shared_lock:
        pacer = _shared.get(key)
        if pacer is None:
            pacer = _shared[key] = Pacer(requests, seconds)
        return pacer
