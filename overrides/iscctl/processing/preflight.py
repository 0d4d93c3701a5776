"""Before the first request: can the tenant be reached at all?

A wrong tenant name (DNS failure) or nothing listening (connection refused)
is the same for every batch; the client would retry each batch with backoff
(seconds per batch) before the run ended in a summary of failures and a resume
hint that cannot help. One name lookup and one TCP connect, bounded by the
client's timeout, find it in milliseconds instead. It is skipped when a proxy
is configured, since then the proxy, not the tenant, is what we connect to.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

from iscctl.errors import ISCError

__all__ = ["CannotStartError", "check_reachable"]

_PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY")


class CannotStartError(ISCError):
    """Nothing can be processed: the tenant cannot be reached, or refuses the credentials."""


def check_reachable(url: str, timeout: float) -> None:
    """Raise `CannotStartError` when the host of `url` does not resolve or refuses connections.

    Any other outcome (connected, timed out, no route) is left to the client, which
    retries what may be transient.
    """
    if any(os.environ.get(name) or os.environ.get(name.lower()) for name in _PROXY_VARIABLES):
        return
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
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
