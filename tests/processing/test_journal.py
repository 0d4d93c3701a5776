"""The journal: what is written, what resume trusts, and how torn lines are handled."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from iscctl.processing.journal import (
    JOURNAL_FORMAT,
    JournalError,
    JournalReplay,
    JournalWriter,
    default_journal_path,
    replay_journal,
)


def header() -> dict[str, object]:
    return {"type": "header", "journalFormat": JOURNAL_FORMAT}


def write(path: Path, *records: dict[str, object], run_id: str | None = None) -> None:
    journal = JournalWriter(path, run_id=run_id)
    for record in records:
        journal.write(record)
    journal.close()


def write_raw(path: Path, *records: dict[str, object]) -> None:
    """Records exactly as given (a format-1 journal had no run id and snake_case keys)."""
    with path.open("a", encoding="utf-8") as file:
        for record in records:
            file.write(json.dumps(record) + "\n")


def replayed(path: Path) -> tuple[JournalReplay, dict[str, list[str]]]:
    replay, events = replay_journal(path)
    found: dict[str, list[str]] = {"done": [], "planned": [], "refused": []}
    for kind, ids in events:
        found[kind] += ids
    return replay, found


def test_only_ids_of_batches_with_a_202_count_as_done(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    write(
        path,
        header(),
        {"type": "sending", "batch": 1, "ids": ["a", "b"]},
        {"type": "sending", "batch": 2, "ids": ["c"]},
        {"type": "sending", "batch": 3, "ids": ["d"]},
        {"type": "accepted", "batch": 1, "taskId": "t1"},
        {"type": "failed", "batch": 2, "error": "ServerError"},
    )
    replay, found = replayed(path)
    assert sorted(found["done"]) == ["a", "b"]
    assert sorted(found["planned"]) == ["a", "b", "c", "d"]
    assert (replay.accepted_batches, replay.unknown_batches, replay.last_batch) == (1, [3], 3)


def test_every_record_carries_the_run_id_and_camel_case_keys(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    write(path, header(), {"type": "accepted", "batch": 1, "taskId": "t"}, run_id="r1")
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert {r["runId"] for r in records} == {"r1"}
    assert all("_" not in key for r in records for key in r)


def test_an_outcome_is_credited_only_to_the_sending_of_its_own_run(tmp_path: Path) -> None:
    """Two processes on one journal (an iscctl without the lock): same batch numbers, each
    outcome still goes to its own run's ids."""
    path = tmp_path / "run.jsonl"
    write(path, header(), run_id="A")
    write(path, header(), run_id="B")
    write(path, {"type": "sending", "batch": 1, "ids": ["a1"]}, run_id="A")
    write(path, {"type": "sending", "batch": 1, "ids": ["b1"]}, run_id="B")
    write(path, {"type": "accepted", "batch": 1}, run_id="B")
    write(path, {"type": "failed", "batch": 1}, run_id="A")
    _, found = replayed(path)
    assert found["done"] == ["b1"]


def test_format_1_interleaved_by_two_processes_credits_no_ambiguous_batch(tmp_path: Path) -> None:
    """The data loss of issue #12.1: one process's `accepted 2` used to be credited to the
    other's `sending 2`. Any outcome that could belong to two sendings now credits none."""
    path = tmp_path / "old.jsonl"
    old_header = {"type": "header", "journal_format": 1, "base_url": "https://x"}
    write_raw(
        path,
        old_header,
        {"type": "sending", "batch": 1, "ids": ["a1"]},
        {"type": "accepted", "batch": 1, "task_id": "t"},
        old_header,  # a second process starts numbering at 2 while the first goes on
        {"type": "sending", "batch": 2, "ids": ["a2"]},
        {"type": "sending", "batch": 2, "ids": ["b2"]},
        {"type": "accepted", "batch": 2, "task_id": "t"},  # whose? cannot be told
        {"type": "sending", "batch": 3, "ids": ["b3"]},
        {"type": "rejected", "batch": 3, "bad_ids": ["b3"]},
        {"type": "sending", "batch": 4, "ids": ["a4"]},
        {"type": "accepted", "batch": 4, "task_id": "t"},
    )
    replay, found = replayed(path)
    assert sorted(found["done"]) == ["a1", "a4"]
    assert found["refused"] == ["b3"]
    assert replay.ambiguous_batches == 1 and replay.unknown_batches == [2]


@pytest.mark.parametrize("seed", range(30))
def test_format_1_any_interleaving_never_credits_an_id_without_its_own_202(
    tmp_path: Path, seed: int
) -> None:
    """Random interleavings of two old-format writers: every id credited as done really got
    a 202 (losing none), whatever the order."""
    rng = random.Random(seed)
    runs: list[list[dict[str, object]]] = []
    truly_done: set[str] = set()
    for name in "AB":
        records: list[dict[str, object]] = [{"type": "header", "journal_format": 1}]
        for number in range(1, 6):
            identity = f"{name}{number}"
            records.append({"type": "sending", "batch": number, "ids": [identity]})
            outcome = rng.choice(["accepted", "failed", "unknown", None])
            if outcome is not None:
                records.append({"type": outcome, "batch": number})
            if outcome == "accepted":
                truly_done.add(identity)
        runs.append(records)
    merged: list[dict[str, object]] = []
    while any(runs):
        source = rng.choice([r for r in runs if r])
        merged.append(source.pop(0))
    write_raw(tmp_path / "j.jsonl", *merged)
    _, found = replayed(tmp_path / "j.jsonl")
    assert set(found["done"]) <= truly_done


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
    replay, found = replayed(path)
    assert found["done"] == ["b"]
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
