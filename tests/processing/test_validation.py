"""What may be an identity id, and how a refused value is reported."""

from __future__ import annotations

import pytest
from iscctl.processing.validation import MAX_ID_LENGTH, InvalidId, Location, id_problem


@pytest.mark.parametrize(
    "value",
    ["2c9180835d2e5168015d32f890ca1581", "a", "x" * MAX_ID_LENGTH, "ÄÖ-ünïcode", "id_with.dots"],
)
def test_plausible_ids_pass(value: str) -> None:
    assert id_problem(value) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "empty"),
        ("a b", "contains whitespace"),
        ("a\u00a0b", "contains whitespace"),
        ("a\x00b", "contains the control character U+0000"),
        ("a\u200bb", "contains the control character U+200B"),
        ("x" * (MAX_ID_LENGTH + 1), f"{MAX_ID_LENGTH + 1} characters long"),
    ],
)
def test_impossible_ids_are_refused_with_the_rule(value: str, reason: str) -> None:
    problem = id_problem(value)
    assert problem is not None and problem.startswith(reason)


def test_message_names_file_line_value_and_rule() -> None:
    invalid = InvalidId(Location("ids.txt", 17), "a b", "contains whitespace")
    assert invalid.message() == 'ids.txt:17: invalid identity id "a b": contains whitespace'
