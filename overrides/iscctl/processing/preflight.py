"""Before the first request: can the tenant be reached at all?

A wrong tenant name (DNS failure) or nothing listening (connection refused)
is the same for every batch; the client would retry each batch with backoff
(seconds per batch) before the run ended in a summary of failures and a resume
hint that cannot help. One name lookup and one TCP connect, bounded by the
client's timeout, find it in milliseconds instead.

It is skipped when the client's requests to the tenant go through a proxy, since then
the proxy, not the tenant, is what the client connects to (and the tenant may not even
resolve from here). Whether they do is decided exactly as the client decides it: the
client honours HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY through httpx mounts
(`iscctl.core.proxy_mounts`), so the same mounts are given to an httpx client whose
transports only say which way a request went. A proxy for another scheme than the
tenant's, or a NO_PROXY entry that covers the tenant, leaves the check on; guessing
with another reading of NO_PROXY (urllib's treats `.example.com` as covering
`example.com`, httpx's mounts do not) could check a host the client never connects to.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from iscctl.errors import ISCError

__all__ = ["CannotStartError", "check_reachable"]


class CannotStartError(ISCError):
    """Nothing can be processed: the tenant cannot be reached, or refuses the credentials."""


def check_reachable(url: str, timeout: float) -> None:
    """Raise `CannotStartError` when the host of `url` does not resolve or refuses connections.

    Any other outcome (connected, timed out, no route) is left to the client, which
    retries what may be transient.
    """
    parts = urlsplit(url)
    host = parts.hostname
    if not host or _through_proxy(url):
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise CannotStartError(
            f"cannot find the tenant's host {host} ({error.strerror}); "
            "check the tenant name or --base-url"
        ) from None
    for family, kind, protocol, _, address in addresses:
        try:
            with socket.socket(family, kind, protocol) as probe:
                probe.settimeout(timeout)
                probe.connect(address)
        except ConnectionRefusedError:
            continue
        except OSError:
            return  # a timeout or an unreachable network may pass; the client retries those
        return
    if addresses:
        raise CannotStartError(
            f"cannot connect to {host}:{port} (connection refused); "
            "check --base-url and that the tenant is up"
        )


def _through_proxy(url: str) -> bool:
    """Whether the client sends a request for ``url`` through a proxy of the environment:
    httpx's own routing over the mounts the client is built with, asked through its
    public API (nothing is sent: the transports only answer which one was chosen)."""
    import httpx

    from iscctl.core import proxy_mounts

    class Way(httpx.BaseTransport):
        def __init__(self, proxied: bool) -> None:
            self.proxied = proxied

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, extensions={"proxied": self.proxied})

    mounts: dict[str, httpx.BaseTransport | None] = dict(proxy_mounts(lambda _: Way(True)))
    try:
        with httpx.Client(transport=Way(False), mounts=mounts) as router:
            return bool(router.get(url).extensions["proxied"])
    except (httpx.HTTPError, httpx.InvalidURL, ValueError):
        return True  # a URL or NO_PROXY entry httpx will not route: the client decides
