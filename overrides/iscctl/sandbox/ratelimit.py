"""ISC's rate limit: N requests per sliding window, per client id and API version.

A sliding log rather than fixed buckets, so that `Retry-After` is honest: a
client that waits exactly the advertised number of seconds gets through.
Refused requests (429) are not logged, so they do not extend the wait; a
client that hammers the tenant is told the same deadline again and again.

With escalation (`RateLimitEscalation`), a client that exceeds the limit in
several windows within a while is blocked for ISC's long penalties instead
(60, 300, 600, 1200 s by default); see `Escalation`.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable

from attrs import define, field

from iscctl.sandbox.settings import RateLimit, RateLimitEscalation


@define
class _Offender:
    exceeded_windows: deque[int] = field(factory=deque)  # window numbers with a 429
    level: int = 0  # escalations so far (index of the next tier)
    blocked_until: float = -math.inf


class Escalation:
    """Counts exceeded windows per key and hands out the penalty tiers."""

    def __init__(self, rule: RateLimitEscalation, window: float) -> None:
        self._rule = rule
        self._window = window
        self._offenders: dict[Hashable, _Offender] = {}

    def blocked(self, key: Hashable, now: float) -> int | None:
        """Seconds left of a running penalty, or None."""
        offender = self._offenders.get(key)
        if offender is None or now >= offender.blocked_until:
            return None
        return max(1, math.ceil(offender.blocked_until - now))

    def exceeded(self, key: Hashable, now: float) -> int | None:
        """Note a 429 at `now`; the penalty in seconds if this one escalates, else None."""
        offender = self._offenders.setdefault(key, _Offender())
        rule = self._rule
        if offender.level and now > offender.blocked_until + rule.within:
            offender.level = 0  # clean for long enough: back to the first tier
        window = math.floor(now / self._window)
        windows = offender.exceeded_windows
        if not windows or windows[-1] != window:
            windows.append(window)
        while windows and (windows[0] + 1) * self._window <= now - rule.within:
            windows.popleft()
        if len(windows) < rule.strikes:
            return None
        penalty = rule.tiers[min(offender.level, len(rule.tiers) - 1)]
        offender.level += 1
        offender.blocked_until = now + penalty
        windows.clear()
        return penalty

    def forget(self) -> None:
        self._offenders.clear()


class SlidingWindowLimiter:
    def __init__(
        self,
        limit: RateLimit,
        clock: Callable[[], float] = time.monotonic,
        escalation: RateLimitEscalation | None = None,
    ) -> None:
        self._limit = limit
        self._clock = clock
        self._logs: dict[Hashable, deque[float]] = {}
        self._lock = threading.Lock()
        self._escalation = Escalation(escalation, limit.seconds) if escalation is not None else None

    def admit(self, key: Hashable) -> int | None:
        """Count one request for `key`; None if admitted, else whole seconds to wait."""
        now = self._clock()
        window = self._limit.seconds
        with self._lock:
            if self._escalation is not None:
                remaining = self._escalation.blocked(key, now)
                if remaining is not None:
                    return remaining  # a blocked client's requests count for nothing
            log = self._logs.setdefault(key, deque())
            while log and log[0] + window <= now:
                log.popleft()
            if len(log) < self._limit.requests:
                log.append(now)
                return None
            # The oldest logged request leaves the window at log[0] + window.
            wait = max(1, math.ceil(log[0] + window - now))
            if self._escalation is not None:
                penalty = self._escalation.exceeded(key, now)
                if penalty is not None:
                    return penalty
            return wait

    def forget(self) -> None:
        with self._lock:
            self._logs.clear()
            if self._escalation is not None:
                self._escalation.forget()
