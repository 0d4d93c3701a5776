"""Fuzzing of what users feed us: id files, CSVs and export files.

Whatever the bytes, the command line either accepts the input or exits 2 with
one-line errors naming the file (and the line or JSON path) and no traceback;
the library raises only our documented exceptions (`ISCError` subclasses).
Both commands run with --dry-run: the question is reading and checking, and
nothing may be sent for bad input anyway.

Budgets are fixed and the examples derandomized, so CI is reproducible: see
`FUZZ` below and docs/reliability.md.
"""

from __future__ import annotations

import codecs
import contextlib
import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from iscctl import Client
from iscctl.cli.main import cli
from iscctl.errors import ISCError
from iscctl.processing import process_all_sync, read_ids
from iscctl.processing.validation import id_problem
from iscctl.profiles import plan_import
from iscctl.retry import RetryPolicy

FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
"""100 examples per property, same examples on every run (derandomize)."""

VALID_ID = "2c9180857182305e0171993735622948"
DEEP = 100_000
"""Nesting depth far past Python's recursion limit."""

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252"]
SEPARATORS = ["\n", "\r\n", "\r", "\x00", "\n\n", "\u2028"]

id_like = st.one_of(
    st.just(VALID_ID),
    st.text(alphabet="0123456789abcdef", min_size=0, max_size=40),
    st.text(max_size=80),
    st.sampled_from(["# comment", "", "   ", "id", "\ufeff" + VALID_ID, "a,b", '"x"']),
)


@st.composite
def id_file_bytes(draw: st.DrawFn) -> bytes:
    """Lines of id-like text, any separator, any encoding (BOMs included), or raw bytes."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=2000))
    lines = draw(st.lists(id_like, max_size=30))
    text = draw(st.sampled_from(SEPARATORS)).join(lines)
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=30,
)


def json_text(value: Any) -> str:
    # allow_nan: the files we read may hold NaN/Infinity, which Python's json writes as such.
    return json.dumps(value, allow_nan=True)


SUMMARY_LINE = re.compile(r"^\d+ problems? in the input; nothing was sent\.$")
"""The one line the import command adds after its `error:` lines."""


def is_strict_json(value: Any) -> bool:
    """Whether standard JSON can carry the value (NaN and infinities make the file invalid)."""
    try:
        json.dumps(value, allow_nan=False)
    except ValueError:
        return False
    return True


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [*map(str, args)], catch_exceptions=True)


def assert_accepted_or_refused_cleanly(result: Result, file: Path) -> None:
    """Exit 0, or exit 2 with `error:` lines naming the file; never a traceback."""
    output = result.output
    assert "Traceback" not in output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"crashed with {result.exception!r}") from result.exception
    assert result.exit_code in (0, 2), output
    if result.exit_code == 2:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("error: ")]
        assert errors, result.stderr
        assert file.name in errors[0], "the first error names the file"
        others = [line for line in lines if not line.startswith("error: ")]
        assert all(SUMMARY_LINE.search(line) for line in others), f"not one-line errors: {others}"


# -- identities process: id files ------------------------------------------------------------


@FUZZ
@given(data=id_file_bytes())
@example(data=b"\xef\xbb\xbf" + VALID_ID.encode() + b"\r\n")
@example(data=b"a" * 3_000_000)
@example(data=(VALID_ID + "\x00" + VALID_ID).encode())
@example(data=b"\xff\xfe" + VALID_ID.encode("utf-16-le"))
def test_any_id_file_is_read_or_refused_with_exit_2(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_bytes(data)
    assert_accepted_or_refused_cleanly(run("identities", "process", path, "--dry-run"), path)


@FUZZ
@given(data=id_file_bytes())
def test_reading_any_id_file_raises_only_our_errors(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_bytes(data)
    try:
        for item in read_ids([str(path)]):
            assert isinstance(item.problem or id_problem(item.value) or "", str)
    except ISCError:
        pass


csv_cells = st.one_of(id_like, st.text(alphabet='",\r\n;\t\x00', max_size=6))


@FUZZ
@given(
    header=st.lists(st.sampled_from(["id", "ID", "name", "", '"id"', "id\x00"]), max_size=4),
    rows=st.lists(st.lists(csv_cells, max_size=4), max_size=20),
    encoding=st.sampled_from(ENCODINGS),
)
@example(header=['"a\nb"', "c"], rows=[["1", "2"]], encoding="utf-8")
def test_any_csv_is_read_or_refused_with_exit_2(
    header: list[str], rows: list[list[str]], encoding: str, tmp_path: Path
) -> None:
    path = tmp_path / "ids.csv"
    text = "\r\n".join(",".join(row) for row in [header, *rows])
    path.write_bytes(text.encode(encoding, errors="replace"))
    result = run("identities", "process", path, "--column", "id", "--dry-run")
    assert_accepted_or_refused_cleanly(result, path)


@FUZZ
@given(data=id_file_bytes())
@example(data=b'id\r\n"' + VALID_ID.encode() + b'\r\n"unterminated')
@example(data=b"\xef\xbb\xbfid;name\n" + VALID_ID.encode() + b";x\n")
def test_any_bytes_as_a_csv_are_read_or_refused_with_exit_2(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_bytes(data)
    result = run("identities", "process", path, "--column", "id", "--dry-run")
    assert_accepted_or_refused_cleanly(result, path)


@FUZZ
@given(value=json_values)
@example(value=[{"id": VALID_ID}, {"id": None}, 10**400])
def test_any_json_id_file_is_read_or_refused_with_exit_2(value: Any, tmp_path: Path) -> None:
    path = tmp_path / "ids.json"
    path.write_text(json_text(value), encoding="utf-8")
    result = run("identities", "process", path, "--input-format", "json", "--dry-run")
    assert_accepted_or_refused_cleanly(result, path)


@pytest.mark.parametrize("text", ["[" * DEEP, "[" * DEEP + "]" * DEEP, '[{"a":' * DEEP])
def test_a_deeply_nested_json_id_file_exits_2_without_a_traceback(
    text: str, tmp_path: Path
) -> None:
    path = tmp_path / "deep.json"
    path.write_text(text, encoding="utf-8")
    result = run("identities", "process", path, "--dry-run")
    assert_accepted_or_refused_cleanly(result, path)
    assert result.exit_code == 2


# -- identity-profiles import: export files ----------------------------------------------------

VALID_EXPORT: list[dict[str, Any]] = [
    {
        "version": 1,
        "self": {"type": "IDENTITY_PROFILE", "id": "p1", "name": "Employees"},
        "object": {
            "id": "p1",
            "name": "Employees",
            "description": None,
            "owner": {"type": "IDENTITY", "id": "o1", "name": "Owner"},
            "priority": 10,
            "authoritativeSource": {"type": "SOURCE", "id": "s1", "name": "HR Workday"},
            "identityRefreshRequired": False,
            "identityCount": 3,
            "identityAttributeConfig": {
                "enabled": True,
                "attributeTransforms": [
                    {
                        "identityAttributeName": "email",
                        "transformDefinition": {
                            "type": "accountAttribute",
                            "attributes": {"sourceName": "HR Workday", "attributeName": "mail"},
                        },
                    }
                ],
            },
            "identityExceptionReportReference": None,
            "hasTimeBasedAttr": False,
        },
    }
]


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON value, the root included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths_of(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths_of(child, (*prefix, index))
    return found


EXPORT_PATHS = paths_of(VALID_EXPORT)


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    document = copy.deepcopy(document)
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return document


wrong_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([10**400, -(10**400), 1e308, float("inf"), float("nan"), 2**63, -(2**63) - 1]),
    st.text(max_size=20),
    st.just([]),
    st.just({}),
    st.lists(st.integers(), max_size=3),
)


def check_plan(path: Path) -> None:
    with contextlib.suppress(ISCError):
        plan_import([str(path)])


@FUZZ
@given(path=st.sampled_from(EXPORT_PATHS), value=wrong_values)
@example(path=(0, "object", "authoritativeSource", "name"), value=[])
@example(path=(0, "object", "authoritativeSource", "id"), value={})
@example(path=(0, "object", "priority"), value=2**63)
@example(path=(0, "version"), value=10**400)
@example(path=(0, "object"), value=None)  # null object: refused, never an AssertionError
def test_a_wrong_value_at_any_path_of_an_export_exits_0_or_2(
    path: tuple[Any, ...], value: Any, tmp_path: Path
) -> None:
    export = tmp_path / "export.json"
    export.write_text(json_text(replaced(VALID_EXPORT, path, value)), encoding="utf-8")
    result = run("identity-profiles", "import", export, "--dry-run")
    assert_accepted_or_refused_cleanly(result, export)
    if result.exit_code == 2 and is_strict_json(value):
        location = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path[:2])
        assert any(location in line for line in result.stderr.splitlines()), (
            f"no error points at {location}:\n{result.stderr}"
        )
    check_plan(export)


@FUZZ
@given(value=json_values)
@example(value={"objects": [{"self": None, "object": [1]}]})
@example(value={"line\nbreak": 1})  # a key with a newline must not split the error line
@example(value={"objects": [{"self": {"type": "IDENTITY_PROFILE\nX"}}]})
@example(value=[{"version": 10**400, "self": {}, "object": {}}])
def test_any_json_export_file_exits_0_or_2_and_the_library_raises_only_our_errors(
    value: Any, tmp_path: Path
) -> None:
    export = tmp_path / "export.json"
    export.write_text(json_text(value), encoding="utf-8")
    assert_accepted_or_refused_cleanly(
        run("identity-profiles", "import", export, "--dry-run"), export
    )
    check_plan(export)


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".json", ".yaml", ".yml", ""]))
@example(data=codecs.BOM_UTF8 + json_text(VALID_EXPORT).encode(), suffix=".json")
@example(data=codecs.BOM_UTF16_LE + json_text(VALID_EXPORT).encode("utf-16-le"), suffix=".json")
@example(data=b"!!python/object/apply:os.system ['true']", suffix=".yaml")
@example(data=b"a: &a [*a, *a]", suffix=".yaml")
def test_any_bytes_as_an_export_file_exit_0_or_2(data: bytes, suffix: str, tmp_path: Path) -> None:
    export = tmp_path / f"export{suffix}"
    export.write_bytes(data)
    assert_accepted_or_refused_cleanly(
        run("identity-profiles", "import", export, "--dry-run"), export
    )
    check_plan(export)


@pytest.mark.parametrize(
    "text",
    ["[" * DEEP, '[{"version": 1, "self": ' + '{"a":' * DEEP, "- " * 5000 + "x", "9" * 100_000],
)
def test_deep_nesting_and_huge_numbers_in_an_export_exit_2(text: str, tmp_path: Path) -> None:
    export = tmp_path / ("export.yaml" if text.startswith("- ") else "export.json")
    export.write_text(text, encoding="utf-8")
    result = run("identity-profiles", "import", export, "--dry-run")
    assert_accepted_or_refused_cleanly(result, export)
    assert result.exit_code == 2
    check_plan(export)


# -- the Python API: any value in, a result or an ISCError out ------------------------------------

FUZZ_OVER_HTTP = settings(FUZZ, max_examples=50)
"""Examples that reach the sandbox: 50 per property."""

any_value = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=40),
    st.binary(max_size=20),
    st.floats(),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
)
id_lists = st.one_of(
    st.lists(st.one_of(id_like, any_value), max_size=260),
    st.lists(st.just(VALID_ID), min_size=249, max_size=252),
    any_value,
)


@pytest.fixture
def client(isc: Any) -> Iterator[Client]:
    with Client(
        base_url=isc.base_url,
        client_id=isc.client_id,
        client_secret=isc.client_secret,
        retry=RetryPolicy(max_retries=0),
        rate_limit=None,
    ) as made:
        yield made


@FUZZ_OVER_HTTP
@given(ids=id_lists)
def test_process_identities_with_any_value_returns_a_task_or_raises_an_isc_error(
    ids: Any, client: Client
) -> None:
    try:
        task = client.process_identities(ids)
    except ISCError:
        return
    assert isinstance(task.id, str)


@FUZZ_OVER_HTTP
@given(body=st.one_of(json_values, st.lists(json_values, max_size=4)))
@example(body=[dict(VALID_EXPORT[0], object=dict(VALID_EXPORT[0]["object"], priority=2**70))])
@example(body=copy.deepcopy(VALID_EXPORT))
def test_import_with_any_body_returns_a_result_or_raises_an_isc_error(
    body: Any, client: Client
) -> None:
    try:
        result = client.import_identity_profiles(body)
    except ISCError:
        return
    assert isinstance(result.errors, list)


@FUZZ_OVER_HTTP
@given(ids=st.lists(st.one_of(id_like, any_value), max_size=300))
def test_process_all_with_any_values_reports_or_raises_an_isc_error(
    ids: list[Any], client: Client, tmp_path: Path
) -> None:
    try:
        report = process_all_sync(client, ids, batch_size=100)
    except ISCError:
        return
    assert report.processed + len(report.rejected) + report.failed <= len(ids)
