"""What the tenant said about each profile of a request.

ISC answers an import with lists (``importedObjects``, ``errors``), not with one verdict
per object, and the live API leaves names null and adds type values. This module
matches the lists back to the profiles that were sent, conservatively: a profile is
*imported* when an imported object names it (or, with nameless objects, when the
counts leave no doubt), *rejected* when an error points at it, else *no verdict*.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from iscctl_client.models import ImportedObjectType

from iscctl.errors import ISCError
from iscctl.profiles.plan import PlannedProfile

if TYPE_CHECKING:
    from iscctl_client.models import ImportObject, ObjectImportResult, SpConfigMessage


class ProfileStatus(StrEnum):
    IMPORTED = "imported"
    REJECTED = "rejected"  # named in the reply's errors
    REQUEST_FAILED = "request failed"  # its chunk raised after the client's retries
    NO_VERDICT = "no verdict"  # a reply came, but neither imported nor rejected it
    NOT_SENT = "not sent"  # dry run


@dataclass(frozen=True)
class ChunkOutcome:
    """One request: the profiles it carried and the reply, or the error it ended with."""

    number: int
    profiles: list[PlannedProfile]
    result: ObjectImportResult | None = None
    error: ISCError | None = None


@dataclass(frozen=True)
class ProfileVerdict:
    profile: PlannedProfile
    status: ProfileStatus
    detail: str = ""
    imported_id: str | None = None


def chunk_verdicts(chunk: ChunkOutcome) -> Iterator[ProfileVerdict]:
    if chunk.result is None:
        for profile in chunk.profiles:
            yield ProfileVerdict(profile, ProfileStatus.REQUEST_FAILED, str(chunk.error))
        return
    rejections = _rejections(chunk.profiles, chunk.result.errors)
    candidates = [o for o in chunk.result.imported_objects if _may_be_profile(o.type_)]
    by_name = {_key(o.name): o for o in candidates if isinstance(o.name, str)}
    verdicts: list[ProfileVerdict] = []
    for index, profile in enumerate(chunk.profiles):
        if index in rejections:
            verdicts.append(ProfileVerdict(profile, ProfileStatus.REJECTED, rejections[index]))
        elif (found := by_name.pop(_key(profile.name), None)) is not None:
            verdicts.append(ProfileVerdict(profile, ProfileStatus.IMPORTED, imported_id=_id(found)))
        else:
            verdicts.append(ProfileVerdict(profile, ProfileStatus.NO_VERDICT, _NOT_MENTIONED))
    yield from _infer_unnamed_imports(
        verdicts, [o for o in candidates if not isinstance(o.name, str)]
    )


_NOT_MENTIONED = "the reply does not mention it"


def _infer_unnamed_imports(
    verdicts: list[ProfileVerdict], unnamed: list[ImportObject]
) -> list[ProfileVerdict]:
    """Imported objects without a name (a null in the reply) still count.

    When exactly as many came back as profiles of the chunk are left without a
    verdict, those profiles were imported; which id is whose is only known for one.
    """
    open_verdicts = [v for v in verdicts if v.status is ProfileStatus.NO_VERDICT]
    if not unnamed or len(unnamed) != len(open_verdicts):
        return verdicts
    only_id = _id(unnamed[0]) if len(unnamed) == 1 else None
    inferred = {
        id(v): ProfileVerdict(
            v.profile,
            ProfileStatus.IMPORTED,
            "inferred: the reply lists imported objects without names",
            only_id,
        )
        for v in open_verdicts
    }
    return [inferred.get(id(v), v) for v in verdicts]


def _id(imported: ImportObject) -> str | None:
    return imported.id if isinstance(imported.id, str) else None


def _rejections(profiles: list[PlannedProfile], errors: list[SpConfigMessage]) -> dict[int, str]:
    """Which profile (by index in the chunk) each error message is about, where it can be told.

    By ``details.index`` when present, else by a name in ``details`` (``objectName``,
    ``name``), else by the one profile name the message text contains.
    """
    by_name = {_key(profile.name): index for index, profile in enumerate(profiles)}
    found: dict[int, str] = {}
    for message in errors:
        index = _message_target(message, profiles, by_name)
        if index is not None:
            text = ": ".join(part for part in (_text(message.key), _text(message.text)) if part)
            found[index] = f"{found[index]}; {text}" if index in found else text
    return found


def _message_target(
    message: SpConfigMessage, profiles: list[PlannedProfile], by_name: dict[str, int]
) -> int | None:
    details = _details(message)
    index = details.get("index")
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(profiles):
        return index
    for key in ("objectName", "name"):
        name = details.get(key)
        if isinstance(name, str) and _key(name) in by_name:
            return by_name[_key(name)]
    text = _text(message.text)
    named = [
        position
        for position, profile in enumerate(profiles)
        if re.search(rf"(?<!\w){re.escape(profile.name)}(?!\w)", text)
    ]
    return named[0] if len(named) == 1 else None


def _may_be_profile(object_type: Any) -> bool:
    """Anything but another known type: a null, missing or new type must not hide a verdict."""
    return object_type == "IDENTITY_PROFILE" or object_type not in _OTHER_KNOWN_TYPES


_OTHER_KNOWN_TYPES = frozenset(t.value for t in ImportedObjectType) - {"IDENTITY_PROFILE"}


def _details(message: SpConfigMessage) -> dict[str, Any]:
    details: Any = getattr(message, "details", None)
    to_dict = getattr(details, "to_dict", None)
    data = to_dict() if callable(to_dict) else details
    return data if isinstance(data, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _key(name: Any) -> str:
    return str(name).strip().casefold()
