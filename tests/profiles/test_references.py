"""Resolution, mapping files and field diffs on their own (#16.2, #16.3): pure functions,
fed with a catalog as a target tenant would give it. The same paths over real HTTP
with two sandbox tenants are in test_move.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from iscctl.profiles import ProfileInputError, plan_import
from iscctl.profiles.catalog import Catalog, Reference
from iscctl.profiles.diffing import Action, plan_changes, read_back_differences
from iscctl.profiles.mappings import read_mappings
from iscctl.profiles.references import resolve

Profile = dict[str, Any]
TARGET = Catalog(
    sources=[Reference("prod-hr", "HR Workday"), Reference("prod-ad", "Active Directory")],
    transforms=[Reference("prod-t1", "Lowercase Email")],
    identities=[Reference("prod-admin", "Jane Admin")],
)


def _with_transforms(make_profile: Callable[..., Profile], *definitions: Any) -> Profile:
    profile = make_profile(
        "Employees", source={"type": "SOURCE", "id": "dev-hr", "name": "HR Workday"}
    )
    profile["object"]["identityAttributeConfig"]["attributeTransforms"] = [
        {"identityAttributeName": f"attr{i}", "transformDefinition": d}
        for i, d in enumerate(definitions)
    ]
    return profile


def test_name_only_matches_are_rewritten_to_the_target_ids_and_reported(
    make_profile: Callable[..., Profile],
) -> None:
    nested = {
        "type": "lower",
        "attributes": {
            "input": {
                "type": "accountAttribute",
                "attributes": {
                    "sourceName": "Active Directory",
                    "sourceId": "dev-ad",
                    "attributeName": "mail",
                },
            }
        },
    }
    reference = {"type": "reference", "attributes": {"id": "Lowercase Email"}}
    profile = _with_transforms(make_profile, nested, reference)
    profile["object"]["owner"] = {"type": "IDENTITY", "id": "dev-admin", "name": "Jane Admin"}
    plan = plan_import([profile])
    resolution = resolve(plan.profiles, TARGET)
    body = resolution.profiles[0].body["object"]
    assert body["authoritativeSource"]["id"] == "prod-hr"
    assert body["owner"]["id"] == "prod-admin"
    transforms = body["identityAttributeConfig"]["attributeTransforms"]
    inner = transforms[0]["transformDefinition"]["attributes"]["input"]["attributes"]
    assert inner["sourceId"] == "prod-ad"
    assert transforms[1]["transformDefinition"]["attributes"]["id"] == "Lowercase Email"  # kept
    assert {(r.path, r.before, r.after) for r in resolution.rewrites} == {
        ("[0].object.authoritativeSource.id", "dev-hr", "prod-hr"),
        ("[0].object.owner.id", "dev-admin", "prod-admin"),
        (
            "[0].object.identityAttributeConfig.attributeTransforms[0].transformDefinition"
            ".attributes.input.attributes.sourceId",
            "dev-ad",
            "prod-ad",
        ),
    }
    assert resolution.profiles[0].source.id == "prod-hr"  # the typed view follows
    assert plan.profiles[0].body["object"]["authoritativeSource"]["id"] == "dev-hr"  # untouched


def test_an_id_match_is_kept(make_profile: Callable[..., Profile]) -> None:
    plan = plan_import(
        [make_profile("E", source={"type": "SOURCE", "id": "prod-hr", "name": "HR Workday"})]
    )
    assert resolve(plan.profiles, TARGET).rewrites == []


def test_a_missing_reference_stops_with_profile_path_and_name(
    make_profile: Callable[..., Profile],
) -> None:
    missing = {
        "type": "accountAttribute",
        "attributes": {"sourceName": "Payroll", "attributeName": "x"},
    }
    plan = plan_import([make_profile("Fine"), _with_transforms(make_profile, missing)])
    with pytest.raises(ProfileInputError) as raised:
        resolve(plan.profiles, TARGET)
    assert [str(p) for p in raised.value.input_problems] == [
        "<objects>: [1].object.identityAttributeConfig.attributeTransforms[0].transformDefinition"
        ".attributes: source 'Payroll' does not exist in the target tenant (neither its id nor"
        " its name matches); create it there first, or map it with --mappings FILE"
    ]


def test_a_mapping_file_overrides_the_automatic_match(
    tmp_path: Path, make_profile: Callable[..., Profile]
) -> None:
    rules_file = tmp_path / "mappings.yaml"
    rules_file.write_text("sources:\n  HR Workday: Active Directory\n", encoding="utf-8")
    rules = read_mappings(rules_file)
    plan = plan_import([make_profile("E", source={"type": "SOURCE", "name": "HR Workday"})])
    resolution = resolve(plan.profiles, TARGET, rules)
    source = resolution.profiles[0].body["object"]["authoritativeSource"]
    assert source == {"type": "SOURCE", "name": "Active Directory", "id": "prod-ad"}
    assert {r.reason for r in resolution.rewrites} == {f"{rules_file} line 2"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sources:\n  a: b\nroles:\n  x: y\n", ":3: unknown kind 'roles'"),
        ("sources:\n  a: b\n  a: c\n", ":3: two rules for source 'a' (also line 2)"),
        ("transforms:\n  a:\n", ":2: transforms: expected OLD: NEW"),
    ],
    ids=["unknown-kind", "two-rules", "no-target"],
)
def test_a_bad_mapping_file_names_the_line(tmp_path: Path, text: str, expected: str) -> None:
    rules_file = tmp_path / "mappings.yaml"
    rules_file.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileInputError) as raised:
        read_mappings(rules_file)
    assert expected in str(raised.value)
    assert str(raised.value).startswith(f"{rules_file}:")


def test_a_mapping_to_a_target_that_does_not_exist_names_the_line(tmp_path: Path) -> None:
    rules_file = tmp_path / "mappings.yaml"
    rules_file.write_text("sources:\n  HR: Payroll\n", encoding="utf-8")
    problems = read_mappings(rules_file).check_targets({"source": [("prod-hr", "HR Workday")]})
    assert [str(p) for p in problems] == [
        f"{rules_file}:2: source 'Payroll' (the NEW of 'HR') does not exist in the target"
        " tenant; give an id or name the target holds"
    ]


def test_plan_says_create_update_unchanged_with_field_changes(
    make_profile: Callable[..., Profile],
) -> None:
    same, changed, new = (
        make_profile("Same"),
        make_profile("Changed", priority=20),
        make_profile("New"),
    )
    held = [
        {
            **same["object"],
            "id": "t1",
            "identityCount": 12,
            "authoritativeSource": {"type": "SOURCE", "name": "HR Workday", "id": "x"},
        },
        {
            **changed["object"],
            "id": "t2",
            "identityAttributeConfig": {
                "enabled": True,
                "attributeTransforms": [
                    {"identityAttributeName": "phone", "transformDefinition": {"type": "static"}}
                ],
            },
        },
    ]
    held[1]["priority"] = 10
    plans = plan_changes(plan_import([same, changed, new]).profiles, held)
    assert [(p.profile.name, p.action) for p in plans] == [
        ("Same", Action.UNCHANGED),
        ("Changed", Action.UPDATE),
        ("New", Action.CREATE),
    ]
    assert [(c.field, c.change) for c in plans[1].changes] == [
        ("priority", "changed"),
        ("mapping email", "added"),
        ("mapping phone", "removed"),
    ]
    assert plans[0].target_id == "t1"


def test_read_back_catches_a_dropped_mapping(make_profile: Callable[..., Profile]) -> None:
    sent = make_profile("E")["object"]
    held = {**sent, "identityAttributeConfig": {"enabled": True, "attributeTransforms": []}}
    differences = read_back_differences(sent, held)
    assert [(c.field, c.change) for c in differences] == [("mapping email", "dropped")]
