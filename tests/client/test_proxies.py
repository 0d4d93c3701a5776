"""Proxies from the environment (HTTP_PROXY, NO_PROXY), through a real forward proxy.

The proxy is a small threaded HTTP server in the test: it takes plain-http
requests in absolute form (`GET http://127.0.0.1:PORT/path`), forwards them to
the loopback sandbox, relays the reply and remembers what it forwarded. A call
through the proxy must still be authenticated, retried and counted by the
client's own transport, which `iscctl.core.proxy_mounts` mounts for the proxy.
"""

from __future__ import annotations

import asyncio
import http.client
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import iscctl
import pytest
from iscctl.client import AsyncClient, Client
from iscctl.core import proxy_mounts
from iscctl.errors import ConfigurationError
from iscctl.processing.preflight import CannotStartError, check_reachable
from iscctl.sandbox import SandboxServer
from iscctl_client.api.identities import start_identity_processing
from iscctl_client.models import ProcessIdentitiesRequest

if TYPE_CHECKING:
    from .conftest import Exposure

_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te"}


class ForwardProxy(ThreadingHTTPServer):
    """A forward proxy for plain http (no CONNECT): `seen` lists `METHOD URL` forwarded."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Forwarder)
        self.seen: list[str] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Forwarder(BaseHTTPRequestHandler):
    server: ForwardProxy
    protocol_version = "HTTP/1.1"

    def _forward(self) -> None:
        target = urlsplit(self.path)
        if target.scheme != "http" or not target.hostname:
            self.send_error(400, "this proxy forwards absolute http:// URLs only")
            return
        with self.server.lock:
            self.server.seen.append(f"{self.command} {self.path}")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        upstream = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
        try:
            path = target.path + (f"?{target.query}" if target.query else "")
            upstream.request(self.command, path or "/", body=body, headers=headers)
            reply = upstream.getresponse()
            content = reply.read()
            self.send_response(reply.status, reply.reason)
            for key, value in reply.getheaders():
                if key.lower() not in _HOP_BY_HOP | {"content-length"}:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)
        finally:
            upstream.close()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the test reads `seen`


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    server = ForwardProxy()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def via_proxy(proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch) -> ForwardProxy:
    """HTTP_PROXY names the test's proxy; NO_PROXY names nothing of ours."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "example.invalid")
    return proxy


def _paths(proxy: ForwardProxy) -> list[str]:
    return [line.split(" ", 1)[1].split("//", 1)[1].partition("/")[2] for line in proxy.seen]


def test_calls_and_the_token_request_go_through_the_proxy(
    sandbox: SandboxServer, make_client: Callable[..., Client], via_proxy: ForwardProxy
) -> None:
    client = make_client()
    assert client.process_identities(sandbox.identity_ids[:1]).id
    assert via_proxy.seen[0] == f"POST {sandbox.base_url}/oauth/token"
    assert _paths(via_proxy) == ["oauth/token", "v2025/identities/process"]
    assert [r.status for r in sandbox.state.requests] == [200, 202]


def test_a_proxied_call_is_still_retried_by_our_transport(
    sandbox: SandboxServer, make_client: Callable[..., Client], via_proxy: ForwardProxy
) -> None:
    sandbox.faults.add("http_500", times=2)
    client = make_client()
    assert client.process_identities(sandbox.identity_ids[:1]).id
    assert client.stats.retries == 2
    assert _paths(via_proxy) == ["oauth/token"] + ["v2025/identities/process"] * 3


def test_the_async_client_and_the_factory_use_the_proxy_too(
    sandbox: SandboxServer, make_async_client: Callable[..., AsyncClient], via_proxy: ForwardProxy
) -> None:
    async def run() -> None:
        async with make_async_client() as client:
            await client.process_identities(sandbox.identity_ids[:1])

    asyncio.run(run())
    with iscctl.api_client(
        base_url=sandbox.base_url,
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        rate_limit=None,
    ) as api:
        body = ProcessIdentitiesRequest(identity_ids=sandbox.identity_ids[:1])
        iscctl.unwrap(start_identity_processing.sync_detailed(client=api, body=body))
    assert _paths(via_proxy) == ["oauth/token", "v2025/identities/process"] * 2


def test_no_proxy_sends_the_tenant_direct(
    sandbox: SandboxServer,
    make_client: Callable[..., Client],
    via_proxy: ForwardProxy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_PROXY", "example.invalid, 127.0.0.1")
    assert make_client().process_identities(sandbox.identity_ids[:1]).id
    assert via_proxy.seen == []
    assert len(sandbox.state.requests) == 2


def test_no_proxy_star_turns_proxies_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "*")
    assert proxy_mounts(lambda url: url) == {}


def test_the_mounts_follow_httpx_reading_of_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    assert proxy_mounts(lambda url: url) == {}
    monkeypatch.setenv("https_proxy", "proxy.example:3128")
    monkeypatch.setenv("ALL_PROXY", "http://other.example:8080")
    monkeypatch.setenv("no_proxy", "localhost,::1,10.0.0.1,.corp.example,acme.example")
    assert proxy_mounts(lambda url: url) == {
        "https://": "http://proxy.example:3128",
        "all://": "http://other.example:8080",
        "all://localhost": None,
        "all://[::1]": None,
        "all://10.0.0.1": None,
        "all://*.corp.example": None,
        "all://*acme.example": None,
    }


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("HTTP_PROXY", "me:pr0xy-pw@proxy.example:port", "Invalid port"),
        ("ALL_PROXY", "socks5://me:pr0xy-pw@proxy.example:1080", "socks"),
    ],
)
def test_a_proxy_httpx_cannot_use_is_one_configuration_error_without_its_password(
    sandbox: SandboxServer,
    make_client: Callable[..., Client],
    monkeypatch: pytest.MonkeyPatch,
    exposed: Exposure,
    name: str,
    value: str,
    problem: str,
) -> None:
    monkeypatch.setenv(name, value)
    exposed.watch.secrets.add("pr0xy-pw")
    with pytest.raises(ConfigurationError) as caught:
        make_client().process_identities(sandbox.identity_ids[:1])
    exposed.add(caught.value)
    text = str(caught.value)
    assert text.startswith(f"{name}=") and "***@proxy.example" in text
    assert problem in text and "NO_PROXY=*" in text
    assert "\n" not in text
    assert sandbox.state.requests == []


# -- the pre-flight connect check of processing goes where the client goes -----------------
PROXY = "<the test's proxy>"


def _closed_port() -> int:
    """A loopback port nothing listens on: a connect to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize(
    ("environment", "host", "direct"),
    [
        ({"HTTP_PROXY": PROXY, "NO_PROXY": "example.invalid"}, "127.0.0.1", False),
        ({"HTTP_PROXY": PROXY, "NO_PROXY": "example.invalid, 127.0.0.1"}, "127.0.0.1", True),
        ({"HTTP_PROXY": PROXY, "NO_PROXY": "*"}, "127.0.0.1", True),
        ({"HTTPS_PROXY": PROXY}, "127.0.0.1", True),  # no proxy for http:// at all
        # subdomains of localhost only: urllib's reading of NO_PROXY would say direct
        ({"HTTP_PROXY": PROXY, "NO_PROXY": ".localhost"}, "localhost", False),
    ],
    ids=["proxied", "no-proxy-names-it", "no-proxy-star", "proxy-for-https-only", "subdomains"],
)
def test_the_preflight_check_runs_exactly_when_the_client_goes_direct(
    sandbox: SandboxServer,
    proxy: ForwardProxy,
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    host: str,
    direct: bool,
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value.replace(PROXY, proxy.url))
    # where the client really goes, over real sockets
    with Client(
        base_url=sandbox.base_url.replace("127.0.0.1", host),
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        rate_limit=None,
    ) as client:
        assert client.process_identities(sandbox.identity_ids[:1]).id
    assert (proxy.seen == []) is direct
    # and the check before processing: a refused connect is found only when direct
    nothing_listens = f"http://{host}:{_closed_port()}"
    if direct:
        with pytest.raises(CannotStartError, match="connection refused"):
            check_reachable(nothing_listens, timeout=5.0)
    else:
        check_reachable(nothing_listens, timeout=5.0)  # the proxy is what it connects to
