"""The selection spool gives back exactly the values it was given (#15).

Plain ids take a short path that skips the JSON encoder; every value that
needs escaping must still come back unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

from iscctl.processing.selection_journal import SelectionSpool

AWKWARD = [
    "2c9180835d2e5168015d32f890ca1581",
    'with "quotes"',
    "back\\slash",
    "tab\there",
    "new\nline",
    "\x00nul",
    "\x7fdel",
    "é accent",
    "雪",
    "",
    " spaced ",
    '"',
    "\\",
    '"\\n',
    None,
]


def test_every_value_comes_back_unchanged_and_in_order(tmp_path: Path) -> None:
    spool = SelectionSpool(tmp_path / "matched.jsonl")
    for value in AWKWARD:
        spool.add(value)
    assert spool.count == len(AWKWARD)
    assert list(spool.values()) == AWKWARD


def test_each_line_is_json_of_the_value(tmp_path: Path) -> None:
    spool = SelectionSpool(tmp_path / "matched.jsonl")
    for value in AWKWARD:
        spool.add(value)
    spool.close()
    lines = (tmp_path / "matched.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == AWKWARD
