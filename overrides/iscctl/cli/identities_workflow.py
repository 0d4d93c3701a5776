"""The command line of #15: `identities process --query/--filters/--retry-failed/--wait` and
`identities status JOURNAL`, over `iscctl.processing.workflow`.

`identities_command.py` (the file-based `process`) hands over to `run_selected`
when a selection option is given, and to `wait_after_run` after a file-based run
with `--wait`; everything else of the selection, the wait and the status check
lives here.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from iscctl.cli.connection import client_from_options, connection_options
from iscctl.errors import ISCError
from iscctl.exit_codes import ExitCode
from iscctl.processing.journal import JournalError
from iscctl.processing.preflight import check_reachable
from iscctl.processing.preparation import InvalidInputError
from iscctl.processing.progress import ProgressDisplay, WaitDisplay, WaitRelay
from iscctl.processing.report import ProcessReport
from iscctl.processing.stopping import send_until_stopped
from iscctl.versions import get_version

if TYPE_CHECKING:
    # The selection, status and wait modules are imported where a --query, --filters,
    # --retry-failed, --wait or `status` run uses them: a plain `identities process
    # FILE` does not pay for them at start-up (#14.12).
    from iscctl.client import AsyncClient
    from iscctl.processing.selected_run import RunSettings, SelectedJob, SelectedRun
    from iscctl.processing.selection import Selection
    from iscctl.processing.status_report import StatusReport
    from iscctl.processing.tenant_reads import TenantReads
    from iscctl.processing.waiting import WaitOptions

STATUS_BUDGET_SHARE = 0.5
"""As `iscctl.processing.workflow.STATUS_BUDGET_SHARE` (not imported: see `workflow`)."""


def workflow() -> ModuleType:
    """`iscctl.processing.workflow`, imported on first use: it loads the generated client,
    which `iscctl identities process --help` should not wait for."""
    from iscctl.processing import workflow as module

    return module


def selected_run() -> ModuleType:
    """`iscctl.processing.selected_run`, imported on first use (as `workflow`)."""
    from iscctl.processing import selected_run as module

    return module


F = TypeVar("F", bound=Callable[..., Any])
SHOWN_BATCHES = 5

_OPTIONS: list[Callable[[Any], Any]] = [
    click.option(
        "--query",
        metavar="QUERY",
        help="Process the identities an ISC search matches (index identities, "
        "Elasticsearch query-string syntax), e.g. 'attributes.department:\"Engineering\"'.",
    ),
    click.option(
        "--filters",
        metavar="EXPR",
        help="Process the identities the identities list returns for this filter "
        "(ISC filter grammar), e.g. 'processingState eq \"ERROR\"'.",
    ),
    click.option(
        "--retry-failed",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="JOURNAL",
        help="Check JOURNAL's run and process again just the identities that ended in error.",
    ),
    click.option(
        "--wait",
        is_flag=True,
        help="After the last 202, wait until every identity finished processing or ended in "
        "error, and report them (exit 4 when some ended in error).",
    ),
    click.option(
        "--wait-timeout",
        type=click.FloatRange(min=0),
        metavar="SECONDS",
        help="Stop waiting after this long (the rest is reported pending; exit 1).",
    ),
    click.option(
        "--wait-budget",
        type=click.FloatRange(min=0, max=100, min_open=True),
        default=5.0,
        show_default=True,
        metavar="PERCENT",
        help="Share of the rate limit the wait's reads may use.",
    ),
    click.option(
        "--fail-if-empty",
        is_flag=True,
        help="Exit 1 (not 0) when the query or filter matches no identity (for CI).",
    ),
]


def selection_options(function: F) -> F:
    """The #15 options of `identities process`."""
    for option in reversed(_OPTIONS):
        function = option(function)
    return function


def wants_selection(arguments: dict[str, Any]) -> bool:
    """True when the run's identities come from a query, a filter, an earlier run's failures,
    or the journal of a selected run being resumed (rather than from FILES)."""
    if arguments.get("query") is not None or arguments.get("filters") is not None:
        return True
    if arguments.get("retry_failed") is not None:
        return True
    resume: Path | None = arguments.get("resume")
    if resume is None:
        return False
    from iscctl.processing.selection_journal import read_selection, recorded_selection

    try:
        if arguments.get("files"):
            selected = recorded_selection(resume) if resume.is_file() else None
            if selected is not None:
                fail(
                    f"{resume} was selected by {selected.describe()}; its ids come from the "
                    f"journal, so resume it without FILES: iscctl identities process "
                    f"--resume {resume}"
                )
            return False
        return read_selection(resume) is not None
    except JournalError as error:
        fail(str(error))


def run_selected(arguments: dict[str, Any]) -> NoReturn:
    """`identities process` with --query, --filters, --retry-failed, or --resume of such a run."""
    selection = _selection(arguments)
    arguments["on_wait"] = WaitRelay()  # the client's waits, shown by the display of the moment
    isc = client_from_options(arguments)
    try:
        if not arguments["dry_run"]:
            get_version(isc.version).require("process")
        check_reachable(isc.base_url, float(arguments.get("timeout") or 30.0))
    except ISCError as error:
        fail(str(error), ExitCode.CANNOT_START)
    try:
        run = asyncio.run(_selected(isc, selection, arguments))
    except KeyboardInterrupt:
        fail("interrupted before anything was sent", ExitCode.INTERRUPTED)
    sys.exit(run.exit_code)


def wait_after_run(report: ProcessReport, arguments: dict[str, Any]) -> int:
    """`--wait` after a run of ids from FILES: show the run, wait, show what processing did;
    returns the exit status of the whole."""
    journal = report.journal
    text = arguments.get("output_format", "text") == "text"
    if text:
        for line in report.summary_lines():
            click.echo(line)
        if journal is not None:
            click.echo(f"journal         {journal}")
    status = None
    if journal is not None and not report.interrupted:
        isc = client_from_options(arguments)

        async def wait() -> StatusReport:
            async with isc:
                reads = workflow().TenantReads(isc.api)
                return await _wait(reads, journal, _wait_options(arguments, reads), arguments)

        status = asyncio.run(wait())
        workflow().journal_waited(journal, status)
    document = report.to_dict()
    document["verification"] = status.to_dict() if status is not None else None
    code = report.exit_code
    if status is not None:
        if status.exit_code in (ExitCode.INTERRUPTED, ExitCode.PROCESSING_ERRORS):
            code = status.exit_code
        else:
            code = code or status.exit_code
    document["exitCode"] = int(code)
    _write_json(document, arguments)
    if text and status is not None:
        _show_status(status, arguments, heading=True, json_too=False)
    if journal is not None and report.unfinished:
        click.echo(
            "to finish the work: run the same command with --resume " + str(journal), err=True
        )
    return code


# -- identities status --------------------------------------------------------------------

STATUS_HELP = """\
Check whether processing finished for every identity a run of `identities
process` got a 202 for, reading its JOURNAL (the path the run printed).

An identity has finished when its lastRefresh is later than the moment its
batch was sent, and ended in error when it then reads processingState ERROR;
the report lists each identity in error with the stage, message and retry count
of its search document's processingDetails. Batches whose task the tenant does
not track (404 at /task-status) are named, never a failure.

\b
Exit status: 0 all finished cleanly; 4 some ended in error; 1 some still
pending (or no longer in the tenant); 2 bad usage or journal; 3 nothing could
be read; 130 interrupted.
"""


@click.command("status", help=STATUS_HELP)
@click.argument("journal", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--wait", is_flag=True, help="Keep reading until every identity settled.")
@click.option(
    "--wait-timeout", type=click.FloatRange(min=0), metavar="SECONDS", help="Stop waiting then."
)
@click.option(
    "--budget",
    type=click.FloatRange(min=0, max=100, min_open=True),
    metavar="PERCENT",
    help=f"Share of the rate limit the reads may use [default: {STATUS_BUDGET_SHARE:.0%} once, "
    "5% with --wait].",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: print the machine-readable report (docs/schemas/status-report.schema.json).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the JSON report to this file.",
)
@connection_options
def status(**arguments: Any) -> None:
    journal: Path = arguments["journal"]
    arguments["on_wait"] = WaitRelay()
    isc = client_from_options(arguments)
    try:
        check_reachable(isc.base_url, float(arguments.get("timeout") or 30.0))
    except ISCError as error:
        fail(str(error), ExitCode.CANNOT_START)
    share = (arguments["budget"] or (5.0 if arguments["wait"] else STATUS_BUDGET_SHARE * 100)) / 100

    async def check() -> StatusReport:
        from iscctl.processing.waiting import WaitOptions

        async with isc:
            reads = workflow().TenantReads(isc.api)
            options = WaitOptions(
                timeout=arguments["wait_timeout"],
                budget_share=share,
                rate_limit=workflow().rate_limit_of(reads),
                single_pass=not arguments["wait"],
            )
            return await _wait(reads, journal, options, arguments)

    try:
        report = asyncio.run(check())
    except JournalError as error:
        fail(str(error))
    except ISCError as error:
        fail(str(error), ExitCode.CANNOT_START)
    _show_status(report, arguments)
    sys.exit(report.exit_code)


# -- the selected run -----------------------------------------------------------------------


def _selection(arguments: dict[str, Any]) -> Selection | None:
    from iscctl.processing.selection import Selection

    query, filters, retry = arguments["query"], arguments["filters"], arguments["retry_failed"]
    given = [name for name, value in (("--query", query), ("--filters", filters)) if value]
    if retry is not None:
        given.append("--retry-failed")
    if len(given) > 1:
        fail(f"give one of {', '.join(given)}, not several")
    if given and arguments.get("files"):
        fail(f"give FILES or {given[0]}, not both")
    if retry is not None and arguments.get("resume") is not None:
        fail("--retry-failed starts a new run; resume that run with --resume JOURNAL alone")
    for flag, text in (("--query", query), ("--filters", filters)):
        if text is not None and not text.strip():
            fail(f"{flag} is empty; give the expression to select identities by")
    if query is not None:
        return Selection("query", query)
    if filters is not None:
        return Selection("filters", filters)
    if retry is not None:
        return Selection("retry-failed", str(retry))
    return None


def _settings(arguments: dict[str, Any]) -> RunSettings:
    settings: RunSettings = selected_run().RunSettings(
        batch_size=arguments["batch_size"],
        concurrency=arguments["concurrency"],
        skip_invalid=arguments["skip_invalid"],
        journal=arguments["journal"],
        resume=arguments["resume"],
        dry_run=arguments["dry_run"],
        wait=arguments["wait"],
        fail_if_empty=arguments["fail_if_empty"],
    )
    return settings


def _wait_options(arguments: dict[str, Any], reads: TenantReads) -> WaitOptions:
    from iscctl.processing.waiting import WaitOptions

    return WaitOptions(
        timeout=arguments.get("wait_timeout"),
        budget_share=(arguments.get("wait_budget") or 5.0) / 100,
        rate_limit=workflow().rate_limit_of(reads),
    )


async def _selected(
    isc: AsyncClient, selection: Selection | None, arguments: dict[str, Any]
) -> SelectedRun:
    async with isc:
        reads = workflow().TenantReads(isc.api)
        preset: list[str] | None = None
        if selection is not None and selection.kind == "retry-failed":
            preset = await _failures_of(reads, Path(selection.text), arguments)
        try:
            job = selected_run().SelectedJob(reads, selection, _settings(arguments), preset=preset)
        except (JournalError, ValueError) as error:
            fail(str(error))
        try:
            with _selection_failures(job):
                await job.start()
            run = job.result
            if job.stream.nothing_matched:
                _nothing_matched(run, arguments)
            if arguments["dry_run"]:
                await _dry_run(job, arguments)
                sys.exit(ExitCode.OK)
            journal = job.job.journal_path()
            if journal is not None:
                click.echo(f"journal: {journal}", err=True)
            report = await _send(job, isc, arguments)
            status = None
            if arguments["wait"] and report.journal is not None and not report.interrupted:
                _show_process(run, arguments, final=False)
                options = _wait_options(arguments, reads)
                status = await _wait(reads, report.journal, options, arguments)
                workflow().journal_waited(report.journal, status)
                run.status = status
            _show_run(run, arguments)
            result: SelectedRun = run
            return result
        finally:
            job.close()


async def _failures_of(reads: TenantReads, journal: Path, arguments: dict[str, Any]) -> list[str]:
    """The identities of `journal`'s run that ended in error, checked now."""
    from iscctl.processing.waiting import WaitOptions

    options = WaitOptions(
        budget_share=STATUS_BUDGET_SHARE,
        rate_limit=workflow().rate_limit_of(reads),
        single_pass=True,
    )
    try:
        checked = await _wait(reads, journal, options, arguments, quiet=True)
    except JournalError as error:
        fail(str(error))
    errors = checked.error_ids()
    click.echo(
        f"{journal}: {checked.errors:,} of {checked.identities:,} identities ended in error, "
        f"{checked.pending:,} still pending; processing the {len(errors):,} in error again",
        err=True,
    )
    return errors


@contextlib.contextmanager
def _selection_failures(job: SelectedJob, *, sent: ProcessReport | None = None) -> Iterator[None]:
    """What stops a selection, as one line and an exit status. `sent`: the run had started
    sending (a page after the first failed), so the line says what was sent and how to
    finish; before that, nothing was."""
    label = job.selection.describe()
    try:
        yield
    except selected_run().QueryRejectedError as error:
        fail(f"{error}; {_what_was_sent(sent)}", ExitCode.BAD_INPUT)
    except InvalidInputError as error:
        fail(
            f"{error.count:,} value(s) of the selection cannot be identity ids, the first: "
            f"{error.invalid[0].message() if error.invalid else error}; {_what_was_sent(sent)}, "
            f"and no id of its page. Pass --skip-invalid to process the others{_resume(sent)}"
        )
    except JournalError as error:
        fail(str(error))
    except ISCError as error:
        if sent is None:
            fail(f"cannot select the identities ({label}): {error}", ExitCode.CANNOT_START)
        fail(
            f"the selection ({label}) stopped: {error}; {_what_was_sent(sent)}; resume to "
            f"finish{_resume(sent)}",
            ExitCode.FAILED_ITEMS,
        )


def _what_was_sent(sent: ProcessReport | None) -> str:
    if sent is None or not sent.batches:
        return "nothing was processed"
    return f"{sent.processed:,} ids were processed before it"


def _resume(sent: ProcessReport | None) -> str:
    if sent is None or sent.journal is None:
        return ""
    return f": iscctl identities process --resume {sent.journal}"


async def _dry_run(job: SelectedJob, arguments: dict[str, Any]) -> None:
    """Read and check the whole selection with a bar, then show what would be sent."""
    from iscctl.processing.progress import SelectionDisplay

    display = SelectionDisplay(job.selection.describe())
    progress = job.progress

    async def draw() -> None:
        while True:
            display.update(progress.matched, progress.total)
            await asyncio.sleep(0.2)

    with display, _selection_failures(job):
        drawing = asyncio.get_running_loop().create_task(draw())
        try:
            batches = await job.dry_run(SHOWN_BATCHES)
        finally:
            drawing.cancel()
        display.update(progress.matched, progress.total)
    _show_dry_run(job, batches, arguments)


async def _send(job: SelectedJob, isc: AsyncClient, arguments: dict[str, Any]) -> ProcessReport:
    """Send with a progress bar; a first Ctrl-C, SIGTERM or SIGHUP stops within the timeout,
    a second abandons the requests in flight (as for ids from FILES)."""
    grace = float(arguments.get("timeout") or 30.0)
    processing = job.job
    stream = job.stream
    bar = ProgressDisplay(_expected(job), lambda: isc.stats, selecting=lambda: _selecting(job))

    def advance(count: int) -> None:
        if not stream.complete:
            bar.set_total(_expected(job))
        bar.advance(count)

    with bar, _waits_shown_on(bar, arguments), _selection_failures(job, sent=processing.report):
        try:
            return await send_until_stopped(
                processing,
                grace,
                lambda: job.send(
                    lambda batch: isc.process_identities(batch),
                    lambda: isc.stats,
                    on_progress=advance,
                ),
                lambda line: click.echo(line, err=True),
            )
        finally:
            bar.set_total(processing.report.to_send)


def _expected(job: SelectedJob) -> int:
    """The ids the run will send, as far as known: those checked so far, plus the values
    the tenant's count says are still to come."""
    stream = job.stream
    to_come = 0
    if not stream.complete and stream.progress.total is not None:
        to_come = max(0, stream.progress.total - stream.matched)
    return job.job.report.to_send + to_come


def _selecting(job: SelectedJob) -> str:
    """`selected 20,000 of 100,000` while the selection is read, then ''."""
    stream = job.stream
    if stream.complete:
        return ""
    total = stream.progress.total
    return f"selected {stream.matched:,}" + (f" of {total:,}" if total is not None else "")


async def _wait(
    reads: TenantReads,
    journal: Path,
    options: WaitOptions,
    arguments: dict[str, Any],
    *,
    quiet: bool = False,
) -> StatusReport:
    """Wait (or check once) with a progress bar, or a line now and then when standard error
    is not a terminal; Ctrl-C stops waiting, never the journal."""
    waiter = workflow().waiter_for(reads, journal, options)
    display = WaitDisplay(
        len(waiter.watch),
        timeout=options.timeout,
        enabled=not quiet,
        label="checking" if options.single_pass else "waiting",
    )
    waiter.on_progress = lambda watch: display.update(watch.counts)
    with display, _waits_shown_on(display, arguments):
        display.update(waiter.watch.counts)
        with _signals(waiter.request_stop):
            await waiter.run()
    report: StatusReport = workflow().status_report(waiter, journal)
    if report.outcome.interrupted:
        click.echo(
            f"\nstopped waiting; everything is in the journal. Check later with: "
            f"iscctl identities status {journal}",
            err=True,
        )
    return report


@contextlib.contextmanager
def _waits_shown_on(
    display: WaitDisplay | ProgressDisplay, arguments: dict[str, Any]
) -> Iterator[None]:
    """The client's waits (pacer, Retry-After, backoff) shown on `display` meanwhile."""
    relay = arguments.get("on_wait")
    if not isinstance(relay, WaitRelay):
        yield
        return
    earlier, relay.target = relay.target, display.on_wait
    try:
        yield
    finally:
        relay.target = earlier


@contextlib.contextmanager
def _signals(handler: Callable[[], None]) -> Iterator[None]:
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl-C stays KeyboardInterrupt
            loop.add_signal_handler(sig, handler)
            installed.append(sig)
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


# -- output -------------------------------------------------------------------------------


def _nothing_matched(run: SelectedRun, arguments: dict[str, Any]) -> NoReturn:
    _write_json(_run_document(run), arguments)
    if arguments["output_format"] == "text" and run.selection.kind == "retry-failed":
        click.echo(f"no identity of {run.selection.text} ended in error; nothing to retry")
    elif arguments["output_format"] == "text":
        click.echo(f"no identity matches {run.selection.describe()}; nothing was sent")
    sys.exit(run.exit_code)


def _show_dry_run(job: SelectedJob, kept: list[list[str]], arguments: dict[str, Any]) -> None:
    report = job.job.report
    report.dry_run = True
    batches = [
        {"batch": number, "size": len(batch), "first": batch[0], "last": batch[-1]}
        for number, batch in enumerate(kept, start=1)
    ]
    document = _run_document(job.result)
    document["plannedBatches"] = batches
    _write_json(document, arguments)
    if arguments["output_format"] != "text":
        return
    run = job.result
    total = f" (the tenant counts {run.total:,})" if run.total is not None else ""
    click.echo(f"{run.matched:,} identities match {run.selection.describe()}{total}")
    for batch in batches:
        first, last = batch["first"], batch["last"]
        click.echo(f"batch {batch['batch']:>6}: {batch['size']:>3} ids  {first} .. {last}")
    count = -(-report.to_send // job.settings.batch_size)
    if count > len(batches):
        click.echo(f"... {count - len(batches):,} more batch(es)")
    click.echo(f"dry run: {count:,} batch(es), {report.to_send:,} ids; nothing sent")


def _show_process(run: SelectedRun, arguments: dict[str, Any], *, final: bool = True) -> None:
    if arguments["output_format"] != "text":
        return
    source = "from the journal" if run.resumed_selection else "from the tenant"
    if run.selection.kind == "retry-failed":
        source = "the identities in error there"
    click.echo(f"selected {run.matched:,} identities by {run.selection.describe()} ({source})")
    if not run.complete:
        of = f" of the {run.total:,} the tenant counts" if run.total is not None else ""
        click.echo(
            f"the run stopped before its selection ended ({run.matched:,}{of} read); "
            "resuming reads the rest from the tenant"
        )
    report = run.process
    for rejected in report.rejected[:20]:
        code = f" {rejected.detail_code}" if rejected.detail_code else ""
        click.echo(f"rejected {rejected.id}: {rejected.status}{code}: {rejected.message}")
    for line in report.summary_lines():
        click.echo(line)
    if report.journal is not None:
        click.echo(f"journal         {report.journal}")


def _show_run(run: SelectedRun, arguments: dict[str, Any]) -> None:
    _write_json(_run_document(run), arguments)
    if arguments["output_format"] != "text":
        return
    if run.status is None:
        _show_process(run, arguments)
    else:
        _show_status(run.status, arguments, heading=True, json_too=False)
    report = run.process
    unfinished = report.unfinished or not run.complete
    if report.exit_code != 0 and report.journal is not None and unfinished:
        click.echo(
            f"to finish the work: iscctl identities process --resume {report.journal}", err=True
        )


def _show_status(
    report: StatusReport,
    arguments: dict[str, Any],
    *,
    heading: bool = False,
    json_too: bool = True,
) -> None:
    if json_too:
        _write_json(report.to_dict(), arguments)
    if arguments.get("output_format", "text") != "text":
        return
    if heading:
        click.echo("processing:")
    for line in report.summary_lines():
        click.echo(line)
    if report.pending and report.journal is not None and not report.outcome.interrupted:
        click.echo(f"check again later: iscctl identities status {report.journal}", err=True)
    if report.errors and report.journal is not None:
        click.echo(
            f"process the ones in error again: iscctl identities process --retry-failed "
            f"{report.journal}",
            err=True,
        )


def _run_document(run: SelectedRun) -> dict[str, Any]:
    document = run.process.to_dict()
    document["selection"] = run.selection_dict()
    document["verification"] = run.status.to_dict() if run.status is not None else None
    document["exitCode"] = int(run.exit_code)
    return document


def _write_json(document: dict[str, Any], arguments: dict[str, Any]) -> None:
    output: Path | None = arguments.get("output")
    text = json.dumps(document, indent=2, ensure_ascii=False)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text + "\n", encoding="utf-8")
    if arguments.get("output_format") == "json":
        click.echo(text)


def fail(message: str, status: int = ExitCode.BAD_INPUT) -> NoReturn:
    """One line on standard error, then exit (2 unless told otherwise)."""
    click.echo(f"error: {message}", err=True)
    sys.exit(status)
