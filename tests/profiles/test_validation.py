"""Local validation: every problem at once, each with file, JSON path and rule."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from iscctl.profiles import ProfileInputError, plan_import

Profile = dict[str, Any]


def _problems(inputs: Any, **kwargs: Any) -> list[str]:
    with pytest.raises(ProfileInputError) as raised:
        plan_import(inputs, **kwargs)
    return [str(problem) for problem in raised.value.input_problems]


def test_every_problem_in_a_file_is_reported_at_once_with_its_path(
    write_json: Callable[..., Path], make_profile: Callable[..., Profile]
) -> None:
    wrong_priority = make_profile("Employees", priority="high")
    no_source = make_profile("Contractors")
    del no_source["object"]["authoritativeSource"]
    path = write_json([wrong_priority, no_source])
    assert _problems(str(path)) == [
        f'{path}: [0].object.priority: expected integer, got "high"',
        f"{path}: [1].object.authoritativeSource: field required",
    ]


def test_the_cli_prints_each_problem_on_its_own_line_and_sends_nothing(
    write_json: Callable[..., Path],
    make_profile: Callable[..., Profile],
    run_import: Callable[..., Result],
    import_requests: Callable[[], int],
) -> None:
    second = make_profile("B")
    second["version"] = "1"
    write_json([make_profile("A", priority="high"), second])
    result = run_import("export.json")  # run_import works in the folder write_json writes to
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        'error: export.json: [0].object.priority: expected integer, got "high"',
        'error: export.json: [1].version: expected integer, got "1"',
        "2 problems in the input; nothing was sent.",
    ]
    assert import_requests() == 0


def test_a_self_type_other_than_identity_profile_is_refused_in_an_array(
    make_profile: Callable[..., Profile],
) -> None:
    source = make_profile("HR")
    source["self"]["type"] = "SOURCE"
    problems = _problems([source])
    assert problems == [
        '<objects>: [0].self.type: expected IDENTITY_PROFILE, got "SOURCE":'
        " only identity profiles can be imported"
    ]


def test_a_missing_self_and_object_are_each_named(make_profile: Callable[..., Profile]) -> None:
    problems = _problems([{"version": 1}])
    assert problems == [
        "<objects>: [0].object: field required (the identity profile to import)",
        "<objects>: [0].self: field required (self.type must be IDENTITY_PROFILE)",
    ]


def test_duplicate_names_across_files_name_both_places(
    write_json: Callable[..., Path], make_profile: Callable[..., Profile]
) -> None:
    first = write_json([make_profile("Employees")], "a.json")
    second = write_json([make_profile("Other"), make_profile("employees")], "b.json")
    assert _problems([first, second]) == [
        f'{second}: [1].object.name: duplicate profile name "employees"'
        f" (also at {first}: [0].object.name); each profile may appear once per import"
    ]


def test_a_null_name_is_refused(make_profile: Callable[..., Profile]) -> None:
    profile = make_profile("X")
    profile["object"]["name"] = None
    problems = _problems([profile])
    assert problems == [
        "<objects>: [0].object.name: expected a non-empty name, got null:"
        " the tenant knows profiles by name"
    ]


def test_snake_case_field_names_are_not_taken_for_the_api_names(
    make_profile: Callable[..., Profile],
) -> None:
    profile = make_profile("Employees")
    profile["object"]["authoritative_source"] = profile["object"].pop("authoritativeSource")
    assert _problems([profile]) == ["<objects>: [0].object.authoritativeSource: field required"]


def test_strings_are_not_coerced_into_booleans(make_profile: Callable[..., Profile]) -> None:
    problems = _problems([make_profile("Employees", identityRefreshRequired="yes")])
    assert problems == [
        '<objects>: [0].object.identityRefreshRequired: expected boolean, got "yes"'
    ]


def test_integers_must_fit_their_declared_width(make_profile: Callable[..., Profile]) -> None:
    problems = _problems([make_profile("Employees", priority=2**63)])
    assert problems == [
        f"<objects>: [0].object.priority: {2**63} does not fit int64"
        f" (allowed {-(2**63)} to {2**63 - 1})"
    ]


def test_a_uuid_field_is_checked_as_the_api_reads_it(make_profile: Callable[..., Profile]) -> None:
    reference = {"taskResultId": "not-a-uuid", "reportName": "r"}
    problems = _problems([make_profile("E", identityExceptionReportReference=reference)])
    assert len(problems) == 1
    assert problems[0].startswith(
        "<objects>: [0].object.identityExceptionReportReference.taskResultId: "
    )
    assert problems[0].endswith('got "not-a-uuid"')


def test_a_valid_uuid_and_an_unknown_enum_free_transform_pass(
    make_profile: Callable[..., Profile],
) -> None:
    reference = {"taskResultId": "9c1d4c8e-1f2a-4b3c-8d4e-5f6a7b8c9d0e", "reportName": "r"}
    plan = plan_import([make_profile("E", identityExceptionReportReference=reference)])
    assert [profile.name for profile in plan.profiles] == ["E"]


@pytest.mark.parametrize(
    ("number", "arrives_as"),
    [("1e400", "infinity"), ("0.1000000000000000055511151231257827", "0.1")],
)
def test_numbers_a_double_cannot_carry_are_refused_not_rounded(
    number: str, arrives_as: str, tmp_path: Path, make_profile: Callable[..., Profile]
) -> None:
    text = json.dumps([make_profile("E")]).replace('"mail"}', f'"mail", "weight": {number}}}')
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    assert _problems(str(path)) == [
        f"{path}: [0].object.identityAttributeConfig.attributeTransforms[0]"
        f".transformDefinition.attributes.weight: the number {number} cannot be sent exactly"
        f" (it would arrive as {arrives_as}); round it, or write it as a string if the digits"
        " matter"
    ]


def test_a_source_mapping_that_matches_nothing_is_an_error(
    make_profile: Callable[..., Profile],
) -> None:
    problems = _problems([make_profile("E")], map_source=["Old HR=HR Workday"])
    assert problems == [
        "--map-source: Old HR=HR Workday: no authoritativeSource in the input has the id or"
        " name 'Old HR' (sources in the input: 'HR Workday')"
    ]


def test_an_sp_config_export_with_no_profiles_is_refused(write_json: Callable[..., Path]) -> None:
    path = write_json({"objects": [{"self": {"type": "SOURCE", "name": "HR"}, "object": {}}]})
    assert _problems(str(path)) == [
        f"{path}: the SP-Config export has no IDENTITY_PROFILE objects (it holds SOURCE)"
    ]


def test_a_mapping_shadowed_by_an_id_mapping_is_not_called_unused(
    make_profile: Callable[..., Profile],
) -> None:
    source = {"type": "SOURCE", "id": "old-id", "name": "Old HR"}
    plan = plan_import(
        [make_profile("E", source=source)], map_source=["old-id=new-id", "Old HR=HR Workday"]
    )
    assert plan.profiles[0].body["object"]["authoritativeSource"] == {
        "type": "SOURCE",
        "id": "new-id",
        "name": "Old HR",
    }
    assert plan.profiles[0].source.id == "new-id"


def test_a_malformed_mapping_is_reported_with_the_other_problems(
    make_profile: Callable[..., Profile],
) -> None:
    problems = _problems([make_profile("E", priority="high")], map_source=["=x"])
    assert problems == [
        "--map-source: '=x' is not OLD=NEW (a source id or name on each side)",
        '<objects>: [0].object.priority: expected integer, got "high"',
    ]


@pytest.mark.parametrize(
    ("original", "duplicated", "path"),
    [
        ('"priority": 10', '"priority": 10, "priority": 20', "[0].object"),
        (
            '"mail"}',
            '"mail", "sourceName": "AD"}',
            "[0].object.identityAttributeConfig.attributeTransforms[0].transformDefinition"
            ".attributes",
        ),
    ],
    ids=["in the profile", "in a transform"],
)
def test_a_key_given_twice_is_refused_with_its_object_path(
    original: str,
    duplicated: str,
    path: str,
    tmp_path: Path,
    make_profile: Callable[..., Profile],
) -> None:
    text = json.dumps([make_profile("E")]).replace(original, duplicated)
    assert text.count(duplicated) == 1
    file = tmp_path / "export.json"
    file.write_text(text, encoding="utf-8")
    [problem] = _problems(str(file))
    assert problem.startswith(f"{file}: {path}: key ")
    assert "given more than once in this object; only the last value would be sent" in problem


def test_a_key_that_is_not_a_plain_name_is_quoted_in_the_path(
    make_profile: Callable[..., Profile],
) -> None:
    profile = make_profile("E")
    transform = profile["object"]["identityAttributeConfig"]["attributeTransforms"][0]
    transform["transformDefinition"]["attributes"] = {"odd key.x": float("inf")}
    [problem] = _problems([profile])
    assert '.transformDefinition.attributes["odd key.x"]: the number inf cannot be sent' in problem


def test_a_source_reference_of_the_wrong_shape_is_a_problem_not_a_crash(
    make_profile: Callable[..., Profile],
) -> None:
    source = {"type": "SOURCE", "id": {}, "name": []}
    problems = _problems([make_profile("E", source=source)])
    assert problems == [
        "<objects>: [0].object.authoritativeSource.id: expected string, got an object",
        "<objects>: [0].object.authoritativeSource.name: expected string, got an array",
    ]


def test_the_plan_carries_the_typed_model_of_the_one_validation_beside_the_raw_body(
    make_profile: Callable[..., Profile],
) -> None:
    """#11.4: validated once; the typed generated model travels with the body that is sent."""
    from iscctl_models import IdentityProfileExportedObject, SpConfigObjectType

    exported = make_profile(
        "E",
        identityExceptionReportReference={
            "taskResultId": "2b838de9-db9b-abcf-e646-d4f274ad4238",
            "reportName": "x",
        },
    )
    exported["object"]["unknownField"] = {"kept": 1.5}
    planned = plan_import([exported]).profiles[0]
    assert isinstance(planned.model, IdentityProfileExportedObject)
    assert planned.model.self is not None
    assert planned.model.self.type is SpConfigObjectType.IDENTITY_PROFILE
    assert planned.source.name == "HR Workday" and planned.priority == 10
    assert planned.transform_count == 1
    # what is sent is the raw object: strings stay strings, unknown fields stay
    assert planned.body["self"]["type"] == "IDENTITY_PROFILE"
    assert planned.body["object"]["identityExceptionReportReference"]["taskResultId"] == (
        "2b838de9-db9b-abcf-e646-d4f274ad4238"
    )
    assert planned.body["object"]["unknownField"] == {"kept": 1.5}
    assert "id" not in planned.body["object"]
