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
import time
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import httpx

from iscctl.core import DEFAULT_RATE_LIMIT, Attempt, Call, ClientCore, ClientStats
from iscctl.errors import ISCError
from iscctl.pacing import sending
from iscctl.retry import RetryPolicy

if TYPE_CHECKING:
    from iscctl_client import AuthenticatedClient
    from iscctl_client.models import ObjectImportResult, TaskResultResponse

__all__ = ["DEFAULT_RATE_LIMIT", "AsyncClient", "Client", "ClientStats"]

T = TypeVar("T")
H = TypeVar("H", httpx.Client, httpx.AsyncClient)


class _Facade(Generic[H]):
    """Construction and attributes common to both flavours."""

    _http_class: type[H]
    _core: ClientCore[H]

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
        allow_http_hosts: Iterable[str] | None = None,
    ) -> None:
        self._core = ClientCore(
            self._http_class,
            base_url=base_url,
            client_id=client_id,
            client_secret=client_secret,
            version=version,
            environment=environment,
            retry=retry,
            rate_limit=rate_limit,
            timeout=timeout,
            allow_http_hosts=allow_http_hosts,
        )

    @classmethod
    def from_environment(cls, **overrides: Any) -> Self:
        """A client configured from the environment, `config.json` and the user config;
        keyword arguments take precedence."""
        return cls(**overrides)

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
        allow_http_hosts: host names to which plain `http://` is allowed (a sandbox
            tenant run as a CI service); also `ISCCTL_ALLOW_HTTP_HOSTS`. Loopback
            hosts need no opt-in; any other http host is refused.

    >>> async with AsyncClient(base_url="acme") as isc:  # doctest: +SKIP
    ...     task = await isc.process_identities(ids)
    """

    _http_class = httpx.AsyncClient

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

    async def _run(self, call: Call[T], retry: RetryPolicy | None) -> T:
        core = self._core
        policy = core.retry if retry is None else retry
        attempt = Attempt()
        while True:
            slot = None if core.pacer is None else await core.pacer.wait_async()
            core.bump("requests")
            attempt.sent()
            try:
                with sending(slot):
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

    _http_class = httpx.Client

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

    def _run(self, call: Call[T], retry: RetryPolicy | None) -> T:
        core = self._core
        policy = core.retry if retry is None else retry
        attempt = Attempt()
        while True:
            slot = None if core.pacer is None else core.pacer.wait()
            core.bump("requests")
            attempt.sent()
            try:
                with sending(slot):
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
