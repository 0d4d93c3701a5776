"""The public facade: `Client` (synchronous) and `AsyncClient`, over the generated client.

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

Each method is a thin layer over one generated endpoint function
(`iscctl_client.api...sync_detailed` / `asyncio_detailed`) called with the
client's `ApiClient` (`isc.api`), which carries auth, pacing, retries and
logging; the same `ApiClient` serves any other generated operation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import httpx
from iscctl_client.api.identities import start_identity_processing, start_identity_processing_v1
from iscctl_client.api.identity_profiles import (
    import_identity_profiles,
    import_identity_profiles_v1,
)

from iscctl.api import ApiClient, api_client
from iscctl.core import DEFAULT_RATE_LIMIT, ClientCore, ClientStats, OnWait
from iscctl.errors import APIConnectionError
from iscctl.payloads import checked_ids, checked_objects
from iscctl.replies import read_import_result, read_task_result
from iscctl.retry import RetryPolicy
from iscctl.transport import retry_policy

if TYPE_CHECKING:
    from iscctl_client.models import ObjectImportResult, TaskResultResponse

__all__ = ["DEFAULT_RATE_LIMIT", "AsyncClient", "Client", "ClientStats"]


class _Facade:
    """Construction and attributes common to both flavours."""

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
        on_wait: OnWait | None = None,
        allow_http_hosts: Iterable[str] | None = None,
    ) -> None:
        self._api = api_client(
            base_url=base_url,
            client_id=client_id,
            client_secret=client_secret,
            version=version,
            environment=environment,
            retry=retry,
            rate_limit=rate_limit,
            timeout=timeout,
            on_wait=on_wait,
            allow_http_hosts=allow_http_hosts,
        )
        self._core: ClientCore = self._api.core

    @classmethod
    def from_environment(cls, **overrides: Any) -> Self:
        """A client configured from the environment, `config.json` and the user config;
        keyword arguments take precedence."""
        return cls(**overrides)

    @property
    def api(self) -> ApiClient:
        """The generated client (`iscctl_client`) on this client's connection, credentials,
        pacer and retry policy: pass it as `client=` to any generated endpoint function."""
        return self._api

    @property
    def generated(self) -> ApiClient:
        """The former name of `api` (kept for existing code)."""
        return self._api

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

    def __repr__(self) -> str:
        return self._core.describe(type(self).__name__)


@contextmanager
def _calling(retry: RetryPolicy | None) -> Iterator[None]:
    """The per-call retry policy, and the one kind of failure the transport does not turn
    into an ISCError (a reply body that cannot be decoded, read by httpx after it)."""
    try:
        with retry_policy(retry):
            yield
    except httpx.HTTPError as failure:
        url = str(failure.request.url) if _has_request(failure) else ""
        text = str(failure) or type(failure).__name__
        raise APIConnectionError(
            f"{type(failure).__name__}: {text}", method="POST", url=url
        ) from None


def _has_request(failure: httpx.HTTPError) -> bool:
    try:
        failure.request  # noqa: B018 - raises RuntimeError when httpx did not set it
    except RuntimeError:
        return False
    return True


class AsyncClient(_Facade):
    """The asynchronous client. Arguments left out are resolved from the environment,
    `config.json` and the user config (see `iscctl.config`).

    Args:
        base_url: tenant name (`acme`) or API root (`https://acme.api.identitynow.com`).
        client_id, client_secret: the API client or personal access token.
        version: `beta`, `v2024`, `v2025` (default), `v2026`, `v3` (import only) or `v1`.
        environment: a named environment of the user config.
        retry: the retry policy of every call (default `RetryPolicy()`).
        rate_limit: `(requests, seconds)` to pace calls under, or None for no pacing.
        timeout: seconds to wait for each reply (the token request's included).
        on_wait: called before every wait as `on_wait(seconds, reason)`.
        allow_http_hosts: host names to which plain `http://` is allowed (a sandbox
            tenant run as a CI service); also `ISCCTL_ALLOW_HTTP_HOSTS`. Loopback
            hosts need no opt-in; any other http host is refused.

    >>> async with AsyncClient(base_url="acme") as isc:  # doctest: +SKIP
    ...     task = await isc.process_identities(ids)
    """

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
        await self._api.aclose()

    async def process_identities(
        self, ids: Sequence[str], *, retry: RetryPolicy | None = None
    ) -> TaskResultResponse:
        """Start processing 1 to 250 identities; returns the task (`.id`).

        Raises `RequestValidationError` for a bad id list and `ConfigurationError`
        on `v3`, before anything is sent.
        """
        self._core.api_version.require("process")
        body = checked_ids(ids)
        with _calling(retry):
            if self._core.api_version.per_service:
                reply = await start_identity_processing_v1.asyncio_detailed(
                    client=self._api, body=body
                )
            else:
                reply = await start_identity_processing.asyncio_detailed(
                    client=self._api, body=body
                )
        return read_task_result(reply)

    async def import_identity_profiles(
        self, objects: Sequence[Mapping[str, Any]], *, retry: RetryPolicy | None = None
    ) -> ObjectImportResult:
        """Import exported identity profiles (raw exported JSON objects, read-only fields
        already removed). Per-object problems come back in the result's `.errors`."""
        self._core.api_version.require("import")
        body = checked_objects(objects)
        with _calling(retry):
            if self._core.api_version.per_service:
                reply = await import_identity_profiles_v1.asyncio_detailed(
                    client=self._api, body=body
                )
            else:
                reply = await import_identity_profiles.asyncio_detailed(client=self._api, body=body)
        return read_import_result(reply)


class Client(_Facade):
    """The synchronous client; the same arguments and methods as `AsyncClient`.

    >>> with Client(base_url="acme", client_id="...", client_secret="...") as isc:  # doctest: +SKIP
    ...     task = isc.process_identities(ids)
    """

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
        self._api.close()

    def process_identities(
        self, ids: Sequence[str], *, retry: RetryPolicy | None = None
    ) -> TaskResultResponse:
        """Start processing 1 to 250 identities; see `AsyncClient.process_identities`."""
        self._core.api_version.require("process")
        body = checked_ids(ids)
        with _calling(retry):
            if self._core.api_version.per_service:
                reply = start_identity_processing_v1.sync_detailed(client=self._api, body=body)
            else:
                reply = start_identity_processing.sync_detailed(client=self._api, body=body)
        return read_task_result(reply)

    def import_identity_profiles(
        self, objects: Sequence[Mapping[str, Any]], *, retry: RetryPolicy | None = None
    ) -> ObjectImportResult:
        """Import exported identity profiles; see `AsyncClient.import_identity_profiles`."""
        self._core.api_version.require("import")
        body = checked_objects(objects)
        with _calling(retry):
            if self._core.api_version.per_service:
                reply = import_identity_profiles_v1.sync_detailed(client=self._api, body=body)
            else:
                reply = import_identity_profiles.sync_detailed(client=self._api, body=body)
        return read_import_result(reply)
