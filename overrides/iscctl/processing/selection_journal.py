"""The selection of a run in its journal: what was asked for and every id it matched.

A run that selects by query (or filter, or the failures of an earlier run)
writes, right after the journal header and before the first batch leaves:

- `selection`: `{"selection": {"kind": "query", "text": "..."}, "total": N | null}`;
- `matched`: `{"part": n, "ids": [...]}`, the values the tenant returned, in order,
  1,000 per record (a `null` stands for a hit that had no id);
- `selected`: `{"matched": N, "parts": k}`: the list above is complete.

`--resume` reads the ids back from here instead of searching again, so a resumed
run processes exactly the set the first run chose even if the tenant's data has
changed since. The records are written without a flush to disk each; the plan
that follows them ends with one fsync, before the first process call, so a
journal either holds the whole list or (killed while writing it) no batch at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from attrs import define

from iscctl.processing.journal import JournalError, whole_records
from iscctl.processing.selection import Selection

IDS_PER_RECORD = 1000


class SelectionSpool:
    """The values a selection returned, kept in a temporary file while the input is read,
    then written to the journal after its header (see `records`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._out: IO[str] | None = path.open("w", encoding="utf-8")

    def add(self, value: str | None) -> None:
        assert self._out is not None, "add() after close()"
        self._out.write(_spool_line(value))
        self.count += 1

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None

    def values(self) -> Iterator[str | None]:
        self.close()
        with self.path.open(encoding="utf-8") as lines:
            for line in lines:
                yield _spooled_value(line)


# A selection spools one value per hit (100,000 for a large query) while it pages, so the
# common case, an id with nothing JSON escapes, skips the JSON encoder and decoder (about
# 3 us a value each way on a loaded machine); anything else goes through them.


def _spool_line(value: str | None) -> str:
    if (
        value is not None
        and value.isascii()
        and value.isprintable()
        and '"' not in value
        and "\\" not in value
    ):
        return f'"{value}"\n'
    return json.dumps(value) + "\n"


def _spooled_value(line: str) -> str | None:
    if line.startswith('"') and line.endswith('"\n') and "\\" not in line:
        return line[1:-2]  # written as is: a JSON string without escapes
    value = json.loads(line)
    return value if isinstance(value, str) else None


def selection_records(
    selection: Selection, values: Iterable[str | None], total: int | None = None
) -> Iterator[dict[str, Any]]:
    """The journal records of a selection, the `selected` marker last."""
    yield {"type": "selection", "selection": selection.to_record(), "total": total}
    part = 0
    matched = 0
    chunk: list[str | None] = []
    for value in values:
        chunk.append(value)
        matched += 1
        if len(chunk) == IDS_PER_RECORD:
            part += 1
            yield {"type": "matched", "part": part, "ids": chunk}
            chunk = []
    if chunk:
        part += 1
        yield {"type": "matched", "part": part, "ids": chunk}
    yield {"type": "selected", "matched": matched, "parts": part}


@define
class JournaledSelection:
    """A selection read back from a journal; `values()` streams its ids in order."""

    path: Path
    selection: Selection
    matched: int
    total: int | None = None

    def values(self) -> Iterator[str | None]:
        for _, record in whole_records(self.path):
            kind = record.get("type")
            if kind == "matched":
                for value in record.get("ids") or []:
                    yield value if isinstance(value, str) else None
            elif kind == "selected":
                return


def read_selection(path: Path) -> JournaledSelection | None:
    """The first selection recorded in the journal at `path`; None if the run read its ids
    from files. Raises `JournalError` for a selection cut short (a run killed while writing
    it sent nothing, so it is started again rather than resumed)."""
    if not path.is_file():
        raise JournalError(f"{path}: no such journal file; give the path printed by the first run")
    found: Selection | None = None
    total: int | None = None
    parts = 0
    matched = 0
    for _, record in whole_records(path):
        kind = record.get("type")
        if kind == "selection" and found is None:
            try:
                found = Selection.from_record(record.get("selection") or {})
            except ValueError:
                raise JournalError(f"{path}: a selection record iscctl cannot read") from None
            raw_total = record.get("total")
            total = raw_total if isinstance(raw_total, int) else None
        elif kind == "matched" and found is not None:
            parts += 1
            matched += len(record.get("ids") or [])
        elif kind == "selected" and found is not None:
            if record.get("matched") != matched or record.get("parts") != parts:
                raise JournalError(
                    f"{path}: the selected ids in the journal are incomplete "
                    f"({matched} of {record.get('matched')}); start the run again"
                )
            return JournaledSelection(path, found, matched, total)
    if found is None:
        return None
    raise JournalError(
        f"{path}: the run stopped while recording its selection, before sending anything; "
        f"start it again ({found.describe()})"
    )
