"""Reading ids: lines, CSV columns, JSON arrays, with the file and line of each value."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from iscctl.processing import inputs
from iscctl.processing.inputs import InputError, read_ids


def values(path: Path, **options: object) -> list[tuple[str, int, str | None]]:
    return [
        (item.value, item.location.line, item.problem)
        for item in read_ids([str(path)], **options)  # type: ignore[arg-type]
    ]


def test_lines_skip_blanks_and_comments_and_trim_whitespace(tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_text("# header comment\n  a1  \n\n\tb2\r\n# c3\nc3\n", encoding="utf-8")
    assert values(path) == [("a1", 2, None), ("b2", 4, None), ("c3", 6, None)]


def test_csv_column_chosen_by_header_name_keeps_physical_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text('name,id\n"Smith, Ann",x1\n\n"multi\nline",x2\n', encoding="utf-8")
    assert values(path, column="id") == [("x1", 2, None), ("x2", 5, None)]


def test_csv_with_several_columns_and_no_column_option_is_refused_naming_them(
    tmp_path: Path,
) -> None:
    path = tmp_path / "export.csv"
    path.write_text("name,id\nA,x1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"export.csv:1: a CSV with columns name, id; .*--column"):
        values(path)


def test_csv_unknown_column_is_refused_with_the_header(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("name,id\nA,x1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no column 'ident' in the CSV header \('name', 'id'\)"):
        values(path, column="ident")


def test_json_array_gives_line_and_index_of_each_element(tmp_path: Path) -> None:
    path = tmp_path / "ids.json"
    path.write_text('[\n  "a1",\n  "b2", 7\n]\n', encoding="utf-8")
    items = list(read_ids([str(path)]))
    assert [(i.value, str(i.location), i.problem) for i in items] == [
        ("a1", f"{path}:2: [0]", None),
        ("b2", f"{path}:3: [1]", None),
        ("7", f"{path}:3: [2]", "not a string"),
    ]


def test_json_array_of_objects_takes_the_column_field(tmp_path: Path) -> None:
    path = tmp_path / "ids.json"
    path.write_text(json.dumps([{"id": "a1"}, {"name": "no id"}]), encoding="utf-8")
    assert values(path, column="id") == [("a1", 1, None), ("", 1, "the object has no 'id' field")]


def test_large_json_array_is_parsed_across_read_chunks(tmp_path: Path) -> None:
    ids = [f"{n:032x}" for n in range(20_000)]  # about 700 KB: many 64 KB chunks
    path = tmp_path / "big.json"
    path.write_text("[\n" + ",\n".join(json.dumps(i) for i in ids) + "\n]", encoding="utf-8")
    items = list(read_ids([str(path)]))
    assert [item.value for item in items] == ids
    assert items[-1].location.line == 20_001


def test_broken_json_is_one_error_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "ids.json"
    path.write_text('[\n"a1",\n"b2" "c3"\n]', encoding="utf-8")
    with pytest.raises(
        InputError,
        match=r"ids.json:3: not a JSON array of ids: .*after array element, I expect ','",
    ):
        values(path)


def test_json_detected_from_content_without_json_suffix(tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_text('  ["a1", "b2"]', encoding="utf-8")
    assert [value for value, _, _ in values(path)] == ["a1", "b2"]


def test_several_files_are_read_in_order(tmp_path: Path) -> None:
    first, second = tmp_path / "1.txt", tmp_path / "2.txt"
    first.write_text("a\n", encoding="utf-8")
    second.write_text("b\n", encoding="utf-8")
    sources = [item.location.source for item in read_ids([str(first), str(second)])]
    assert sources == [str(first), str(second)]


def test_missing_file_is_one_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope.txt: cannot open: No such file"):
        list(read_ids([str(tmp_path / "nope.txt")]))


def test_non_utf8_file_is_refused_with_a_fix(tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_bytes(b"a1\n\xff\xfe\n")
    with pytest.raises(InputError, match=r"not UTF-8 text.*save it as UTF-8"):
        values(path)


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(st.text(min_size=0, max_size=12), max_size=30),
    spacing=st.sampled_from(["", " ", "\n", " \r\n\t"]),
    chunk=st.integers(min_value=1, max_value=9),
)
def test_json_arrays_read_back_whatever_the_chunk_boundaries(
    values: list[str], spacing: str, chunk: int
) -> None:
    text = "[" + spacing + ("," + spacing).join(json.dumps(v) for v in values) + spacing + "]"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ids.json"
        path.write_text(text, encoding="utf-8")
        with mock.patch.object(inputs, "_CHUNK", chunk):
            items = list(read_ids([str(path)]))
    assert [item.value for item in items] == [v.strip() for v in values]
    assert [item.location.json_path for item in items] == [f"[{i}]" for i in range(len(values))]


def test_a_minified_json_line_keeps_line_1_and_each_index(tmp_path: Path) -> None:
    ids = [f"{n:032x}" for n in range(5000)]
    path = tmp_path / "ids.json"
    path.write_text(json.dumps(ids, separators=(",", ":")) + "\n", encoding="utf-8")
    items = list(read_ids([str(path)]))
    assert [item.value for item in items] == ids
    assert {item.location.line for item in items} == {1}
    assert items[-1].location.json_path == "[4999]"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"ids": ["a"]}', "it does not start with '['"),
        ('["a", "b"', "it ends before the closing ']'"),
        ('["a"] ["b"]', "trailing garbage"),
        ('["a", NaN]', "invalid char in json text"),
        ("", "the file is empty"),
    ],
)
def test_json_that_is_not_one_array_is_one_error(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "ids.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        InputError, match=rf"ids.json:1: not a JSON array of ids: .*{re.escape(reason)}"
    ):
        values(path)


def test_json_nested_far_deeper_than_an_id_is_refused_with_bounded_depth(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" + "[" * 100_000 + "]" * 100_000 + "]", encoding="utf-8")
    with pytest.raises(InputError, match=r"deep.json:1: .*nested too deeply"):
        values(path)


def test_a_json_element_too_long_to_be_an_id_is_an_error_without_reading_it_whole(
    tmp_path: Path,
) -> None:
    path = tmp_path / "long.json"
    path.write_text('["a1", "' + "x" * 3_000_000 + '"]', encoding="utf-8")
    with pytest.raises(InputError, match=r"long.json:1: .*an element runs over 1,048,576 bytes"):
        values(path)


def test_a_line_longer_than_any_id_is_one_invalid_value_with_its_length(tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_text("a1\n" + "y" * 300_000 + "\nb2\n", encoding="utf-8")
    found = values(path)
    assert [(v[:3], line, problem) for v, line, problem in found] == [
        ("a1", 1, None),
        ("yyy", 2, "a line of 300,001 characters, at most 128 expected"),
        ("b2", 3, None),
    ]


def test_csv_stray_quote_that_swallows_rows_is_an_error_at_its_line(tmp_path: Path) -> None:
    """Issue #12.3: `"Smith, John` opened a field that swallowed the next rows: 8 rows
    gave 4 ids and exit 0."""
    rows = [f"{n:032x},Name {n}" for n in range(8)]
    rows[2] = f'{2:032x},"Smith, John'
    path = tmp_path / "export.csv"
    path.write_text("id,name\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"export.csv:4: a quoted field opened on this line"):
        values(path, column="id")


def test_csv_quote_closed_later_by_another_stray_quote_is_caught_too(tmp_path: Path) -> None:
    text = 'id,name\na1,"Smith\nb2,Doe\nc3,Roe"\nd4,x\n'
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"export.csv:2: .*swallows 2 that look like rows"):
        values(path, column="id")


def test_csv_notes_over_several_lines_stay_fine(tmp_path: Path) -> None:
    text = 'id,notes\na1,"line one\nline two, with a comma\n and three"\nb2,x\n'
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    assert values(path, column="id") == [("a1", 4, None), ("b2", 5, None)]


def test_csv_field_over_the_size_limit_is_one_error_with_the_line(tmp_path: Path) -> None:
    notes = "\n".join("z" * 1000 for _ in range(200))
    path = tmp_path / "export.csv"
    path.write_text(f'id,notes\na1,x\nb2,"{notes}"\nc3,y\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"export.csv:\d+: not a readable CSV \(field larger"):
        values(path, column="id")
