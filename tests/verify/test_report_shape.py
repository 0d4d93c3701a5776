"""The status report's JSON form matches docs/schemas/status-report.schema.json (no HTTP)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
from iscctl.exit_codes import ExitCode
from iscctl.processing.accepted import AcceptedBatch
from iscctl.processing.status_report import StatusReport
from iscctl.processing.verification import Expectation, ProcessingDetails, Reading, WatchList
from iscctl.processing.waiting import BatchWatch, TaskReading, WaitOutcome

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "docs" / "schemas" / "status-report.schema.json").read_text()
)
SENT = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)


def report_with(*, errors: int, pending: int, interrupted: bool = False) -> StatusReport:
    ids = [f"id{n}" for n in range(10)]
    watch = WatchList.of(Expectation(identity, 1 + n // 5, SENT) for n, identity in enumerate(ids))
    later = SENT + timedelta(seconds=2)
    for n, identity in enumerate(ids[pending:]):
        watch.observe(Reading(identity, later, "ERROR" if n < errors else "OK"))
        if n < errors:
            watch.explain(identity, ProcessingDetails("PROVISIONING", "target down", 2, later))
    batches = [
        BatchWatch(AcceptedBatch(1, 5, "t1", SENT, later), "polled", TaskReading("SUCCESS", 100)),
        BatchWatch(AcceptedBatch(2, 5, "t2", SENT, later), "notTracked"),
    ]
    return StatusReport(Path("run.jsonl"), watch, batches, WaitOutcome(interrupted=interrupted))


def test_a_report_with_errors_and_pending_identities_matches_the_schema() -> None:
    report = report_with(errors=2, pending=3)
    document = report.to_dict()
    jsonschema.validate(document, SCHEMA)
    assert document["counts"] == {
        "identities": 10,
        "finished": 5,
        "error": 2,
        "pending": 3,
        "missing": 0,
        "unanswered": 0,
    }
    assert document["errors"][0]["processingDetails"] == {
        "stage": "PROVISIONING",
        "message": "target down",
        "retryCount": 2,
        "date": "2026-12-01T14:00:02Z",
    }
    assert document["batches"][1]["task"]["state"] == "notTracked"


def test_errors_win_over_pending_in_the_exit_status_and_an_interrupt_wins_over_both() -> None:
    assert report_with(errors=2, pending=3).exit_code == ExitCode.PROCESSING_ERRORS
    assert report_with(errors=0, pending=3).exit_code == ExitCode.FAILED_ITEMS
    assert report_with(errors=0, pending=0).exit_code == ExitCode.OK
    assert report_with(errors=2, pending=0, interrupted=True).exit_code == ExitCode.INTERRUPTED


def test_the_text_summary_names_each_identity_in_error_with_its_stage() -> None:
    lines = report_with(errors=2, pending=0).summary_lines()
    assert "error id0: PROVISIONING: target down (retried 2x)" in lines
    assert any("task t2 not tracked" in line for line in lines)


def test_a_long_message_wraps_within_80_columns_and_is_kept_whole() -> None:
    report = report_with(errors=1, pending=0)
    message = "Failed to promote identity attribute 'department': " + "no value " * 20
    identity, watched = next(report.watch.in_state("error"))
    watched.details = ProcessingDetails("Attribute Promotion", message.strip(), 0, SENT)
    lines = report.summary_lines()
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    first = next(n for n, line in enumerate(lines) if line.startswith(f"error {identity}: "))
    shown = " ".join(line.strip() for line in lines[first : first + 5])
    assert message.strip() in shown
