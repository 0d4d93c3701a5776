"""The Python API: the same import as a function, sync and async, over real HTTP."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from iscctl.client import AsyncClient, Client
from iscctl.profiles import (
    ImportOutcome,
    ProfileInputError,
    ProfileStatus,
    import_profiles,
    import_profiles_async,
    plan_import,
)
from iscctl.sandbox import SandboxServer
from iscctl_client.models import ObjectImportResult

Profile = dict[str, Any]


def test_sync_import_from_a_path_returns_typed_verdicts(
    sandbox: SandboxServer,
    write_json: Callable[..., Path],
    make_profile: Callable[..., Profile],
    sync_client: Callable[[], Client],
) -> None:
    path = write_json([make_profile("Employees"), make_profile("Contractors")])
    with sync_client() as isc:
        outcome = import_profiles(isc, path)
    assert isinstance(outcome, ImportOutcome)
    assert isinstance(outcome.chunks[0].result, ObjectImportResult)
    assert [(v.profile.name, v.status) for v in outcome.verdicts()] == [
        ("Employees", ProfileStatus.IMPORTED),
        ("Contractors", ProfileStatus.IMPORTED),
    ]
    assert outcome.verdicts()[0].imported_id == sandbox.state.profiles["Employees"]["id"]
    assert outcome.exit_code == 0


def test_async_import_of_objects_leaves_the_callers_objects_untouched(
    sandbox: SandboxServer,
    make_profile: Callable[..., Profile],
    async_client: Callable[[], AsyncClient],
) -> None:
    objects = [make_profile("Employees")]
    before = copy.deepcopy(objects)

    async def run() -> ImportOutcome:
        async with async_client() as isc:
            return await import_profiles_async(isc, objects, map_source=["HR Workday=Azure AD"])

    outcome = asyncio.run(run())
    assert outcome.succeeded
    assert objects == before
    assert sandbox.state.profiles["Employees"]["authoritativeSource"]["name"] == "Azure AD"


def test_bad_input_raises_before_any_request(
    make_profile: Callable[..., Profile],
    sync_client: Callable[[], Client],
    import_requests: Callable[[], int],
) -> None:
    with sync_client() as isc, pytest.raises(ProfileInputError) as raised:
        import_profiles(isc, [make_profile("A", priority="high")])
    assert raised.value.problems == [
        ("<objects>: [0].object.priority", 'expected integer, got "high"')
    ]
    assert import_requests() == 0


def test_a_plan_can_be_checked_first_and_sent_later(
    sandbox: SandboxServer,
    make_profile: Callable[..., Profile],
    sync_client: Callable[[], Client],
) -> None:
    plan = plan_import([make_profile("Employees")])
    with sync_client() as isc:
        outcome = import_profiles(isc, plan)
    assert outcome.plan is plan
    assert list(sandbox.state.profiles) == ["Employees"]


def test_dry_run_returns_the_plan_without_sending(
    make_profile: Callable[..., Profile],
    sync_client: Callable[[], Client],
    import_requests: Callable[[], int],
) -> None:
    with sync_client() as isc:
        outcome = import_profiles(isc, [make_profile("Employees")], dry_run=True)
    assert [v.status for v in outcome.verdicts()] == [ProfileStatus.NOT_SENT]
    assert import_requests() == 0


def test_an_async_client_given_to_the_sync_function_is_a_clear_type_error(
    make_profile: Callable[..., Profile],
    async_client: Callable[[], AsyncClient],
    import_requests: Callable[[], int],
) -> None:
    isc = async_client()
    with pytest.raises(TypeError, match="use import_profiles_async"):
        import_profiles(isc, [make_profile("Employees")])  # type: ignore[arg-type]
    asyncio.run(isc.aclose())
    assert import_requests() == 0


def test_the_per_profile_answers_are_one_type_under_their_older_names_too() -> None:
    from iscctl.profiles import deleting, moving, named_export
    from iscctl.profiles.profile_tasks import ProfileTask

    assert deleting.Removal is ProfileTask and moving.Processing is ProfileTask
    assert moving.Removal is ProfileTask
    assert moving.export_named is named_export.export_named
    assert moving.export_named_sync is named_export.export_named_sync
    assert moving.UnknownProfileError is named_export.UnknownProfileError


def test_a_task_id_is_read_from_either_reply_and_a_202_without_one_still_counts() -> None:
    from iscctl.profiles.profile_tasks import ProfileTask, task_started
    from iscctl_client.models import TaskResultResponse, TaskResultSimplified

    deleted = TaskResultSimplified.from_dict({"id": "t-1", "name": None})
    processed = TaskResultResponse.from_dict({"type": "TASK_RESULT", "id": "t-2"})
    assert task_started("A", "p-1", deleted) == ProfileTask("A", "p-1", "t-1")
    assert task_started("B", "p-2", processed) == ProfileTask("B", "p-2", "t-2")
    assert task_started("C", "p-3", TaskResultSimplified()) == ProfileTask("C", "p-3")
    assert task_started("D", "p-4", None) == ProfileTask("D", "p-4")
