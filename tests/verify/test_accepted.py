"""Reading the accepted batches back from a journal (no HTTP)."""

from __future__ import annotations

from pathlib import Path

import pytest
from iscctl.processing.accepted import parse_time, read_accepted
from iscctl.processing.journal import JournalError, JournalWriter


def write(path: Path, *records: dict[str, object]) -> None:
    writer = JournalWriter(path, fsync=False)
    for record in records:
        writer.write(record)
    writer.close()


def test_only_batches_with_a_202_are_waited_for(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    write(
        path,
        {"type": "header", "journal_format": 1, "base_url": "http://x", "api_version": "v2025"},
        {"type": "sending", "batch": 1, "ids": ["a", "b"]},
        {"type": "accepted", "batch": 1, "status": 202, "task_id": "t1"},
        {"type": "sending", "batch": 2, "ids": ["c"]},
        {"type": "rejected", "batch": 2, "status": 404},
        {"type": "sending", "batch": 3, "ids": ["d", "e"]},
        {"type": "accepted", "batch": 3, "status": 202, "taskId": "t3"},
        {"type": "sending", "batch": 4, "ids": ["f"]},
    )
    run = read_accepted(path)
    assert [(b.number, b.size, b.task_id) for b in run.batches] == [(1, 2, "t1"), (3, 2, "t3")]
    assert [e.id for e in run.expectations] == ["a", "b", "d", "e"]
    assert run.unanswered == 1
    assert (run.base_url, run.api_version) == ("http://x", "v2025")
    assert all(b.sent_at <= b.accepted_at for b in run.batches if b.accepted_at)


def test_a_file_that_is_not_a_journal_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_text("2c9180835d191a86015d28455b4b232a\n")
    with pytest.raises(JournalError):
        read_accepted(path)
    with pytest.raises(JournalError, match="no such journal"):
        read_accepted(tmp_path / "nope.jsonl")


def test_timestamps_of_isc_and_of_the_journal_compare_in_utc() -> None:
    zulu = parse_time("2026-12-01T14:00:00.123Z")
    offset = parse_time("2026-12-01T15:00:00.123+01:00")
    assert zulu == offset
    assert parse_time("yesterday") is None
