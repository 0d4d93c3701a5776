"""`iscctl identities process`: the command line over `iscctl.processing`."""

from __future__ import annotations

import asyncio
import shlex
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from iscctl.cli import identities_workflow as workflow_cli
from iscctl.cli.connection import RATE_LIMIT_OFF, client_from_options, connection_options
from iscctl.errors import ISCError
from iscctl.exit_codes import ExitCode
from iscctl.logs import redact_url
from iscctl.processing.inputs import InputFormat, display_name, read_ids
from iscctl.processing.job import ProcessingJob, ProcessOptions
from iscctl.processing.ownership import os_reason
from iscctl.processing.preflight import check_reachable
from iscctl.processing.preparation import InvalidInputError
from iscctl.processing.presentation import TENANT_LIMIT, dry_run_lines, fit
from iscctl.processing.progress import ProgressDisplay, WaitRelay
from iscctl.processing.report import ProcessReport, status_and_code
from iscctl.processing.runner import DEFAULT_CONCURRENCY
from iscctl.processing.stopping import send_until_stopped, stop_signals_interrupt
from iscctl.versions import get_version

if TYPE_CHECKING:
    from iscctl.client import AsyncClient

MAX_SHOWN = 20
"""Bad values and rejected ids printed on the terminal; --output has them all."""

PROCESS_HELP = """\
Reprocess identities: recalculate their attributes from the authoritative
sources and transforms, reassign roles and access profiles, re-correlate
managers and trigger the provisioning that follows from it.

The platform already processes every identity twice a day; use this after a
change (a transform, a role, a source) that should not wait for that.

Ids come from FILES (`-` or no file: standard input), as one id per line
(blank lines and # comments ignored), a CSV column chosen with --column, or a
JSON array (of ids, or of objects with --column naming the field). Every value
is checked before anything is sent: a value that cannot be an id stops the run
with its file and line (--skip-invalid reports and skips it). Duplicates are
sent once.

Ids go out in batches of up to 250, several at a time, paced under the
tenant's rate limit (100 requests per 10 s per client id and API version, so
at most 2,500 ids per second); 429s and 5xx answers are retried. A batch the
tenant refuses because of some of its ids (400/404) is split until only the bad
ids are left: the rest are processed, the bad ones reported with the tenant's
detailCode and message.

\b
Journal and resume: every run writes a journal (JSON lines, flushed and
fsync'd per batch) to --journal FILE or, by default, to
  <user state dir>/iscctl/journals/process-<UTC time>.jsonl
(the folder is $ISCCTL_STATE_DIR/journals when that variable is set); its path
is printed at the start. After a crash, kill or Ctrl-C, run the same command
with --resume JOURNAL: it reads the same input again and sends only the ids
without a recorded 202. One process at a time owns a journal: a second run on it
is refused. Ctrl-C (or SIGTERM, SIGHUP) stops sending and gives the requests in
flight up to --timeout to finish; a second Ctrl-C abandons them at once (they
are sent again on resume).

\b
Exit status: 0 every id processed; 1 some ids rejected, failed, or skipped as
invalid; 2 bad usage or bad input (nothing sent); 3 cannot start (credentials
refused, tenant unreachable, no process operation in this API version; nothing
sent, resuming cannot help); 130 interrupted.
"""

PROCESS_EPILOG = """\
\b
Examples:
  iscctl identities process ids.txt
  iscctl identities process export.csv --column id --journal run.jsonl
  some-report | iscctl identities process --format json > result.json
  iscctl identities process ids.txt --dry-run
  iscctl identities process ids.txt --resume run.jsonl
  iscctl identities process --query 'attributes.department:"Engineering"' --wait
  iscctl identities process --filters 'processingState eq "ERROR"' --dry-run
  iscctl identities status run.jsonl
  iscctl identities process --retry-failed run.jsonl --wait

\b
With --wait (and for `identities status`) the exit status is 4 when the tenant
accepted every batch but processing ended in error for some identities; see
docs/processing.md, "The whole job".
"""


@click.group()
def identities() -> None:
    """Work with identities."""


@identities.command("process", help=PROCESS_HELP, epilog=PROCESS_EPILOG)
@click.argument("files", nargs=-1, metavar="[FILES]...")
@click.option("--column", metavar="NAME", help="The CSV column (or JSON field) holding the ids.")
@click.option(
    "--input-format",
    type=click.Choice(["auto", "lines", "csv", "json"]),
    default="auto",
    show_default=True,
    help="How to read FILES; auto: JSON if it starts with '[', CSV if .csv or --column.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1, 250),
    default=250,
    show_default=True,
    help="Ids per request.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=DEFAULT_CONCURRENCY,
    show_default=True,
    help="Requests in flight at once; raise it when a round trip takes more than 0.4 s.",
)
@click.option("--skip-invalid", is_flag=True, help="Report values that cannot be ids and go on.")
@click.option(
    "--journal",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the journal here (default: see above).",
)
@click.option(
    "--resume",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="JOURNAL",
    help="Skip the ids that got a 202 in this journal; appends to it.",
)
@click.option(
    "--max-wait",
    type=click.FloatRange(min=0),
    default=1200.0,
    show_default=True,
    metavar="SECONDS",
    help="Longest Retry-After to wait (ISC escalates a client that keeps exceeding its "
    "limit to 60, 300, 600 and 1,200 s); a longer one fails the request, naming this option.",
)
@click.option(
    "--allow-missing",
    is_flag=True,
    help="With --resume: finish only the ids of this input, even though the journal planned "
    "others it never finished (they are counted, not sent).",
)
@click.option(
    "--dry-run", is_flag=True, help="Read and check everything, show the batches, send nothing."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: print the machine-readable result instead of the summary.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the machine-readable result (JSON) to this file.",
)
@workflow_cli.selection_options
@connection_options
def process(**arguments: Any) -> None:
    if workflow_cli.wants_selection(arguments):  # --query, --filters, --retry-failed (#15)
        workflow_cli.run_selected(arguments)
    files: tuple[str, ...] = arguments["files"] or ("-",)
    if "-" in files and (sys.stdin is None or sys.stdin.isatty()):
        closed = sys.stdin is None
        fail(
            "standard input is closed; give FILES"
            if closed
            else "no input: give FILES, or pipe ids into standard input"
        )
    arguments["files"] = files
    options = _options(arguments)
    waits = arguments["on_wait"] = WaitRelay()
    isc = None if arguments["dry_run"] else client_from_options(arguments)
    if isc is not None:
        _check_can_start(isc, arguments)
    with stop_signals_interrupt():
        try:
            job = ProcessingJob(options, inputs=[display_name(p) for p in files], **_where(isc))
        except ISCError as error:  # the state folder cannot hold the scratch files
            fail(str(error))
        except KeyboardInterrupt:
            fail("interrupted before reading the input; nothing was sent", 130)
        with job:
            try:
                _check_outputs(job, arguments)
                _prepare(job, arguments)
            except KeyboardInterrupt:
                fail("interrupted while reading the input; nothing was sent", 130)
            _nothing_to_read(job, arguments)
            if isc is None:
                _show_dry_run(job, arguments)
                sys.exit(0)
            journal = job.journal_path()
            if journal is not None:
                click.echo(f"journal: {journal}", err=True)
            report = asyncio.run(_send(job, isc, arguments, waits))
            if arguments["wait"] and not report.cannot_start:  # #15: wait, then report both
                sys.exit(workflow_cli.wait_after_run(report, arguments))
            _finish(report, arguments)


def _check_can_start(isc: AsyncClient, arguments: dict[str, Any]) -> None:
    """Exit 3 (CANNOT_START) at once for what no batch could get past: this API version
    has no process operation, or the tenant's host does not resolve or refuses connections."""
    try:
        get_version(isc.version).require("process")
        check_reachable(isc.base_url, float(arguments.get("timeout") or 30.0))
    except ISCError as error:
        fail(str(error), ExitCode.CANNOT_START)


def _finish(report: ProcessReport, arguments: dict[str, Any]) -> NoReturn:
    """Outputs, summary, the resume command when it can help, and the exit status."""
    try:
        _write_outputs(report, arguments)
    except OSError as error:
        click.echo(f"error: cannot write the result: {error.strerror or error}", err=True)
    if report.cannot_start:
        fail(f"cannot start: {report.fatal_error}", ExitCode.CANNOT_START)
    _show_report(report, arguments)
    if report.exit_code != 0 and report.journal is not None and report.unfinished:
        click.echo(f"to finish the work: {resume_command(arguments, report.journal)}", err=True)
    sys.exit(report.exit_code)


def _options(arguments: dict[str, Any]) -> ProcessOptions:
    if arguments["allow_missing"] and arguments["resume"] is None:
        fail("--allow-missing only means something with --resume JOURNAL")
    return ProcessOptions(
        batch_size=arguments["batch_size"],
        concurrency=arguments["concurrency"],
        skip_invalid=arguments["skip_invalid"],
        journal=arguments["journal"],
        resume=arguments["resume"],
        write_journal=not arguments["dry_run"],
        allow_missing=arguments["allow_missing"],
    )


def _check_outputs(job: ProcessingJob, arguments: dict[str, Any]) -> None:
    """Before anything is read or sent: --output must be writable and must not be a journal."""
    output: Path | None = arguments["output"]
    if output is None:
        return
    for label, journal in (("--resume", arguments["resume"]), ("--journal", job.journal_path())):
        if journal is not None and _same_path(output, journal):
            fail(
                f"--output {output} is the journal ({label}); the result would overwrite it. "
                "Choose another --output file"
            )
    try:
        ensure_writable(output)
    except OSError as error:
        reason = os_reason(output, error)
        fail(f"--output {output}: cannot write there ({reason}); choose another file")


def _same_path(one: Path, other: Path) -> bool:
    return one.resolve() == other.resolve() or (
        one.exists() and other.exists() and one.samefile(other)
    )


def ensure_writable(path: Path) -> None:
    """Raise OSError unless `path` can be written, leaving no trace when it did not exist."""
    existed = path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8"):
        pass
    if not existed:
        path.unlink()


def _where(isc: AsyncClient | None) -> dict[str, str]:
    if isc is None:
        return {}
    return {
        "base_url": str(getattr(isc, "base_url", "") or ""),
        "api_version": str(getattr(isc, "version", "") or ""),
    }


def _prepare(job: ProcessingJob, arguments: dict[str, Any]) -> None:
    """Read the resumed journal and the whole input; exit 2 on any problem."""
    try:
        replay = job.load_resume()
        items = read_ids(
            arguments["files"], input_format=arguments["input_format"], column=arguments["column"]
        )
        preparation = job.prepare(items)
    except InvalidInputError as error:
        for invalid in error.invalid[:MAX_SHOWN]:
            click.echo(f"error: {invalid.message()}", err=True)
        more = error.count - min(len(error.invalid), MAX_SHOWN)
        tail = f" ({more:,} more not shown)" if more else ""
        fail(
            f"{error.count:,} value(s) cannot be identity ids{tail}; nothing was sent. "
            "Fix them, or pass --skip-invalid to skip them"
        )
    except ISCError as error:  # InputError, JournalError, ShortInputError
        fail(str(error))
    for invalid in preparation.invalid[:MAX_SHOWN]:
        click.echo(f"skipped: {invalid.message()}", err=True)
    if replay is not None:
        click.echo(
            f"resuming {arguments['resume']}: {preparation.already_processed:,} ids already "
            f"processed, {preparation.to_send:,} to send "
            f"({len(replay.unknown_batches)} batch(es) had no answer recorded and are sent again)",
            err=True,
        )
        if replay.torn_lines:
            click.echo(f"note: ignored {len(replay.torn_lines)} torn journal line(s)", err=True)
        if replay.ambiguous_batches:
            click.echo(
                f"note: {replay.ambiguous_batches} batch number(s) were written by two runs at "
                "once (an older iscctl); their ids are sent again",
                err=True,
            )
        if job.report.missing_from_input:
            click.echo(
                f"warning: {job.report.missing_from_input:,} id(s) the journal planned are not "
                "in this input and stay unfinished (--allow-missing)",
                err=True,
            )
        if job.input_changed():
            click.echo(
                "warning: the input differs from the journal's run; "
                "ids with a recorded 202 are still skipped",
                err=True,
            )


async def _send(
    job: ProcessingJob, isc: AsyncClient, arguments: dict[str, Any], waits: WaitRelay
) -> ProcessReport:
    """Send with a progress bar; a first Ctrl-C, SIGTERM or SIGHUP stops cleanly within the
    timeout, a second abandons the requests in flight at once."""
    grace = float(arguments.get("timeout") or 30.0)
    async with isc:
        with ProgressDisplay(job.report.to_send, lambda: isc.stats) as bar:
            waits.target = bar.on_wait
            return await send_until_stopped(
                job,
                grace,
                lambda: job.send(
                    lambda batch: isc.process_identities(batch),
                    lambda: isc.stats,
                    on_progress=bar.advance,
                ),
                lambda line: click.echo(line, err=True),
            )


def _show_dry_run(job: ProcessingJob, arguments: dict[str, Any]) -> None:
    """A summary, the first and last batches and the time the run would take (all the
    batches are in the JSON result)."""
    report = job.report
    report.dry_run = True
    if arguments["output_format"] == "text":
        for line in dry_run_lines(job.batches(), report.to_send, _pacing(arguments)):
            click.echo(line)

    def planned() -> dict[str, Iterator[dict[str, Any]]]:
        batches = enumerate(job.batches(), start=1)
        return {
            "plannedBatches": (
                {"batch": n, "size": len(b), "first": b[0], "last": b[-1]} for n, b in batches
            )
        }

    _write_outputs(report, arguments, planned)


def _pacing(arguments: dict[str, Any]) -> tuple[int, float] | None:
    """The client's pacing as the options ask: None when `--rate-limit off`."""
    rate_limit = arguments.get("rate_limit")
    if rate_limit == RATE_LIMIT_OFF:
        return None
    return rate_limit if isinstance(rate_limit, tuple) else TENANT_LIMIT


def _nothing_to_read(job: ProcessingJob, arguments: dict[str, Any]) -> None:
    """An input without a single value: a warning and exit 0, not a run of nothing."""
    if job.report.read or job.replay is not None:
        return
    names = ", ".join(job.report.inputs)
    click.echo(f"warning: no ids in the input ({names}); nothing to do", err=True)
    _write_outputs(job.report, arguments)
    sys.exit(ExitCode.OK)


def _show_report(report: ProcessReport, arguments: dict[str, Any]) -> None:
    if arguments["output_format"] == "json":
        return
    for rejected in report.rejected[:MAX_SHOWN]:
        status = status_and_code(rejected.status, rejected.detail_code)
        click.echo(fit(f"rejected {rejected.id}: {status}: {rejected.message}"))
    if len(report.rejected) > MAX_SHOWN:
        click.echo(f"... {len(report.rejected) - MAX_SHOWN:,} more rejected ids (see --output)")
    for line in report.summary_lines():
        click.echo(line)
    if report.journal is not None:
        click.echo(f"journal         {report.journal}")


def _write_outputs(
    report: ProcessReport,
    arguments: dict[str, Any],
    extra: Callable[[], dict[str, Iterator[dict[str, Any]]]] | None = None,
) -> None:
    """--output FILE and --format json: the machine-readable result, streamed."""
    output: Path | None = arguments["output"]
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("w", encoding="utf-8") as file:
            report.write_json(file, extra() if extra else None)
    if arguments["output_format"] == "json":
        report.write_json(sys.stdout, extra() if extra else None)


def fail(message: str, status: int = 2) -> NoReturn:
    """Print a one-line error and exit (2: bad usage or input, nothing was sent)."""
    click.echo(f"error: {message}", err=True)
    sys.exit(status)


def resume_command(arguments: dict[str, Any], journal: Path) -> str:
    """The command that resumes this run.

    The options that chose the tenant and version are repeated, so that a run started
    with `-e prod` or `--base-url` resumes against the same tenant; credentials are
    not (they come from the same sources as before, and must never be printed).
    """
    words = ["iscctl", "identities", "process", *arguments["files"]]
    if arguments.get("environment"):
        words += ["--env", arguments["environment"]]
    if arguments.get("base_url"):
        words += ["--base-url", redact_url(arguments["base_url"])]
    if arguments.get("api_version"):
        words += ["--api-version", arguments["api_version"]]
    for host in arguments.get("allow_http_hosts") or ():
        words += ["--allow-http-host", host]
    if arguments.get("column"):
        words += ["--column", arguments["column"]]
    fmt: InputFormat = arguments.get("input_format") or "auto"
    if fmt != "auto":
        words += ["--input-format", fmt]
    if arguments.get("batch_size", 250) != 250:
        words += ["--batch-size", str(arguments["batch_size"])]
    if arguments.get("skip_invalid"):
        words.append("--skip-invalid")
    return shlex.join([*words, "--resume", str(journal)])


identities.add_command(workflow_cli.status)
