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

``plan_move`` reads the target (sources, transforms, profiles; the owners the profiles
name, by search: ``iscctl.profiles.owners``) and raises ``ProfileInputError`` for a
reference the target cannot satisfy, before anything is sent. ``apply_move`` writes the
backup first (a failed write raises and imports nothing), imports, reads every imported
profile back and compares it with what was sent.

Restoring is moving a backup (``iscctl.profiles.backup``): its objects are imported
like any others, and the profiles it records as created by the import being undone
are deleted (``MovePlan.deletions``), which ``apply_move`` does only when told
``confirm_deletions=True``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from iscctl.errors import ISCError
from iscctl.exit_codes import ExitCode
from iscctl.profiles.backup import BackupRecord, CreatedProfile, plan_with_backups, write_backup
from iscctl.profiles.catalog import Catalog
from iscctl.profiles.deleting import (
    Deletion,
    DeletionNotConfirmed,
    Removal,
    delete_profiles,
    delete_profiles_sync,
)
from iscctl.profiles.diffing import (
    Action,
    FieldChange,
    ProfilePlan,
    plan_changes,
    read_back_differences,
)
from iscctl.profiles.mappings import MappingRules, read_mappings
from iscctl.profiles.named_export import UnknownProfileError, export_named, export_named_sync
from iscctl.profiles.owners import find_owners, find_owners_sync, wanted
from iscctl.profiles.plan import ImportPlan, Inputs
from iscctl.profiles.problems import ProfileInputError
from iscctl.profiles.profile_tasks import ProfileTask, task_started
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
    read_profiles,
    read_profiles_sync,
)
from iscctl.profiles.transform import SourceMapping
from iscctl.profiles.verdicts import ChunkOutcome, ProfileStatus

if TYPE_CHECKING:
    from iscctl.client import AsyncClient, Client

# Removal (iscctl.profiles.deleting) and the export by name (iscctl.profiles.named_export)
# live in their own modules; they stay importable from here, as they were before.
__all__ = [
    "MoveOutcome",
    "MovePlan",
    "Processing",
    "ReadBack",
    "Removal",
    "UnknownProfileError",
    "apply_move",
    "apply_move_sync",
    "backup_objects",
    "compare_read_back",
    "created_by",
    "export_named",
    "export_named_sync",
    "plan_deletions",
    "plan_move",
    "plan_move_sync",
]


@dataclass
class MovePlan:
    """What would be sent, what was rewritten to fit the target, and what would change."""

    plan: ImportPlan  # with references resolved: exactly what an import sends
    rewrites: list[Rewrite]
    changes: list[ProfilePlan]
    catalog: Catalog
    unchecked: list[str] = field(default_factory=list)
    deletions: list[Deletion] = field(default_factory=list)  # restoring: created profiles
    restore_notes: list[str] = field(default_factory=list)  # recorded ones left alone, and why

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


Processing = ProfileTask
"""The answer to ``--process-after`` for one profile (the name this module always gave it;
kept for importers)."""


@dataclass
class MoveOutcome:
    """The result of :func:`apply_move`."""

    move: MovePlan
    imported: ImportOutcome
    backup: Path | None = None
    backed_up: int = 0
    read_back: list[ReadBack] = field(default_factory=list)
    processing: list[ProfileTask] = field(default_factory=list)  # --process-after
    backup_requested: bool = False  # a backup was asked for
    created_recorded: int = 0  # profiles the backup records as created by this import
    removals: list[ProfileTask] = field(default_factory=list)  # restoring: the deletes

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
        if any(p.error for p in self.processing) or any(r.error for r in self.removals):
            return int(ExitCode.FAILED_ITEMS)
        return int(ExitCode.OK)


# -- planning ------------------------------------------------------------------------------
def _rules(mappings: str | Path | MappingRules | None) -> MappingRules:
    if mappings is None:
        return MappingRules()
    return mappings if isinstance(mappings, MappingRules) else read_mappings(mappings)


def _build(
    plan: ImportPlan,
    catalog: Catalog,
    rules: MappingRules,
    references: bool,
    backups: Sequence[BackupRecord] = (),
    owners_looked_up: bool = False,
) -> MovePlan:
    move = _resolved(plan, catalog, rules, references, owners_looked_up)
    move.deletions, move.restore_notes = plan_deletions(backups, catalog, plan)
    return move


def plan_deletions(
    backups: Sequence[BackupRecord], catalog: Catalog, plan: ImportPlan
) -> tuple[list[Deletion], list[str]]:
    """The profiles the backups record as created that the target still holds (by name,
    and under the recorded id when there is one), and a note for each one left alone."""
    imported = {p.name.strip().casefold() for p in plan.profiles}
    deletions: list[Deletion] = []
    notes: list[str] = []
    for record in backups:
        for created in record.created:
            held = catalog.profile_named(created.name)
            held_id = held.get("id") if held is not None else None
            if created.name.strip().casefold() in imported:
                notes.append(f"{created.name}: also in the files to import; not deleted")
            elif held is None or not isinstance(held_id, str):
                notes.append(f"{created.name}: not in the target any more; nothing to delete")
            elif created.id is not None and created.id != held_id:
                notes.append(
                    f"{created.name}: the target's profile has id {held_id}, the import created"
                    f" {created.id}; someone made it since, so it is left alone"
                )
            elif all(d.profile_id != held_id for d in deletions):
                count = held.get("identityCount")
                deletions.append(
                    Deletion(
                        created.name,
                        held_id,
                        count if isinstance(count, int) else None,
                        record.file,
                    )
                )
    return deletions, notes


def _resolved(
    plan: ImportPlan, catalog: Catalog, rules: MappingRules, references: bool, owners: bool
) -> MovePlan:
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
    resolution = resolve(plan.profiles, catalog, rules, check_owners=owners)
    resolved = ImportPlan(resolution.profiles, plan.skipped, plan.files)
    changes = plan_changes(resolution.profiles, catalog.profiles)
    return MovePlan(resolved, resolution.rewrites, changes, catalog, resolution.unchecked)


async def plan_move(
    isc: AsyncClient,
    inputs: Inputs | ImportPlan,
    *,
    mappings: str | Path | MappingRules | None = None,
    map_source: Sequence[SourceMapping | str] = (),
    stdin: BinaryIO | None = None,
    resolve_references: bool = True,
    backups: Sequence[BackupRecord] = (),
) -> MovePlan:
    """Check the input, read the target, resolve every reference and diff each profile.

    A backup among the input files (or given as ``backups`` with an ``ImportPlan``) adds
    the profiles it records as created to ``deletions``."""
    rules = _rules(mappings)
    plan, backups = _inputs(inputs, map_source, stdin, backups)
    catalog = await read_catalog(isc)
    owners = wanted(plan, rules) if resolve_references else []
    if owners:
        catalog.identities = await find_owners(isc, owners)
    return _build(plan, catalog, rules, resolve_references, backups, bool(owners))


def _inputs(
    inputs: Inputs | ImportPlan,
    map_source: Sequence[SourceMapping | str],
    stdin: BinaryIO | None,
    backups: Sequence[BackupRecord],
) -> tuple[ImportPlan, Sequence[BackupRecord]]:
    if isinstance(inputs, ImportPlan):
        return inputs, backups
    read = plan_with_backups(inputs, map_source=map_source, stdin=stdin)
    return read.plan, [*backups, *read.backups]


def plan_move_sync(
    isc: Client,
    inputs: Inputs | ImportPlan,
    *,
    mappings: str | Path | MappingRules | None = None,
    map_source: Sequence[SourceMapping | str] = (),
    stdin: BinaryIO | None = None,
    resolve_references: bool = True,
    backups: Sequence[BackupRecord] = (),
) -> MovePlan:
    """The same as :func:`plan_move` with a ``Client``."""
    rules = _rules(mappings)
    plan, backups = _inputs(inputs, map_source, stdin, backups)
    catalog = read_catalog_sync(isc)
    owners = wanted(plan, rules) if resolve_references else []
    if owners:
        catalog.identities = find_owners_sync(isc, owners)
    return _build(plan, catalog, rules, resolve_references, backups, bool(owners))


# -- backup, read-back ---------------------------------------------------------------------
def backup_objects(move: MovePlan, exported: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The target's exported objects of the profiles this move would update or delete."""
    touched = {
        c.profile.name.strip().casefold() for c in move.changes if c.action is not Action.CREATE
    } | {d.name.strip().casefold() for d in move.deletions}
    return [
        item
        for item in exported
        if str((item.get("object") or {}).get("name", "")).strip().casefold() in touched
    ]


def created_by(move: MovePlan) -> list[CreatedProfile]:
    """The profiles this move creates: what restoring its backup deletes."""
    return [CreatedProfile(c.profile.name) for c in move.changes if c.action is Action.CREATE]


def _with_ids(created: list[CreatedProfile], imported: ImportOutcome) -> list[CreatedProfile]:
    ids = {
        v.profile.name.strip().casefold(): v.imported_id
        for v in imported.verdicts()
        if v.status is ProfileStatus.IMPORTED and v.imported_id
    }
    return [CreatedProfile(c.name, ids.get(c.name.strip().casefold())) for c in created]


def _record_ids(
    path: Path | None,
    objects: list[dict[str, Any]],
    created: list[CreatedProfile],
    imported: ImportOutcome,
) -> None:
    """Write the backup again with the ids the tenant gave the created profiles, so a
    restore deletes exactly those. If that fails the names recorded before still serve."""
    if path is None or not created:
        return
    with contextlib.suppress(OSError):
        write_backup(path, objects, _with_ids(created, imported))


def _check_confirmed(move: MovePlan, confirm_deletions: bool) -> None:
    if move.deletions and not confirm_deletions:
        raise DeletionNotConfirmed(move.deletions)


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
    confirm_deletions: bool = False,
) -> MoveOutcome:
    """Back up (when ``backup`` is a path), import, delete what a restore deletes (only
    with ``confirm_deletions``; otherwise DeletionNotConfirmed before anything is sent),
    read back, and process if asked."""
    _check_confirmed(move, confirm_deletions)
    written, objects, created = None, [], created_by(move)
    if backup is not None:
        objects = backup_objects(move, await export_profiles(isc))
        written = write_backup(backup, objects, created)
    imported = outcome if outcome is not None else ImportOutcome(move.plan)

    def record(chunk: ChunkOutcome) -> None:
        imported.chunks.append(chunk)  # as it comes: an interruption keeps what was done
        if on_chunk is not None:
            on_chunk(chunk)

    if move.plan.profiles:
        await import_profiles_async(isc, move.plan, chunk_size=chunk_size, on_chunk=record)
    _record_ids(written, objects, created, imported)
    result = _outcome(move, imported, written, objects, created, backup is not None)
    result.removals = await delete_profiles(isc, move.deletions)
    result.read_back = compare_read_back(move, imported, await read_profiles(isc))
    if process_after:
        for entry in result.needs_refresh:
            result.processing.append(await _process(isc, entry))
    return result


def _outcome(
    move: MovePlan,
    imported: ImportOutcome,
    written: Path | None,
    objects: list[dict[str, Any]],
    created: list[CreatedProfile],
    requested: bool,
) -> MoveOutcome:
    result = MoveOutcome(move, imported, written, len(objects), backup_requested=requested)
    result.created_recorded = len(created) if written is not None else 0
    return result


_NO_PROFILE_ID = "the tenant did not give the profile's id"


async def _process(isc: AsyncClient, entry: ReadBack) -> ProfileTask:
    if entry.target_id is None:
        return ProfileTask(entry.name, "", error=_NO_PROFILE_ID)
    try:
        reply = await process_profile_identities(isc, entry.target_id)
    except ISCError as error:
        return ProfileTask(entry.name, entry.target_id, error=str(error))
    return task_started(entry.name, entry.target_id, reply)


def _process_sync(isc: Client, entry: ReadBack) -> ProfileTask:
    """The same as :func:`_process` with a ``Client``."""
    if entry.target_id is None:
        return ProfileTask(entry.name, "", error=_NO_PROFILE_ID)
    try:
        reply = process_profile_identities_sync(isc, entry.target_id)
    except ISCError as error:
        return ProfileTask(entry.name, entry.target_id, error=str(error))
    return task_started(entry.name, entry.target_id, reply)


def apply_move_sync(
    isc: Client,
    move: MovePlan,
    *,
    backup: str | Path | None = None,
    process_after: bool = False,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    on_chunk: Callable[[ChunkOutcome], None] | None = None,
    confirm_deletions: bool = False,
) -> MoveOutcome:
    """The same as :func:`apply_move` with a ``Client``."""
    _check_confirmed(move, confirm_deletions)
    written, objects, created = None, [], created_by(move)
    if backup is not None:
        objects = backup_objects(move, export_profiles_sync(isc))
        written = write_backup(backup, objects, created)
    imported = (
        import_profiles(isc, move.plan, chunk_size=chunk_size, on_chunk=on_chunk)
        if move.plan.profiles
        else ImportOutcome(move.plan)
    )
    _record_ids(written, objects, created, imported)
    result = _outcome(move, imported, written, objects, created, backup is not None)
    result.removals = delete_profiles_sync(isc, move.deletions)
    result.read_back = compare_read_back(move, imported, read_profiles_sync(isc))
    if process_after:
        for entry in result.needs_refresh:
            result.processing.append(_process_sync(isc, entry))
    return result
