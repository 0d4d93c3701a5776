"""The `filters` grammar on its own: operators, precedence, quoting, and its refusals."""

from __future__ import annotations

from typing import Any

import pytest
from iscctl.sandbox.filters import FilterInvalid, compile_filters, field

FIELDS = {
    "id": field(lambda r: r["id"], "eq in"),
    "name": field(lambda r: r["name"], "eq ne sw co"),
    "n": field(lambda r: r["n"], "eq gt ge lt le"),
    "tags": field(lambda r: r["tags"], "ca co"),
    "note": field(lambda r: r.get("note"), "eq isnull pr"),
    "on": field(lambda r: r["on"], "eq"),
}
RECORDS: list[dict[str, Any]] = [
    {"id": "a", "name": "Ada Berg", "n": 1, "tags": ["x", "y"], "on": True},
    {"id": "b", "name": 'Ben "B" Costa', "n": 5, "tags": ["y"], "note": "hi", "on": False},
    {"id": "c", "name": "Carla Dahl", "n": 9, "tags": [], "on": True},
]


def matching(text: str) -> list[str]:
    predicate = compile_filters(text, FIELDS)
    return [record["id"] for record in RECORDS if predicate(record)]


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ('id eq "a"', ["a"]),
        ('id in ("a", "c")', ["a", "c"]),
        ('name sw "ad"', ["a"]),  # case-insensitive, like ISC's string comparisons
        ('name co "dah"', ["c"]),
        ('name ne "ada berg"', ["b", "c"]),
        ('name eq "Ben \\"B\\" Costa"', ["b"]),
        ("n gt 1 and n le 5", ["b"]),
        ("n ge 9 or n lt 2", ["a", "c"]),
        ('not id eq "a" and n gt 1', ["b", "c"]),  # not binds tighter than and
        ('id eq "a" or id eq "b" and n gt 5', ["a"]),  # and binds tighter than or
        ('(id eq "a" or id eq "b") and n gt 1', ["b"]),
        ('tags ca ("x","y")', ["a"]),
        ("note isnull", ["a", "c"]),
        ("pr note", ["b"]),
        ("on eq false", ["b"]),
    ],
)
def test_expressions_select_what_isc_would(text: str, ids: list[str]) -> None:
    assert matching(text) == ids


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('id EQ "a"', "operators are lowercase"),
        ('unknown eq "a"', "field unknown cannot be filtered here"),
        ('id sw "a"', "id does not take the sw operator; use eq, in"),
        ("id eq a", "strings in double quotes"),
        ('id eq "a" and', "incomplete"),
        ("id in ()", "column"),
    ],
)
def test_what_cannot_be_used_is_refused_with_the_reason(text: str, named: str) -> None:
    with pytest.raises(FilterInvalid) as refused:
        compile_filters(text, FIELDS)
    assert named in str(refused.value)
