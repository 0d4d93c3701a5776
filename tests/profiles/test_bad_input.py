"""Bad input: one line naming the file and the fault, exit 2, nothing sent, no traceback."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result


def _assert_refused(result: Result, import_requests: Callable[[], int], *expected: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    first = lines[0]
    for text in expected:
        assert text in first
    assert "Traceback" not in result.output
    assert lines[-1].endswith("nothing was sent.")
    assert import_requests() == 0


def test_not_json_is_refused_before_reading_the_rest(
    tmp_path: Path, run_import: Callable[..., Result], import_requests: Callable[[], int]
) -> None:
    path = tmp_path / "export.json"
    path.write_text("version: 1\nobjects: []\n", encoding="utf-8")
    result = run_import(path)
    _assert_refused(result, import_requests, "export.json: not JSON", "'version: 1")


def test_truncated_json_says_where_it_ends(
    tmp_path: Path, run_import: Callable[..., Result], import_requests: Callable[[], int]
) -> None:
    path = tmp_path / "export.json"
    path.write_text('[{"version": 1, "self": {"type": "IDENTITY_PROF', encoding="utf-8")
    result = run_import(path)
    _assert_refused(result, import_requests, "export.json: not valid JSON", "truncated")


def test_a_top_level_string_is_refused(
    tmp_path: Path, run_import: Callable[..., Result], import_requests: Callable[[], int]
) -> None:
    path = tmp_path / "export.json"
    path.write_text('"just a string"', encoding="utf-8")
    result = run_import(path)
    _assert_refused(result, import_requests, "export.json: the top-level value is a string")


def test_an_empty_array_is_refused(
    write_json: Callable[..., Path],
    run_import: Callable[..., Result],
    import_requests: Callable[[], int],
) -> None:
    result = run_import(write_json([]))
    _assert_refused(result, import_requests, "export.json: is an empty array")


def test_an_empty_file_is_refused(
    tmp_path: Path, run_import: Callable[..., Result], import_requests: Callable[[], int]
) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(b"")
    _assert_refused(run_import(path), import_requests, "export.json: is empty")


@pytest.mark.parametrize("first_byte", [b"\x00", b"["], ids=["binary", "bracket"])
def test_fifty_megabytes_of_nonsense_fail_in_one_short_line(
    first_byte: bytes,
    tmp_path: Path,
    run_import: Callable[..., Result],
    import_requests: Callable[[], int],
) -> None:
    path = tmp_path / "noise.json"
    with path.open("wb") as noise:
        noise.write(first_byte)
        block = os.urandom(1 << 20)
        for _ in range(50):
            noise.write(block)
    result = run_import(path)
    _assert_refused(result, import_requests, "noise.json: not ")
    assert len(result.output) < 400


def test_a_missing_file_is_named(
    tmp_path: Path, run_import: Callable[..., Result], import_requests: Callable[[], int]
) -> None:
    result = run_import(tmp_path / "nowhere.json")
    _assert_refused(result, import_requests, "nowhere.json: no such file")


def test_a_directory_is_named(
    tmp_path: Path, run_import: Callable[..., Result], import_requests: Callable[[], int]
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    result = run_import(folder)
    _assert_refused(result, import_requests, "exports: is a directory")


def test_nan_is_not_json(
    tmp_path: Path, run_import: Callable[..., Result], import_requests: Callable[[], int]
) -> None:
    path = tmp_path / "export.json"
    path.write_text('[{"version": NaN}]', encoding="utf-8")
    _assert_refused(run_import(path), import_requests, "NaN is not a JSON number")


def test_one_bad_file_among_good_ones_stops_everything(
    tmp_path: Path,
    write_json: Callable[..., Path],
    make_profile: Callable[..., dict[str, object]],
    run_import: Callable[..., Result],
    import_requests: Callable[[], int],
) -> None:
    good = write_json([make_profile("Employees")], "good.json")
    result = run_import(good, tmp_path / "missing.json")
    _assert_refused(result, import_requests, "missing.json: no such file")


def test_a_bad_source_mapping_is_a_usage_error(
    write_json: Callable[..., Path],
    make_profile: Callable[..., dict[str, object]],
    run_import: Callable[..., Result],
    import_requests: Callable[[], int],
) -> None:
    result = run_import(write_json([make_profile("Employees")]), "--map-source", "no-equals")
    assert result.exit_code == 2
    assert "OLD=NEW" in result.stderr
    assert import_requests() == 0
