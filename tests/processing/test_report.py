"""The machine-readable result and the exit code."""

from __future__ import annotations

import io
import json

from iscctl.processing.report import BatchResult, ProcessReport, RejectedId
from iscctl.processing.validation import InvalidId, Location


def sample() -> ProcessReport:
    return ProcessReport(
        inputs=["ids.txt"],
        read=503,
        invalid_count=1,
        invalid=[InvalidId(Location("ids.txt", 9), "a b", "contains whitespace")],
        duplicates=2,
        to_send=500,
        processed=499,
        rejected=[RejectedId("f" * 32, 404, "404 Not found", "Identity ids not found: fff")],
        batches=[BatchResult(1, 250, "accepted", "t1", 202), BatchResult(2, 250, "rejected")],
    )


def test_streamed_json_is_the_same_document_as_to_dict() -> None:
    report = sample()
    out = io.StringIO()
    report.write_json(out, {"extra": iter([{"a": 1}])})
    assert json.loads(out.getvalue()) == {**report.to_dict(), "extra": [{"a": 1}]}


def test_empty_lists_are_valid_json() -> None:
    out = io.StringIO()
    ProcessReport().write_json(out)
    assert json.loads(out.getvalue())["batches"] == []


def test_exit_code_is_1_when_an_id_was_rejected_or_skipped_and_130_when_interrupted() -> None:
    assert sample().exit_code == 1
    assert ProcessReport(read=5, to_send=5, processed=5).exit_code == 0
    assert ProcessReport(read=6, invalid_count=1, processed=5).exit_code == 1
    assert ProcessReport(read=5, processed=2, interrupted=True).exit_code == 130


def test_text_summary_fits_80_columns_names_task_ids_and_says_404_once() -> None:
    report = sample()
    report.batches += [BatchResult(n, 250, "accepted", f"{n:032x}", 202) for n in range(3, 9)]
    report.fatal_error = "a long reason " * 12
    lines = report.summary_lines()
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    assert "  task ids      t1" in lines
    assert f"                {3:032x}" in lines
    assert "                (4 more: --output FILE, or the journal)" in lines
    assert any("x 404 Not found: Identity ids not found" in line for line in lines)
    assert not any("404 404" in line for line in lines)
    assert "processed              499 in 7 batches" in lines
