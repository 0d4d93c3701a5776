"""Resolving each profile's references against the target tenant, before anything is sent.

Ids differ between tenants; names usually do not. Every reference a profile makes is
looked up in the target's catalog:

- a source: ``object.authoritativeSource`` (id, name), and ``sourceId`` /
  ``sourceName`` of every ``accountAttribute`` transform at any depth: id, then name;
- a transform: ``attributes.id`` of a ``reference`` transform (ISC puts the transform's
  *name* there): name, then id;
- an identity: ``object.owner`` (id, name): id, then name, among the target's
  identities as `owners.py` finds them (search, or the identities list where there is
  no search); an owner not found is sent by name and reported as unchecked, since a
  tenant does not always index its admins.

A reference that matches by id is kept; one that matches only by name is rewritten to
the target's id (and reported); one that matches neither stops the run with the
profile, the JSON path and the missing name. A mapping rule (``--mappings FILE``)
replaces what is looked up: OLD (an id or name in the file) is looked up as NEW.
Rewrites happen on copies; the plan's objects are never changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from iscctl.profiles.catalog import Catalog, Reference
from iscctl.profiles.collector import collector_paused
from iscctl.profiles.mappings import MappingRules
from iscctl.profiles.plan import PlannedProfile
from iscctl.profiles.problems import Problem, ProfileInputError, json_path

KINDS = ("source", "transform", "identity")
_DROP = object()  # an edit that removes the field


@dataclass(frozen=True)
class Rewrite:
    """One reference changed to fit the target tenant."""

    profile: str
    path: str
    kind: str
    before: str
    after: str
    reason: str  # "matched by name", "mapping file line 3", ...


@dataclass
class Resolution:
    """The profiles as they will be sent to the target, and what changed in them."""

    profiles: list[PlannedProfile] = field(default_factory=list)
    rewrites: list[Rewrite] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)  # references left to the tenant


class _Index:
    def __init__(self, references: Sequence[Reference]) -> None:
        self.by_id = {ref.id: ref for ref in references}
        self.by_name: dict[str, Reference] = {}
        for ref in references:
            self.by_name.setdefault(ref.name.strip().casefold(), ref)

        self._looked_up: dict[str, Reference | None] = {}  # the same few names recur

    def name(self, name: Any) -> Reference | None:
        if not isinstance(name, str):
            return None
        if name not in self._looked_up:
            self._looked_up[name] = self.by_name.get(name.strip().casefold())
        return self._looked_up[name]

    def id(self, value: Any) -> Reference | None:
        return self.by_id.get(value) if isinstance(value, str) else None


@collector_paused()  # thousands of copies and rewrites, none in a cycle, on a large heap
def resolve(
    profiles: Sequence[PlannedProfile],
    catalog: Catalog,
    rules: MappingRules | None = None,
    *,
    check_owners: bool = True,
) -> Resolution:
    """Resolve every reference; raise ProfileInputError listing every one that is missing."""
    indexes = {
        "source": _Index(catalog.sources),
        "transform": _Index(catalog.transforms),
        "identity": _Index(catalog.identities),
    }
    rules = rules or MappingRules()
    resolution = Resolution()
    problems: list[Problem] = []
    for planned in profiles:
        body = planned.body
        edits: list[tuple[tuple[str | int, ...], Any]] = []
        for loc, kind, ref_id, ref_name in _references(body, check_owners):
            looked_id, looked_name, reason = ref_id, ref_name, ""
            rule = rules.rule_for(kind, ref_id, ref_name) if rules.rules else None
            if rule is not None:
                looked_id, looked_name = rule.new, rule.new
                reason = f"{rules.label} line {rule.line}"
            index = indexes[kind]
            by_id = index.id(looked_id)
            if by_id is not None and (rule is not None or kind != "transform"):
                found, matched = by_id, "id"
            elif (by_name := index.name(looked_name)) is not None:
                found, matched = by_name, "name"
            elif by_id is not None:
                found, matched = by_id, "id"
            elif kind == "identity" and rule is None and isinstance(ref_name, str):
                # not every tenant indexes or lists its admins: an owner that is not
                # found is sent by name (the source tenant's id dropped) for the tenant
                # to resolve, and said so
                at = json_path(planned.path, loc)
                resolution.unchecked.append(
                    f"{planned.name}: {at}: owner {ref_name!r} was not found among the"
                    " target's identities; sent by name for the tenant to resolve"
                )
                if ref_id is not None:
                    edits.append(((*loc, "id"), _DROP))
                continue
            else:
                missing = looked_name if isinstance(looked_name, str) else looked_id
                problems.append(
                    Problem(
                        planned.file,
                        json_path(planned.path, loc),
                        f"{kind} {missing!r} does not exist in the target tenant (neither its"
                        f" id nor its name matches); create it there first, or map it with"
                        f" --mappings FILE",
                    )
                )
                continue
            changes = _changes(kind, loc, ref_id, ref_name, found, matched)
            for change_loc, new_value, old_value in changes:
                edits.append((change_loc, new_value))
                resolution.rewrites.append(
                    Rewrite(
                        planned.name,
                        json_path(planned.path, change_loc),
                        kind,
                        str(old_value),
                        str(new_value),
                        reason or f"matched by {matched}",
                    )
                )
        resolution.profiles.append(_with_edits(planned, edits) if edits else planned)
    if problems:
        raise ProfileInputError(problems)
    return resolution


def _changes(
    kind: str,
    loc: tuple[str | int, ...],
    ref_id: Any,
    ref_name: Any,
    found: Reference,
    matched: str,
) -> list[tuple[tuple[str | int, ...], Any, Any]]:
    """(path, new value, old value) for each field to rewrite; none when already right."""
    if kind == "transform":  # a reference transform names the transform: keep the name
        return [] if ref_id == found.name else [((*loc, "id"), found.name, ref_id)]
    id_key, name_key = ("sourceId", "sourceName") if loc[-1] == "attributes" else ("id", "name")
    changes: list[tuple[tuple[str | int, ...], Any, Any]] = []
    if ref_id is not None and ref_id != found.id:
        changes.append(((*loc, id_key), found.id, ref_id))
    elif ref_id is None and loc[-1] != "attributes" and matched == "name":
        changes.append(((*loc, id_key), found.id, None))
    if isinstance(ref_name, str) and ref_name != found.name:
        changes.append(((*loc, name_key), found.name, ref_name))
    return changes


def _with_edits(
    planned: PlannedProfile, edits: list[tuple[tuple[str | int, ...], Any]]
) -> PlannedProfile:
    body = _copied_along(planned.body, [loc for loc, _ in edits])
    for loc, value in edits:
        target: Any = body
        for part in loc[:-1]:
            target = target[part]
        if value is _DROP:
            del target[loc[-1]]
        else:
            target[loc[-1]] = value
    source = body["object"]["authoritativeSource"]
    owner = body["object"].get("owner")
    model_object = planned.profile.model_copy(
        update={
            "authoritative_source": planned.source.model_copy(
                update={"id": source.get("id"), "name": source.get("name")}
            ),
            **(
                {
                    "owner": planned.profile.owner.model_copy(
                        update={"id": owner.get("id"), "name": owner.get("name")}
                    )
                }
                if isinstance(owner, dict) and planned.profile.owner is not None
                else {}
            ),
        }
    )
    model = planned.model.model_copy(update={"object": model_object})
    return replace(planned, body=body, model=model)


def _copied_along(body: dict[str, Any], paths: list[tuple[str | int, ...]]) -> dict[str, Any]:
    """A copy of ``body`` in which every container on the given paths is a new one (so it
    can be edited there) and everything else is shared: much cheaper than a deep copy of
    profiles whose transforms nest deeply."""
    copied: dict[int, Any] = {}

    def fresh(value: Any) -> Any:
        if id(value) not in copied:
            copy = value.copy() if isinstance(value, dict | list) else value
            copied[id(value)] = copied[id(copy)] = copy
        return copied[id(value)]

    root = fresh(body)
    for path in paths:
        container = root
        for part in path[:-1]:
            child = fresh(container[part])
            container[part] = child
            container = child
    result: dict[str, Any] = root
    return result


_Found = tuple[tuple[str | int, ...], str, Any, Any]
_CONTAINERS = (dict, list)


def _references(body: dict[str, Any], check_owners: bool) -> list[_Found]:
    """(path of the referencing object, kind, id, name) of every reference in ``body``."""
    found: list[_Found] = []
    profile = body["object"]
    source = profile.get("authoritativeSource")
    if isinstance(source, dict):
        found.append(
            (("object", "authoritativeSource"), "source", source.get("id"), source.get("name"))
        )
    owner = profile.get("owner")
    if check_owners and isinstance(owner, dict) and (owner.get("id") or owner.get("name")):
        found.append((("object", "owner"), "identity", owner.get("id"), owner.get("name")))
    config = profile.get("identityAttributeConfig")
    transforms = config.get("attributeTransforms") if isinstance(config, dict) else None
    for index, entry in enumerate(transforms if isinstance(transforms, list) else []):
        if isinstance(entry, dict):
            loc = ("object", "identityAttributeConfig", "attributeTransforms", index)
            _transform_references(
                entry.get("transformDefinition"), (*loc, "transformDefinition"), found
            )
    return found


def _transform_references(value: Any, loc: tuple[str | int, ...], found: list[_Found]) -> None:
    """Add the references inside a transform definition, and in every definition nested
    in it, to ``found`` in document order. A plain recursive function rather than a
    generator per level: transforms nest deeply, and this runs for every profile."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, _CONTAINERS):
                _transform_references(item, (*loc, index), found)
        return
    if not isinstance(value, dict):
        return
    attributes = value.get("attributes")
    if isinstance(attributes, dict):
        kind = value.get("type")
        if kind == "accountAttribute":
            if "sourceName" in attributes or "sourceId" in attributes:
                where = (*loc, "attributes")
                found.append(
                    (where, "source", attributes.get("sourceId"), attributes.get("sourceName"))
                )
        elif kind == "reference" and isinstance(attributes.get("id"), str):
            found.append(((*loc, "attributes"), "transform", attributes["id"], attributes["id"]))
    for key, item in value.items():
        if isinstance(item, _CONTAINERS):
            _transform_references(item, (*loc, key), found)
