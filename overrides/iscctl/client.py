"""The public facade: `Client` (synchronous) and `AsyncClient`, over one shared core.

    from iscctl import AsyncClient

    async with AsyncClient(base_url="acme", client_id="...", client_secret="...") as isc:
        task = await isc.process_identities(["2c9180835d191a86015d28455b4b232a"])
        result = await isc.import_identity_profiles(exported_objects)

    with Client.from_environment(version="beta") as isc:      # SAIL_* variables etc.
        task = isc.process_identities(ids)

Every call is validated before it leaves (nothing invalid is ever sent),
paced under the tenant's rate limit, authenticated with a token that is
refreshed as needed, retried on 408/429/5xx/timeouts/dropped connections, and
read tolerantly. Only `iscctl.errors.ISCError` subclasses are raised.

Requests are built by the generated endpoint modules (`_get_kwargs` of
`iscctl_client.api...`) and sent on our own keep-alive `httpx` client, whose
`auth` is `iscctl.auth.ClientCredentialsAuth`. The generated low-level client
stays usable, on the same connection and credentials: `isc.generated`.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

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

__all__ = ["DEFAULT_RATE_LIMIT", "AsyncClient", "Client", "ClientStats"]

DEFAULT_RATE_LIMIT: tuple[int, float] = (100, 10.0)
"""ISC's published limit: 100 requests per 10 seconds per client_id and API version."""

_SENDING: ContextVar[Slot | None] = ContextVar("iscctl_sending_slot", default=None)
"""The pacer slot of the call this thread or task is sending (read by the request hook)."""

T = TypeVar("T")
H = TypeVar("H", httpx.Client, httpx.AsyncClient)


@define
class ClientStats:
    """What a client did so far.

    Attributes:
        requests: HTTP requests sent for calls (retries included, token requests not).
        retries: attempts repeated after a retriable failure.
        rate_limited: 429 replies seen.
        token_refreshes: tokens fetched after the first one.
    """

    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    token_refreshes: int = 0


@define(frozen=True)
class _Call(Generic[T]):
    """One prepared operation: the request to send and how to read its success."""

    method: str
    url: str
    headers: dict[str, str]
    content: bytes
    read: Callable[[httpx.Response], T]


class _Core(Generic[H]):
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
    ) -> None:
        enable_logging_from_environment()
        settings = resolve_settings(
            base_url, client_id, client_secret, environment, version=version
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
            stamp = self._stamp if http_class is httpx.Client else self._stamp_async
            hooks["request"] = [stamp]
        self.http: H = http_class(
            base_url=self.api_version.base_url(self.api_root),
            auth=self.auth,
            timeout=timeout,
            headers={"User-Agent": f"iscctl/{__version__}", "Accept": "application/json"},
            event_hooks=hooks,
        )

    def _stamp(self, request: httpx.Request) -> None:
        """httpx calls this just before a request goes on the wire (after the auth flow
        added its token). The pacer counts the call's slot from now, not from booking."""
        slot = _SENDING.get()
        if slot is not None and self.pacer is not None and "authorization" in request.headers:
            self.pacer.mark_sent(slot)

    async def _stamp_async(self, request: httpx.Request) -> None:
        self._stamp(request)

    @contextmanager
    def sending(self, slot: Slot | None) -> Iterator[None]:
        """Make `slot` the one the request hook stamps, for this thread or task."""
        if slot is None:
            yield
            return
        token = _SENDING.set(slot)
        try:
            yield
        finally:
            _SENDING.reset(token)

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

    def process_call(self, ids: Sequence[str]) -> _Call[TaskResultResponse]:
        self.api_version.require("process")
        kwargs = process_request(ids, self.api_version)
        return _Call(**kwargs, read=read_task_result)

    def import_call(self, objects: Sequence[Mapping[str, Any]]) -> _Call[ObjectImportResult]:
        self.api_version.require("import")
        kwargs = import_request(objects, self.api_version)
        return _Call(**kwargs, read=read_import_result)

    def outcome(self, call: _Call[T], response: httpx.Response) -> T | ISCError:
        """The result of a reply, or the error it means (not raised: the caller may retry)."""
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

    def transport_error(self, call: _Call[Any], failure: httpx.HTTPError) -> ISCError:
        url = str(self.http.base_url).rstrip("/") + call.url
        kind = (
            APITimeoutError if isinstance(failure, httpx.TimeoutException) else APIConnectionError
        )
        text = str(failure) or type(failure).__name__
        return kind(f"{type(failure).__name__}: {text}", method=call.method.upper(), url=url)

    def next_delay(self, error: ISCError, policy: RetryPolicy, attempt: _Attempt) -> float:
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


class _Attempt:
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


class _Facade(Generic[H]):
    """Attributes common to both flavours."""

    _core: _Core[H]

    @property
    def stats(self) -> ClientStats:
        """Requests, retries, 429s seen and token refreshes so far."""
        return self._core.stats

    @property
    def version(self) -> str:
        """The API version this client speaks (`v2025` unless configured)."""
        return self._core.api_version.name

    @property
    def base_url(self) -> str:
        """The API root, without version, e.g. `https://acme.api.identitynow.com`."""
        return self._core.api_root

    @property
    def generated(self) -> AuthenticatedClient:
        """The generated low-level client on this client's connection and credentials
        (no validation, retries or pacing): `start_identity_processing.sync(client=...)`."""
        return self._core.generated()

    def __repr__(self) -> str:
        return self._core.describe(type(self).__name__)


class AsyncClient(_Facade[httpx.AsyncClient]):
    """The asynchronous client. Arguments left out are resolved from the environment,
    `config.json` and the user config (see `iscctl.config`).

    Args:
        base_url: tenant name (`acme`) or API root (`https://acme.api.identitynow.com`).
        client_id, client_secret: the API client or personal access token.
        version: `beta`, `v2024`, `v2025` (default), `v2026`, `v3` (import only) or `v1`.
        environment: a named environment of the user config.
        retry: the retry policy of every call (default `RetryPolicy()`).
        rate_limit: `(requests, seconds)` to pace calls under, or None for no pacing.
        timeout: seconds to wait for each reply.

    >>> async with AsyncClient(base_url="acme") as isc:  # doctest: +SKIP
    ...     task = await isc.process_identities(ids)
    """

    def __init__(
        self,
        base_url: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        version: str | None = None,
        environment: str | None = None,
        retry: RetryPolicy | None = None,
        rate_limit: tuple[int, float] | None = DEFAULT_RATE_LIMIT,
        timeout: float = 30.0,
    ) -> None:
        self._core = _Core(
            httpx.AsyncClient,
            base_url=base_url,
            client_id=client_id,
            client_secret=client_secret,
            version=version,
            environment=environment,
            retry=retry,
            rate_limit=rate_limit,
            timeout=timeout,
        )

    @classmethod
    def from_environment(cls, **overrides: Any) -> Self:
        """A client configured from the environment, `config.json` and the user config;
        keyword arguments take precedence."""
        return cls(**overrides)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._core.http.aclose()

    async def process_identities(
        self, ids: Sequence[str], *, retry: RetryPolicy | None = None
    ) -> TaskResultResponse:
        """Start processing 1 to 250 identities; returns the task (`.id`).

        Raises `RequestValidationError` for a bad id list and `ConfigurationError`
        on `v3`, before anything is sent.
        """
        return await self._run(self._core.process_call(ids), retry)

    async def import_identity_profiles(
        self, objects: Sequence[Mapping[str, Any]], *, retry: RetryPolicy | None = None
    ) -> ObjectImportResult:
        """Import exported identity profiles (raw exported JSON objects, read-only fields
        already removed). Per-object problems come back in the result's `.errors`."""
        return await self._run(self._core.import_call(objects), retry)

    async def _run(self, call: _Call[T], retry: RetryPolicy | None) -> T:
        core = self._core
        policy = core.retry if retry is None else retry
        attempt = _Attempt()
        while True:
            slot = None if core.pacer is None else await core.pacer.wait_async()
            core.bump("requests")
            attempt.sent()
            try:
                with core.sending(slot):
                    response = await core.http.request(
                        call.method, call.url, headers=call.headers, content=call.content
                    )
            except httpx.HTTPError as failure:
                outcome: T | ISCError = core.transport_error(call, failure)
            except ISCError as error:  # from the token request inside the auth flow
                outcome = error
            else:
                outcome = core.outcome(call, response)
            core.settle(slot, outcome)
            if not isinstance(outcome, ISCError):
                return outcome
            await asyncio.sleep(core.next_delay(outcome, policy, attempt))


class Client(_Facade[httpx.Client]):
    """The synchronous client; the same arguments and methods as `AsyncClient`.

    >>> with Client(base_url="acme", client_id="...", client_secret="...") as isc:  # doctest: +SKIP
    ...     task = isc.process_identities(ids)
    """

    def __init__(
        self,
        base_url: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        version: str | None = None,
        environment: str | None = None,
        retry: RetryPolicy | None = None,
        rate_limit: tuple[int, float] | None = DEFAULT_RATE_LIMIT,
        timeout: float = 30.0,
    ) -> None:
        self._core = _Core(
            httpx.Client,
            base_url=base_url,
            client_id=client_id,
            client_secret=client_secret,
            version=version,
            environment=environment,
            retry=retry,
            rate_limit=rate_limit,
            timeout=timeout,
        )

    @classmethod
    def from_environment(cls, **overrides: Any) -> Self:
        """A client configured from the environment, `config.json` and the user config;
        keyword arguments take precedence."""
        return cls(**overrides)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._core.http.close()

    def process_identities(
        self, ids: Sequence[str], *, retry: RetryPolicy | None = None
    ) -> TaskResultResponse:
        """Start processing 1 to 250 identities; see `AsyncClient.process_identities`."""
        return self._run(self._core.process_call(ids), retry)

    def import_identity_profiles(
        self, objects: Sequence[Mapping[str, Any]], *, retry: RetryPolicy | None = None
    ) -> ObjectImportResult:
        """Import exported identity profiles; see `AsyncClient.import_identity_profiles`."""
        return self._run(self._core.import_call(objects), retry)

    def _run(self, call: _Call[T], retry: RetryPolicy | None) -> T:
        core = self._core
        policy = core.retry if retry is None else retry
        attempt = _Attempt()
        while True:
            slot = None if core.pacer is None else core.pacer.wait()
            core.bump("requests")
            attempt.sent()
            try:
                with core.sending(slot):
                    response = core.http.request(
                        call.method, call.url, headers=call.headers, content=call.content
                    )
            except httpx.HTTPError as failure:
                outcome: T | ISCError = core.transport_error(call, failure)
            except ISCError as error:  # from the token request inside the auth flow
                outcome = error
            else:
                outcome = core.outcome(call, response)
            core.settle(slot, outcome)
            if not isinstance(outcome, ISCError):
                return outcome
            time.sleep(core.next_delay(outcome, policy, attempt))
