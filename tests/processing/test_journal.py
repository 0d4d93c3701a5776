"""The journal: what is written, what resume trusts, and how torn lines are handled."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from iscctl.processing.journal import (
    JOURNAL_FORMAT,
    JournalError,
    JournalWriter,
    default_journal_path,
    replay_journal,
)


def header() -> dict[str, object]:
    return {"type": "header", "journal_format": JOURNAL_FORMAT}


def write(path: Path, *records: dict[str, object]) -> None:
    journal = JournalWriter(path)
    for record in records:
        journal.write(record)
    journal.close()


def test_only_ids_of_batches_with_a_202_count_as_done(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    write(
        path,
        header(),
        {"type": "sending", "batch": 1, "ids": ["a", "b"]},
        {"type": "sending", "batch": 2, "ids": ["c"]},
        {"type": "sending", "batch": 3, "ids": ["d"]},
        {"type": "accepted", "batch": 1, "task_id": "t1"},
        {"type": "failed", "batch": 2, "error": "ServerError"},
    )
    replay, accepted = replay_journal(path)
    assert sorted(accepted) == ["a", "b"]
    assert (replay.accepted_batches, replay.unknown_batches, replay.last_batch) == (1, [3], 3)


def test_every_record_is_one_json_line_with_type_and_time(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    write(path, header(), {"type": "sending", "batch": 1, "ids": ["a"]})
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(r["type"], "at" in r) for r in records] == [("header", True), ("sending", True)]


def test_a_line_torn_by_a_kill_is_skipped_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    write(path, header(), {"type": "sending", "batch": 1, "ids": ["a"]})
    with path.open("ab") as file:
        file.write(b'{"type": "accepted", "ba')  # killed mid-write
    write(path, {"type": "sending", "batch": 2, "ids": ["b"]}, {"type": "accepted", "batch": 2})
    replay, accepted = replay_journal(path)
    assert list(accepted) == ["b"]
    assert replay.torn_lines == [3]


def test_a_file_that_is_not_a_journal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_text("2c9180835d2e5168015d32f890ca1581\n", encoding="utf-8")
    _, accepted = replay_journal(path)
    with pytest.raises(JournalError, match=r"ids.txt:1: .*not an iscctl journal"):
        list(accepted)


def test_missing_journal_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="no such journal file"):
        replay_journal(tmp_path / "nope.jsonl")


def test_default_place_is_under_the_state_dir_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ISCCTL_STATE_DIR", str(tmp_path))
    path = default_journal_path()
    assert path.parent == tmp_path / "journals"
    assert path.name.startswith("process-") and path.suffix == ".jsonl"
