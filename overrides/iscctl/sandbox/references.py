"""Resolve the references inside an imported identity profile against the tenant.

What SP-Config import does with a profile from another tenant: each reference
is looked up by id first, then by name; one found by name is rewritten to this
tenant's id, one found by neither is an `UNKNOWN_REFERENCE_RESOLVER` error for
the whole object. The references are the authoritative source, the owner, the
sources of `accountAttribute` transforms (`sourceId` / `sourceName`, at any
depth of nesting) and the transforms named by `reference` transforms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from attrs import define

from iscctl.sandbox.catalog import Catalog, Named


@define(frozen=True)
class Unresolved:
    """A reference that matched nothing in the tenant."""

    kind: str  # SOURCE, IDENTITY or TRANSFORM
    id: Any
    name: Any
    path: str  # JSON path inside the profile object

    def label(self) -> str:
        return f"{self.kind}:{self.name if self.name is not None else self.id}"

    def to_json(self) -> dict[str, Any]:
        return {
            "referenceType": self.kind,
            "referenceId": self.id,
            "referenceName": self.name,
            "path": self.path,
        }


IdentityResolver = Callable[[object, object], Named | None]


def resolve_profile(
    profile: dict[str, Any], catalog: Catalog, identities: IdentityResolver | None = None
) -> list[Unresolved]:
    """Rewrite `profile`'s references in place to this tenant's ids; what stayed unresolved.

    `identities` resolves an owner (id, name); by default the catalog's admins only.
    """
    missing: list[Unresolved] = []
    source = profile.get("authoritativeSource")
    if isinstance(source, dict):
        found = catalog.resolve_source(source.get("id"), source.get("name"))
        _rewrite_or_report(source, "id", "name", found, "SOURCE", "authoritativeSource", missing)
    owner = profile.get("owner")
    if isinstance(owner, dict):
        resolve = identities or catalog.resolve_identity
        found = resolve(owner.get("id"), owner.get("name"))
        _rewrite_or_report(owner, "id", "name", found, "IDENTITY", "owner", missing)
    config = profile.get("identityAttributeConfig")
    transforms = config.get("attributeTransforms") if isinstance(config, dict) else None
    if isinstance(transforms, list):
        base = "identityAttributeConfig.attributeTransforms"
        for index, mapping in enumerate(transforms):
            if isinstance(mapping, dict):
                definition = mapping.get("transformDefinition")
                _walk(definition, f"{base}[{index}].transformDefinition", catalog, missing)
    return missing


def _rewrite_or_report(
    reference: dict[str, Any],
    id_key: str,
    name_key: str,
    found: Named | None,
    kind: str,
    path: str,
    missing: list[Unresolved],
) -> None:
    if found is None:
        missing.append(Unresolved(kind, reference.get(id_key), reference.get(name_key), path))
        return
    given_id = reference.get(id_key)
    if given_id is not None and given_id != found.id:  # found by name: take this tenant's id
        reference[id_key] = found.id
    # Found by id under another name: the name stays as sent. Whether ISC rewrites
    # it is not documented, and keeping it lets a client's read-back match.


def _walk(node: Any, path: str, catalog: Catalog, missing: list[Unresolved]) -> None:
    """Visit every transform definition nested anywhere under `node` (no recursion limit
    concerns: import bodies are refused beyond 500 levels before they get here)."""
    pending: list[tuple[Any, str]] = [(node, path)]
    while pending:
        item, where = pending.pop()
        if isinstance(item, list):
            pending.extend((child, f"{where}[{i}]") for i, child in enumerate(item))
            continue
        if not isinstance(item, dict):
            continue
        attributes = item.get("attributes")
        if isinstance(attributes, dict):
            kind = item.get("type")
            if kind == "accountAttribute":
                _account_attribute(attributes, f"{where}.attributes", catalog, missing)
            elif kind == "reference":
                _reference(attributes, f"{where}.attributes", catalog, missing)
        for key, child in item.items():
            if isinstance(child, (dict, list)):
                pending.append((child, f"{where}.{key}"))


def _account_attribute(
    attributes: dict[str, Any], path: str, catalog: Catalog, missing: list[Unresolved]
) -> None:
    source_id, source_name = attributes.get("sourceId"), attributes.get("sourceName")
    if source_id is None and source_name is None:
        return  # nothing to resolve (the profile's own source is meant)
    found = catalog.resolve_source(source_id, source_name)
    where = f"{path}.sourceId" if source_name is None else f"{path}.sourceName"
    _rewrite_or_report(attributes, "sourceId", "sourceName", found, "SOURCE", where, missing)


def _reference(
    attributes: dict[str, Any], path: str, catalog: Catalog, missing: list[Unresolved]
) -> None:
    name = attributes.get("id")
    if catalog.resolve_transform(name) is None:
        missing.append(Unresolved("TRANSFORM", None, name, f"{path}.id"))
