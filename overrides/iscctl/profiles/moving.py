"""Moving identity profiles into a target tenant safely: resolve, plan, back up, import,
read back, and process what needs it. Each step is a function of its own (sync and
async), returning typed results, so a script can stop after any of them::

    from iscctl import AsyncClient
    from iscctl.profiles.moving import plan_move, apply_move

    async with AsyncClient.from_environment(environment="prod") as isc:
        move = await plan_move(isc, "dev-export.json", mappings="mappings.yaml")
        for change in move.changes:                      # create / update / unchanged
            print(change.profile.name, change.action, [c.field for c in change.changes])
        outcome = await apply_move(isc, move, backup="backup.json", process_after=True)
    outcome.exit_code      # 0, 1 (tenant errors), 5 (read-back differs)

``plan_move`` reads the target (sources, transforms, profiles; identities when a
profile names an owner) and raises ``ProfileInputError`` for a reference the target
cannot satisfy, before anything is sent. ``apply_move`` writes the backup first (a
failed write raises and imports nothing), imports, reads every imported profile back
and compares it with what was sent.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from iscctl.errors import ISCError
from iscctl.exit_codes import ExitCode
from iscctl.profiles import exporting
from iscctl.profiles.catalog import Catalog
from iscctl.profiles.diffing import (
    Action,
    FieldChange,
    ProfilePlan,
    plan_changes,
    read_back_differences,
)
from iscctl.profiles.mappings import MappingRules, read_mappings
from iscctl.profiles.plan import ImportPlan, Inputs, plan_import
from iscctl.profiles.problems import ProfileInputError
from iscctl.profiles.references import Rewrite, resolve
from iscctl.profiles.runner import (
    DEFAULT_CHUNK_SIZE,
    ImportOutcome,
    import_profiles,
    import_profiles_async,
)
from iscctl.profiles.tenant import (
    export_profiles,
    export_profiles_sync,
    process_profile_identities,
    process_profile_identities_sync,
    read_catalog,
    read_catalog_sync,
)
from iscctl.profiles.transform import SourceMapping
from iscctl.profiles.verdicts import ChunkOutcome, ProfileStatus

if TYPE_CHECKING:
    from iscctl.client import AsyncClient, Client


@dataclass
class MovePlan:
    """What would be sent, what was rewritten to fit the target, and what would change."""

    plan: ImportPlan  # with references resolved: exactly what an import sends
    rewrites: list[Rewrite]
    changes: list[ProfilePlan]
    catalog: Catalog
    unchecked: list[str] = field(default_factory=list)

    def count(self, action: Action) -> int:
        return sum(1 for change in self.changes if change.action is action)


@dataclass(frozen=True)
class ReadBack:
    """One imported profile read back from the target and compared with what was sent."""

    name: str
    target_id: str | None
    differences: list[FieldChange]
    refresh_required: bool
    found: bool = True


@dataclass(frozen=True)
class Processing:
    """``--process-after``: the profile's identities sent for processing (or why not)."""

    name: str
    profile_id: str
    task_id: str | None = None
    error: str | None = None


@dataclass
class MoveOutcome:
    """The result of :func:`apply_move`."""

    move: MovePlan
    imported: ImportOutcome
    backup: Path | None = None
    backed_up: int = 0
    read_back: list[ReadBack] = field(default_factory=list)
    processing: list[Processing] = field(default_factory=list)
    backup_requested: bool = False  # a backup was asked for (none is written when all are new)

    @property
    def mismatches(self) -> list[ReadBack]:
        return [r for r in self.read_back if r.differences or not r.found]

    @property
    def needs_refresh(self) -> list[ReadBack]:
        return [r for r in self.read_back if r.refresh_required]

    @property
    def exit_code(self) -> int:
        if self.imported.exit_code != ExitCode.OK:
            return self.imported.exit_code
        if self.mismatches:
            return int(ExitCode.VERIFY_MISMATCH)
        if any(p.error for p in self.processing):
            return int(ExitCode.FAILED_ITEMS)
        return int(ExitCode.OK)


# -- planning ------------------------------------------------------------------------------
def _rules(mappings: str | Path | MappingRules | None) -> MappingRules:
    if mappings is None:
        return MappingRules()
    return mappings if isinstance(mappings, MappingRules) else read_mappings(mappings)


def _build(plan: ImportPlan, catalog: Catalog, rules: MappingRules, references: bool) -> MovePlan:
    if not references:  # sent as written: the tenant resolves (or refuses) them
        changes = plan_changes(plan.profiles, catalog.profiles)
        return MovePlan(plan, [], changes, catalog)
    problems = rules.check_targets(
        {
            "source": [(r.id, r.name) for r in catalog.sources],
            "transform": [(r.id, r.name) for r in catalog.transforms],
            "identity": [(r.id, r.name) for r in catalog.identities],
        }
    )
    if problems:
        raise ProfileInputError(problems)
    resolution = resolve(plan.profiles, catalog, rules, check_owners=bool(catalog.identities))
    resolved = ImportPlan(resolution.profiles, plan.skipped, plan.files)
    changes = plan_changes(resolution.profiles, catalog.profiles)
    return MovePlan(resolved, resolution.rewrites, changes, catalog, resolution.unchecked)


def _has_owners(plan: ImportPlan) -> bool:
    return any(p.profile.owner is not None for p in plan.profiles)


async def plan_move(
    isc: AsyncClient,
    inputs: Inputs | ImportPlan,
    *,
    mappings: str | Path | MappingRules | None = None,
    map_source: Sequence[SourceMapping | str] = (),
    stdin: BinaryIO | None = None,
    resolve_references: bool = True,
) -> MovePlan:
    """Check the input, read the target, resolve every reference and diff each profile."""
    rules = _rules(mappings)
    plan = (
        inputs
        if isinstance(inputs, ImportPlan)
        else plan_import(inputs, map_source=map_source, stdin=stdin)
    )
    owners = resolve_references and _has_owners(plan)
    catalog = await read_catalog(isc, with_identities=owners)
    return _build(plan, catalog, rules, resolve_references)


def plan_move_sync(
    isc: Client,
    inputs: Inputs | ImportPlan,
    *,
    mappings: str | Path | MappingRules | None = None,
    map_source: Sequence[SourceMapping | str] = (),
    stdin: BinaryIO | None = None,
    resolve_references: bool = True,
) -> MovePlan:
    """The same as :func:`plan_move` with a ``Client``."""
    rules = _rules(mappings)
    plan = (
        inputs
        if isinstance(inputs, ImportPlan)
        else plan_import(inputs, map_source=map_source, stdin=stdin)
    )
    owners = resolve_references and _has_owners(plan)
    catalog = read_catalog_sync(isc, with_identities=owners)
    return _build(plan, catalog, rules, resolve_references)


# -- backup, read-back ---------------------------------------------------------------------
def backup_objects(move: MovePlan, exported: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The target's exported objects of the profiles this move would update."""
    touched = {
        c.profile.name.strip().casefold() for c in move.changes if c.action is not Action.CREATE
    }
    return [
        item
        for item in exported
        if str((item.get("object") or {}).get("name", "")).strip().casefold() in touched
    ]


def write_backup(path: str | Path, objects: list[dict[str, Any]]) -> Path:
    """Write the backup atomically (a temporary file renamed into place, fsync'd);
    an OSError propagates so that the caller imports nothing."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as stream:
            exporting.write(objects, stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def compare_read_back(
    move: MovePlan, imported: ImportOutcome, held: list[dict[str, Any]]
) -> list[ReadBack]:
    """Each imported profile as the target now holds it, against what was sent."""
    by_name = {str(p.get("name", "")).strip().casefold(): p for p in held}
    results = []
    for verdict in imported.verdicts():
        if verdict.status is not ProfileStatus.IMPORTED:
            continue
        planned = verdict.profile
        found = by_name.get(planned.name.strip().casefold())
        if found is None:
            results.append(ReadBack(planned.name, verdict.imported_id, [], False, found=False))
            continue
        differences = read_back_differences(planned.body["object"], found)
        target_id = found.get("id") if isinstance(found.get("id"), str) else verdict.imported_id
        refresh = found.get("identityRefreshRequired") is True
        results.append(ReadBack(planned.name, target_id, differences, refresh))
    return results


# -- applying ------------------------------------------------------------------------------
async def apply_move(
    isc: AsyncClient,
    move: MovePlan,
    *,
    backup: str | Path | None = None,
    process_after: bool = False,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    on_chunk: Callable[[ChunkOutcome], None] | None = None,
    outcome: ImportOutcome | None = None,
) -> MoveOutcome:
    """Back up (when ``backup`` is a path), import, read back, and process if asked."""
    written, count = None, 0
    if backup is not None:
        objects = backup_objects(move, await export_profiles(isc))
        if objects:  # every profile new: nothing of the target's to keep
            written, count = write_backup(backup, objects), len(objects)
    imported = outcome if outcome is not None else ImportOutcome(move.plan)

    def record(chunk: ChunkOutcome) -> None:
        imported.chunks.append(chunk)  # as it comes: an interruption keeps what was done
        if on_chunk is not None:
            on_chunk(chunk)

    await import_profiles_async(isc, move.plan, chunk_size=chunk_size, on_chunk=record)
    result = MoveOutcome(move, imported, written, count, backup_requested=backup is not None)
    fresh = await read_catalog(isc)
    result.read_back = compare_read_back(move, imported, fresh.profiles)
    if process_after:
        for entry in result.needs_refresh:
            result.processing.append(await _process(isc, entry))
    return result


async def _process(isc: AsyncClient, entry: ReadBack) -> Processing:
    if entry.target_id is None:
        return Processing(entry.name, "", error="the tenant did not give the profile's id")
    try:
        reply = await process_profile_identities(isc, entry.target_id)
    except ISCError as error:
        return Processing(entry.name, entry.target_id, error=str(error))
    task_id = getattr(reply, "id", None)
    return Processing(entry.name, entry.target_id, task_id if isinstance(task_id, str) else None)


def apply_move_sync(
    isc: Client,
    move: MovePlan,
    *,
    backup: str | Path | None = None,
    process_after: bool = False,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    on_chunk: Callable[[ChunkOutcome], None] | None = None,
) -> MoveOutcome:
    """The same as :func:`apply_move` with a ``Client``."""
    written, count = None, 0
    if backup is not None:
        objects = backup_objects(move, export_profiles_sync(isc))
        if objects:
            written, count = write_backup(backup, objects), len(objects)
    imported = import_profiles(isc, move.plan, chunk_size=chunk_size, on_chunk=on_chunk)
    result = MoveOutcome(move, imported, written, count, backup_requested=backup is not None)
    result.read_back = compare_read_back(move, imported, read_catalog_sync(isc).profiles)
    if process_after:
        for entry in result.needs_refresh:
            if entry.target_id is None:
                result.processing.append(Processing(entry.name, "", error="no profile id"))
                continue
            try:
                reply = process_profile_identities_sync(isc, entry.target_id)
            except ISCError as error:
                result.processing.append(Processing(entry.name, entry.target_id, error=str(error)))
                continue
            task_id = getattr(reply, "id", None)
            result.processing.append(
                Processing(
                    entry.name, entry.target_id, task_id if isinstance(task_id, str) else None
                )
            )
    return result


# -- export ---------------------------------------------------------------------------------
class UnknownProfileError(ISCError):
    """``export --name`` of a profile the tenant does not have."""


async def export_named(
    isc: AsyncClient, names: Sequence[str] = (), filters: str | None = None
) -> list[dict[str, Any]]:
    """The tenant's exported profiles (all, or those named; ``filters`` as ISC takes them)."""
    if not names:
        return exporting.sorted_objects(await export_profiles(isc, filters))
    found: list[dict[str, Any]] = []
    for name in names:
        page = await export_profiles(isc, exporting.combined(filters, name))
        if not page:
            raise UnknownProfileError(f"no identity profile named {name!r} in the tenant")
        found.extend(page)
    return exporting.sorted_objects(found)


def export_named_sync(
    isc: Client, names: Sequence[str] = (), filters: str | None = None
) -> list[dict[str, Any]]:
    """The same as :func:`export_named` with a ``Client``."""
    if not names:
        return exporting.sorted_objects(export_profiles_sync(isc, filters))
    found: list[dict[str, Any]] = []
    for name in names:
        page = export_profiles_sync(isc, exporting.combined(filters, name))
        if not page:
            raise UnknownProfileError(f"no identity profile named {name!r} in the tenant")
        found.extend(page)
    return exporting.sorted_objects(found)
