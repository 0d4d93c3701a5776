"""When to try a failed call again, and how long to wait first.

A small module of our own rather than `tenacity`: the decision needs the
error itself (a 429's `Retry-After`, refused outright when it is longer than
`max_wait`), the same plan must drive a synchronous and an asynchronous
transport, and the whole of it is a few pure functions that are easy to test.
The transports that sleep live in `iscctl.transport`.

What is retried: 408, 429, 5xx, timeouts and dropped or refused connections.
What is not: every other 4xx (the request itself is wrong; sending it again
cannot help) and replies that cannot be read.
"""

from __future__ import annotations

import random
from email.utils import parsedate_to_datetime
from time import time

from attrs import define, field, validators

from iscctl.errors import APIConnectionError, APIStatusError, ISCError, RateLimitError

__all__ = ["RetryPolicy", "parse_retry_after"]

RETRIABLE_STATUSES = frozenset({408, 429})


def _non_negative(_instance: object, attribute: object, value: float) -> None:
    if value < 0:
        name = getattr(attribute, "name", "value")
        raise ValueError(f"RetryPolicy.{name} must be >= 0, got {value}")


@define(frozen=True)
class RetryPolicy:
    """How many times and how long a call is tried again.

    >>> RetryPolicy(max_retries=0)          # never retry
    RetryPolicy(max_retries=0, ...)  # doctest: +SKIP
    >>> isc = Client(retry=RetryPolicy(max_retries=8, max_total_seconds=600))  # doctest: +SKIP

    Attributes:
        max_retries: retries after 408, 5xx, timeouts and connection failures.
        max_rate_limit_retries: retries after a 429 (counted apart: waiting out
            a burst of 429s is normal and must not use up the budget for faults).
        backoff_initial, backoff_max: capped exponential backoff, in seconds:
            `min(backoff_initial * 2**n, backoff_max)`, less up to `jitter` of it.
        jitter: the random fraction taken off each backoff (0 to 1), so that
            many clients do not retry in lockstep.
        max_wait: the longest `Retry-After` we wait (ISC escalates to 60, 300,
            600 and 1,200 s for clients that keep exceeding its limit); a 429
            asking for more fails at once with a `RateLimitError` that names
            `--max-wait`.
        max_total_seconds: no fault retry (408, 5xx, connection) starts once
            this long has passed since the first attempt, nor one whose backoff
            would end after it. Time spent waiting out a `Retry-After` is not
            counted: those waits are bounded by `max_wait` alone.
    """

    max_retries: int = field(default=4, validator=_non_negative)
    max_rate_limit_retries: int = field(default=20, validator=_non_negative)
    backoff_initial: float = field(default=0.5, validator=_non_negative)
    backoff_max: float = field(default=8.0, validator=_non_negative)
    jitter: float = field(default=0.25, validator=validators.and_(_non_negative, validators.le(1)))
    max_wait: float = field(default=1200.0, validator=_non_negative)
    max_total_seconds: float = field(default=300.0, validator=_non_negative)

    def is_retriable(self, error: ISCError) -> bool:
        """Whether sending the same request again can succeed."""
        if isinstance(error, APIStatusError):
            return error.status in RETRIABLE_STATUSES or error.status >= 500
        return isinstance(error, APIConnectionError)

    def delay(
        self,
        error: ISCError,
        *,
        retries: int,
        rate_limit_retries: int,
        elapsed: float,
        rng: random.Random | None = None,
    ) -> float | None:
        """Seconds to wait before the next attempt, or None when the call must fail.

        `retries` and `rate_limit_retries` count the retries already made;
        `elapsed` is the time since the first attempt began, less the time spent
        waiting out `Retry-After`.
        """
        if not self.is_retriable(error):
            return None
        if isinstance(error, RateLimitError):
            if rate_limit_retries >= self.max_rate_limit_retries:
                return None
            if error.retry_after is not None:
                return error.retry_after if error.retry_after <= self.max_wait else None
            wait = self.backoff(rate_limit_retries, rng)
        else:
            if retries >= self.max_retries:
                return None
            wait = self.backoff(retries, rng)
        if elapsed + wait > self.max_total_seconds:
            return None
        return wait

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """The capped exponential backoff with jitter before retry number `attempt + 1`."""
        base = min(self.backoff_initial * 2.0 ** min(attempt, 32), self.backoff_max)
        draw: float = (rng or random).random()
        return base * (1 - self.jitter * draw)

    def give_up_reason(
        self, error: ISCError, *, retries: int, rate_limit_retries: int
    ) -> str | None:
        """Why `delay` returned None for a retriable error, for the final error message
        (None when retries are off and nothing was tried again)."""
        if isinstance(error, RateLimitError):
            if error.retry_after is not None and error.retry_after > self.max_wait:
                return (
                    f"Retry-After {error.retry_after:g}s is longer than the longest wait "
                    f"allowed, {self.max_wait:g}s; raise it with --max-wait SECONDS "
                    "(RetryPolicy.max_wait)"
                )
            if rate_limit_retries >= self.max_rate_limit_retries:
                return f"still rate limited after {rate_limit_retries} retries"
        elif retries >= self.max_retries:
            return f"gave up after {retries} retries" if retries else None
        return f"gave up: retrying would pass max_total_seconds={self.max_total_seconds:g}"


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or an HTTP date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time() if now is None else now))
