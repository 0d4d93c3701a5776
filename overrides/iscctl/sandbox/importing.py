"""The import operation: store identity profiles by name, report per-object problems.

Like SP-Config, a problem with one object does not fail the import: it is
reported in `errors` of a 200 reply and the other objects are stored.
References inside a profile (authoritative source, owner, the sources of
`accountAttribute` transforms, `reference` transforms) are resolved by id,
then by name, and rewritten to this tenant's ids (`references.py`); one that
resolves to nothing is an `UNKNOWN_REFERENCE_RESOLVER` error for its object.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from iscctl_models import IdentityProfileExportedObject, SpConfigObjectType

from iscctl.sandbox.bodies import import_message
from iscctl.sandbox.references import Unresolved, resolve_profile

if TYPE_CHECKING:
    from iscctl.sandbox.tenant import Tenant


def profile_id(seed: int, name: str) -> str:
    """A stable server id per profile name (and seed), 32 hex like ISC's ids."""
    return hashlib.sha256(f"{seed}:identity-profile:{name}".encode()).hexdigest()[:32]


def timestamp() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def import_profiles(
    items: list[tuple[Any, IdentityProfileExportedObject]], tenant: Tenant
) -> dict[str, Any]:
    """Store what can be stored; the ObjectImportResult body of the 200 reply."""
    state, catalog = tenant.state, tenant.catalog
    dropped = tenant.profiles.dropped_mappings
    errors: list[dict[str, Any]] = []
    imported: list[dict[str, Any]] = []
    for index, (raw, item) in enumerate(items):
        problem = _problem(index, item)
        if problem is not None:
            errors.append(problem)
            continue
        assert item.object is not None and item.object.name is not None
        name = item.object.name
        stored = dict(raw["object"])  # read-only fields were removed when parsing
        unresolved = resolve_profile(stored, catalog, tenant.profiles.resolve_identity)
        if unresolved:
            errors.append(_unresolved(index, name, unresolved))
            continue
        if dropped:
            _drop_mappings(stored, dropped)
        now = timestamp()
        existing = state.stored_profile(name)
        if existing:
            stored["id"] = existing["id"]
        elif catalog.tenant is not None:
            stored["id"] = catalog.derived_id("identity-profile", name)
        else:
            stored["id"] = profile_id(tenant.settings.seed, name)
        stored["created"] = existing["created"] if existing else now
        stored["modified"] = now
        if existing is not None or "identityRefreshRequired" in stored:
            stored["identityRefreshRequired"] = _refresh_required(existing, stored)
        state.store_profile(name, stored)
        imported.append({"type": "IDENTITY_PROFILE", "id": stored["id"], "name": name})
    return {"infos": [], "warnings": [], "errors": errors, "importedObjects": imported}


def _refresh_required(existing: dict[str, Any] | None, stored: dict[str, Any]) -> bool:
    """True once what decides identities' attributes changed; then until they are processed.

    A new profile has no identities yet, so nothing needs a refresh.
    """
    if existing is None:
        return False
    changed = any(
        existing.get(key) != stored.get(key)
        for key in ("identityAttributeConfig", "authoritativeSource")
    )
    return changed or bool(existing.get("identityRefreshRequired"))


def _drop_mappings(profile: dict[str, Any], dropped: frozenset[str]) -> None:
    """Silently leave out the mappings of `dropped` attributes (no error, no warning)."""
    config = profile.get("identityAttributeConfig")
    if not isinstance(config, dict) or not isinstance(config.get("attributeTransforms"), list):
        return
    config["attributeTransforms"] = [
        mapping
        for mapping in config["attributeTransforms"]
        if not (isinstance(mapping, dict) and mapping.get("identityAttributeName") in dropped)
    ]


def _unresolved(index: int, name: str, unresolved: list[Unresolved]) -> dict[str, Any]:
    first = unresolved[0]
    labels = ", ".join(u.label() for u in unresolved)
    return import_message(
        "UNKNOWN_REFERENCE_RESOLVER",
        f"Unable to resolve reference {labels} for IDENTITY_PROFILE {name}",
        {
            "index": index,
            "objectType": "IDENTITY_PROFILE",
            "objectName": name,
            "referenceType": first.kind,
            "referenceId": first.id,
            "referenceName": first.name,
            "references": [u.to_json() for u in unresolved],
        },
    )


def _problem(index: int, item: IdentityProfileExportedObject) -> dict[str, Any] | None:
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
    return None
