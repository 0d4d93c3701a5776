"""The selection's journal records: written after the header, read back for --resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from iscctl.processing.journal import JournalError, JournalWriter
from iscctl.processing.selection import Selection
from iscctl.processing.selection_journal import (
    IDS_PER_RECORD,
    read_selection,
    selection_records,
)

HEADER = {"type": "header", "journal_format": 1}


def write_journal(path: Path, records: list[dict[str, object]]) -> None:
    writer = JournalWriter(path, fsync=False)
    for record in records:
        writer.write(record)
    writer.close()


def test_the_matched_ids_come_back_in_order_with_the_query(tmp_path: Path) -> None:
    ids = [f"{n:032x}" for n in range(2 * IDS_PER_RECORD + 5)]
    selection = Selection("query", 'attributes.department:"Engineering"')
    path = tmp_path / "run.jsonl"
    write_journal(path, [HEADER, *selection_records(selection, ids, total=len(ids))])
    journaled = read_selection(path)
    assert journaled is not None
    assert journaled.selection == selection
    assert journaled.matched == len(ids)
    assert journaled.total == len(ids)
    assert list(journaled.values()) == ids
    kinds = [json.loads(line)["type"] for line in path.read_text().splitlines()]
    assert kinds == ["header", "selection", "matched", "matched", "matched", "selected"]


def test_a_hit_without_an_id_is_kept_as_null(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    write_journal(path, [HEADER, *selection_records(Selection("query", "*"), ["a", None, "b"])])
    journaled = read_selection(path)
    assert journaled is not None
    assert list(journaled.values()) == ["a", None, "b"]


def test_a_journal_of_a_file_run_has_no_selection(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    write_journal(path, [HEADER, {"type": "sending", "batch": 1, "ids": ["a"]}])
    assert read_selection(path) is None


def test_a_selection_cut_short_is_refused_with_the_way_out(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    records = list(selection_records(Selection("filters", 'name sw "a"'), ["a", "b"]))
    write_journal(path, [HEADER, *records[:-1]])  # killed before `selected`
    with pytest.raises(JournalError, match="start it again"):
        read_selection(path)


def test_a_torn_last_line_does_not_hide_a_complete_selection(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    write_journal(path, [HEADER, *selection_records(Selection("query", "*"), ["a"])])
    with path.open("ab") as file:
        file.write(b'{"type": "sending", "ba')
    journaled = read_selection(path)
    assert journaled is not None
    assert list(journaled.values()) == ["a"]


def test_a_job_journals_the_selection_after_its_header_and_before_any_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hook in ProcessingJob: a resume must find the whole selection, so it is written
    before the first request leaves (the sender here records what it was given)."""
    import asyncio
    from types import SimpleNamespace

    from iscctl.processing.job import ProcessingJob, ProcessOptions, iterable_items

    monkeypatch.setenv("ISCCTL_STATE_DIR", str(tmp_path / "state"))
    ids = [f"{n:032x}" for n in range(600)]
    path = tmp_path / "run.jsonl"
    journal_at_first_send: list[list[str]] = []

    async def send(batch: list[str]) -> SimpleNamespace:
        if not journal_at_first_send:
            lines = path.read_text().splitlines()
            journal_at_first_send.append([json.loads(line)["type"] for line in lines])
        return SimpleNamespace(id="task")

    stats = SimpleNamespace(requests=0, retries=0, rate_limited=0)
    with ProcessingJob(ProcessOptions(journal=path, fsync=False)) as job:
        job.load_resume()
        job.prepare(iterable_items(ids))
        job.after_header = lambda: selection_records(Selection("query", "*"), ids, len(ids))
        asyncio.run(job.send(send, lambda: stats))
    kinds = journal_at_first_send[0]
    assert kinds[:2] == ["header", "selection"]
    assert kinds.index("selected") < kinds.index("sending")
    journaled = read_selection(path)
    assert journaled is not None and list(journaled.values()) == ids
