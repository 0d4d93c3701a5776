"""How a module declares the ISC operations it serves, on every version that has them.

A module returns `ApiRoute`s; the app wraps each handler in the pipeline every
ISC call goes through (faults, bearer token, rate limit per client and
version, request log). Adding an operation is one function in its own module
and one line in `app.ROUTE_SOURCES`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from attrs import define

from iscctl.sandbox.faults import Operation
from iscctl.sandbox.reply import Handler

# Versions per the contract sheet (isc-workflow-contract.md, section 0); the
# per-service paths (`/<service>/v1/...`) count as version "v1".
IDENTITY_VERSIONS: Final = ("beta", "v2024", "v2025", "v2026")
TASK_STATUS_VERSIONS: Final = ("beta", "v2024", "v2025", "v2026")
SEARCH_VERSIONS: Final = ("v3", "v2024", "v2025", "v2026")
PROFILE_VERSIONS: Final = ("v3", "beta", "v2024", "v2025", "v2026")


@define(frozen=True)
class ApiRoute:
    method: str
    path: str
    operation: Operation
    version: str
    handler: Handler


def versioned(
    method: str,
    path: str,
    operation: Operation,
    handler: Handler,
    versions: Iterable[str],
    service_path: str | None,
) -> list[ApiRoute]:
    """`path` under each of `versions` (`/v2025/identities`), plus `service_path` as v1."""
    routes = [
        ApiRoute(method, f"/{version}{path}", operation, version, handler) for version in versions
    ]
    if service_path is not None:
        routes.append(ApiRoute(method, service_path, operation, "v1", handler))
    return routes
