"""Showing a move: the plan (create/update/unchanged with field diffs), the references
rewritten to fit the target, the backup, the read-back and the processing afterwards.

Text for people (fits 80 columns: values are shortened, never ids), and JSON-ready
documents with camelCase keys for programs (docs/schemas/import-plan.schema.json, and
the move keys of docs/schemas/import-report.schema.json).
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from iscctl.profiles.diffing import Action, FieldChange, ProfilePlan
from iscctl.profiles.moving import MoveOutcome, MovePlan
from iscctl.profiles.plan import ImportPlan
from iscctl.profiles.references import Rewrite

_ACTION_STYLE = {Action.CREATE: "green", Action.UPDATE: "yellow", Action.UNCHANGED: "dim"}
_SHOWN_REWRITES = 10


def _short(value: Any, limit: int = 40) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def change_line(change: FieldChange) -> str:
    if change.change == "changed":
        return f"{change.field}: {_short(change.before)} -> {_short(change.after)}"
    if change.change == "added":
        return f"{change.field}: added {_short(change.after)}"
    if change.change == "dropped":
        return f"{change.field}: sent {_short(change.after)}, the tenant does not hold it"
    if change.change == "extra":
        return f"{change.field}: held by the tenant, not sent ({_short(change.before)})"
    return f"{change.field}: removed (was {_short(change.before)})"


def rewrite_line(rewrite: Rewrite) -> str:
    return (
        f"{rewrite.profile}: {rewrite.path}: {rewrite.before} -> {rewrite.after} ({rewrite.reason})"
    )


# -- JSON -----------------------------------------------------------------------------------
def change_document(change: FieldChange) -> dict[str, Any]:
    return {
        "field": change.field,
        "change": change.change,
        "before": change.before,
        "after": change.after,
    }


def plan_entry(plan: ProfilePlan) -> dict[str, Any]:
    return {
        "name": plan.profile.name,
        "file": plan.profile.file,
        "path": plan.profile.path,
        "action": str(plan.action),
        "targetId": plan.target_id,
        "changes": [change_document(c) for c in plan.changes],
    }


def rewrite_document(rewrite: Rewrite) -> dict[str, Any]:
    return {
        "profile": rewrite.profile,
        "path": rewrite.path,
        "kind": rewrite.kind,
        "before": rewrite.before,
        "after": rewrite.after,
        "reason": rewrite.reason,
    }


def deletions_document(move: MovePlan) -> dict[str, Any]:
    """Restoring a backup: the profiles it would delete, and those it leaves alone."""
    return {
        "deletions": [
            {"name": d.name, "id": d.profile_id, "identityCount": d.identity_count, "file": d.file}
            for d in move.deletions
        ],
        "restoreNotes": move.restore_notes,
    }


def plan_document(move: MovePlan) -> dict[str, Any]:
    """``import --plan --format json``."""
    return {
        "plan": True,
        "summary": plan_summary(move),
        "counts": {str(action): move.count(action) for action in Action},
        "profiles": [plan_entry(change) for change in move.changes],
        "rewrites": [rewrite_document(r) for r in move.rewrites],
        "unchecked": move.unchecked,
        "wouldSend": [p.body for p in move.plan.profiles],
        **deletions_document(move),
    }


def dry_run_document(
    plan: ImportPlan, move: MovePlan | None, offline: str | None
) -> dict[str, Any]:
    """The keys ``import --dry-run --format json`` adds to the import report: the bodies
    an import would send (equal to --plan's ``wouldSend`` when the target was read), what
    resolving rewrote, and why the target was not read (``offline``, null when it was)."""
    return {
        "offline": offline,
        "wouldSend": [p.body for p in plan.profiles],
        "rewrites": [rewrite_document(r) for r in move.rewrites] if move else [],
        "unchecked": move.unchecked if move else [],
        **(deletions_document(move) if move else {"deletions": [], "restoreNotes": []}),
    }


def move_document(outcome: MoveOutcome) -> dict[str, Any]:
    """The keys a real import adds to the import report."""
    return {
        "plan": [plan_entry(change) for change in outcome.move.changes],
        "rewrites": [rewrite_document(r) for r in outcome.move.rewrites],
        "unchecked": outcome.move.unchecked,
        "backup": (
            {
                "path": str(outcome.backup),
                "profiles": outcome.backed_up,
                "createdByImport": outcome.created_recorded,
            }
            if outcome.backup is not None
            else None
        ),
        "deleted": [
            {"name": r.name, "id": r.profile_id, "taskId": r.task_id, "error": r.error}
            for r in outcome.removals
        ],
        "readBack": [
            {
                "name": entry.name,
                "id": entry.target_id,
                "found": entry.found,
                "identityRefreshRequired": entry.refresh_required,
                "differences": [change_document(c) for c in entry.differences],
            }
            for entry in outcome.read_back
        ],
        "processing": [
            {"name": p.name, "profileId": p.profile_id, "taskId": p.task_id, "error": p.error}
            for p in outcome.processing
        ],
    }


def plan_summary(move: MovePlan) -> str:
    parts = [f"{move.count(action)} {action}" for action in Action]
    if move.deletions:
        parts.append(f"{len(move.deletions)} delete")
    rewritten = len(move.rewrites)
    tail = f"; {rewritten} reference{'' if rewritten == 1 else 's'} rewritten" if rewritten else ""
    return "Plan: " + ", ".join(parts) + tail + "; nothing was sent."


# -- text -----------------------------------------------------------------------------------
def print_rewrites(move: MovePlan, console: Console) -> None:
    for note in move.unchecked:
        console.print(f"[yellow]Unchecked[/]: {escape(note)}", overflow="fold")
    if not move.rewrites:
        return
    count = len(move.rewrites)
    console.print(f"Rewrote {count} reference{'' if count == 1 else 's'} to fit the target:")
    for rewrite in move.rewrites[:_SHOWN_REWRITES]:
        console.print(f"  {escape(rewrite_line(rewrite))}", overflow="fold")
    if count > _SHOWN_REWRITES:
        console.print(f"  … and {count - _SHOWN_REWRITES} more (--format json lists all)")


def print_deletions(move: MovePlan, console: Console) -> None:
    """Restoring: what it would delete (the import being undone created it), and what not."""
    for note in move.restore_notes:
        console.print(f"[yellow]Not deleted[/]: {escape(note)}", overflow="fold")
    if not move.deletions:
        return
    count = len(move.deletions)
    console.print(
        f"[bold]Would delete {count} profile{'' if count == 1 else 's'}[/] the import being"
        " undone created (restoring asks first, or takes --yes):"
    )
    for deletion in move.deletions:
        identities = f", {deletion.identity_count} identities" if deletion.identity_count else ""
        console.print(
            f"  {escape(deletion.name)} (id {deletion.profile_id}{identities})", overflow="fold"
        )


def print_plan(move: MovePlan, console: Console) -> None:
    print_rewrites(move, console)
    print_deletions(move, console)
    table = Table(title="Plan", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("name", overflow="fold", ratio=2)
    table.add_column("action", no_wrap=True)
    table.add_column("changes", overflow="fold", ratio=3)
    for number, change in enumerate(move.changes, start=1):
        style = _ACTION_STYLE[change.action]
        fields = ", ".join(c.field for c in change.changes) or "-"
        table.add_row(
            str(number), escape(change.profile.name), f"[{style}]{change.action}[/]", escape(fields)
        )
    console.print(table)
    for change in move.changes:
        if change.changes:
            console.print(f"[yellow]{escape(change.profile.name)}[/]:")
            for field_change in change.changes:
                console.print(f"  {escape(change_line(field_change))}", overflow="fold")
    console.print(f"[cyan]{escape(plan_summary(move))}[/]")


def print_move(outcome: MoveOutcome, console: Console) -> None:
    """What a real import adds after the import tables: backup, read-back, processing."""
    if outcome.backup is not None:
        created = outcome.created_recorded
        also = f", and the {created} it created (a restore deletes them)" if created else ""
        console.print(
            f"Backup of the {outcome.backed_up} profile(s) this import changed{also}:"
            f" {escape(str(outcome.backup))} (restore: iscctl identity-profiles import"
            f" {escape(str(outcome.backup))})",
            overflow="fold",
        )
    for removal in outcome.removals:
        if removal.error:
            console.print(
                f"[bold red]Not deleted[/] {escape(removal.name)}: {escape(removal.error)}",
                overflow="fold",
            )
        else:
            console.print(
                f"Deleting {escape(removal.name)} (id {removal.profile_id}): task"
                f" {removal.task_id or '-'}"
            )
    mismatches = outcome.mismatches
    if outcome.read_back and not mismatches:
        console.print(
            f"Read back {len(outcome.read_back)} profile(s): the tenant holds what was sent."
        )
    for entry in mismatches:
        console.print(f"[bold red]Read-back differs[/] for {escape(entry.name)}:")
        if not entry.found:
            console.print("  the tenant does not list it after the import")
        for change in entry.differences:
            console.print(f"  {escape(change_line(change))}", overflow="fold")
    refresh = [e.name for e in outcome.needs_refresh]
    if refresh and not outcome.processing:
        console.print(
            f"Identities need a refresh for: {escape(', '.join(refresh))}"
            " (run again with --process-after, or process them yourself)",
            overflow="fold",
        )
    for processing in outcome.processing:
        if processing.error:
            console.print(
                f"[bold red]Processing failed[/] for {escape(processing.name)}:"
                f" {escape(processing.error)}",
                overflow="fold",
            )
        else:
            console.print(
                f"Processing the identities of {escape(processing.name)}: task"
                f" {processing.task_id or '-'}"
            )
