"""Which profile a reply's message is about, and what the transforms do to the input.

These use replies built in memory: the sandbox always sends `details.index`, and the
other ways a live tenant may name an object cannot be arranged over HTTP.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from iscctl.profiles import ImportOutcome, ProfileStatus, plan_import
from iscctl.profiles.runner import ChunkOutcome, chunked
from iscctl.profiles.transform import SourceMapping, map_source, strip_read_only
from iscctl_client.models import ObjectImportResult

Profile = dict[str, Any]


def _outcome(profiles: list[Profile], reply: dict[str, Any]) -> ImportOutcome:
    plan = plan_import(profiles)
    result = ObjectImportResult.from_dict(
        {"infos": [], "warnings": [], "errors": [], "importedObjects": [], **reply}
    )
    return ImportOutcome(plan, chunks=[ChunkOutcome(1, plan.profiles, result=result)])


def _statuses(outcome: ImportOutcome) -> list[tuple[str, ProfileStatus]]:
    return [(v.profile.name, v.status) for v in outcome.verdicts()]


def test_an_error_naming_the_object_in_details_rejects_that_profile(
    make_profile: Callable[..., Profile],
) -> None:
    error = {"key": "X", "text": "bad", "details": {"objectName": "Contractors"}}
    outcome = _outcome(
        [make_profile("Employees"), make_profile("Contractors")], {"errors": [error]}
    )
    assert _statuses(outcome) == [
        ("Employees", ProfileStatus.NO_VERDICT),
        ("Contractors", ProfileStatus.REJECTED),
    ]
    assert outcome.exit_code == 1


def test_an_error_naming_one_profile_only_in_its_text_rejects_it(
    make_profile: Callable[..., Profile],
) -> None:
    error = {"key": "X", "text": "Profile 'HR' is invalid", "details": {}}
    outcome = _outcome([make_profile("HR"), make_profile("HR Contractors")], {"errors": [error]})
    assert [status for _, status in _statuses(outcome)] == [
        ProfileStatus.REJECTED,
        ProfileStatus.NO_VERDICT,
    ]


def test_an_error_about_no_profile_in_particular_still_fails_the_import(
    make_profile: Callable[..., Profile],
) -> None:
    error = {"key": "X", "text": "the import failed", "details": {}}
    imported = {"type": "IDENTITY_PROFILE", "id": "1", "name": "Employees"}
    outcome = _outcome(
        [make_profile("Employees")], {"errors": [error], "importedObjects": [imported]}
    )
    assert _statuses(outcome) == [("Employees", ProfileStatus.IMPORTED)]
    assert outcome.exit_code == 1


def test_an_imported_object_of_another_type_does_not_confirm_a_profile(
    make_profile: Callable[..., Profile],
) -> None:
    imported = {"type": "SOURCE", "id": "1", "name": "Employees"}
    outcome = _outcome([make_profile("Employees")], {"importedObjects": [imported]})
    assert _statuses(outcome) == [("Employees", ProfileStatus.NO_VERDICT)]


def test_an_imported_object_with_a_null_type_still_confirms_its_profile(
    make_profile: Callable[..., Profile],
) -> None:
    imported = {"type": None, "id": "1", "name": "Employees"}
    outcome = _outcome([make_profile("Employees")], {"importedObjects": [imported]})
    assert _statuses(outcome) == [("Employees", ProfileStatus.IMPORTED)]


def test_chunks_keep_the_input_order_and_refuse_a_zero_size(
    make_profile: Callable[..., Profile],
) -> None:
    plan = plan_import([make_profile(f"P{n}") for n in range(5)])
    sizes = [[p.name for p in chunk] for chunk in chunked(plan.profiles, 2)]
    assert sizes == [["P0", "P1"], ["P2", "P3"], ["P4"]]
    with pytest.raises(ValueError, match="at least 1"):
        list(chunked(plan.profiles, 0))


def test_stripping_read_only_fields_copies_and_keeps_key_order(
    make_profile: Callable[..., Profile],
) -> None:
    item = make_profile("Employees")
    before = copy.deepcopy(item)
    stripped, removed = strip_read_only(item)
    assert removed == ("id", "created", "modified")
    assert item == before
    expected = [k for k in item["object"] if k not in ("id", "created", "modified")]
    assert list(stripped["object"]) == expected


def test_mapping_by_name_drops_the_other_tenants_id(make_profile: Callable[..., Profile]) -> None:
    item = make_profile("E", source={"type": "SOURCE", "id": "old-id", "name": "Old HR"})
    mapped, rewrite = map_source(item, [SourceMapping.parse("Old HR = HR Workday")])
    assert mapped["object"]["authoritativeSource"] == {"type": "SOURCE", "name": "HR Workday"}
    assert rewrite is not None and rewrite.matched == "name"
    assert item["object"]["authoritativeSource"]["id"] == "old-id"


def test_a_mapping_by_id_wins_over_one_by_name(make_profile: Callable[..., Profile]) -> None:
    item = make_profile("E", source={"type": "SOURCE", "id": "old-id", "name": "old-id-name"})
    mapped, _ = map_source(
        item, [SourceMapping("old-id-name", "by-name"), SourceMapping("old-id", "new-id")]
    )
    assert mapped["object"]["authoritativeSource"] == {
        "type": "SOURCE",
        "id": "new-id",
        "name": "old-id-name",
    }


def test_an_interrupted_import_lists_the_profiles_not_sent(
    make_profile: Callable[..., Profile],
) -> None:
    outcome = _outcome([make_profile("A"), make_profile("B")], {})
    outcome.chunks[0] = ChunkOutcome(1, outcome.plan.profiles[:1], result=outcome.chunks[0].result)
    assert [profile.name for profile in outcome.unsent] == ["B"]
    assert outcome.exit_code == 1


def test_an_imported_object_of_a_new_type_with_the_name_confirms_a_profile(
    make_profile: Callable[..., Profile],
) -> None:
    imported = {"type": "IDENTITY_PROFILE_V2", "id": "1", "name": "Employees"}
    outcome = _outcome([make_profile("Employees")], {"importedObjects": [imported]})
    assert _statuses(outcome) == [("Employees", ProfileStatus.IMPORTED)]


def test_unnamed_imported_objects_confirm_the_profiles_left_when_the_counts_agree(
    make_profile: Callable[..., Profile],
) -> None:
    error = {"key": "X", "text": "bad", "details": {"index": 0}}
    unnamed = [{"type": "IDENTITY_PROFILE", "id": str(n), "name": None} for n in range(2)]
    profiles = [make_profile("A"), make_profile("B"), make_profile("C")]
    outcome = _outcome(profiles, {"errors": [error], "importedObjects": unnamed})
    assert [status for _, status in _statuses(outcome)] == [
        ProfileStatus.REJECTED,
        ProfileStatus.IMPORTED,
        ProfileStatus.IMPORTED,
    ]


def test_unnamed_imported_objects_prove_nothing_when_the_counts_differ(
    make_profile: Callable[..., Profile],
) -> None:
    unnamed = [{"type": "IDENTITY_PROFILE", "id": "1", "name": None}]
    outcome = _outcome([make_profile("A"), make_profile("B")], {"importedObjects": unnamed})
    assert [status for _, status in _statuses(outcome)] == [
        ProfileStatus.NO_VERDICT,
        ProfileStatus.NO_VERDICT,
    ]
