"""Reading input files: shapes, encodings and YAML, as plan_import sees them."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from iscctl.profiles import ProfileInputError, plan_import

Profile = dict[str, Any]


def test_a_single_exported_object_is_one_profile(
    write_json: Callable[..., Path], make_profile: Callable[..., Profile]
) -> None:
    plan = plan_import(write_json(make_profile("Employees")))
    assert [(p.name, p.path) for p in plan.profiles] == [("Employees", "")]


def test_a_utf8_byte_order_mark_is_accepted(
    tmp_path: Path, make_profile: Callable[..., Profile]
) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps([make_profile("Employés")]).encode())
    assert [p.name for p in plan_import(path).profiles] == ["Employés"]


def test_a_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "export.yaml"
    path.write_text("- version: 1\n  self: {type: IDENTITY_PROFILE\n", encoding="utf-8")
    with pytest.raises(ProfileInputError) as raised:
        plan_import(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: not valid YAML: ")
    assert "at line 3" in message


def test_stdin_cannot_be_read_twice(make_profile: Callable[..., Profile]) -> None:
    stdin = io.BytesIO(json.dumps([make_profile("Employees")]).encode())
    with pytest.raises(ProfileInputError) as raised:
        plan_import(["-", "-"], stdin=stdin)
    assert [str(p) for p in raised.value.input_problems] == [
        "<stdin>: '-' (stdin) given more than once"
    ]


def test_every_bad_file_is_reported_not_only_the_first(tmp_path: Path) -> None:
    with pytest.raises(ProfileInputError) as raised:
        plan_import([tmp_path / "a.json", tmp_path / "b.json"])
    assert [str(p) for p in raised.value.input_problems] == [
        f"{tmp_path / 'a.json'}: no such file",
        f"{tmp_path / 'b.json'}: no such file",
    ]


def test_a_non_object_inside_an_sp_config_export_is_named(
    write_json: Callable[..., Path], make_profile: Callable[..., Profile]
) -> None:
    path = write_json({"objects": [make_profile("Employees"), "stray"]})
    with pytest.raises(ProfileInputError) as raised:
        plan_import(path)
    assert [str(p) for p in raised.value.input_problems] == [
        f"{path}: objects[1]: expected an exported object, got a string"
    ]


def test_a_yaml_key_given_twice_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "export.yml"
    path.write_text(
        "- self: {type: IDENTITY_PROFILE}\n  object:\n    name: A\n    name: B\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileInputError) as raised:
        plan_import(path)
    assert str(raised.value) == (
        f"{path}: not valid YAML: key 'name' given twice in one mapping at line 4, column 5"
    )


def test_yaml_numbers_a_double_cannot_carry_are_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "export.yaml"
    path.write_text(
        "- self: {type: IDENTITY_PROFILE}\n"
        "  object:\n"
        "    name: A\n"
        "    authoritativeSource: {name: HR Workday}\n"
        "    weights: [0.5, 0.1000000000000000055511151231257827]\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileInputError) as raised:
        plan_import(path)
    assert [p.path for p in raised.value.input_problems] == ["[0].object.weights[1]"]
