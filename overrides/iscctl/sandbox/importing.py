"""The import operation: store identity profiles by name, report per-object problems.

Like SP-Config, a problem with one object does not fail the import: it is
reported in `errors` of a 200 reply and the other objects are stored.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from iscctl_models import IdentityProfileExportedObject, SpConfigObjectType

from iscctl.sandbox.bodies import import_message
from iscctl.sandbox.population import Population
from iscctl.sandbox.state import SandboxState


def profile_id(seed: int, name: str) -> str:
    """A stable server id per profile name (and seed), 32 hex like ISC's ids."""
    return hashlib.sha256(f"{seed}:identity-profile:{name}".encode()).hexdigest()[:32]


def timestamp() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def import_profiles(
    items: list[tuple[Any, IdentityProfileExportedObject]],
    population: Population,
    state: SandboxState,
    seed: int,
) -> dict[str, Any]:
    """Store what can be stored; the ObjectImportResult body of the 200 reply."""
    errors: list[dict[str, Any]] = []
    imported: list[dict[str, Any]] = []
    for index, (raw, item) in enumerate(items):
        problem = _problem(index, item, population)
        if problem is not None:
            errors.append(problem)
            continue
        assert item.object is not None and item.object.name is not None
        name = item.object.name
        now = timestamp()
        existing = state.stored_profile(name)
        stored = dict(raw["object"])  # read-only fields were removed when parsing
        stored["id"] = existing["id"] if existing else profile_id(seed, name)
        stored["created"] = existing["created"] if existing else now
        stored["modified"] = now
        state.store_profile(name, stored)
        imported.append({"type": "IDENTITY_PROFILE", "id": stored["id"], "name": name})
    return {"infos": [], "warnings": [], "errors": errors, "importedObjects": imported}


def _problem(
    index: int, item: IdentityProfileExportedObject, population: Population
) -> dict[str, Any] | None:
    """The error message for an item that cannot be imported, or None."""
    self_type = item.self.type if item.self is not None else None
    if self_type is not SpConfigObjectType.IDENTITY_PROFILE:
        found = self_type.value if self_type is not None else "missing"
        return import_message(
            "UNSUPPORTED_OBJECT_TYPE",
            f"Object [{index}] has self.type {found}; this import accepts only IDENTITY_PROFILE",
            {"index": index, "type": found},
        )
    profile = item.object
    if profile is None or not profile.name:
        return import_message(
            "INVALID_OBJECT",
            f"Object [{index}] has no object.name; every IDENTITY_PROFILE needs a name",
            {"index": index},
        )
    source = profile.authoritative_source
    if population.resolve_source(source.id, source.name) is None:
        reference = source.name or source.id or "null"
        return import_message(
            "UNKNOWN_REFERENCE_RESOLVER",
            f"Unable to resolve reference SOURCE:{reference} for IDENTITY_PROFILE {profile.name}",
            {
                "index": index,
                "objectType": "IDENTITY_PROFILE",
                "objectName": profile.name,
                "referenceType": "SOURCE",
                "referenceId": source.id,
                "referenceName": source.name,
            },
        )
    return None
