"""The selection of a run in its journal: what was asked for and every id it matched.

A run that selects by query (or filter, or the failures of an earlier run)
records its selection page by page as it goes, in the same journal as its
batches:

- `selection`: `{"selection": {"kind": "query", "text": "..."}, "total": N | null}`,
  right after the run's header;
- `matched`: `{"part": n, "ids": [...]}`, the values the tenant returned, in order,
  1,000 per record (a `null` stands for a hit that had no id). A page's records
  are written before the first batch holding one of its ids, so the `sending`
  record's fsync makes them durable with it;
- `selected`: `{"matched": N, "parts": k}`: the selection is complete.

`--resume` reads the ids back from here instead of searching again, so a
resumed run processes exactly the ids the first run recorded even if the
tenant's data has changed since. A run stopped before its selection was
complete (no `selected`) goes on from where the records end: after the last
recorded id for a search (its pages are sorted by id), at the offset of the
recorded values for the identities list. Only the part never recorded is read
from the tenant again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from attrs import define

from iscctl.processing.journal import JournalError, JournalWriter, whole_records
from iscctl.processing.selection import ResumePoint, Selection

IDS_PER_RECORD = 1000


class SelectionRecorder:
    """Writes a selection's records into the run's journal as its pages arrive.

    Records are appended without an fsync each: what makes them durable is the
    fsync of the first `sending` that follows them (a page none of whose ids is
    sent needs no durability: resume reads it from the tenant again).
    """

    def __init__(self, selection: Selection, *, continues: JournaledSelection | None = None):
        """`continues`: the selection, cut short, that this run goes on with in the same
        journal (its part numbers and count carry on)."""
        self.selection = selection
        self.parts = continues.parts if continues else 0
        self.matched = continues.matched if continues else 0
        self._begun = continues is not None

    def page(
        self, journal: JournalWriter | None, values: Sequence[str | None], total: int | None
    ) -> None:
        """Record one page of values (after the `selection` record, for the first)."""
        if journal is None:
            return
        if not self._begun:
            record = {"type": "selection", "selection": self.selection.to_record(), "total": total}
            journal.write(record, sync=False)
            self._begun = True
        for start in range(0, len(values), IDS_PER_RECORD):
            self.parts += 1
            chunk = list(values[start : start + IDS_PER_RECORD])
            journal.write({"type": "matched", "part": self.parts, "ids": chunk}, sync=False)
            self.matched += len(chunk)

    def complete(self, journal: JournalWriter | None) -> None:
        """Mark the selection complete; a later resume then never asks the tenant."""
        if journal is not None and self._begun:
            journal.write({"type": "selected", "matched": self.matched, "parts": self.parts})


@define
class JournaledSelection:
    """A selection read back from a journal; `values()` streams its ids in order."""

    path: Path
    selection: Selection
    matched: int
    total: int | None = None
    complete: bool = True
    """False when the run stopped before the selection ended: the rest is read from the
    tenant, from `resume_point()`."""
    parts: int = 0
    last_id: str | None = None

    def values(self) -> Iterator[str | None]:
        for _, record in whole_records(self.path):
            kind = record.get("type")
            if kind == "matched":
                for value in record.get("ids") or []:
                    yield value if isinstance(value, str) else None
            elif kind == "selected":
                return

    def resume_point(self) -> ResumePoint:
        return ResumePoint(after=self.last_id, offset=self.matched)


def recorded_selection(path: Path) -> Selection | None:
    """The selection the journal at `path` was written for, read from its first records
    only (a selection is recorded right after the header); None for a run of files."""
    for _, record in whole_records(path):
        kind = record.get("type")
        if kind == "selection":
            return _selection_in(record)
        if kind not in ("header", "carried"):
            return None
    return None


def _selection_in(record: dict[str, Any]) -> Selection | None:
    """The selection a `selection` record names; None when iscctl cannot read it."""
    try:
        return Selection.from_record(record.get("selection") or {})
    except ValueError:
        return None


def read_selection(path: Path) -> JournaledSelection | None:
    """The selection recorded in the journal at `path`; None if the run read its ids from
    files. Raises `JournalError` when the records contradict their own count."""
    if not path.is_file():
        raise JournalError(f"{path}: no such journal file; give the path printed by the first run")
    found: Selection | None = None
    total: int | None = None
    parts = 0
    matched = 0
    last_id: str | None = None
    for _, record in whole_records(path):
        kind = record.get("type")
        if kind == "selection" and found is None:
            found = _selection_in(record)
            if found is None:
                raise JournalError(f"{path}: a selection record iscctl cannot read")
            raw_total = record.get("total")
            total = raw_total if isinstance(raw_total, int) else None
        elif kind == "matched" and found is not None:
            ids = record.get("ids") or []
            parts += 1
            matched += len(ids)
            last_id = next((value for value in reversed(ids) if isinstance(value, str)), last_id)
        elif kind == "selected" and found is not None:
            if record.get("matched") != matched or record.get("parts") != parts:
                raise JournalError(
                    f"{path}: the selected ids in the journal are incomplete "
                    f"({matched} of {record.get('matched')}); start the run again"
                )
            return JournaledSelection(path, found, matched, total, True, parts, last_id)
    if found is None:
        return None
    return JournaledSelection(path, found, matched, total, False, parts, last_id)
