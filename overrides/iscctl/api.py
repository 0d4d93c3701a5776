"""The generated client as the SDK: `api_client()`, `ApiClient` and `unwrap()`.

    import iscctl
    from iscctl_client.api.identities import start_identity_processing
    from iscctl_client.models import ProcessIdentitiesRequest

    api = iscctl.api_client(base_url="acme", client_id="...", client_secret="...")
    reply = start_identity_processing.sync_detailed(
        client=api, body=ProcessIdentitiesRequest(identity_ids=["2c91..."])
    )
    task = iscctl.unwrap(reply)          # TaskResultResponse, or an iscctl.errors exception

`ApiClient` is a subclass of the generated `AuthenticatedClient`, so every
generated endpoint function takes it (mypy agrees). Its httpx clients (sync
and async, built on first use) carry the OAuth client-credentials flow, the
pacer, retries with backoff and `Retry-After`, redacted logging, and the
placing of each spec path under the API root or the version
(`iscctl.core`, `iscctl.transport`). Nothing here builds a request by hand.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, MutableMapping
from typing import Any, Protocol, TypeAlias, TypeVar

import httpx
from attrs import define, field
from iscctl_client import AuthenticatedClient
from iscctl_client.models import (
    ErrorFieldResponse,
    ErrorResponseDto,
    ProcessBadRequestBody,
    RateLimitExceededResponse,
)

from iscctl.core import DEFAULT_RATE_LIMIT, ClientCore, ClientStats, OnWait
from iscctl.errors import ReplyValidationError, status_error
from iscctl.retry import RetryPolicy, parse_retry_after
from iscctl.transport import GAVE_UP_HEADER, REQUEST_HEADER

__all__ = ["ApiClient", "api_client", "unwrap"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Reply(Protocol[T_co]):
    """What `unwrap` reads of a generated `iscctl_client.types.Response` (read-only, so
    that a reply whose union lacks some of the error models fits as well)."""

    @property
    def status_code(self) -> int: ...  # an HTTPStatus, or the number of one it does not name

    @property
    def content(self) -> bytes: ...

    @property
    def headers(self) -> MutableMapping[str, str]: ...

    @property
    def parsed(self) -> T_co | None: ...


def _no_core() -> ClientCore:
    raise TypeError("ApiClient needs a core: create it with iscctl.api_client(...)")


@define
class ApiClient(AuthenticatedClient):
    """The generated `AuthenticatedClient`, wired for ISC: auth, retries, pacing, logging.

    Create it with `iscctl.api_client(...)` (or take `Client(...).api`). It
    works with the sync and the async endpoint functions alike; close it with
    `close()` / `aclose()` or use it as a (async) context manager.
    """

    _core: ClientCore = field(factory=_no_core, kw_only=True, alias="core")

    def get_httpx_client(self) -> httpx.Client:
        if self._client is None:
            self._client = self._core.sync_client(self._headers)
        return self._client

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        if self._async_client is None:
            self._async_client = self._core.async_client(self._headers)
        return self._async_client

    @property
    def core(self) -> ClientCore:
        """The settings and shared state behind this client."""
        return self._core

    @property
    def stats(self) -> ClientStats:
        """Requests, retries, 429s seen and token refreshes so far."""
        return self._core.stats

    @property
    def version(self) -> str:
        """The API version of the versioned operations (`v2025` unless configured)."""
        return self._core.api_version.name

    @property
    def api_root(self) -> str:
        """The API root, without version, e.g. `https://acme.api.identitynow.com`."""
        return self._core.api_root

    def close(self) -> None:
        """Close the synchronous connections (if any were opened)."""
        if self._client is not None:
            self._client.close()

    async def aclose(self) -> None:
        """Close the asynchronous connections (if any were opened)."""
        if self._async_client is not None:
            await self._async_client.aclose()

    def __repr__(self) -> str:
        return self._core.describe(type(self).__name__)


def api_client(
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
) -> ApiClient:
    """An `ApiClient` for the generated endpoint functions, configured like `Client`.

    Arguments left out are resolved from the environment (`SAIL_BASE_URL`,
    `SAIL_CLIENT_ID`, `SAIL_CLIENT_SECRET`), `config.json` and the user config
    (`environment` names one of its environments); see `iscctl.config`.

    Args:
        base_url: tenant name (`acme`) or API root (`https://acme.api.identitynow.com`).
        client_id, client_secret: the API client or personal access token.
        version: where the versioned operations go: `beta`, `v2024`, `v2025`
            (default), `v2026` or `v3`. Per-service operations (`..._v1`
            functions) always go to their own path under the API root.
        retry: the retry policy of every call (default `RetryPolicy()`).
        rate_limit: `(requests, seconds)` to pace calls under, or None for no pacing.
        timeout: seconds to wait for each reply, the token request's included.
        on_wait: called before every wait as `on_wait(seconds, reason)`, reason
            being `"rate limit"`, `"Retry-After"` or `"backoff"`.
        allow_http_hosts: host names to which plain `http://` is allowed (a sandbox
            tenant run as a CI service); also `ISCCTL_ALLOW_HTTP_HOSTS`. Loopback
            hosts need no opt-in; any other http host is refused.
    """
    core = ClientCore(
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
    return ApiClient(base_url=core.api_root, token="", core=core)


_ErrorModel: TypeAlias = (
    ErrorResponseDto | ErrorFieldResponse | RateLimitExceededResponse | ProcessBadRequestBody
)
"""The error bodies of the spec, as the generated endpoint functions parse them."""


def unwrap(
    response: Reply[T | _ErrorModel],
    reread: Callable[[dict[str, Any]], T] | None = None,
) -> T:
    """The success model of a generated `Response`, or raise the `iscctl.errors` exception.

    A 2xx gives its parsed model. Any other status raises the `APIStatusError`
    subclass of the status (`BadRequestError`, `NotFoundError`,
    `RateLimitError`, `ServerError`, ...) with ISC's detailCode, trackingId,
    messages and causes (see `iscctl.errors.status_error`). A 2xx whose body
    the generated code could not read raises `ReplyValidationError`, unless
    `reread` reads it (see `_reread`; `iscctl.replies` smooths the gaps the live
    API leaves that way).
    """
    status = int(response.status_code)
    method, _, url = response.headers.get(REQUEST_HEADER, "").partition(" ")
    text = response.content.decode("utf-8", "replace")
    if 200 <= status < 300:
        if response.parsed is not None and not isinstance(response.parsed, _ErrorModel):
            return response.parsed
        try:
            return _reread(text, reread)
        except ValueError as problem:
            message = f"{status} reply {problem}"
            raise ReplyValidationError(message, method=method, url=url, body=text) from None
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    error = status_error(status, text, method=method, url=url, retry_after=retry_after)
    gave_up = response.headers.get(GAVE_UP_HEADER)
    if gave_up:
        error.message = f"{error.message} ({gave_up})"
    raise error


def _reread(text: str, reread: Callable[[dict[str, Any]], T] | None) -> T:
    """A 2xx body the generated code gave up on, read with `reread` if it is a JSON object
    (an empty body reads as `{}`: the operation happened, and failing would make the
    caller send it again); otherwise a ValueError saying what is wrong with it."""
    if reread is None:
        raise ValueError(f"does not fit the operation's result: {text[:120]!r}")
    try:
        data = json.loads(text) if text.strip() else {}
    except ValueError:
        raise ValueError(f"is not JSON: {text[:120]!r}") from None
    if not isinstance(data, dict):
        raise ValueError(f"is a JSON {type(data).__name__}, not an object")
    try:
        return reread(data)
    except (KeyError, TypeError, ValueError, AttributeError) as failure:
        problem = f"{type(failure).__name__}: {failure}"
        raise ValueError(f"does not fit the operation's result: {problem}") from None
