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
`asyncio.sleep`. The booked time is moved to the moment the request really
leaves (`mark_sent`, from the transport: a token fetch or a new connection
may come first), and again to the moment its answer came (`mark_answered`).
The server counts a request at some moment between the two, which the client
cannot see: network and scheduling delays differ from one request to the
next, and a request sent a window after another can reach the server less than
a window after it (on a loaded machine by tenths of a second: 1 to 2 % of the
calls of a long run were refused when windows were counted from the sending
plus a fixed 50 ms). A window counted from the answer ends after the moment the
server counted, whatever the delays were, at the cost of one round trip per
window. A booked start is checked again when it comes (`recheck`), since the
start it must keep a window away from may have been answered later than
booked. A 429 frees its place (a refused request is not counted by the
tenant's limiter; the sandbox models ISC so) and moves every later start behind
its `Retry-After` (`hold_until`).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = ["Pacer", "Slot", "shared_pacer"]

SAFETY_MARGIN = 0.01
"""Seconds added to each window, beyond counting it from the answer: for a server clock
that rounds."""

MAX_MARGIN_SHARE = 0.05
"""How wide the margin may grow after 429s, as a share of the window (0.5 s of 10 s).

Counting windows from the answers leaves no delay spread to allow for, so a 429 means
something the pacer cannot see: another process using the same client id, or a
server that counts differently. Each one doubles the margin (a margin of 0 stays 0),
up to this share, so that a long run stops running into it."""


class Slot:
    """One booked start. Its time moves to when the request really left (`mark_sent`),
    which can be later than booked (a token fetch or a new connection came first).
    `after` is the earlier start it must keep a window away from, until it leaves."""

    __slots__ = ("after", "time")

    def __init__(self, time: float, after: Slot | None = None) -> None:
        self.time = time
        self.after = after

    def __repr__(self) -> str:
        return f"Slot({self.time:.3f})"


FREED = float("-inf")


def _time_of(slot: Slot) -> float:
    return slot.time


class Pacer:
    """A sliding-window limiter: `requests` starts per `seconds`, exactly.

    >>> pacer = Pacer(100, 10.0)
    >>> delay, slot = pacer.reserve()    # seconds to wait before sending; 0.0 under the limit
    >>> delay
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
        self.margin = margin
        self._window = seconds + margin
        self._clock = clock
        self._slots: deque[Slot] = deque()
        self._not_before = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Pacer({self.requests}, {self.seconds})"

    def reserve(self) -> tuple[float, Slot]:
        """Book the next start: the seconds to wait until it (0.0 if none), and its slot.

        The latest `requests` starts are kept; a new start must come a window
        after the earliest of them (which it then replaces), so that at most
        `requests` fall in any window.
        """
        with self._lock:
            now = self._clock()
            start = max(now, self._not_before)
            earliest = None
            if len(self._slots) >= self.requests:
                earliest = min(self._slots, key=_time_of)
                start = max(start, earliest.time + self._window)
                self._slots.remove(earliest)
            # Only a start that has to wait keeps a reference for `recheck`; otherwise
            # every slot would hold the one before it, and a long run all of them.
            slot = Slot(start, earliest if start > now else None)
            self._slots.append(slot)
            return start - now, slot

    def recheck(self, slot: Slot) -> float:
        """At the booked time: the seconds still to wait (0.0 to go now).

        Bookings are made ahead, so the start this slot must keep a window away
        from may since have left later than it was booked, and a 429 may have
        asked everyone to hold; both move this slot's start.
        """
        with self._lock:
            now = self._clock()
            start = self._not_before
            if slot.after is not None:
                start = max(start, slot.after.time + self._window)
            if start > now:
                slot.time = max(slot.time, start)
                return start - now
            slot.after = None  # cleared so that slots do not keep a chain of old ones alive
            return 0.0

    def mark_sent(self, slot: Slot) -> None:
        """The request of `slot` is leaving now; count it from now if that is later."""
        now = self._clock()
        with self._lock:
            if slot.time != FREED and now > slot.time:
                slot.time = now

    def mark_answered(self, slot: Slot) -> None:
        """The answer of `slot`'s request came now (or it failed): the server counted it by
        now, so its window is counted from here."""
        self.mark_sent(slot)

    def release(self, slot: Slot) -> None:
        """The server refused the request without counting it (429): free its place, and
        widen the margin, since arrivals spread wider than it allowed for."""
        with self._lock:
            slot.time = FREED
            self.margin = max(self.margin, min(self.margin * 2, self.seconds * MAX_MARGIN_SHARE))
            self._window = self.seconds + self.margin

    def hold_until(self, delay: float) -> None:
        """Start nothing for `delay` seconds from now (the server said Retry-After)."""
        with self._lock:
            self._not_before = max(self._not_before, self._clock() + delay)


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
