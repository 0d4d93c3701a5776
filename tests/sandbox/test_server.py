"""SandboxServer's life cycle: start, stop, ports, and what it refuses."""

from __future__ import annotations

import socket
from collections.abc import Callable

import httpx
import pytest
from iscctl.sandbox import SandboxServer, SandboxSettings


def test_start_and_stop_without_with() -> None:
    server = SandboxServer(SandboxSettings(population_size=5))
    server.start()
    try:
        assert httpx.get(f"{server.inspection_url}/state").status_code == 200
        url = server.base_url
    finally:
        server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.post(f"{url}/oauth/token")


def test_a_stopped_server_frees_its_port() -> None:
    server = SandboxServer(SandboxSettings(population_size=5)).start()
    port = server.port
    server.stop()
    server.stop()  # stopping twice is harmless
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))


def test_starting_twice_is_refused(sandbox: SandboxServer) -> None:
    with pytest.raises(RuntimeError, match="already running"):
        sandbox.start()


def test_a_stopped_server_has_no_url() -> None:
    with pytest.raises(RuntimeError, match="not running"):
        _ = SandboxServer().base_url


def test_a_busy_port_is_an_os_error() -> None:
    with SandboxServer(SandboxSettings(population_size=1)) as first, pytest.raises(OSError):
        SandboxServer(SandboxSettings(port=first.port, population_size=1)).start()


def test_repr_names_the_url_but_never_the_secret(sandbox: SandboxServer) -> None:
    assert sandbox.base_url in repr(sandbox)
    assert sandbox.client_secret not in repr(sandbox)


def test_settings_refuse_impossible_values() -> None:
    with pytest.raises(ValueError):
        SandboxSettings(token_ttl=0)
    with pytest.raises(ValueError):
        SandboxSettings(unknown_ids="sometimes")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        SandboxSettings(port=70000)


def test_an_empty_population_knows_no_one(make_sandbox: Callable[..., SandboxServer]) -> None:
    server = make_sandbox(population_size=0)
    assert server.identity_ids == []
    assert len(server.sources) == 5


def test_a_stopped_server_can_start_again_with_its_state(
    make_sandbox: Callable[..., SandboxServer],
) -> None:
    server = make_sandbox()
    server.faults.add("http_500")
    server.stop()
    assert not server.running
    server.start()
    assert server.running
    assert [fault.kind for fault in server.faults.pending] == ["http_500"]
    assert httpx.get(f"{server.inspection_url}/state").status_code == 200


def test_http_parser_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    from iscctl.sandbox import server as server_module

    monkeypatch.setattr(server_module.importlib.util, "find_spec", lambda name: None)
    assert server_module.http_parser("auto") == "h11"
    assert server_module.http_parser("h11") == "h11"
    with pytest.raises(RuntimeError, match="needs the httptools package"):
        server_module.http_parser("httptools")
