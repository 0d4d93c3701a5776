"""Fixtures shared by the whole suite.

`sandbox` is a real ISC sandbox tenant on a loopback port, rate limit off,
2,000 seeded identities. One server serves the whole session and is reset
before each test (state, tokens, faults), which is as good as fresh and much
faster than starting uvicorn per test. Tests that need other settings ask
`make_sandbox(**overrides)` for their own server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest
from iscctl.sandbox import SandboxServer, SandboxSettings

FIXTURE_SETTINGS = SandboxSettings(rate_limit=None, population_size=2000, seed=1)


@pytest.fixture(scope="session")
def _shared_sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(FIXTURE_SETTINGS) as server:
        yield server


@pytest.fixture
def sandbox(_shared_sandbox: SandboxServer) -> SandboxServer:
    """A running sandbox tenant in its start-up state (reset before the test)."""
    if not _shared_sandbox.running:  # a test stopped it: serve the next one anyway
        _shared_sandbox.start()
    _shared_sandbox.reset()
    return _shared_sandbox


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., SandboxServer]]:
    """Start sandboxes with other settings: `make_sandbox(token_ttl=1, rate_limit=None)`.

    Unspecified settings are those of the `sandbox` fixture; every server
    started here is stopped after the test.
    """
    started: list[SandboxServer] = []

    def make(**overrides: Any) -> SandboxServer:
        server = SandboxServer(attrs.evolve(FIXTURE_SETTINGS, **overrides)).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()
