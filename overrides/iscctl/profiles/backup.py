"""The backup a move writes before it imports, and what restoring that backup undoes.

Restoring must return the target to its earlier state, and importing alone cannot:
a profile the import *created* has no earlier version to import. So the backup
records, besides the target's earlier version of every profile the import touches,
which profiles did not exist before it. It is an SP-Config export shaped document,
so ``identity-profiles import BACKUP`` (and any reader of SP-Config exports) takes
its objects as they are::

    {
      "version": 1,
      "objects": [ ...the target's exported profiles, sorted by name... ],
      "iscctlBackup": {"createdByImport": [{"name": "Interns", "id": "..."}]}
    }

``id`` is null until the import has answered (the backup is written before anything
is sent, then again with the ids the tenant gave). Restoring deletes each profile
named there that the target still holds, under that id, after showing the list and
being told yes (``--yes``). A backup written before this field existed is a plain
array and restores as before (nothing deleted).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from iscctl.profiles import exporting
from iscctl.profiles.files import STDIN, read_document
from iscctl.profiles.plan import ImportPlan, Inputs, plan_import
from iscctl.profiles.problems import Problem, ProfileInputError
from iscctl.profiles.transform import SourceMapping

BACKUP_KEY = "iscctlBackup"
CREATED_KEY = "createdByImport"


@dataclass(frozen=True)
class CreatedProfile:
    """A profile an import created: its name, and the tenant's id once it answered."""

    name: str
    id: str | None = None


@dataclass(frozen=True)
class BackupRecord:
    """What one backup file says beyond its objects."""

    file: str
    created: list[CreatedProfile]
    objects: int


@dataclass
class BackupInputs:
    """The import plan of some inputs, and the backups among them."""

    plan: ImportPlan
    backups: list[BackupRecord] = field(default_factory=list)

    @property
    def created(self) -> list[CreatedProfile]:
        return [created for record in self.backups for created in record.created]


# -- writing ----------------------------------------------------------------------------------
def backup_document(
    objects: Sequence[dict[str, Any]], created: Sequence[CreatedProfile]
) -> dict[str, Any]:
    ordered = sorted(created, key=lambda c: c.name.casefold())
    return {
        "version": 1,
        "objects": exporting.sorted_objects(objects),
        BACKUP_KEY: {CREATED_KEY: [{"name": c.name, "id": c.id} for c in ordered]},
    }


def write_backup(
    path: str | Path,
    objects: Sequence[dict[str, Any]],
    created: Sequence[CreatedProfile] = (),
) -> Path:
    """Write the backup atomically (a temporary file fsync'd and renamed into place);
    an OSError propagates so that the caller imports nothing."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    document = backup_document(objects, created)
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    try:
        with open(temporary, "w", encoding="utf-8") as stream:
            stream.write(text + "\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


# -- reading ----------------------------------------------------------------------------------
def read_backups(paths: Sequence[str | Path]) -> list[BackupRecord]:
    """The backups among ``paths`` (files whose top level carries ``iscctlBackup``).

    Only JSON objects are looked into (an export is an array); a file that cannot be
    read is left for the import's own reading to report."""
    records = []
    for path in paths:
        if str(path) == STDIN or not _starts_an_object(path):
            continue
        try:
            document = read_document(path)
        except ProfileInputError:
            continue
        data = document.data
        if isinstance(data, dict) and BACKUP_KEY in data:
            records.append(_record(document.label, data))
    return records


def _starts_an_object(path: str | Path) -> bool:
    try:
        with open(path, "rb") as stream:
            head = stream.read(256).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return head.startswith(b"{")


def _record(label: str, data: dict[str, Any]) -> BackupRecord:
    section = data[BACKUP_KEY]
    entries = section.get(CREATED_KEY) if isinstance(section, dict) else None
    where = f"{BACKUP_KEY}.{CREATED_KEY}"
    if not isinstance(entries, list):
        raise ProfileInputError(
            [Problem(label, where, "expected an array of {name, id}; is the backup intact?")]
        )
    created, problems = [], []
    for index, entry in enumerate(entries):
        name = entry.get("name") if isinstance(entry, dict) else None
        profile_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name or not isinstance(profile_id, str | None):
            problems.append(
                Problem(label, f"{where}[{index}]", "expected {name: string, id: string or null}")
            )
            continue
        created.append(CreatedProfile(name, profile_id))
    if problems:
        raise ProfileInputError(problems)
    objects = data.get("objects")
    return BackupRecord(label, created, len(objects) if isinstance(objects, list) else 0)


def plan_with_backups(
    inputs: Inputs,
    *,
    map_source: Sequence[SourceMapping | str] = (),
    stdin: BinaryIO | None = None,
) -> BackupInputs:
    """:func:`plan_import` of ``inputs``, knowing which of them are backups.

    A backup holding no objects (every profile of its import was new) is only read for
    what to delete; the import plan is built from the other files."""
    paths = _paths(inputs)
    if paths is None:
        return BackupInputs(plan_import(inputs, map_source=map_source, stdin=stdin))
    backups = read_backups(paths)
    empty = {record.file for record in backups if record.objects == 0}
    rest = [path for path in paths if str(path) not in empty]
    if not rest:
        return BackupInputs(ImportPlan([], files=[str(p) for p in paths]), backups)
    return BackupInputs(plan_import(rest, map_source=map_source, stdin=stdin), backups)


def _paths(inputs: Inputs) -> list[str | Path] | None:
    if isinstance(inputs, str | Path):
        return [inputs]
    if isinstance(inputs, Sequence) and inputs and all(isinstance(i, str | Path) for i in inputs):
        return [i for i in inputs if isinstance(i, str | Path)]
    return None
