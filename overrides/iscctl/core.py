"""The client core: everything `Client` and `AsyncClient` share, with no I/O of its own.

`ClientCore` resolves the settings, holds the httpx client (with the OAuth auth
flow and the pacer's request hook), prepares each call (`Call`: the validated
request built by the generated code, and how to read its success), turns a
reply or a transport failure into a result or an `ISCError`, and decides
whether and when to try again. The two facades in `iscctl.client` only add
the loop that sends and sleeps, synchronously or not.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
from attrs import define

from iscctl import __version__
from iscctl.auth import ClientCredentialsAuth
from iscctl.config import resolve_settings
from iscctl.errors import (
    APIConnectionError,
    APITimeoutError,
    ConfigurationError,
    ISCError,
    RateLimitError,
    status_error,
)
from iscctl.logs import enable_logging_from_environment, logger
from iscctl.pacing import Pacer, Slot, shared_pacer
from iscctl.payloads import import_request, process_request
from iscctl.replies import read_import_result, read_task_result
from iscctl.retry import RetryPolicy, parse_retry_after
from iscctl.versions import ApiVersion, get_version

if TYPE_CHECKING:
    from iscctl_client import AuthenticatedClient
    from iscctl_client.models import ObjectImportResult, TaskResultResponse

__all__ = ["DEFAULT_RATE_LIMIT", "Attempt", "Call", "ClientCore", "ClientStats"]

DEFAULT_RATE_LIMIT: tuple[int, float] = (100, 10.0)
"""ISC's published limit: 100 requests per 10 seconds per client_id and API version."""

T = TypeVar("T")
H = TypeVar("H", httpx.Client, httpx.AsyncClient)


@define
class ClientStats:
    """What a client did so far.

    Attributes:
        requests: attempts sent for calls, each retry included (not token requests, nor
            the one resend after a 401 that the auth flow makes with a new token).
        retries: attempts repeated after a retriable failure.
        rate_limited: 429 replies seen.
        token_refreshes: tokens fetched after the first one.
    """

    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    token_refreshes: int = 0


@define(frozen=True)
class Call(Generic[T]):
    """One prepared operation: the request to send and how to read its success."""

    method: str
    url: str
    headers: dict[str, str]
    content: bytes
    read: Callable[[httpx.Response], T]


class ClientCore(Generic[H]):
    """Everything the sync and the async client share; no I/O happens here."""

    def __init__(
        self,
        http_class: type[H],
        *,
        base_url: str | None,
        client_id: str | None,
        client_secret: str | None,
        version: str | None,
        environment: str | None,
        retry: RetryPolicy | None,
        rate_limit: tuple[int, float] | None,
        timeout: float,
        allow_http_hosts: Iterable[str] | None = None,
    ) -> None:
        enable_logging_from_environment()
        settings = resolve_settings(
            base_url,
            client_id,
            client_secret,
            environment,
            version=version,
            allow_http_hosts=allow_http_hosts,
        )
        self.api_version: ApiVersion = get_version(settings.version)
        self.api_root = settings.api_root
        self.client_id = settings.client_id
        self.retry = RetryPolicy() if retry is None else retry
        if not isinstance(self.retry, RetryPolicy):
            raise ConfigurationError(f"retry must be a RetryPolicy or None, got {retry!r}")
        self.pacer = self._make_pacer(rate_limit)
        if not timeout > 0:
            raise ConfigurationError(f"timeout must be a positive number of seconds, got {timeout}")
        self.stats = ClientStats()
        self._stats_lock = threading.Lock()
        self.auth = ClientCredentialsAuth(
            f"{self.api_root}/oauth/token",
            settings.client_id,
            settings.client_secret,
            on_token=self._count_token,
        )
        hooks: dict[str, list[Callable[..., Any]]] = {}
        if self.pacer is not None:
            asynchronous = http_class is httpx.AsyncClient
            hooks["request"] = [self.pacer.request_hook(is_api_call, asynchronous=asynchronous)]
        self.http: H = http_class(
            base_url=self.api_version.base_url(self.api_root),
            auth=self.auth,
            timeout=timeout,
            headers={"User-Agent": f"iscctl/{__version__}", "Accept": "application/json"},
            event_hooks=hooks,
        )

    def settle(self, slot: Slot | None, outcome: object) -> None:
        """A 429 was not counted by the server: give its place in the window back."""
        if slot is not None and self.pacer is not None and isinstance(outcome, RateLimitError):
            self.pacer.release(slot)

    def _make_pacer(self, rate_limit: tuple[int, float] | None) -> Pacer | None:
        if rate_limit is None:
            return None
        try:
            requests, seconds = rate_limit
            return shared_pacer(
                self.api_root, self.client_id, self.api_version.name, int(requests), float(seconds)
            )
        except (TypeError, ValueError):
            raise ConfigurationError(
                f"rate_limit must be (requests, seconds) such as (100, 10.0), or None, "
                f"got {rate_limit!r}"
            ) from None

    def bump(self, name: str) -> None:
        with self._stats_lock:
            setattr(self.stats, name, getattr(self.stats, name) + 1)

    def _count_token(self, fetched: int) -> None:
        with self._stats_lock:
            self.stats.token_refreshes = max(0, fetched - 1)

    def process_call(self, ids: Sequence[str]) -> Call[TaskResultResponse]:
        self.api_version.require("process")
        kwargs = process_request(ids, self.api_version)
        return Call(**kwargs, read=read_task_result)

    def import_call(self, objects: Sequence[Mapping[str, Any]]) -> Call[ObjectImportResult]:
        self.api_version.require("import")
        kwargs = import_request(objects, self.api_version)
        return Call(**kwargs, read=read_import_result)

    def outcome(self, call: Call[T], response: httpx.Response) -> T | ISCError:
        """The result of a reply, or the error it means (not raised: the caller may retry)."""
        logger.debug("%s %s -> %s", call.method, response.request.url, response.status_code)
        if response.is_success:
            return call.read(response)
        error = status_error(
            response.status_code,
            response.text,
            method=call.method.upper(),
            url=str(response.request.url),
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )
        if isinstance(error, RateLimitError):
            self.bump("rate_limited")
        return error

    def transport_error(self, call: Call[Any], failure: httpx.HTTPError) -> ISCError:
        url = str(self.http.base_url).rstrip("/") + call.url
        kind = (
            APITimeoutError if isinstance(failure, httpx.TimeoutException) else APIConnectionError
        )
        text = str(failure) or type(failure).__name__
        return kind(f"{type(failure).__name__}: {text}", method=call.method.upper(), url=url)

    def next_delay(self, error: ISCError, policy: RetryPolicy, attempt: Attempt) -> float:
        """Seconds to wait before retrying, or raise `error` (with the reason we gave up)."""
        delay = policy.delay(
            error,
            retries=attempt.retries,
            rate_limit_retries=attempt.rate_limit_retries,
            elapsed=attempt.elapsed(),
        )
        if delay is None:
            if policy.is_retriable(error) and hasattr(error, "message"):
                reason = policy.give_up_reason(
                    error, retries=attempt.retries, rate_limit_retries=attempt.rate_limit_retries
                )
                if reason:
                    error.message = f"{error.message} ({reason})"
            raise error
        if isinstance(error, RateLimitError):
            attempt.rate_limit_retries += 1
            if self.pacer is not None:
                self.pacer.hold_until(delay)
        else:
            attempt.retries += 1
        self.bump("retries")
        logger.info("retrying in %.2f s after: %s", delay, error)
        return delay

    def generated(self) -> AuthenticatedClient:
        from iscctl_client import AuthenticatedClient

        low_level = AuthenticatedClient(base_url=str(self.http.base_url), token="")
        if isinstance(self.http, httpx.Client):
            return low_level.set_httpx_client(self.http)
        return low_level.set_async_httpx_client(self.http)

    def describe(self, kind: str) -> str:
        return (
            f"{kind}(base_url={self.api_root!r}, client_id={self.client_id!r}, "
            f"client_secret='***', version={self.api_version.name!r})"
        )


def is_api_call(request: httpx.Request) -> bool:
    """A call, not the token request: the auth flow has added its bearer token."""
    return "authorization" in request.headers


class Attempt:
    """Counters of one call's attempts."""

    __slots__ = ("rate_limit_retries", "retries", "started")

    def __init__(self) -> None:
        self.started: float | None = None  # set when the first attempt leaves the pacer
        self.retries = 0
        self.rate_limit_retries = 0

    def sent(self) -> None:
        if self.started is None:
            self.started = time.monotonic()

    def elapsed(self) -> float:
        return 0.0 if self.started is None else time.monotonic() - self.started
