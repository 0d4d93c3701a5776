"""Several named sandbox tenants at once (`dev` and `prod`), one server and port each.

Moving identity profiles between tenants is tested against two tenants whose
sources and transforms have the same names but different ids; this starts them
together and stops them together:

    with SandboxTenants("dev", "prod", rate_limit=None) as tenants:
        tenants["dev"].base_url, tenants["prod"].base_url
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import Any, Self

import attrs

from iscctl.sandbox.server import SandboxServer
from iscctl.sandbox.settings import SandboxSettings


class SandboxTenants(Mapping[str, SandboxServer]):
    """Tenant name -> its running `SandboxServer`; a context manager that starts them all."""

    def __init__(
        self, *names: str, settings: SandboxSettings | None = None, **overrides: Any
    ) -> None:
        if not names:
            raise ValueError("name at least one tenant, e.g. SandboxTenants('dev', 'prod')")
        if len(set(names)) != len(names):
            raise ValueError(f"tenant names must differ: {', '.join(names)}")
        base = attrs.evolve(settings or SandboxSettings(), **overrides)
        self._servers = {
            name: SandboxServer(attrs.evolve(base, tenant=name, port=0)) for name in names
        }

    def start(self) -> Self:
        try:
            for server in self._servers.values():
                server.start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for server in self._servers.values():
            server.stop()

    def reset(self) -> None:
        """Reset every tenant (state, tokens, faults; seeded profiles again)."""
        for server in self._servers.values():
            server.reset()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __getitem__(self, name: str) -> SandboxServer:
        return self._servers[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._servers)

    def __len__(self) -> int:
        return len(self._servers)

    def __repr__(self) -> str:
        return f"<SandboxTenants {', '.join(self._servers)}>"
