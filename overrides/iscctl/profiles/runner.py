"""Sending a checked import plan in chunks, and collecting the outcome.

Chunks go one after another (the tenant's rate limit is shared, and the order of the
input is kept). A chunk that fails after the client's retries does not stop the
others: its profiles are reported as not imported, with the error, while the verdicts
of the other chunks stay visible.

    outcome = import_profiles(isc, "export.json", map_source=["Old HR=HR Workday"])
    outcome = await import_profiles_async(isc, objects, chunk_size=20)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from iscctl.errors import ISCError
from iscctl.profiles.plan import ImportPlan, Inputs, PlannedProfile, plan_import
from iscctl.profiles.transform import SourceMapping
from iscctl.profiles.verdicts import ChunkOutcome, ProfileStatus, ProfileVerdict, chunk_verdicts

if TYPE_CHECKING:
    from iscctl_client.models import ImportObject, SpConfigMessage

    from iscctl.client import AsyncClient, Client

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "ChunkOutcome",
    "ImportOutcome",
    "ProfileStatus",
    "ProfileVerdict",
    "chunked",
    "import_profiles",
    "import_profiles_async",
]

DEFAULT_CHUNK_SIZE = 50


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
        return [verdict for chunk in self.chunks for verdict in chunk_verdicts(chunk)]

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
    if inspect.iscoroutinefunction(getattr(isc, "import_identity_profiles", None)):
        message = "import_profiles needs a Client; with an AsyncClient, use import_profiles_async"
        raise TypeError(message)
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
