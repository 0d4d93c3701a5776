"""The httpx transports that pace, retry and log every request of a connection.

A transport is httpx's own extension point for cross-cutting behaviour: it
sees each request after the auth flow has added the token and before it goes
on the wire, and each reply before the generated code reads it. So the
generated endpoint functions (`sync_detailed` / `asyncio_detailed`), called
with an `iscctl.ApiClient`, get all of this without knowing:

- pacing: a call (a request with `Authorization`) waits for its slot in the
  pacer of its version bucket; the token request is not paced;
- retries: 408, 429, 5xx, timeouts and connection failures are tried again
  under the `RetryPolicy` (the client's, or the one `retry_policy()` sets for
  the calls inside it), waiting `Retry-After` up to `max_wait` or a backoff;
  the token request is retried the same way;
- `on_wait`: told before every wait, with the seconds and the reason;
- logging: one debug line per reply, one info line per retry, URLs redacted.

When retries run out on an error status, the last reply is returned (the
generated code parses it, `iscctl.unwrap` raises) with the reason in the
`Iscctl-Gave-Up` header; when they run out on a transport failure,
`APIConnectionError` / `APITimeoutError` is raised.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

import httpx

from iscctl.auth import RESENT
from iscctl.errors import APIConnectionError, APITimeoutError, ISCError, RateLimitError
from iscctl.logs import logger, redact_url
from iscctl.pacing import Slot
from iscctl.retry import RetryPolicy, parse_retry_after
from iscctl.versions import BUCKET

if TYPE_CHECKING:
    from iscctl.core import ClientCore
    from iscctl.pacing import Pacer

__all__ = [
    "GAVE_UP_HEADER",
    "REQUEST_HEADER",
    "AsyncRetryingTransport",
    "RetryingTransport",
    "retry_policy",
]

GAVE_UP_HEADER = "Iscctl-Gave-Up"
"""Added to an error reply returned after retries ran out: why no retry followed."""

REQUEST_HEADER = "Iscctl-Request"
"""Added to every reply: the method and (redacted) URL of its request, so that an error
built from the generated `Response` (which keeps no request) can name them."""

_POLICY: ContextVar[RetryPolicy | None] = ContextVar("iscctl_retry_policy", default=None)


@contextmanager
def retry_policy(policy: RetryPolicy | None) -> Iterator[None]:
    """Within this block, calls of this thread or task use `policy` (None: the client's)."""
    token = _POLICY.set(policy)
    try:
        yield
    finally:
        _POLICY.reset(token)


class _Exchange:
    """The attempts of one request: pacing, counting, and the decision after each reply."""

    __slots__ = (
        "core",
        "gave_up",
        "is_call",
        "pacer",
        "policy",
        "rate_limit_retries",
        "request",
        "retries",
        "slot",
        "started",
        "waited",
    )

    def __init__(self, core: ClientCore, request: httpx.Request) -> None:
        self.core = core
        self.request = request
        self.policy = _POLICY.get() or core.retry
        self.is_call = "authorization" in request.headers  # not the token request
        bucket = request.extensions.get(BUCKET, core.api_version.name)
        self.pacer: Pacer | None = core.pacer_for(bucket) if self.is_call else None
        self.slot: Slot | None = None
        self.retries = 0
        self.rate_limit_retries = 0
        self.started: float | None = None
        self.waited = 0.0  # seconds spent waiting out Retry-After
        self.gave_up = ""  # why the last error was not retried, when it was retriable

    def reserve(self) -> float:
        """Book the pacer slot of the next attempt; the seconds to wait for it (`on_wait`
        is told)."""
        if self.pacer is None:
            return 0.0
        delay, self.slot = self.pacer.reserve()
        self.core.waiting(delay, "rate limit")
        return delay

    def recheck(self) -> float:
        return 0.0 if self.pacer is None or self.slot is None else self.pacer.recheck(self.slot)

    def leaving(self) -> None:
        """The attempt goes on the wire now."""
        if self.pacer is not None and self.slot is not None:
            self.pacer.mark_sent(self.slot)
        if self.is_call and not self.request.extensions.get(RESENT):
            self.core.bump("requests")
        if self.started is None:
            self.started = time.monotonic()

    def reply(self, response: httpx.Response) -> ISCError | None:
        """The error a read reply means, or None for a success (or any status < 400)."""
        self.answered()
        shown = f"{self.request.method} {_shown_url(self.request.url)}"
        logger.debug("%s -> %s", shown, response.status_code)
        response.headers[REQUEST_HEADER] = shown
        if response.status_code < 400:
            return None
        from iscctl.errors import status_error

        error = status_error(
            response.status_code,
            response.text,
            method=self.request.method,
            url=str(self.request.url),
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )
        if isinstance(error, RateLimitError):
            self.core.bump("rate_limited")
            if self.pacer is not None and self.slot is not None:
                self.pacer.release(self.slot)  # the tenant did not count a refused request
        return error

    def answered(self) -> None:
        """The attempt's answer (or its failure) came now: its window counts from here."""
        if self.pacer is not None and self.slot is not None:
            self.pacer.mark_answered(self.slot)

    def failure(self, failure: httpx.TransportError) -> ISCError:
        self.answered()
        kind = (
            APITimeoutError if isinstance(failure, httpx.TimeoutException) else APIConnectionError
        )
        text = str(failure) or type(failure).__name__
        logger.debug("%s %s -> %s", self.request.method, _shown_url(self.request.url), text)
        return kind(
            f"{type(failure).__name__}: {text}",
            method=self.request.method,
            url=str(self.request.url),
        )

    def next_wait(self, error: ISCError) -> float | None:
        """Seconds to wait before the next attempt (`on_wait` is told), or None to stop:
        then `gave_up` and the error's message say why no retry followed."""
        policy = self.policy
        elapsed = 0.0 if self.started is None else time.monotonic() - self.started - self.waited
        delay = policy.delay(
            error,
            retries=self.retries,
            rate_limit_retries=self.rate_limit_retries,
            elapsed=elapsed,
        )
        if delay is None:
            if policy.is_retriable(error) and hasattr(error, "message"):
                reason = policy.give_up_reason(
                    error, retries=self.retries, rate_limit_retries=self.rate_limit_retries
                )
                if reason:
                    self.gave_up = reason
                    error.message = f"{error.message} ({reason})"
            return None
        why = "backoff"
        if isinstance(error, RateLimitError):
            self.rate_limit_retries += 1
            if error.retry_after is not None:
                why = "Retry-After"
                self.waited += delay
            if self.pacer is not None:
                self.pacer.hold_until(delay)
        else:
            self.retries += 1
        self.core.bump("retries")
        logger.info("retrying in %.2f s after: %s", delay, error)
        self.core.waiting(delay, why)
        return delay

    def final(self, response: httpx.Response | None, error: ISCError) -> httpx.Response:
        """The error reply handed to the caller, with why it was not retried; with no
        reply (a transport failure), the error is raised."""
        if response is None:
            raise error
        if self.gave_up:
            response.headers[GAVE_UP_HEADER] = self.gave_up
        return response


_SHOWN: dict[str, str] = {}
_SHOWN_LIMIT = 512


def _shown_url(url: httpx.URL) -> str:
    """`redact_url(url)`, remembered: a client sends to the same few URLs again and again,
    and redaction is the costliest step of reading a reply."""
    key = str(url)
    shown = _SHOWN.get(key)
    if shown is None:
        if len(_SHOWN) >= _SHOWN_LIMIT:
            _SHOWN.clear()
        shown = _SHOWN[key] = redact_url(key)
    return shown


class RetryingTransport(httpx.BaseTransport):
    """Wraps the real transport of an `httpx.Client` with pacing, retries and logging."""

    def __init__(self, core: ClientCore, inner: httpx.BaseTransport) -> None:
        self._core = core
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        exchange = _Exchange(self._core, request)
        while True:
            delay = exchange.reserve()
            while delay > 0:
                time.sleep(delay)
                delay = exchange.recheck()
            exchange.leaving()
            response: httpx.Response | None = None
            try:
                response = self._inner.handle_request(request)
                if response.status_code >= 400:
                    response.read()  # the error's text decides what happens next
            except httpx.TransportError as failure:
                error = exchange.failure(failure)
                if response is not None:
                    response.close()
                    response = None
            else:
                if (refusal := exchange.reply(response)) is None:
                    return response
                error = refusal
            wait = exchange.next_wait(error)
            if wait is None:
                return exchange.final(response, error)
            if response is not None:
                response.close()
            time.sleep(wait)

    def close(self) -> None:
        self._inner.close()


class AsyncRetryingTransport(httpx.AsyncBaseTransport):
    """Wraps the real transport of an `httpx.AsyncClient` with pacing, retries and logging."""

    def __init__(self, core: ClientCore, inner: httpx.AsyncBaseTransport) -> None:
        self._core = core
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        import asyncio  # here, not at the top: a synchronous user need not load it

        exchange = _Exchange(self._core, request)
        while True:
            delay = exchange.reserve()
            while delay > 0:
                await asyncio.sleep(delay)
                delay = exchange.recheck()
            exchange.leaving()
            response: httpx.Response | None = None
            try:
                response = await self._inner.handle_async_request(request)
                if response.status_code >= 400:
                    await response.aread()  # the error's text decides what happens next
            except httpx.TransportError as failure:
                error = exchange.failure(failure)
                if response is not None:
                    await response.aclose()
                    response = None
            else:
                if (refusal := exchange.reply(response)) is None:
                    return response
                error = refusal
            wait = exchange.next_wait(error)
            if wait is None:
                return exchange.final(response, error)
            if response is not None:
                await response.aclose()
            await asyncio.sleep(wait)

    async def aclose(self) -> None:
        await self._inner.aclose()
