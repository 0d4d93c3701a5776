"""Which values in a parsed file are identity profiles to import.

Three shapes are accepted: a JSON array of exported objects (the API's own body), one
exported object (``{"version", "self", "object"}``), and a whole SP-Config export
(``{"objects": [...]}``) from which only ``IDENTITY_PROFILE`` objects are taken; the
other objects of an export are skipped and listed, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from iscctl.profiles.files import Document, InputFileError
from iscctl.profiles.problems import Problem

IDENTITY_PROFILE = "IDENTITY_PROFILE"
_EXPECTED = (
    "expected an array of exported identity profiles, one exported object, or an SP-Config export"
)


@dataclass(frozen=True)
class ProfileItem:
    """One exported object to import, with where it came from."""

    file: str
    prefix: str  # its JSON path in the file: "[3]", "objects[3]" or "" for a lone object
    data: Any
    may_hold_suspect_values: bool = False


@dataclass(frozen=True)
class SkippedObject:
    """An object of an SP-Config export that is not an identity profile."""

    file: str
    path: str
    type: str
    name: str | None


@dataclass
class Extraction:
    items: list[ProfileItem] = field(default_factory=list)
    skipped: list[SkippedObject] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def extract_profiles(document: Document) -> Extraction:
    """Pick the objects to import out of a parsed file; raise InputFileError if none can be."""
    data, label = document.data, document.label
    suspect = document.has_suspect_values
    if isinstance(data, list):
        if not data:
            raise InputFileError(label, "is an empty array: there are no identity profiles in it")
        return Extraction(
            items=[ProfileItem(label, f"[{i}]", item, suspect) for i, item in enumerate(data)]
        )
    if isinstance(data, dict):
        if "objects" in data:
            return _from_sp_config_export(label, data["objects"], suspect)
        if "object" in data or "self" in data:
            return Extraction(items=[ProfileItem(label, "", data, suspect)])
        keys = ", ".join(map(repr, sorted(map(str, data))[:5])) or "none"
        raise InputFileError(
            label,
            f"the top-level object has no 'objects', 'self' or 'object' (keys: {keys}); "
            + _EXPECTED,
        )
    raise InputFileError(label, f"the top-level value is {_kind(data)}; {_EXPECTED}")


def _from_sp_config_export(label: str, objects: Any, suspect: bool) -> Extraction:
    if not isinstance(objects, list):
        raise InputFileError(label, f"objects: expected an array, got {_kind(objects)}")
    found = Extraction()
    for index, entry in enumerate(objects):
        path = f"objects[{index}]"
        if not isinstance(entry, dict):
            found.problems.append(
                Problem(label, path, f"expected an exported object, got {_kind(entry)}")
            )
            continue
        self_ref = entry.get("self")
        ref = self_ref if isinstance(self_ref, dict) else {}
        object_type = ref.get("type")
        if object_type == IDENTITY_PROFILE:
            found.items.append(ProfileItem(label, path, entry, suspect))
        else:
            name = ref.get("name")
            found.skipped.append(
                SkippedObject(
                    label, path, str(object_type), name if isinstance(name, str) else None
                )
            )
    if not found.items and not found.problems:
        kinds = ", ".join(sorted({s.type for s in found.skipped})) or "nothing"
        raise InputFileError(
            label, f"the SP-Config export has no IDENTITY_PROFILE objects (it holds {kinds})"
        )
    return found


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
