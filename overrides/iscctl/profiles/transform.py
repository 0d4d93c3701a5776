"""Turning exported objects into what the target tenant should receive.

Two rewrites, both on shallow copies so the caller's data is never changed and
everything else (extra fields, exact numbers, nested transform attributes) is sent
exactly as read:

- read-only fields (``object.id``, ``object.created``, ``object.modified``) are removed:
  they belong to the source tenant and the API ignores or refuses them;
- ``--map-source OLD=NEW`` rewrites ``object.authoritativeSource``, because source ids
  (and sometimes names) differ between tenants.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

READ_ONLY_FIELDS = ("id", "created", "modified")


@dataclass(frozen=True)
class SourceMapping:
    """``OLD=NEW``: OLD is matched against a source reference's id, then its name."""

    old: str
    new: str

    @classmethod
    def parse(cls, text: str) -> SourceMapping:
        old, equals, new = text.partition("=")
        if not equals or not old.strip() or not new.strip():
            raise ValueError(f"{text!r} is not OLD=NEW (a source id or name on each side)")
        return cls(old.strip(), new.strip())

    def __str__(self) -> str:
        return f"{self.old}={self.new}"


@dataclass(frozen=True)
class SourceRewrite:
    """What a mapping changed in one profile's authoritative source."""

    mapping: SourceMapping
    matched: str  # "id" or "name"
    before: dict[str, Any]
    after: dict[str, Any]


def source_reference(item: Any) -> dict[str, Any]:
    """The raw ``object.authoritativeSource`` of an unvalidated item; empty if it has none."""
    profile = item.get("object") if isinstance(item, dict) else None
    source = profile.get("authoritativeSource") if isinstance(profile, dict) else None
    return source if isinstance(source, dict) else {}


def strip_read_only(item: Any) -> tuple[Any, tuple[str, ...]]:
    """Return ``item`` without the read-only fields of its ``object``, and which were there."""
    profile = item.get("object") if isinstance(item, dict) else None
    if not isinstance(profile, dict):
        return item, ()
    present = tuple(name for name in READ_ONLY_FIELDS if name in profile)
    if not present:
        return item, ()
    kept = {key: value for key, value in profile.items() if key not in READ_ONLY_FIELDS}
    return {**item, "object": kept}, present


def map_source(item: Any, mappings: list[SourceMapping]) -> tuple[Any, SourceRewrite | None]:
    """Rewrite the item's authoritative source with the mapping that matches it.

    A mapping whose OLD is the source's id wins over one whose OLD is its name.
    Matched by id: the id becomes NEW and the name is kept (the usual case: the same
    source, another tenant's id). Matched by name: the name becomes NEW and the old
    tenant's id is dropped, so that the target tenant resolves the source by its name.
    """
    profile = item.get("object") if isinstance(item, dict) else None
    source = profile.get("authoritativeSource") if isinstance(profile, dict) else None
    if not isinstance(profile, dict) or not isinstance(source, dict):
        return item, None
    by_id = next((m for m in mappings if source.get("id") == m.old), None)
    by_name = next((m for m in mappings if source.get("name") == m.old), None)
    if by_id is not None:
        mapping, matched = by_id, "id"
        new_source = {**source, "id": by_id.new}
    elif by_name is not None:
        mapping, matched = by_name, "name"
        new_source = {key: value for key, value in source.items() if key != "id"}
        new_source["name"] = by_name.new
    else:
        return item, None
    rewritten = {**item, "object": {**profile, "authoritativeSource": new_source}}
    return rewritten, SourceRewrite(mapping, matched, source, new_source)
