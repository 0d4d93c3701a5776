"""Processing over time: tasks queue, run and complete; identities end OK or in ERROR (#15.4)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from iscctl.sandbox import SandboxServer, SandboxSettings
from iscctl.sandbox.population import seeded_identity_ids
from iscctl.sandbox.tasks import ProcessingBook

from .conftest import fetch_token

TASK_STATUS_KEYS = {
    "id", "type", "uniqueName", "description", "parentName", "launcher", "target", "created",
    "modified", "launched", "completed", "completionStatus", "messages", "returns",
    "attributes", "progress", "percentComplete", "taskDefinitionSummary",
}  # fmt: skip


class Tenant:
    """A sandbox and a client holding a token, for short scenario tests."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.base_url, timeout=10)
        self.headers = {
            "Authorization": f"Bearer {fetch_token(self.http, server)}",
            "X-SailPoint-Experimental": "true",
        }

    def process(self, ids: list[str]) -> str:
        reply = self.http.post(
            "/v2025/identities/process", json={"identityIds": ids}, headers=self.headers
        )
        assert reply.status_code == 202, reply.text
        task_id: str = reply.json()["id"]
        return task_id

    def task(self, task_id: str, path: str = "/v2025/task-status/{}") -> httpx.Response:
        return self.http.get(path.format(task_id), headers=self.headers)

    def identities(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        quoted = ",".join(f'"{id_}"' for id_ in ids)
        reply = self.http.get(
            "/v2025/identities", params={"filters": f"id in ({quoted})"}, headers=self.headers
        )
        return {identity["id"]: identity for identity in reply.json()}


@pytest.fixture
def tenant_with(make_sandbox: Callable[..., SandboxServer]) -> Callable[..., Tenant]:
    clients: list[Tenant] = []

    def make(**settings: Any) -> Tenant:
        tenant = Tenant(make_sandbox(**settings))
        clients.append(tenant)
        return tenant

    yield make  # type: ignore[misc]
    for tenant in clients:
        tenant.http.close()


def test_a_task_is_queued_until_its_delay_passed(tenant_with: Callable[..., Tenant]) -> None:
    tenant = tenant_with(processing_delay=3600)
    task_id = tenant.process(tenant.server.identity_ids[:2])
    status = tenant.task(task_id).json()
    assert set(status) == TASK_STATUS_KEYS
    assert status["id"] == task_id
    assert status["completionStatus"] is None
    assert status["launched"] is None
    assert status["completed"] is None
    assert status["progress"] == "Queued"
    assert status["percentComplete"] == 0


def test_a_running_task_says_how_far_it_got(tenant_with: Callable[..., Tenant]) -> None:
    tenant = tenant_with(processing_delay=0, processing_time=3600)
    ids = tenant.server.identity_ids[:3]
    before = tenant.identities(ids)
    status = tenant.task(tenant.process(ids)).json()
    assert status["launched"] is not None
    assert status["completionStatus"] is None
    assert status["progress"] == "Processed 0 of 3 identities"
    assert tenant.identities(ids) == before  # nothing finished, nothing changed


def test_a_completed_task_moves_last_refresh_and_sets_ok(
    tenant_with: Callable[..., Tenant],
) -> None:
    tenant = tenant_with(processing_delay=0, processing_time=0)
    ids = tenant.server.identity_ids[:3]
    before = tenant.identities(ids)
    status = tenant.task(tenant.process(ids)).json()
    assert status["completionStatus"] == "SUCCESS"
    assert status["percentComplete"] == 100
    assert status["completed"] is not None
    after = tenant.identities(ids)
    for id_ in ids:
        assert after[id_]["processingState"] == "OK"
        assert after[id_]["lastRefresh"] > before[id_]["lastRefresh"]
        assert after[id_]["lastRefresh"] >= status["created"]


def test_listed_identities_end_in_error_with_details_and_keep_last_refresh(
    tenant_with: Callable[..., Tenant],
) -> None:
    tenant = tenant_with(processing_delay=0, processing_time=0)
    ids = tenant.server.identity_ids[:4]
    tenant.server.processing.fail(ids[:1])
    before = tenant.identities(ids)
    status = tenant.task(tenant.process(ids)).json()
    assert status["completionStatus"] == "WARNING"
    assert status["attributes"]["identitiesInError"] == 1
    assert [m["type"] for m in status["messages"]] == ["INFO", "WARN"]
    after = tenant.identities(ids)
    assert after[ids[0]]["processingState"] == "ERROR"
    assert after[ids[0]]["lastRefresh"] == before[ids[0]]["lastRefresh"]
    assert [after[id_]["processingState"] for id_ in ids[1:]] == ["OK", "OK", "OK"]
    in_error = tenant.http.get(
        "/v2025/identities",
        params={"filters": 'processingState eq "ERROR"'},
        headers=tenant.headers,
    ).json()
    assert [identity["id"] for identity in in_error] == ids[:1]
    document = tenant.http.post(
        "/v2025/search",
        json={"indices": ["identities"], "query": {"query": f"id:{ids[0]}"}},
        headers=tenant.headers,
    ).json()[0]
    details = document["processingDetails"]
    assert document["processingState"] == "ERROR"
    assert set(details) == {"date", "stage", "retryCount", "message", "stackTrace"}
    assert details["retryCount"] == 0
    assert details["date"] >= status["created"]


def test_a_retry_of_the_failed_identity_succeeds_by_default(
    tenant_with: Callable[..., Tenant],
) -> None:
    tenant = tenant_with(processing_delay=0, processing_time=0)
    failing = tenant.server.identity_ids[:1]
    tenant.server.processing.fail(failing)
    tenant.process(failing)
    assert tenant.identities(failing)[failing[0]]["processingState"] == "ERROR"
    tenant.process(failing)
    assert tenant.identities(failing)[failing[0]]["processingState"] == "OK"


def test_failures_can_persist_and_count_retries(tenant_with: Callable[..., Tenant]) -> None:
    ids = seeded_identity_ids(1, seed=1)  # the tenant's first identity, known before it starts
    tenant = tenant_with(
        processing_delay=0,
        processing_time=0,
        processing_failures=None,
        processing_error_ids=ids,
    )
    assert tenant.server.identity_ids[:1] == ids
    statuses = [tenant.task(tenant.process(ids)).json()["completionStatus"] for _ in range(3)]
    assert statuses == ["ERROR", "ERROR", "ERROR"]  # every identity of the task failed
    document = tenant.http.post(
        "/v2025/search",
        json={"query": {"query": f"id:{ids[0]}"}},
        headers=tenant.headers,
    ).json()[0]
    assert document["processingDetails"]["retryCount"] == 2


def test_a_share_of_identities_fails_the_same_way_for_the_same_seed(
    tenant_with: Callable[..., Tenant],
) -> None:
    tenant = tenant_with(processing_delay=0, processing_time=0, processing_error_rate=0.2)
    ids = tenant.server.identity_ids[:250]
    tenant.process(ids)
    failed = {
        i
        for i, identity in tenant.identities(ids).items()
        if identity["processingState"] == "ERROR"
    }
    assert 20 <= len(failed) <= 80  # about a fifth of 250
    again = tenant_with(processing_delay=0, processing_time=0, processing_error_rate=0.2)
    again.process(ids)
    assert {
        i for i, identity in again.identities(ids).items() if identity["processingState"] == "ERROR"
    } == failed


@pytest.mark.parametrize(
    "path",
    [
        "/beta/task-status/{}",
        "/v2024/task-status/{}",
        "/v2025/task-status/{}",
        "/v2026/task-status/{}",
        "/task-status/v1/{}",
    ],
)
def test_every_version_that_has_task_status_serves_it(
    tenant_with: Callable[..., Tenant], path: str
) -> None:
    tenant = tenant_with()
    task_id = tenant.process(tenant.server.identity_ids[:1])
    assert tenant.task(task_id, path).status_code == 200
    assert tenant.task(task_id.replace("-", ""), path).status_code == 200  # 32-hex form too


def test_unknown_tasks_are_404_without_a_body(tenant_with: Callable[..., Tenant]) -> None:
    tenant = tenant_with()
    reply = tenant.task("2c9180835d2e5168015d32f890ca1581")
    assert reply.status_code == 404
    assert reply.content == b""
    assert tenant.task("x", "/v3/task-status/{}").status_code == 404  # no task status in v3


def test_untracked_tasks_answer_404(tenant_with: Callable[..., Tenant]) -> None:
    tenant = tenant_with(track_tasks=False)
    reply = tenant.task(tenant.process(tenant.server.identity_ids[:1]))
    assert reply.status_code == 404
    assert reply.content == b""


def test_the_phases_follow_the_clock() -> None:
    """queued -> in progress (percent grows) -> completed, on a clock the test moves."""
    now = [1000.0]
    settings = SandboxSettings(processing_delay=1.0, processing_time=2.0)
    book = ProcessingBook(settings, clock=lambda: now[0])
    task = book.start("t-1", "client", ["a", "b"])
    seen = []
    for moment in (1000.5, 1001.0, 1003.0, 1004.9, 1005.0):
        now[0] = moment
        status = book.status(task, moment)
        seen.append((status["progress"], status["percentComplete"], status["completionStatus"]))
    assert seen == [
        ("Queued", 0, None),
        ("Processed 0 of 2 identities", 0, None),
        ("Processed 1 of 2 identities", 50, None),
        ("Processed 1 of 2 identities", 50, None),
        ("Completed", 100, "SUCCESS"),
    ]
    assert book.outcome("a", 1002.9) is None
    outcome = book.outcome("a", 1003.0)
    assert outcome is not None and outcome.processing_state == "OK"


def test_reset_forgets_tasks(tenant_with: Callable[..., Tenant]) -> None:
    tenant = tenant_with()
    task_id = tenant.process(tenant.server.identity_ids[:1])
    tenant.server.reset()
    tenant.headers["Authorization"] = f"Bearer {fetch_token(tenant.http, tenant.server)}"
    assert tenant.task(task_id).status_code == 404


def test_processing_settles_within_its_configured_time(tenant_with: Callable[..., Tenant]) -> None:
    """The defaults are short: a small batch is done well within a few seconds."""
    tenant = tenant_with()
    task_id = tenant.process(tenant.server.identity_ids[:5])
    deadline = time.monotonic() + 10
    while tenant.task(task_id).json()["completionStatus"] is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_the_inspection_api_lists_tasks_and_plans_errors(
    tenant_with: Callable[..., Tenant],
) -> None:
    tenant = tenant_with(processing_delay=0, processing_time=0)
    ids = tenant.server.identity_ids[:2]
    planned = tenant.http.post("/__sandbox__/processing-errors", json=ids[:1])
    assert planned.json() == {"failing": ids[:1]}
    task_id = tenant.process(ids)
    tasks = tenant.http.get("/__sandbox__/tasks").json()
    assert [(t["id"], t["completionStatus"]) for t in tasks] == [(task_id, "WARNING")]
    refused = tenant.http.post("/__sandbox__/processing-errors", json={"id": ids[0]})
    assert refused.status_code == 400
