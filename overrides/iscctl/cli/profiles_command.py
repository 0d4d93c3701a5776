"""`iscctl identity-profiles import`: the command line over `iscctl.profiles`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

import click

from iscctl.cli.connection import client_from_options, connection_options
from iscctl.profiles.problems import one_line
from iscctl.profiles.transform import SourceMapping

STDIN = "-"

if TYPE_CHECKING:  # the rest loads pydantic and the generated models: only when run
    from rich.console import Console

    from iscctl.profiles.moving import MoveOutcome, MovePlan
    from iscctl.profiles.problems import ProfileInputError
    from iscctl.profiles.runner import ImportOutcome
    from iscctl.profiles.verdicts import ChunkOutcome

CHUNK_SIZE = 50
"""The default of --chunk-size; the same as iscctl.profiles.runner.DEFAULT_CHUNK_SIZE."""

IMPORT_HELP = """\
Import identity profiles exported from one tenant into another.

FILES are JSON (or .yaml/.yml) files, each holding a
JSON array of exported identity profiles (the body the API takes: version,
self, object), a single exported object, or a whole SP-Config export
(`{"objects": [...]}`), from which the IDENTITY_PROFILE objects are taken and
everything else is listed as skipped. `-` or no FILES: standard input (JSON).

Everything is checked before anything is sent, and every problem is reported
at once with its file and JSON path (e.g. `export.json:
[3].object.authoritativeSource: field required`): the schema, self.type
IDENTITY_PROFILE, a non-empty name, names unique within the import, integers
in range, and numbers that JSON can carry exactly. Read-only fields (object.id,
created, modified) are stripped, and the summary says so. Everything else,
transform attributes and unknown fields included, is sent exactly as read.

Source ids differ between tenants: --map-source OLD=NEW rewrites an
authoritativeSource whose id is OLD (the id becomes NEW) or whose name is OLD
(the name becomes NEW and the old tenant's id is dropped). A mapping that
matches nothing is an error.

Before sending, the target is read and every reference (authoritative source,
sources of accountAttribute transforms, reference transforms, owner) is
resolved: an id match is kept, a name match rewritten to the target's id, no
match stops the run (exit 2); --mappings FILE overrides the match, --no-resolve
sends references as written. --plan shows create / update / unchanged with a
field diff and sends nothing; --dry-run resolves the same way (so both show the
same bodies) unless it runs offline, which it says. A real import writes a
backup first (--backup FILE, --no-backup): the target's earlier version of the
profiles it updates, and the names of those it creates. Then it reads every
imported profile back and compares it with what was sent; --process-after
processes the identities of profiles the tenant marks identityRefreshRequired.
Importing a backup restores: it also deletes the profiles that import created,
after listing them, with --yes (or a yes on a terminal).

Profiles are sent in chunks of --chunk-size, one request after another; a
request that fails after retries marks its profiles "request failed" and the
others still go. The tenant's verdict on each profile is shown: imported,
rejected (named in the reply's errors), request failed, or no verdict; then
the reply's errors, warnings, infos and importedObjects.

\b
Exit status: 0 every request answered, no errors in the replies, read back
as sent; 1 the tenant reported errors (a 200 with per-object errors), a
request failed, processing failed or a delete was refused; 2 bad usage, bad
input, an unresolvable reference or unconfirmed deletions (nothing sent); 3
the target could not be read (credentials refused, tenant unreachable); 5 the
read-back differs from what was sent; 130 interrupted (the verdicts so far
are shown; importing again updates, by name, what was already imported).
"""

IMPORT_EPILOG = """\
\b
Examples:
  # round trip: export the profiles from the sandbox tenant (an SP-Config
  # export, e.g. with SailPoint's `sail spconfig` commands), check, import
  iscctl identity-profiles import sandbox-export.json --dry-run
  iscctl identity-profiles import sandbox-export.json --env production \\
      --map-source 2c9180867d0a1b2c017d0a4e5f6a1001=2c91808a7813090a017814121e121518
  iscctl identity-profiles import sandbox-export.json --format json > verdict.json
\b
  # map by source name; several files, YAML, stdin; smaller requests
  iscctl identity-profiles import hr.json --map-source "HR (sandbox)=HR Workday"
  iscctl identity-profiles import hr.json contractors.yaml --chunk-size 10
  cat export.json | iscctl identity-profiles import --dry-run
\b
  # try it against a local sandbox tenant
  iscctl sandbox &   # prints the SAIL_* variables to export
  iscctl identity-profiles import examples/identity-profiles-export.json
"""


def _parse_mappings(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> list[SourceMapping]:
    try:
        return [SourceMapping.parse(value) for value in values]
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@click.group("identity-profiles")
def identity_profiles() -> None:
    """Work with identity profiles."""


class OutputFormat(click.Choice[str]):
    """``text`` or ``json``; ``table`` (the old name of ``text``) is still taken, unlisted."""

    ALIASES: ClassVar[dict[str, str]] = {"table": "text"}

    def __init__(self) -> None:
        super().__init__(["text", "json"])

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.lower() in self.ALIASES:
            value = self.ALIASES[value.lower()]
        return super().convert(value, param, ctx)


def input_files(files: tuple[str, ...]) -> list[str]:
    """FILES as given; none means standard input, which must then be readable and piped."""
    chosen = list(files) or [STDIN]
    if STDIN in chosen:
        if sys.stdin is None or sys.stdin.closed:
            _usage_error("standard input is closed; give FILES")
        if sys.stdin.isatty():
            _usage_error(
                "no input: give FILES, or pipe an export into standard input"
                " (cat export.json | iscctl identity-profiles import)"
            )
    return chosen


def _usage_error(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


@identity_profiles.command("import", help=IMPORT_HELP, epilog=IMPORT_EPILOG)
@click.argument("files", nargs=-1, metavar="[FILES]...")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Check everything and show what would be imported (name, priority, source, "
    "transforms); send nothing. With a tenant configured, references are resolved against"
    " it exactly as --plan does (read-only calls), so both show the same bodies; without"
    " one (or with --offline, --no-resolve) it runs offline and says so.",
)
@click.option(
    "--offline",
    is_flag=True,
    help="With --dry-run: read nothing from the target; references are shown as written.",
)
@click.option(
    "--map-source",
    "mappings",
    multiple=True,
    metavar="OLD=NEW",
    callback=_parse_mappings,
    help="Rewrite authoritativeSource references: OLD is a source id or name in the files, "
    "NEW the target tenant's. Repeatable.",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1),
    default=CHUNK_SIZE,
    show_default=True,
    help="Profiles per import request.",
)
@click.option(
    "--format",
    "output_format",
    type=OutputFormat(),
    default="text",
    show_default=True,
    help="text: tables for people; json: one document on stdout for programs"
    " (docs/schemas/import-report.schema.json).",
)
@click.option(
    "--plan",
    "plan_only",
    is_flag=True,
    help="Read the target, resolve references and show per profile create / update /"
    " unchanged with a field-level diff; send no import.",
)
@click.option(
    "--mappings",
    "mappings_file",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="YAML rules per kind (sources, transforms, identities): old id or name -> new"
    " id or name in the target; they override the automatic match.",
)
@click.option(
    "--no-resolve",
    is_flag=True,
    help="Send references as written and let the tenant resolve (or refuse) them.",
)
@click.option(
    "--backup",
    "backup_path",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Where to write the target's current version of the profiles the import updates"
    " (default: identity-profiles-backup-<UTC time>.json here).",
)
@click.option("--no-backup", is_flag=True, help="Import without writing a backup first.")
@click.option(
    "--yes",
    "-y",
    "assume_yes",
    is_flag=True,
    help="Restoring a backup: delete the profiles the import being undone created, without"
    " asking. Without it a restore that would delete asks on a terminal, and otherwise stops"
    " before anything is sent.",
)
@click.option(
    "--max-wait",
    type=click.FloatRange(min=0),
    default=1200.0,
    show_default=True,
    metavar="SECONDS",
    help="Longest Retry-After to wait (ISC escalates a client that keeps exceeding its"
    " limit to 60, 300, 600 and 1,200 s); a longer one fails the request, naming this option.",
)
@click.option(
    "--process-after",
    is_flag=True,
    help="Process the identities of every imported profile the tenant marks"
    " identityRefreshRequired (POST /identity-profiles/{id}/process-identities).",
)
@connection_options
def import_command(
    files: tuple[str, ...],
    dry_run: bool,
    mappings: list[SourceMapping],
    chunk_size: int,
    output_format: str,
    plan_only: bool,
    mappings_file: str | None,
    no_resolve: bool,
    backup_path: str | None,
    no_backup: bool,
    process_after: bool,
    offline: bool,
    assume_yes: bool,
    **options: Any,
) -> NoReturn:
    import asyncio

    from iscctl.errors import ISCError
    from iscctl.profiles.backup import plan_with_backups
    from iscctl.profiles.mappings import read_mappings
    from iscctl.profiles.problems import ProfileInputError
    from iscctl.profiles.runner import ImportOutcome

    try:
        inputs = plan_with_backups(input_files(files), map_source=mappings)
        rules = read_mappings(mappings_file) if mappings_file else None
    except ProfileInputError as error:
        _fail_on_input(error, output_format)
    plan = inputs.plan
    offline_reason = _offline_reason(offline, no_resolve, options) if dry_run else None
    if offline_reason is not None:
        click.echo(offline_reason, err=True)
        _show_dry_run(ImportOutcome(plan, dry_run=True), None, offline_reason, output_format)
        sys.exit(0)
    outcome = ImportOutcome(plan)
    job = _Move(
        plan_only=plan_only or dry_run,  # a dry run reads and resolves exactly as --plan
        rules=rules,
        resolve=not no_resolve,
        backups=inputs.backups,
        confirm=_confirmation(assume_yes),
        backup=None if no_backup else Path(backup_path or _default_backup_name()),
        process_after=process_after,
        chunk_size=chunk_size,
        progress=_progress(-(-len(plan.profiles) // chunk_size), output_format),
    )
    try:
        asyncio.run(job.run(outcome, options))
    except ProfileInputError as error:
        _fail_on_input(error, output_format)
    except DeletionRefused as refused:
        _usage_error(str(refused))
    except OSError as error:  # the backup could not be written: nothing was imported
        _usage_error(f"cannot write the backup ({error.strerror or error}); nothing was imported")
    except ISCError as error:
        hint = " (--offline checks the files without reading the target)" if dry_run else ""
        click.echo(f"error: {one_line(str(error))}{hint}", err=True)
        sys.exit(3 if not outcome.chunks else outcome.exit_code)
    except KeyboardInterrupt:
        _show(outcome, output_format)
        total = -(-len(plan.profiles) // chunk_size)
        click.echo(
            f"Interrupted after {len(outcome.chunks)} of {total} requests;"
            f" {len(outcome.unsent)} profiles were not sent.",
            err=True,
        )
        sys.exit(130)
    if job.move is not None and plan_only:
        _show_plan(job, output_format)
        sys.exit(0)
    if job.move is not None and dry_run:
        _show_dry_run(ImportOutcome(job.move.plan, dry_run=True), job.move, None, output_format)
        sys.exit(0)
    _show(outcome, output_format, job)
    sys.exit(job.result.exit_code if job.result is not None else outcome.exit_code)


def _offline_reason(offline: bool, no_resolve: bool, options: dict[str, Any]) -> str | None:
    """Why a dry run will not read the target (one line), or None: it reads it, as --plan."""
    if no_resolve:
        return (
            "Dry run offline (--no-resolve): the target is not read; references are shown"
            " as written, which is what an import with --no-resolve sends."
        )
    why = "--offline" if offline else None
    if why is None:
        from iscctl.cli.connection import ConfigurationProblem, settings_from_options

        try:
            settings_from_options(options)
        except ConfigurationProblem as problem:
            why = "no tenant configured: " + one_line(problem.message).split(";")[0]
    if why is None:
        return None
    return (
        f"Dry run offline ({why}): the target is not read, so references are shown as"
        " written, not resolved; --plan (or --dry-run with a tenant) shows what would be sent."
    )


class DeletionRefused(Exception):
    """A restore would delete profiles and was not confirmed: nothing was sent."""


def _confirmation(assume_yes: bool) -> Callable[[MovePlan], None]:
    """--yes, or a question on a terminal; otherwise DeletionRefused naming the flag."""

    def confirm(move: MovePlan) -> None:
        deletions = move.deletions
        count = len(deletions)
        click.echo(
            f"Restoring deletes {count} identity profile{'' if count == 1 else 's'} that the"
            " import being undone created:",
            err=True,
        )
        for deletion in deletions:
            identities = (
                f", {deletion.identity_count} identities" if deletion.identity_count else ""
            )
            click.echo(f"  {deletion.name} (id {deletion.profile_id}{identities})", err=True)
        if assume_yes:
            return
        interactive = sys.stdin is not None and sys.stdin.isatty() and sys.stderr.isatty()
        if interactive and click.confirm("Delete them?", default=False, err=True):
            return
        raise DeletionRefused(
            f"not confirmed: run again with --yes to delete {'it' if count == 1 else 'them'};"
            " nothing was deleted or imported"
        )

    return confirm


def _default_backup_name() -> str:
    from datetime import UTC, datetime

    return f"identity-profiles-backup-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"


class _Move:
    """One run: plan against the target, then (unless --plan) back up, import, read back."""

    def __init__(self, **settings: Any) -> None:
        self.settings = settings
        self.move: MovePlan | None = None
        self.result: MoveOutcome | None = None

    async def run(self, outcome: ImportOutcome, options: dict[str, Any]) -> None:
        from iscctl.profiles.moving import apply_move, plan_move

        settings = self.settings
        async with client_from_options(options) as isc:
            self.move = await plan_move(
                isc, outcome.plan, mappings=settings["rules"],
                resolve_references=settings["resolve"], backups=settings["backups"],
            )  # fmt: skip
            if settings["plan_only"]:
                return
            if self.move.deletions:
                settings["confirm"](self.move)  # raises DeletionRefused: nothing sent
            outcome.plan = self.move.plan
            progress = settings["progress"]
            self.result = await apply_move(
                isc, self.move, backup=settings["backup"], process_after=settings["process_after"],
                chunk_size=settings["chunk_size"], outcome=outcome,
                on_chunk=progress, confirm_deletions=True,
            )  # fmt: skip


def _show_plan(job: _Move, output_format: str) -> None:
    from iscctl.profiles import move_report

    assert job.move is not None
    if output_format == "json":
        document = move_report.plan_document(job.move)
        click.echo(json.dumps(document, indent=2, ensure_ascii=False, default=str))
        return
    move_report.print_plan(job.move, _console())


def _progress(total: int, output_format: str) -> Callable[[ChunkOutcome], None] | None:
    """One line on stderr per answered request, when there are several (table format)."""
    if total < 2 or output_format != "text":
        return None

    def show(chunk: ChunkOutcome) -> None:
        if chunk.error is not None:
            verdict = f"failed: {chunk.error}"
        else:
            assert chunk.result is not None
            verdict = (
                f"{len(chunk.result.imported_objects)} imported objects,"
                f" {len(chunk.result.errors)} errors"
            )
        count = len(chunk.profiles)
        click.echo(f"request {chunk.number}/{total} ({count} profiles): {verdict}", err=True)

    return show


def _show_dry_run(
    outcome: ImportOutcome, move: MovePlan | None, offline: str | None, output_format: str
) -> None:
    """A dry run: the would-import table (and what resolving rewrote, what a restore would
    delete); in JSON also ``wouldSend``, the bodies an import sends, as --plan has them."""
    from iscctl.profiles import move_report, report

    if output_format == "json":
        document = report.outcome_document(outcome)
        document.update(move_report.dry_run_document(outcome.plan, move, offline))
        click.echo(json.dumps(document, indent=2, ensure_ascii=False, default=str))
        return
    console = _console()
    if move is not None:
        move_report.print_rewrites(move, console)
        move_report.print_deletions(move, console)
    if outcome.plan.profiles:
        report.print_tables(outcome, console)
    else:  # a restore that only deletes: no table of nothing
        console.print(f"[cyan]{report.summary_line(outcome)}[/]")


def _show(outcome: ImportOutcome, output_format: str, job: _Move | None = None) -> None:
    from iscctl.profiles import report

    result = job.result if job is not None else None
    if output_format == "json":
        document = report.outcome_document(outcome)
        if result is not None:
            from iscctl.profiles import move_report

            document.update(move_report.move_document(result))
            document["exitCode"] = result.exit_code
            document["succeeded"] = result.exit_code == 0
        click.echo(json.dumps(document, indent=2, ensure_ascii=False, default=str))
        return
    console = _console()
    if job is not None and job.move is not None:
        from iscctl.profiles import move_report

        move_report.print_rewrites(job.move, console)
    if outcome.plan.profiles or job is None or job.move is None or not job.move.deletions:
        report.print_tables(outcome, console)
    if result is not None:
        from iscctl.profiles import move_report

        move_report.print_move(result, console)


def _console() -> Console:
    import os

    from rich.console import Console

    console = Console(highlight=False)
    if not console.is_terminal and not os.environ.get("COLUMNS"):
        console = Console(highlight=False, width=160)  # a log or a pipe: no terminal to fit
    return console


def _fail_on_input(error: ProfileInputError, output_format: str) -> NoReturn:
    problems = error.input_problems
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    count = len(problems)
    summary = f"{count} problem{'' if count == 1 else 's'} in the input; nothing was sent."
    click.echo(summary, err=True)
    if output_format == "json":
        document = {
            "succeeded": False,
            "exitCode": 2,
            "summary": summary,
            "problems": [{"file": p.file, "path": p.path, "message": p.message} for p in problems],
        }
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    sys.exit(2)


EXPORT_HELP = """\
Export the tenant's identity profiles in exactly the format `import` reads.

Paged at ISC's largest page (250) and deterministic: profiles sorted by name,
keys sorted, so two exports of one tenant diff cleanly in git. --name (repeatable)
exports the named profiles only (one line and exit 2 for a name the tenant does
not have); --filters passes an ISC filter expression (`priority eq 10`).

\b
Examples:
  iscctl identity-profiles export -o dev-profiles.json --env dev
  iscctl identity-profiles export --name "HR Employees" --format yaml
"""


@identity_profiles.command("export", help=EXPORT_HELP)
@click.option("--name", "names", multiple=True, metavar="NAME", help="A profile to export.")
@click.option("--filters", metavar="EXPR", help="ISC filter expression over id, name, priority.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "yaml"]),
    default="json",
    show_default=True,
)
@connection_options
def export_command(
    names: tuple[str, ...],
    filters: str | None,
    output: str | None,
    output_format: str,
    **options: Any,
) -> NoReturn:
    import asyncio

    from iscctl.errors import ISCError
    from iscctl.profiles import exporting
    from iscctl.profiles.named_export import UnknownProfileError, export_named

    async def run() -> list[dict[str, Any]]:
        async with client_from_options(options) as isc:
            return await export_named(isc, names, filters)

    try:
        objects = asyncio.run(run())
    except UnknownProfileError as error:
        _usage_error(str(error))
    except ISCError as error:
        click.echo(f"error: {one_line(str(error))}", err=True)
        sys.exit(3)
    text = exporting.render(objects, output_format)
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            _usage_error(f"{output}: cannot be written ({error.strerror or error})")
        count = len(objects)
        click.echo(
            f"Exported {count} identity profile{'' if count == 1 else 's'} to {output}.", err=True
        )
    sys.exit(0)
