"""Showing an import's outcome: rich tables for people, one JSON document for programs.

What the tenant said must be impossible to miss, so the per-profile verdicts come
first, then the reply's ``errors``, ``warnings``, ``infos`` and ``importedObjects`` as
sent (null fields shown as "-", unknown types as their text), then failed requests,
then a one-line summary. Nothing here can fail on an odd reply.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from iscctl_client.types import Unset
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from iscctl.profiles.plan import ImportPlan, PlannedProfile
from iscctl.profiles.runner import ImportOutcome, ProfileStatus, ProfileVerdict

_STATUS_STYLE = {
    ProfileStatus.IMPORTED: "green",
    ProfileStatus.REJECTED: "bold red",
    ProfileStatus.REQUEST_FAILED: "bold red",
    ProfileStatus.NO_VERDICT: "yellow",
    ProfileStatus.NOT_SENT: "cyan",
}


# -- plain data, shared by both formats -------------------------------------------------
def input_notes(plan: ImportPlan) -> list[str]:
    """What happened to the input before sending: skipped objects, stripped fields, mappings."""
    notes: list[str] = []
    files = ", ".join(plan.files) or "-"
    count = len(plan.profiles)
    notes.append(f"Read {count} identity profile{_s(count)} from {files}.")
    if plan.skipped:
        notes.append(_skipped_note(plan))
    fields, stripped = plan.stripped_fields()
    if stripped:
        notes.append(
            f"Stripped read-only fields {', '.join(fields)} from {stripped} profile{_s(stripped)}."
        )
    rewrites = Counter(
        (str(p.rewrite.mapping), p.rewrite.matched) for p in plan.profiles if p.rewrite
    )
    for (mapping, matched), n in rewrites.items():
        extra = "; the old id was dropped" if matched == "name" else ""
        notes.append(
            f"Mapped authoritative source {mapping} (matched by {matched}{extra}) "
            f"in {n} profile{_s(n)}."
        )
    return notes


def _skipped_note(plan: ImportPlan) -> str:
    count = len(plan.skipped)
    what = "objects that are not identity profiles"
    if count == 1:
        what = "object that is not an identity profile"
    if count <= 5:
        listed = ", ".join(
            f"{s.type} {s.name!r} ({s.file}: {s.path})" if s.name else f"{s.type} ({s.path})"
            for s in plan.skipped
        )
    else:
        kinds = Counter(skipped.type for skipped in plan.skipped)
        listed = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    return f"Skipped {count} {what}: {listed}."


def summary_line(outcome: ImportOutcome) -> str:
    if outcome.dry_run:
        count = len(outcome.plan.profiles)
        return f"Dry run: nothing was sent; {count} profile{_s(count)} would be imported."
    counts = Counter(verdict.status for verdict in outcome.verdicts())
    parts = [f"{counts[status]} {status}" for status in ProfileStatus if counts[status]]
    errors = len(outcome.messages("errors"))
    failed = len(outcome.failed_chunks)
    tail = f"; {errors} error message{_s(errors)}" if errors else ""
    if outcome.unsent:
        tail += f"; {len(outcome.unsent)} not sent"
    if failed:
        tail += f"; {failed} of {len(outcome.chunks)} request{_s(len(outcome.chunks))} failed"
    verdict = "OK" if outcome.succeeded else "FAILED"
    return f"{verdict}: " + (", ".join(parts) or "no profiles") + tail + "."


def outcome_document(outcome: ImportOutcome) -> dict[str, Any]:
    """The whole outcome as JSON-ready data (``--format json``)."""
    fields, stripped = outcome.plan.stripped_fields()
    return {
        "dryRun": outcome.dry_run,
        "succeeded": outcome.succeeded,
        "exitCode": outcome.exit_code,
        "summary": summary_line(outcome),
        "files": outcome.plan.files,
        "skipped": [
            {"file": s.file, "path": s.path, "type": s.type, "name": s.name}
            for s in outcome.plan.skipped
        ],
        "strippedReadOnly": {"fields": fields, "profiles": stripped},
        "profiles": [_verdict_document(verdict) for verdict in outcome.verdicts()],
        "infos": [message_document(m) for m in outcome.messages("infos")],
        "warnings": [message_document(m) for m in outcome.messages("warnings")],
        "errors": [message_document(m) for m in outcome.messages("errors")],
        "importedObjects": [imported_document(o) for o in outcome.imported_objects],
        "failedRequests": [
            {
                "chunk": chunk.number,
                "profiles": [profile.name for profile in chunk.profiles],
                "error": str(chunk.error),
                "errorType": type(chunk.error).__name__,
                "status": getattr(chunk.error, "status", None),
                "detailCode": getattr(chunk.error, "detail_code", None),
                "trackingId": getattr(chunk.error, "tracking_id", None),
            }
            for chunk in outcome.failed_chunks
        ],
        "notSent": [profile.name for profile in outcome.unsent],
    }


def _verdict_document(verdict: ProfileVerdict) -> dict[str, Any]:
    profile = verdict.profile
    document = {
        **_profile_document(profile),
        "status": str(verdict.status),
        "detail": verdict.detail or None,
        "id": verdict.imported_id,
    }
    if profile.rewrite:
        document["sourceMapping"] = {
            "mapping": str(profile.rewrite.mapping),
            "matched": profile.rewrite.matched,
            "before": profile.rewrite.before,
        }
    return document


def _profile_document(profile: PlannedProfile) -> dict[str, Any]:
    return {
        "file": profile.file,
        "path": profile.path,
        "name": profile.name,
        "priority": profile.priority,
        "authoritativeSource": profile.source.model_dump(
            mode="json", by_alias=True, exclude_unset=True
        ),
        "transforms": profile.transform_count,
        "strippedReadOnly": list(profile.stripped),
    }


def message_document(message: Any) -> dict[str, Any]:
    """``{key, text, details}`` of an SpConfigMessage, whatever the reply left null."""
    details: Any = getattr(message, "details", None)
    to_dict = getattr(details, "to_dict", None)
    extra = getattr(message, "additional_properties", {})
    return {
        **(extra if isinstance(extra, dict) else {}),
        "key": _plain(getattr(message, "key", None)),
        "text": _plain(getattr(message, "text", None)),
        "details": to_dict() if callable(to_dict) else _plain(details),
    }


def imported_document(imported: Any) -> dict[str, Any]:
    extra = getattr(imported, "additional_properties", {})
    return {
        **(extra if isinstance(extra, dict) else {}),
        "type": _plain(getattr(imported, "type_", None)),
        "id": _plain(getattr(imported, "id", None)),
        "name": _plain(getattr(imported, "name", None)),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Unset):
        return None
    if isinstance(value, str):
        return str(value)  # an enum member becomes its plain value
    return value


def _s(count: int) -> str:
    return "" if count == 1 else "s"


# -- output -----------------------------------------------------------------------------
def write_json(outcome: ImportOutcome, stream: TextIO) -> None:
    json.dump(outcome_document(outcome), stream, indent=2, ensure_ascii=False, default=str)
    stream.write("\n")


def print_tables(outcome: ImportOutcome, console: Console) -> None:
    """Tables that fit 80 columns: ids are never folded, and each message is printed once
    (an error the verdicts attribute to a profile is shown in that profile's row only;
    a failed request's error once, below the table, with the profiles it carried)."""
    for note in input_notes(outcome.plan):
        console.print(escape(note))
    console.print(_profiles_table(outcome))
    shown = _details_in_rows(outcome)
    for kind, style in (("errors", "red"), ("warnings", "yellow"), ("infos", "blue")):
        messages = [m for m in outcome.messages(kind) if _message_line(m) not in shown]
        if messages:
            title = "Other errors" if kind == "errors" and shown else kind.capitalize()
            console.print(_messages_table(title, messages, style))
    if outcome.imported_objects:
        console.print(_imported_table(outcome))
    for chunk in outcome.failed_chunks:
        names = ", ".join(profile.name for profile in chunk.profiles)
        console.print(
            f"[bold red]Request {chunk.number} failed[/]: {escape(str(chunk.error))}\n"
            f"  not imported: {escape(names)}"
        )
    if outcome.unsent:
        names = ", ".join(profile.name for profile in outcome.unsent)
        console.print(f"[bold red]Not sent[/]: {escape(names)}")
    style = "cyan" if outcome.dry_run else "green" if outcome.succeeded else "bold red"
    console.print(f"[{style}]{escape(summary_line(outcome))}[/]")


def _profiles_table(outcome: ImportOutcome) -> Table:
    title = "Would import" if outcome.dry_run else "Identity profiles"
    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("name", overflow="fold", ratio=3)
    table.add_column("prio", justify="right")
    table.add_column("source", overflow="fold", ratio=2)
    if outcome.dry_run:
        table.add_column("transforms", justify="right")
    else:
        table.add_column("status", no_wrap=True)
        table.add_column("detail", overflow="fold", ratio=4)
    requests = {id(p): chunk.number for chunk in outcome.failed_chunks for p in chunk.profiles}
    for number, verdict in enumerate(outcome.verdicts(), start=1):
        profile = verdict.profile
        row = [
            str(number),
            escape(profile.name),
            escape(str(profile.priority if profile.priority is not None else "-")),
            escape(profile.source.name or profile.source.id or "-"),
        ]
        if outcome.dry_run:
            row.append(str(profile.transform_count))
        else:
            style = _STATUS_STYLE[verdict.status]
            detail = verdict.detail
            if verdict.status is ProfileStatus.REQUEST_FAILED:
                detail = f"request {requests.get(id(profile), '?')}, see below"
            row += [f"[{style}]{verdict.status}[/]", escape(detail or "")]
        table.add_row(*row)
    return table


def _details_in_rows(outcome: ImportOutcome) -> set[str]:
    """The message lines the profiles table already shows (rejections)."""
    shown: set[str] = set()
    for verdict in outcome.verdicts():
        if verdict.status is ProfileStatus.REJECTED and verdict.detail:
            shown.update(verdict.detail.split("; "))
    return shown


def _message_line(message: Any) -> str:
    """A message as a verdict's detail holds it: ``key: text``."""
    data = message_document(message)
    return ": ".join(str(part) for part in (data["key"], data["text"]) if part)


def _messages_table(title: str, messages: list[Any], style: str) -> Table:
    table = Table(title=f"{title} ({len(messages)})", title_justify="left", title_style=style)
    for column in ("key", "text", "details"):
        table.add_column(column, overflow="fold")
    for message in messages:
        data = message_document(message)
        details = json.dumps(data["details"], ensure_ascii=False, default=str)
        table.add_row(
            escape(str(data["key"] or "-")), escape(str(data["text"] or "-")), escape(details)
        )
    return table


def _imported_table(outcome: ImportOutcome) -> Table:
    objects = outcome.imported_objects
    documents = [imported_document(imported) for imported in objects]
    id_width = max((len(str(d["id"] or "-")) for d in documents), default=2)
    table = Table(title=f"Imported objects ({len(objects)})", title_justify="left")
    table.add_column("type", no_wrap=True)
    table.add_column("id", no_wrap=True, min_width=id_width)
    table.add_column("name", overflow="fold")
    for data in documents:
        table.add_row(
            *(
                escape(str(data[key] if data[key] is not None else "-"))
                for key in ("type", "id", "name")
            )
        )
    return table
