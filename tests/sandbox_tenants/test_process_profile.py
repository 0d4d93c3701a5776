"""POST /identity-profiles/{id}/process-identities: every identity of that profile."""

from __future__ import annotations

import pytest

from .conftest import Api


def profile_id(api: Api, name: str) -> str:
    found: str = api.ok("/v2025/identity-profiles", filters=f'name eq "{name}"')[0]["id"]
    return found


@pytest.mark.parametrize(
    "root",
    ["/v3", "/beta", "/v2024", "/v2025", "/v2026", "v1"],
)
def test_processing_a_profile_processes_exactly_its_identities(dev: Api, root: str) -> None:
    employees = profile_id(dev, "Employees")
    path = (
        f"/identity-profiles/v1/{employees}/process-identities"
        if root == "v1"
        else f"{root}/identity-profiles/{employees}/process-identities"
    )
    reply = dev.post(path)
    members = dev.server.profile_directory.members("Employees")
    assert reply.status_code == 202
    assert reply.json()["type"] == "TASK_RESULT" and reply.json()["id"]
    assert dev.server.state.process_counts == dict.fromkeys(members, 1)
    assert dev.server.profile_directory.processed == {employees: 1}


def test_the_profiles_split_the_seeded_identities(dev: Api) -> None:
    directory = dev.server.profile_directory
    employees, contractors = directory.members("Employees"), directory.members("Contractors")
    assert len(employees) > len(contractors) > 0
    assert not set(employees) & set(contractors)
    assert set(employees) | set(contractors) == set(dev.server.identity_ids)


def test_an_identity_names_the_profile_the_profiles_list_serves(dev: Api) -> None:
    contractors = dev.ok("/v2025/identity-profiles", filters='name eq "Contractors"')[0]
    member = dev.server.profile_directory.members("Contractors")[0]
    identity = dev.ok(f"/v2025/identities/{member}")
    assert identity["attributes"]["identityProfile"] == "Contractors"
    found = dev.server.tenant.directory.get(member)
    assert found is not None and found.profile.id == contractors["id"]


def test_processing_a_profile_starts_a_task_like_process_does(dev: Api) -> None:
    reply = dev.post(
        f"/v2025/identity-profiles/{profile_id(dev, 'Contractors')}/process-identities"
    )
    status = dev.ok(f"/v2025/task-status/{reply.json()['id']}")
    assert status["id"].replace("-", "") == reply.json()["id"].replace("-", "")


def test_the_batch_carries_the_task_id_of_the_reply(dev: Api) -> None:
    reply = dev.post(
        f"/v2025/identity-profiles/{profile_id(dev, 'Contractors')}/process-identities"
    )
    (batch,) = dev.server.state.accepted_batches
    contractors = dev.server.profile_directory.members("Contractors")
    assert batch.task_id == reply.json()["id"] and batch.identity_ids == contractors


def test_processing_an_unknown_profile_is_404(dev: Api) -> None:
    reply = dev.post("/v2025/identity-profiles/ffffffffffffffffffffffffffffffff/process-identities")
    assert reply.status_code == 404 and reply.json()["detailCode"] == "404 Not found"
    assert dev.server.state.accepted_batches == []


def test_processing_a_new_profile_processes_nobody(dev: Api) -> None:
    from .conftest import exported, profile

    body = dev.post("/v2025/identity-profiles/import", [exported(profile("Interns"))]).json()
    new_id = body["importedObjects"][0]["id"]
    assert dev.post(f"/v2025/identity-profiles/{new_id}/process-identities").status_code == 202
    assert dev.server.state.process_counts == {}


def test_processing_is_visible_in_the_inspection_api(dev: Api) -> None:
    import httpx

    employees = profile_id(dev, "Employees")
    dev.post(f"/v2025/identity-profiles/{employees}/process-identities")
    dev.post(f"/v2025/identity-profiles/{employees}/process-identities")
    seen = httpx.get(f"{dev.server.inspection_url}/profile-processing", timeout=10).json()
    assert seen == {employees: 2}
