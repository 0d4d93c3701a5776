"""Two named sandbox tenants, ``dev`` and ``prod``, for the tests that move configuration
between tenants (tests/profiles) and the tests of the named tenants themselves
(tests/sandbox_tenants). Registered for the whole suite in tests/conftest.py.

One pair serves the whole session, started by the first test that asks for it, and is
reset before each test (state, tokens, faults; the seeded profiles are stored again),
which is as good as fresh and far quicker than starting two servers per test or module.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from iscctl.sandbox import SandboxTenants

TENANT_SECRET = "tenants-s3cr3t-9c41f0e7"
"""The client secret of both tenants: it cannot occur by chance in any output, and the
leak watch looks for it."""


@pytest.fixture(scope="session")
def _tenants() -> Iterator[SandboxTenants]:
    with SandboxTenants(
        "dev", "prod", rate_limit=None, population_size=200, client_secret=TENANT_SECRET
    ) as tenants:
        yield tenants


@pytest.fixture
def tenants(_tenants: SandboxTenants, leak_watch: Any) -> SandboxTenants:
    """``dev`` and ``prod``, running, in their start-up state."""
    leak_watch.secrets.add(TENANT_SECRET)
    for server in _tenants.values():
        if not server.running:  # a test stopped it: serve the next one anyway
            server.start()
    _tenants.reset()
    return _tenants
