"""`iscctl identity-profiles import`: the command line over `iscctl.profiles`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

import click

from iscctl.cli.connection import client_from_options, connection_options
from iscctl.profiles.transform import SourceMapping

STDIN = "-"

if TYPE_CHECKING:  # the rest loads pydantic and the generated models: only when run
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

Profiles are sent in chunks of --chunk-size, one request after another; a
request that fails after retries marks its profiles "request failed" and the
others still go. The tenant's verdict on each profile is shown: imported,
rejected (named in the reply's errors), request failed, or no verdict; then
the reply's errors, warnings, infos and importedObjects.

\b
Exit status: 0 every request answered and no errors in the replies;
1 the tenant reported errors (a 200 with per-object errors) or a request
failed; 2 bad usage or bad input (nothing sent); 130 interrupted (the
verdicts so far are shown; importing again updates, by name, what was
already imported).
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
    "transforms); send nothing. Needs no credentials.",
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
@connection_options
def import_command(
    files: tuple[str, ...],
    dry_run: bool,
    mappings: list[SourceMapping],
    chunk_size: int,
    output_format: str,
    **options: Any,
) -> NoReturn:
    import asyncio

    from iscctl.profiles.plan import plan_import
    from iscctl.profiles.problems import ProfileInputError
    from iscctl.profiles.runner import ImportOutcome

    try:
        plan = plan_import(input_files(files), map_source=mappings)
    except ProfileInputError as error:
        _fail_on_input(error, output_format)
    if dry_run:
        _show(ImportOutcome(plan, dry_run=True), output_format)
        sys.exit(0)
    outcome = ImportOutcome(plan)
    total = -(-len(plan.profiles) // chunk_size)
    try:
        asyncio.run(_send(outcome, chunk_size, options, _progress(total, output_format)))
    except KeyboardInterrupt:
        _show(outcome, output_format)
        click.echo(
            f"Interrupted after {len(outcome.chunks)} of {total} requests;"
            f" {len(outcome.unsent)} profiles were not sent.",
            err=True,
        )
        sys.exit(130)
    _show(outcome, output_format)
    sys.exit(outcome.exit_code)


async def _send(
    outcome: ImportOutcome,
    chunk_size: int,
    options: dict[str, Any],
    progress: Callable[[ChunkOutcome], None] | None,
) -> None:
    """Fill ``outcome`` chunk by chunk, so that it holds what was done if interrupted."""
    from iscctl.profiles.runner import import_profiles_async

    def record(chunk: ChunkOutcome) -> None:
        outcome.chunks.append(chunk)
        if progress is not None:
            progress(chunk)

    async with client_from_options(options) as isc:
        await import_profiles_async(isc, outcome.plan, chunk_size=chunk_size, on_chunk=record)


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


def _show(outcome: ImportOutcome, output_format: str) -> None:
    from iscctl.profiles import report

    if output_format == "json":
        report.write_json(outcome, sys.stdout)
        return
    import os

    from rich.console import Console

    console = Console(highlight=False)
    if not console.is_terminal and not os.environ.get("COLUMNS"):
        console = Console(highlight=False, width=160)  # a log or a pipe: no terminal to fit
    report.print_tables(outcome, console)


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
