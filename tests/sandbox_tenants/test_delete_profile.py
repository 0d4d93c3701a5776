"""DELETE /identity-profiles/{id}: 202 with a task reference, the profile gone from every
list; a profile identities still belong to is refused with a 400; an unknown id is a 404.

The generated client's `delete_identity_profile` is what iscctl calls, so it is used here.
"""

from __future__ import annotations

import iscctl
import pytest
from iscctl.errors import BadRequestError, NotFoundError
from iscctl_client.api.identity_profiles import delete_identity_profile
from iscctl_client.models import TaskResultSimplified

from .conftest import Api


def _import_empty_profile(api: Api, name: str) -> str:
    source = api.ok("/v2025/sources", filters='name eq "HR Workday"')[0]
    body = [
        {
            "version": 1,
            "self": {"type": "IDENTITY_PROFILE", "name": name},
            "object": {
                "name": name,
                "priority": 5,
                "authoritativeSource": {"type": "SOURCE", "id": source["id"]},
            },
        }
    ]
    reply = api.post("/v2025/identity-profiles/import", body)
    assert reply.status_code == 200, reply.text
    found: str = api.ok("/v2025/identity-profiles", filters=f'name eq "{name}"')[0]["id"]
    return found


def _client(api: Api) -> iscctl.ApiClient:
    server = api.server
    return iscctl.api_client(
        base_url=server.base_url,
        client_id=server.client_id,
        client_secret=server.client_secret,
        rate_limit=None,
    )


def test_deleting_a_new_profile_answers_a_task_and_removes_it(prod: Api) -> None:
    profile_id = _import_empty_profile(prod, "Interns")
    with _client(prod) as api:
        task = iscctl.unwrap(delete_identity_profile.sync_detailed(profile_id, client=api))
    assert isinstance(task, TaskResultSimplified)
    assert isinstance(task.id, str) and len(task.id) == 32
    assert task.launched is not None and task.completion_status is None
    assert prod.ok("/v2025/identity-profiles", filters='name eq "Interns"') == []
    assert prod.get(f"/v2025/identity-profiles/{profile_id}").status_code == 404
    assert "Interns" not in prod.server.state.profiles


@pytest.mark.parametrize("root", ["/v3", "/beta", "/v2024", "/v2026", ""])
def test_every_version_serves_the_delete(prod: Api, root: str) -> None:
    profile_id = _import_empty_profile(prod, "Interns")
    path = f"{root}/identity-profiles/{profile_id}"
    if not root:  # the per-service path
        path = f"/identity-profiles/v1/{profile_id}"
    reply = prod.http.delete(path, headers=prod.headers)
    assert reply.status_code == 202, reply.text
    assert set(reply.json()) == {
        "id", "name", "description", "launcher", "launched", "completed", "completionStatus"
    }  # fmt: skip


def test_a_profile_with_identities_is_refused_and_kept(prod: Api) -> None:
    employees = prod.ok("/v2025/identity-profiles", filters='name eq "Employees"')[0]
    assert employees["identityCount"] > 0
    with _client(prod) as api, pytest.raises(BadRequestError) as refused:
        iscctl.unwrap(delete_identity_profile.sync_detailed(employees["id"], client=api))
    assert "still has" in str(refused.value) and "identities" in str(refused.value)
    assert prod.ok(f"/v2025/identity-profiles/{employees['id']}")["name"] == "Employees"


def test_an_unknown_id_is_a_404(prod: Api) -> None:
    with _client(prod) as api, pytest.raises(NotFoundError):
        iscctl.unwrap(delete_identity_profile.sync_detailed("f" * 32, client=api))


def test_an_unknown_completion_status_still_reads(prod: Api) -> None:
    profile_id = _import_empty_profile(prod, "Interns")
    prod.server.faults.add("unknown_enums", operation="delete-profile")
    with _client(prod) as api:
        task = iscctl.unwrap(delete_identity_profile.sync_detailed(profile_id, client=api))
    assert isinstance(task, TaskResultSimplified) and task.completion_status == "FutureStatus"
    assert "Interns" not in prod.server.state.profiles
