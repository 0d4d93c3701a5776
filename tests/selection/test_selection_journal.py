"""The selection's journal records: written page by page, read back for --resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from iscctl.processing.journal import JournalError, JournalWriter
from iscctl.processing.selection import ResumePoint, Selection
from iscctl.processing.selection_journal import IDS_PER_RECORD, SelectionRecorder, read_selection

HEADER = {"type": "header", "journal_format": 1}
AWKWARD = [
    "2c9180835d2e5168015d32f890ca1581",
    'with "quotes"',
    "back\\slash",
    "tab\there",
    "new\nline",
    "\x00nul",
    "é accent",
    "雪",
    "",
    " spaced ",
    None,
]


def write_journal(
    path: Path, selection: Selection, pages: list[list[str | None]], *, complete: bool = True
) -> None:
    """A header, then the selection recorded page by page (and marked complete)."""
    writer = JournalWriter(path, fsync=False)
    writer.write(HEADER)
    recorder = SelectionRecorder(selection)
    for page in pages:
        recorder.page(writer, page, total=sum(len(p) for p in pages))
    if complete:
        recorder.complete(writer)
    writer.close()


def test_the_matched_ids_come_back_in_order_with_the_query(tmp_path: Path) -> None:
    ids = [f"{n:032x}" for n in range(2 * IDS_PER_RECORD + 5)]
    selection = Selection("query", 'attributes.department:"Engineering"')
    path = tmp_path / "run.jsonl"
    write_journal(path, selection, [ids[:1500], ids[1500:]])
    journaled = read_selection(path)
    assert journaled is not None
    assert journaled.selection == selection
    assert (journaled.matched, journaled.total, journaled.complete) == (len(ids), len(ids), True)
    assert list(journaled.values()) == ids
    kinds = [json.loads(line)["type"] for line in path.read_text().splitlines()]
    # parts of at most 1,000: 1,000 + 500 for the first page, 505 for the second
    assert kinds == ["header", "selection", "matched", "matched", "matched", "selected"]


def test_every_value_comes_back_unchanged_a_missing_id_as_null(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    write_journal(path, Selection("query", "*"), [AWKWARD])
    journaled = read_selection(path)
    assert journaled is not None
    assert list(journaled.values()) == AWKWARD


def test_a_journal_of_a_file_run_has_no_selection(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    writer = JournalWriter(path, fsync=False)
    writer.write(HEADER)
    writer.write({"type": "sending", "batch": 1, "ids": ["a"]})
    writer.close()
    assert read_selection(path) is None


def test_a_selection_cut_short_goes_on_after_its_last_recorded_id(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    write_journal(path, Selection("query", "*"), [["a", "b"], ["c", None]], complete=False)
    journaled = read_selection(path)
    assert journaled is not None and not journaled.complete
    assert list(journaled.values()) == ["a", "b", "c", None]
    assert journaled.resume_point() == ResumePoint(after="c", offset=4)


def test_a_resumed_run_carries_the_part_numbers_on_and_completes_the_selection(
    tmp_path: Path,
) -> None:
    path = tmp_path / "run.jsonl"
    selection = Selection("filters", 'name sw "a"')
    write_journal(path, selection, [["a", "b"]], complete=False)
    cut = read_selection(path)
    assert cut is not None
    writer = JournalWriter(path, fsync=False)
    writer.write(HEADER)  # the resumed run's own header
    recorder = SelectionRecorder(selection, continues=cut)
    recorder.page(writer, ["c"], total=3)
    recorder.complete(writer)
    writer.close()
    journaled = read_selection(path)
    assert journaled is not None and journaled.complete
    assert list(journaled.values()) == ["a", "b", "c"]
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["type"] for r in records].count("selection") == 1
    assert [r["part"] for r in records if r["type"] == "matched"] == [1, 2]


def test_records_that_contradict_their_count_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    write_journal(path, Selection("query", "*"), [["a", "b"]])
    lines = path.read_text().splitlines()
    del lines[2]  # the matched record
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(JournalError, match="incomplete"):
        read_selection(path)


def test_a_torn_last_line_does_not_hide_a_complete_selection(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    write_journal(path, Selection("query", "*"), [["a"]])
    with path.open("ab") as file:
        file.write(b'{"type": "sending", "ba')
    journaled = read_selection(path)
    assert journaled is not None
    assert list(journaled.values()) == ["a"]


def test_the_selection_is_told_from_the_first_records_alone(tmp_path: Path) -> None:
    from iscctl.processing.selection_journal import recorded_selection

    selected = tmp_path / "selected.jsonl"
    writer = JournalWriter(selected, fsync=False)
    writer.write(HEADER)
    writer.write_ids("carried", ["a"])  # a run resumed into this journal writes these first
    SelectionRecorder(Selection("query", "*")).page(writer, ["b"], total=1)
    writer.close()
    assert recorded_selection(selected) == Selection("query", "*")
    files = tmp_path / "files.jsonl"
    writer = JournalWriter(files, fsync=False)
    writer.write(HEADER)
    writer.write_plan(["a"])
    writer.close()
    assert recorded_selection(files) is None
