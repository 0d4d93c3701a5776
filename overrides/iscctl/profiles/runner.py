"""Sending a checked import plan in chunks, and what the tenant said about each profile.

Chunks go one after another (the tenant's rate limit is shared, and the order of the
input is kept). A chunk that fails after the client's retries does not stop the
others: its profiles are reported as not imported, with the error, while the verdicts
of the other chunks stay visible.

    outcome = import_profiles(isc, "export.json", map_source=["Old HR=HR Workday"])
    outcome = await import_profiles_async(isc, objects, chunk_size=20)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, BinaryIO

from iscctl_client.models import ImportedObjectType

from iscctl.errors import ISCError
from iscctl.profiles.plan import ImportPlan, Inputs, PlannedProfile, plan_import
from iscctl.profiles.transform import SourceMapping

if TYPE_CHECKING:
    from iscctl_client.models import ImportObject, ObjectImportResult, SpConfigMessage

    from iscctl.client import AsyncClient, Client

DEFAULT_CHUNK_SIZE = 50


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


@dataclass
class ImportOutcome:
    """The result of an import (or a dry run): the plan, each chunk, each profile's verdict."""

    plan: ImportPlan
    chunks: list[ChunkOutcome] = field(default_factory=list)
    dry_run: bool = False

    @property
    def failed_chunks(self) -> list[ChunkOutcome]:
        return [chunk for chunk in self.chunks if chunk.error is not None]

    def messages(self, kind: str) -> list[SpConfigMessage]:
        """All ``infos``, ``warnings`` or ``errors`` of every reply, in chunk order."""
        return [m for chunk in self.chunks if chunk.result for m in getattr(chunk.result, kind)]

    @property
    def imported_objects(self) -> list[ImportObject]:
        return [o for chunk in self.chunks if chunk.result for o in chunk.result.imported_objects]

    def verdicts(self) -> list[ProfileVerdict]:
        if self.dry_run:
            return [ProfileVerdict(p, ProfileStatus.NOT_SENT) for p in self.plan.profiles]
        return [verdict for chunk in self.chunks for verdict in _chunk_verdicts(chunk)]

    @property
    def unsent(self) -> list[PlannedProfile]:
        """Profiles of the plan no request has carried yet (after an interruption)."""
        sent = sum(len(chunk.profiles) for chunk in self.chunks)
        return [] if self.dry_run else self.plan.profiles[sent:]

    @property
    def succeeded(self) -> bool:
        """True when every profile was sent, every chunk got a reply and no reply held errors."""
        return not self.failed_chunks and not self.messages("errors") and not self.unsent

    @property
    def exit_code(self) -> int:
        return 0 if self.succeeded else 1


def chunked(profiles: Sequence[PlannedProfile], size: int) -> Iterator[list[PlannedProfile]]:
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, got {size}")
    for start in range(0, len(profiles), size):
        yield list(profiles[start : start + size])


def import_profiles(
    isc: Client,
    inputs: Inputs | ImportPlan,
    *,
    map_source: Sequence[SourceMapping | str] = (),
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    dry_run: bool = False,
    stdin: BinaryIO | None = None,
    on_chunk: Callable[[ChunkOutcome], None] | None = None,
) -> ImportOutcome:
    """Validate ``inputs`` (paths or exported objects), then import them with ``isc``.

    Raises ProfileInputError (nothing sent) for bad input; request failures are
    reported per chunk in the returned outcome, never raised. ``on_chunk`` is called
    after each request (for progress, or to keep partial results on Ctrl-C).
    """
    plan = _plan(inputs, map_source, stdin)
    outcome = ImportOutcome(plan, dry_run=dry_run)
    if dry_run:
        return outcome
    for number, profiles in enumerate(chunked(plan.profiles, chunk_size), start=1):
        try:
            result = isc.import_identity_profiles([p.body for p in profiles])
        except ISCError as error:
            _record(outcome, ChunkOutcome(number, profiles, error=error), on_chunk)
        else:
            _record(outcome, ChunkOutcome(number, profiles, result=result), on_chunk)
    return outcome


async def import_profiles_async(
    isc: AsyncClient,
    inputs: Inputs | ImportPlan,
    *,
    map_source: Sequence[SourceMapping | str] = (),
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    dry_run: bool = False,
    stdin: BinaryIO | None = None,
    on_chunk: Callable[[ChunkOutcome], None] | None = None,
) -> ImportOutcome:
    """The same as :func:`import_profiles`, with an :class:`~iscctl.client.AsyncClient`."""
    plan = _plan(inputs, map_source, stdin)
    outcome = ImportOutcome(plan, dry_run=dry_run)
    if dry_run:
        return outcome
    for number, profiles in enumerate(chunked(plan.profiles, chunk_size), start=1):
        try:
            result = await isc.import_identity_profiles([p.body for p in profiles])
        except ISCError as error:
            _record(outcome, ChunkOutcome(number, profiles, error=error), on_chunk)
        else:
            _record(outcome, ChunkOutcome(number, profiles, result=result), on_chunk)
    return outcome


def _record(
    outcome: ImportOutcome, chunk: ChunkOutcome, on_chunk: Callable[[ChunkOutcome], None] | None
) -> None:
    outcome.chunks.append(chunk)
    if on_chunk is not None:
        on_chunk(chunk)


def _plan(
    inputs: Inputs | ImportPlan,
    map_source: Sequence[SourceMapping | str],
    stdin: BinaryIO | None,
) -> ImportPlan:
    if isinstance(inputs, ImportPlan):
        return inputs
    return plan_import(inputs, map_source=map_source, stdin=stdin)


def _chunk_verdicts(chunk: ChunkOutcome) -> Iterator[ProfileVerdict]:
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
