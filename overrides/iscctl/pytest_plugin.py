"""A pytest plugin: a fresh ISC sandbox tenant per test, and iscctl clients pointed at it.

Installed with iscctl (entry point group `pytest11`), so any suite gets the
fixtures without copying a conftest:

    def test_reprocess(iscctl_sandbox, iscctl_client):
        task = iscctl_client.process_identities(iscctl_sandbox.identity_ids[:3])
        assert iscctl_sandbox.state.process_counts == dict.fromkeys(
            iscctl_sandbox.identity_ids[:3], 1
        )

- `iscctl_sandbox`: a `SandboxServer` started for this test on a free loopback
  port and stopped after it: seeded identities (`identity_ids`), fault
  planning (`faults.add(...)`), state inspection (`state`, `processing`),
  the rate limit off unless asked for.
- `iscctl_sandbox_settings`: the `SandboxSettings` it starts with; override
  the fixture in a conftest.py, or change single settings per test with
  `@pytest.mark.iscctl_sandbox(rate_limit=RateLimit(3, 1.0), population_size=10)`.
- `iscctl_client`: an `iscctl.Client` with the sandbox's URL and credentials.
- `iscctl_api`: an `iscctl.ApiClient` for the generated endpoint functions.

This module imports nothing heavy at load time: pytest loads it in every
suite of an environment where iscctl is installed, and the sandbox is an
optional extra (`pip install 'iscctl[sandbox]'`). A fixture used without the
extra fails its test with that instruction.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from iscctl.api import ApiClient
    from iscctl.client import Client
    from iscctl.sandbox import SandboxServer, SandboxSettings

MARKER = "iscctl_sandbox"
DEFAULT_POPULATION = 1000


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**settings): SandboxSettings fields for this test's iscctl_sandbox "
        "(e.g. rate_limit=RateLimit(3, 1.0), population_size=10, faults=[Fault('http_500')])",
    )


def _sandbox_package() -> Any:
    try:
        import iscctl.sandbox as sandbox
    except ModuleNotFoundError as missing:
        pytest.fail(
            f"the iscctl_sandbox fixture needs the sandbox extra ({missing.name} is missing): "
            "pip install 'iscctl[sandbox]'",
            pytrace=False,
        )
    return sandbox


@pytest.fixture
def iscctl_sandbox_settings() -> SandboxSettings:
    """What the tenant starts with: rate limit off, 1,000 seeded identities, seed 1."""
    sandbox = _sandbox_package()
    settings: SandboxSettings = sandbox.SandboxSettings(
        rate_limit=None, population_size=DEFAULT_POPULATION, seed=1
    )
    return settings


@pytest.fixture
def iscctl_sandbox(
    request: pytest.FixtureRequest, iscctl_sandbox_settings: SandboxSettings
) -> Iterator[SandboxServer]:
    """A fresh sandbox tenant on a free loopback port, for this test only."""
    import attrs

    sandbox = _sandbox_package()
    overrides: dict[str, Any] = {"host": "127.0.0.1", "port": 0}
    for marker in reversed(list(request.node.iter_markers(MARKER))):
        overrides.update(marker.kwargs)
    settings = attrs.evolve(iscctl_sandbox_settings, **overrides)
    with sandbox.SandboxServer(settings) as server:
        yield server


@pytest.fixture
def iscctl_client(iscctl_sandbox: SandboxServer) -> Iterator[Client]:
    """An `iscctl.Client` pointed at `iscctl_sandbox` with its credentials."""
    from iscctl.client import Client

    with Client(
        base_url=iscctl_sandbox.base_url,
        client_id=iscctl_sandbox.client_id,
        client_secret=iscctl_sandbox.client_secret,
    ) as client:
        yield client


@pytest.fixture
def iscctl_api(iscctl_sandbox: SandboxServer) -> Iterator[ApiClient]:
    """An `iscctl.ApiClient` (for the generated endpoint functions) pointed at the sandbox."""
    from iscctl.api import api_client

    api = api_client(
        base_url=iscctl_sandbox.base_url,
        client_id=iscctl_sandbox.client_id,
        client_secret=iscctl_sandbox.client_secret,
    )
    with api:
        yield api
