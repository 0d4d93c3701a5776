"""The API versions iscctl speaks, where each puts its operations, and their headers.

- `beta`: both operations under `{root}/beta`; no experimental header.
- `v2024`, `v2025` (the default), `v2026`: both operations under
  `{root}/{version}`; process needs `X-SailPoint-Experimental: true`.
- `v3`: import only, under `{root}/v3`.
- `v1`: per-service paths `{root}/identities/v1/process` (with the
  experimental header) and `{root}/identity-profiles/v1/import`.

`v1` is SailPoint's per-service layout; the versioned paths stay supported
until 2028-2029.

How one API root reaches both layouts (`route`): the spec writes every path
as SailPoint publishes it, relative to its server. A per-service path carries
its own version as the segment after the service name (`/identities/v1/...`,
`/sources/v1`) and lives directly under the API root; any other path is a
versioned one and goes under `{root}/{version}` of the client. The generator
ignores per-path `servers`, so this rule is what turns the generated relative
URL into the right absolute one; `tests/foundation` checks that the spec's
per-path `servers` and this rule agree for every path.
"""

from __future__ import annotations

import re
from typing import Literal

from attrs import define

from iscctl.errors import ConfigurationError

__all__ = [
    "BUCKET",
    "DEFAULT_VERSION",
    "EXPERIMENTAL_HEADER",
    "NO_SEARCH",
    "VERSION_NAMES",
    "ApiVersion",
    "Operation",
    "get_version",
    "per_service_version",
]

Operation = Literal["process", "import"]

EXPERIMENTAL_HEADER = "X-SailPoint-Experimental"

BUCKET = "iscctl.bucket"
"""Request extension naming the API version a request counts against (`v2025`, `v1`)."""

_PER_SERVICE = re.compile(r"^/[^/?#]+/(v[0-9]+)(?:[/?#]|$)")

DEFAULT_VERSION = "v2025"
"""The newest version that is generally available and has both operations."""


@define(frozen=True)
class ApiVersion:
    """One API version: its name, what it offers and how it is addressed."""

    name: str
    operations: frozenset[str]
    per_service: bool = False
    """True for `v1`: the version sits inside each path, not after the API root."""

    def has(self, operation: Operation) -> bool:
        return operation in self.operations

    def route(self, api_root: str, path: str) -> tuple[str, str]:
        """The absolute URL of a path of the spec, and the rate-limit bucket it counts in.

        `/identities/v1/process` -> (`{root}/identities/v1/process`, `v1`);
        `/identities/process` -> (`{root}/{name}/identities/process`, `{name}`).
        """
        service_version = per_service_version(path)
        if service_version is not None:
            return f"{api_root}{path}", service_version
        if self.per_service:
            raise ConfigurationError(
                f"{path} is a versioned path and API version {self.name} has only per-service "
                f"paths; call the operation's V1 function, or choose a version such as "
                f"{DEFAULT_VERSION}"
            )
        return f"{api_root}/{self.name}{path}", self.name

    def require(self, operation: Operation) -> None:
        """Raise `ConfigurationError` before anything is sent if this version lacks `operation`."""
        if not self.has(operation):
            offering = ", ".join(v.name for v in VERSIONS.values() if v.has(operation))
            raise ConfigurationError(
                f"API version {self.name} has no {operation} operation; "
                f"choose one of {offering} (--api-version, version=)"
            )


_BOTH = frozenset({"process", "import"})

VERSIONS: dict[str, ApiVersion] = {
    "beta": ApiVersion("beta", _BOTH),
    "v2024": ApiVersion("v2024", _BOTH),
    "v2025": ApiVersion("v2025", _BOTH),
    "v2026": ApiVersion("v2026", _BOTH),
    "v3": ApiVersion("v3", frozenset({"import"})),
    "v1": ApiVersion("v1", _BOTH, per_service=True),
}

VERSION_NAMES: tuple[str, ...] = tuple(VERSIONS)

NO_SEARCH = frozenset({"beta"})
"""Versions without `POST /search`: selection, waits and owners read the identities list."""


def per_service_version(path: str) -> str | None:
    """`v1` for a per-service path such as `/identities/v1/process`, else None."""
    match = _PER_SERVICE.match(path)
    return match.group(1) if match else None


def get_version(name: str | None) -> ApiVersion:
    """The version called `name` (case-insensitive); `None` gives the default, v2025."""
    if name is None or not name.strip():
        return VERSIONS[DEFAULT_VERSION]
    version = VERSIONS.get(name.strip().lower())
    if version is None:
        raise ConfigurationError(
            f"unknown API version {name!r}: choose one of {', '.join(VERSION_NAMES)} "
            f"(default {DEFAULT_VERSION})"
        )
    return version
