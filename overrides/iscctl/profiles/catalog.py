"""What a target tenant holds that references resolve against, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reference:
    """Something a profile can point at in a tenant: a source, a transform, an identity."""

    id: str
    name: str


@dataclass
class Catalog:
    """What references resolve against: the target's sources, transforms and profiles."""

    sources: list[Reference] = field(default_factory=list)
    transforms: list[Reference] = field(default_factory=list)
    identities: list[Reference] = field(default_factory=list)
    profiles: list[dict[str, Any]] = field(default_factory=list)  # IdentityProfile JSON

    def profile_named(self, name: str) -> dict[str, Any] | None:
        key = name.strip().casefold()
        return next(
            (p for p in self.profiles if str(p.get("name", "")).strip().casefold() == key), None
        )
