"""What an import would change in the target, profile by profile and field by field.

A profile is matched to the target's by name (as ISC's import does): none there is a
*create*; one there that already holds everything that would be sent is *unchanged*;
otherwise an *update*, with the fields that differ: each top-level field (priority,
description, owner, ...), the authoritative source, whether the attribute config is
enabled, and each identity attribute mapping (by identity attribute name) added,
removed or changed.

"Holds everything that would be sent" is a subset test: fields the tenant keeps for
itself (``id``, ``created``, ``modified``, ``identityCount``, ...) and fields the
tenant adds to an object (a reference's ``type``) are not differences
(:data:`SERVER_MANAGED`). The same test
is the read-back after an import (:func:`compare`): what was sent must be what the
tenant now holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from iscctl.profiles.collector import collector_paused
from iscctl.profiles.plan import PlannedProfile
from iscctl.profiles.transform import READ_ONLY_FIELDS

_MAPPINGS = "identityAttributeConfig"
SERVER_MANAGED = (
    *READ_ONLY_FIELDS,
    "identityCount",
    "identityRefreshRequired",
    "hasTimeBasedAttr",
    "identityExceptionReportReference",
)
"""Fields the tenant keeps for itself: an import does not set them, so they never differ."""


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class FieldChange:
    """One difference: ``field`` is a label such as ``priority`` or ``mapping email``."""

    field: str
    change: str  # added, removed, changed
    before: Any = None
    after: Any = None


@dataclass(frozen=True)
class ProfilePlan:
    profile: PlannedProfile
    action: Action
    changes: list[FieldChange] = field(default_factory=list)
    target_id: str | None = None  # the profile's id in the target, when it exists


@collector_paused()  # one plan per profile, none in a cycle, on a large heap
def plan_changes(
    profiles: Iterable[PlannedProfile], target_profiles: Iterable[dict[str, Any]]
) -> list[ProfilePlan]:
    """Create, update or unchanged for each profile, against the target's profiles."""
    held = {str(p.get("name", "")).strip().casefold(): p for p in target_profiles}
    plans = []
    for planned in profiles:
        existing = held.get(planned.name.strip().casefold())
        if existing is None:
            plans.append(ProfilePlan(planned, Action.CREATE))
            continue
        changes = compare(planned.body["object"], existing)
        action = Action.UPDATE if changes else Action.UNCHANGED
        target_id = existing.get("id") if isinstance(existing.get("id"), str) else None
        plans.append(ProfilePlan(planned, action, changes, target_id))
    return plans


def compare(sent: dict[str, Any], held: dict[str, Any]) -> list[FieldChange]:
    """The fields of ``sent`` (a profile object) that ``held`` does not hold as sent."""
    changes: list[FieldChange] = []
    for key, value in sent.items():
        if key in SERVER_MANAGED or key == _MAPPINGS:
            continue
        if not _holds(held.get(key), value):
            change = "added" if key not in held or held[key] is None else "changed"
            changes.append(FieldChange(key, change, held.get(key), value))
    if _MAPPINGS in sent:
        changes.extend(_mapping_changes(sent[_MAPPINGS], held.get(_MAPPINGS)))
    return changes


_READ_BACK_LABELS = {"added": "dropped", "changed": "changed", "removed": "extra"}


def read_back_differences(sent: dict[str, Any], held: dict[str, Any]) -> list[FieldChange]:
    """:func:`compare` after an import, worded for it: what was sent but is not held is
    *dropped* (the tenant discarded it), a value the tenant holds otherwise *changed*,
    a mapping the tenant holds that was not sent *extra*. A reference the tenant
    resolved by name to its own id is not a difference."""
    return [
        FieldChange(c.field, _READ_BACK_LABELS[c.change], c.before, c.after)
        for c in compare(sent, held)
        if not _resolved_by_name(c)
    ]


def _resolved_by_name(change: FieldChange) -> bool:
    """A reference sent with another tenant's id that the tenant resolved by its name
    (what ISC does when an id is unknown): the same object, not a difference."""
    before, after = change.before, change.after
    return (
        isinstance(before, dict)
        and isinstance(after, dict)
        and isinstance(after.get("name"), str)
        and before.get("name") == after.get("name")
        and before.get("type", after.get("type")) == after.get("type")
        and {k: v for k, v in after.items() if k != "id"}.items() <= before.items()
    )


def _mapping_changes(sent: Any, held: Any) -> list[FieldChange]:
    sent = sent if isinstance(sent, dict) else {}
    held = held if isinstance(held, dict) else {}
    if sent == held and type(sent.get("enabled")) is type(held.get("enabled")):
        return []  # the common case (a read-back, an unchanged profile), compared in C
    changes = []
    if "enabled" in sent and not _holds(held.get("enabled"), sent["enabled"]):
        changes.append(
            FieldChange(f"{_MAPPINGS}.enabled", "changed", held.get("enabled"), sent["enabled"])
        )
    before = _by_attribute(held.get("attributeTransforms"))
    after = _by_attribute(sent.get("attributeTransforms"))
    for name, definition in after.items():
        if name not in before:
            changes.append(FieldChange(f"mapping {name}", "added", None, definition))
        elif not _holds(before[name], definition):
            changes.append(FieldChange(f"mapping {name}", "changed", before[name], definition))
    for name, definition in before.items():
        if name not in after and "attributeTransforms" in sent:
            changes.append(FieldChange(f"mapping {name}", "removed", definition, None))
    return changes


def _by_attribute(transforms: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for entry in transforms if isinstance(transforms, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("identityAttributeName"), str):
            found[entry["identityAttributeName"]] = entry.get("transformDefinition")
    return found


def _holds(held: Any, sent: Any) -> bool:
    """Whether ``held`` holds ``sent``: equal, with extra keys in held objects allowed."""
    if held == sent and type(held) is type(sent):  # the common case, compared in C
        return True
    if isinstance(sent, dict):
        return isinstance(held, dict) and all(_holds(held.get(k), v) for k, v in sent.items())
    if isinstance(sent, list):
        return (
            isinstance(held, list)
            and len(held) == len(sent)
            and all(_holds(h, s) for h, s in zip(held, sent, strict=True))
        )
    if isinstance(sent, bool) or isinstance(held, bool):
        return type(sent) is type(held) and sent == held
    return bool(held == sent)
