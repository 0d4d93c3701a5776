"""POST /identities/process: body rules, unknown ids, and what the tenant records."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from iscctl.sandbox import SandboxServer

from .conftest import fetch_token

PROCESS = "/v2025/identities/process"
BAD_REQUEST_TEXT = "The request was syntactically correct but its content is semantically invalid."


def test_a_valid_batch_is_202_with_a_new_task(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    ids = sandbox.identity_ids[:250]
    reply = http.post(PROCESS, json={"identityIds": ids}, headers=auth)
    body = reply.json()
    assert reply.status_code == 202
    assert body["type"] == "TASK_RESULT"
    assert body["name"] is None
    assert uuid.UUID(body["id"]).version == 4
    assert sandbox.state.accepted_batches == [(body["id"], tuple(ids))]
    assert sandbox.state.process_counts == dict.fromkeys(ids, 1)


def test_counts_add_up_over_batches(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    first, second = sandbox.identity_ids[:2]
    http.post(PROCESS, json={"identityIds": [first, second]}, headers=auth)
    http.post(PROCESS, json={"identityIds": [first]}, headers=auth)
    assert sandbox.state.process_counts == {first: 2, second: 1}


def test_251_ids_are_400_naming_identity_ids_and_the_rule(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    reply = http.post(PROCESS, json={"identityIds": sandbox.identity_ids[:251]}, headers=auth)
    body = reply.json()
    assert reply.status_code == 400
    assert body["detailCode"] == "400.1 Bad Request Content"
    assert body["messages"] == [
        {"locale": "en-US", "localeOrigin": "DEFAULT", "text": BAD_REQUEST_TEXT}
    ]
    assert body["causes"][0]["text"] == (
        "identityIds: List should have at most 250 items after validation, not 251"
    )
    assert sandbox.state.process_counts == {}


@pytest.mark.parametrize(
    ("payload", "named"),
    [
        ({"identityIds": []}, "identityIds: List should have at least 1 item"),
        ({}, "identityIds: Field required"),
        ({"identityIds": ["ok", 7]}, "identityIds[1]: Input should be a valid string"),
        ({"identityIds": "abc"}, "identityIds: Input should be a valid array"),
        ([], "request body: Input should be"),
    ],
)
def test_invalid_bodies_are_400_naming_the_json_path(
    http: httpx.Client, auth: dict[str, str], payload: object, named: str
) -> None:
    reply = http.post(PROCESS, json=payload, headers=auth)
    assert reply.status_code == 400
    assert reply.json()["causes"][0]["text"].startswith(named)


def test_malformed_json_is_400(http: httpx.Client, auth: dict[str, str]) -> None:
    reply = http.post(
        PROCESS, content=b'{"identityIds": [', headers={**auth, "Content-Type": "application/json"}
    )
    assert reply.status_code == 400
    assert reply.json()["detailCode"] == "400.1 Bad Request Content"
    assert "JSON" in reply.json()["causes"][0]["text"]


def test_a_body_that_is_not_json_typed_is_400_naming_content_type(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    reply = http.post(
        PROCESS,
        content=f'{{"identityIds": ["{sandbox.identity_ids[0]}"]}}'.encode(),
        headers={**auth, "Content-Type": "text/plain"},
    )
    assert reply.status_code == 400
    assert reply.json()["causes"][0]["text"].startswith("Content-Type: expected application/json")


def test_unknown_ids_are_404_naming_them_and_nothing_is_processed(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    known = sandbox.identity_ids[0]
    reply = http.post(PROCESS, json={"identityIds": [known, "a", "b", "a"]}, headers=auth)
    body = reply.json()
    assert reply.status_code == 404
    assert body["detailCode"] == "404 Not found"
    assert body["causes"][0]["text"] == "Identity ids not found: a,b"
    assert sandbox.state.process_counts == {}
    assert sandbox.state.accepted_batches == []


def test_accept_mode_processes_unknown_ids(make_sandbox: Callable[..., SandboxServer]) -> None:
    server = make_sandbox(unknown_ids="accept")
    with httpx.Client(base_url=server.base_url) as client:
        headers = {"Authorization": f"Bearer {fetch_token(client, server)}"}
        reply = client.post(
            "/beta/identities/process", json={"identityIds": ["x"]}, headers=headers
        )
    assert reply.status_code == 202
    assert server.state.process_counts == {"x": 1}


def test_ids_from_the_ids_file_are_known(
    make_sandbox: Callable[..., SandboxServer], tmp_path: Path
) -> None:
    ids_file = tmp_path / "ids.txt"
    ids_file.write_text("# exported from prod\nabc123\n\n  def456  \n", encoding="utf-8")
    server = make_sandbox(identity_ids_file=ids_file, population_size=3)
    assert server.identity_ids[3:] == ["abc123", "def456"]
    with httpx.Client(base_url=server.base_url) as client:
        headers = {"Authorization": f"Bearer {fetch_token(client, server)}"}
        reply = client.post(
            "/beta/identities/process", json={"identityIds": ["abc123", "def456"]}, headers=headers
        )
    assert reply.status_code == 202


def test_the_population_is_seeded_and_reproducible(
    make_sandbox: Callable[..., SandboxServer], sandbox: SandboxServer
) -> None:
    same = make_sandbox(population_size=2000, seed=1)
    other = make_sandbox(population_size=2000, seed=2)
    assert same.identity_ids == sandbox.identity_ids
    assert other.identity_ids != sandbox.identity_ids
    assert len(set(sandbox.identity_ids)) == 2000
    assert all(len(i) == 32 and i == i.lower() and int(i, 16) >= 0 for i in sandbox.identity_ids)


def test_extra_request_fields_are_tolerated(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    reply = http.post(
        PROCESS, json={"identityIds": sandbox.identity_ids[:1], "future": True}, headers=auth
    )
    assert reply.status_code == 202


def test_json_nested_too_deeply_is_400_not_a_crash(
    http: httpx.Client, auth: dict[str, str]
) -> None:
    nested = b"[" * 100_000 + b"]" * 100_000
    reply = http.post(PROCESS, content=nested, headers={**auth, "Content-Type": "application/json"})
    assert reply.status_code == 400
    assert reply.json()["detailCode"] == "400.1 Bad Request Content"


def test_concurrent_clients_are_all_counted(sandbox: SandboxServer) -> None:
    ids = sandbox.identity_ids[:40]

    def client_run(worker: int) -> list[int]:
        with httpx.Client(base_url=sandbox.base_url, timeout=10) as client:
            headers = {"Authorization": f"Bearer {fetch_token(client, sandbox)}"}
            return [
                client.post(
                    "/beta/identities/process",
                    json={"identityIds": ids[worker * 5 : worker * 5 + 5]},
                    headers=headers,
                ).status_code
                for _ in range(10)
            ]

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = [status for run in pool.map(client_run, range(8)) for status in run]
    assert statuses == [202] * 80
    assert sandbox.state.process_counts == dict.fromkeys(ids, 10)
    assert len({batch.task_id for batch in sandbox.state.accepted_batches}) == 80
