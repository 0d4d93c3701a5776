"""ISC's rate limit: N requests per sliding window, per client id and API version.

A sliding log rather than fixed buckets, so that `Retry-After` is honest: a
client that waits exactly the advertised number of seconds gets through.
Refused requests (429) are not logged, so they do not extend the wait; a
client that hammers the tenant is told the same deadline again and again.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable

from iscctl.sandbox.settings import RateLimit


class SlidingWindowLimiter:
    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = limit
        self._clock = clock
        self._logs: dict[Hashable, deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, key: Hashable) -> int | None:
        """Count one request for `key`; None if admitted, else whole seconds to wait."""
        now = self._clock()
        window = self._limit.seconds
        with self._lock:
            log = self._logs.setdefault(key, deque())
            while log and log[0] + window <= now:
                log.popleft()
            if len(log) < self._limit.requests:
                log.append(now)
                return None
            # The oldest logged request leaves the window at log[0] + window.
            return max(1, math.ceil(log[0] + window - now))

    def forget(self) -> None:
        with self._lock:
            self._logs.clear()
