"""The client core: the settings and shared state of one ISC connection, and its httpx clients.

`ClientCore` resolves the settings (arguments, `--env`, `SAIL_*`, config
files), holds what every request of the connection shares — the OAuth auth
flow, the retry policy, the pacers, the counters, the `on_wait` callback —
and builds the httpx clients that apply it, each with:

- `auth`: `iscctl.auth.ClientCredentialsAuth` (token fetched, cached, refreshed);
- a transport (`iscctl.transport`) that paces calls, retries them and logs;
- `build_request` placing each spec path under the API root or the version
  (`iscctl.versions`), so that one API root serves both layouts.

It sends nothing itself: requests are made by the generated endpoint
functions, through `iscctl.ApiClient` (`iscctl.api`).
"""

from __future__ import annotations

import ipaddress
import threading
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import httpx
from attrs import define

from iscctl import __version__
from iscctl.auth import ClientCredentialsAuth
from iscctl.errors import ConfigurationError
from iscctl.logs import enable_logging_from_environment, redact_url
from iscctl.pacing import Pacer, shared_pacer
from iscctl.retry import RetryPolicy
from iscctl.versions import BUCKET, EXPERIMENTAL_HEADER, ApiVersion, get_version

__all__ = ["BUCKET", "DEFAULT_RATE_LIMIT", "ClientCore", "ClientStats", "OnWait", "proxy_mounts"]

T = TypeVar("T")

DEFAULT_RATE_LIMIT: tuple[int, float] = (100, 10.0)
"""ISC's published limit: 100 requests per 10 seconds per client_id and API version."""

OnWait = Callable[[float, str], None]
"""Called before every wait with its seconds and reason: `"rate limit"` (the pacer),
`"Retry-After"` (a 429 said so) or `"backoff"` (a retry after a fault)."""


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


class ClientCore:
    """The resolved settings and shared state of one connection; no I/O happens here."""

    def __init__(
        self,
        *,
        base_url: str | None,
        client_id: str | None,
        client_secret: str | None,
        version: str | None,
        environment: str | None,
        retry: RetryPolicy | None,
        rate_limit: tuple[int, float] | None,
        timeout: float,
        on_wait: OnWait | None = None,
        allow_http_hosts: Iterable[str] | None = None,
    ) -> None:
        # Imported here, not at the top: the configuration sources (TOML files, the
        # keyring, sail's files) cost a sixth of `from iscctl import Client` and are
        # needed only once a client is built (#11 / #14.12 start-up).
        from iscctl.config import resolve_settings

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
        self.rate_limit = _checked_rate_limit(rate_limit)
        if not isinstance(timeout, int | float) or not timeout > 0:
            raise ConfigurationError(f"timeout must be a positive number of seconds, got {timeout}")
        self.timeout = float(timeout)
        if on_wait is not None and not callable(on_wait):
            raise ConfigurationError(f"on_wait must be a callable or None, got {on_wait!r}")
        self.on_wait = on_wait
        self.stats = ClientStats()
        self._stats_lock = threading.Lock()
        self.auth = ClientCredentialsAuth(
            f"{self.api_root}/oauth/token",
            settings.client_id,
            settings.client_secret,
            on_token=self._count_token,
            timeout=self.timeout,
        )
        self.headers = {"User-Agent": f"iscctl/{__version__}", "Accept": "application/json"}

    # -- what the transports ask -----------------------------------------------------

    @property
    def pacer(self) -> Pacer | None:
        """The pacer of this client's own version (None when pacing is off)."""
        return self.pacer_for(self.api_version.name)

    def pacer_for(self, bucket: str) -> Pacer | None:
        """The process-wide pacer of this API root, client_id and version bucket."""
        if self.rate_limit is None:
            return None
        requests, seconds = self.rate_limit
        return shared_pacer(self.api_root, self.client_id, bucket, requests, seconds)

    def waiting(self, seconds: float, reason: str) -> None:
        """Tell the `on_wait` callback, if any, about a wait that is about to start."""
        if self.on_wait is not None and seconds > 0:
            self.on_wait(seconds, reason)

    def bump(self, name: str) -> None:
        with self._stats_lock:
            setattr(self.stats, name, getattr(self.stats, name) + 1)

    def _count_token(self, fetched: int) -> None:
        with self._stats_lock:
            self.stats.token_refreshes = max(0, fetched - 1)

    # -- the httpx clients -----------------------------------------------------------

    def sync_client(self, headers: dict[str, str] | None = None) -> httpx.Client:
        """A new `httpx.Client` with this connection's auth, transport and routing."""
        from iscctl.transport import RetryingTransport

        client = _RoutedClient(
            self,
            base_url=self.api_root,
            auth=self.auth,
            timeout=self.timeout,
            headers={**self.headers, **(headers or {})},
            transport=RetryingTransport(self, httpx.HTTPTransport()),
            mounts=proxy_mounts(
                lambda url: RetryingTransport(self, httpx.HTTPTransport(proxy=url))
            ),
        )
        return client

    def async_client(self, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
        """A new `httpx.AsyncClient` with this connection's auth, transport and routing."""
        from iscctl.transport import AsyncRetryingTransport

        client = _AsyncRoutedClient(
            self,
            base_url=self.api_root,
            auth=self.auth,
            timeout=self.timeout,
            headers={**self.headers, **(headers or {})},
            transport=AsyncRetryingTransport(self, httpx.AsyncHTTPTransport()),
            mounts=proxy_mounts(
                lambda url: AsyncRetryingTransport(self, httpx.AsyncHTTPTransport(proxy=url))
            ),
        )
        return client

    def route(self, method: str, url: Any, kwargs: dict[str, Any]) -> Any:
        """`build_request`'s arguments for a path of the spec: the absolute URL under the
        API root or the version, the rate-limit bucket, and the experimental header
        dropped where the version has none (beta)."""
        if not isinstance(url, str) or not url.startswith("/"):
            return url  # absolute, or not from the spec: left as given
        absolute, bucket = self.api_version.route(self.api_root, url)
        kwargs["extensions"] = {**(kwargs.get("extensions") or {}), BUCKET: bucket}
        headers = kwargs.get("headers")
        if isinstance(headers, dict) and bucket == "beta":
            kwargs["headers"] = {
                k: v for k, v in headers.items() if k.lower() != EXPERIMENTAL_HEADER.lower()
            }
        return absolute

    def describe(self, kind: str) -> str:
        return (
            f"{kind}(base_url={self.api_root!r}, client_id={self.client_id!r}, "
            f"client_secret='***', version={self.api_version.name!r})"
        )


class _RoutedClient(httpx.Client):
    """`httpx.Client` whose relative URLs are the spec's paths, placed by `ClientCore.route`."""

    def __init__(self, core: ClientCore, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._iscctl_core = core

    def build_request(self, method: str, url: Any, **kwargs: Any) -> httpx.Request:
        url = self._iscctl_core.route(method, url, kwargs)
        return super().build_request(method, url, **kwargs)


class _AsyncRoutedClient(httpx.AsyncClient):
    """The asynchronous twin of `_RoutedClient`."""

    def __init__(self, core: ClientCore, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._iscctl_core = core

    def build_request(self, method: str, url: Any, **kwargs: Any) -> httpx.Request:
        url = self._iscctl_core.route(method, url, kwargs)
        return super().build_request(method, url, **kwargs)


def proxy_mounts(through: Callable[[str], T]) -> dict[str, T | None]:
    """httpx `mounts=` for the proxies the environment names: HTTP_PROXY, HTTPS_PROXY and
    ALL_PROXY (any case), with NO_PROXY's hosts going direct, read as httpx reads them.

    httpx ignores the environment's proxies once a client is given its own `transport=`,
    which ours must be (it paces, retries and logs): so they are mounted here, each
    proxy's transport made by `through(proxy_url)`, wrapped in ours like the direct one.
    A host NO_PROXY names maps to None, which httpx reads as "the client's transport".
    """
    found = urllib.request.getproxies()
    direct = [host for host in (part.strip() for part in found.get("no", "").split(",")) if host]
    if "*" in direct:
        return {}
    mounts: dict[str, T | None] = {}
    for scheme in ("http", "https", "all"):
        url = found.get(scheme)
        if url:
            mounts[f"{scheme}://"] = _proxy_transport(scheme, url, through)
    if mounts:
        mounts.update((_direct_pattern(host), None) for host in direct)
    return mounts


def _proxy_transport(scheme: str, url: str, through: Callable[[str], T]) -> T:
    """`through(url)`, or a one-line `ConfigurationError` naming the variable (a malformed
    URL, a SOCKS proxy without httpx's socks extra), its credentials redacted."""
    full = url if "://" in url else f"http://{url}"
    try:
        return through(full)
    except (ImportError, ValueError, httpx.InvalidURL) as error:
        shown = redact_url(full)
        problem = " ".join(str(error).replace(full, shown).split()).rstrip(".")
        raise ConfigurationError(
            f"{scheme.upper()}_PROXY={shown}: {problem}; fix or unset it "
            "(NO_PROXY=* turns proxies off)"
        ) from None


def _direct_pattern(host: str) -> str:
    """The httpx URL pattern of one NO_PROXY entry: an address or `localhost` exactly,
    a domain with its subdomains (`example.com`, `.example.com`), a URL as given."""
    if "://" in host:
        return host
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return "all://localhost" if host.lower() == "localhost" else f"all://*{host}"
    return f"all://[{address}]" if address.version == 6 else f"all://{address}"


def _checked_rate_limit(rate_limit: object) -> tuple[int, float] | None:
    if rate_limit is None:
        return None
    try:
        requests, seconds = rate_limit  # type: ignore[misc]
        checked = (int(requests), float(seconds))  # type: ignore[has-type]
        Pacer(*checked)  # refuses zero and negative values
    except (TypeError, ValueError):
        raise ConfigurationError(
            f"rate_limit must be (requests, seconds) such as (100, 10.0), or None, "
            f"got {rate_limit!r}"
        ) from None
    return checked
