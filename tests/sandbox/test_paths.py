"""Which paths exist, in which versions, and the experimental header ISC demands."""

from __future__ import annotations

import httpx
import pytest
from iscctl.sandbox import SandboxServer

EXPERIMENTAL_400 = {"error": "Experimental Header is missing or invalid."}


def _profile(name: str = "HR Employees", source: str = "HR Workday") -> dict[str, object]:
    return {
        "version": 1,
        "self": {"type": "IDENTITY_PROFILE", "name": name},
        "object": {"name": name, "authoritativeSource": {"type": "SOURCE", "name": source}},
    }


@pytest.mark.parametrize(
    "path",
    [
        "/beta/identities/process",
        "/v2024/identities/process",
        "/v2025/identities/process",
        "/v2026/identities/process",
        "/identities/v1/process",
    ],
)
def test_process_is_served_on_every_version_that_has_it(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str], path: str
) -> None:
    reply = http.post(path, json={"identityIds": sandbox.identity_ids[:1]}, headers=auth)
    assert reply.status_code == 202


def test_process_does_not_exist_in_v3(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    reply = http.post(
        "/v3/identities/process", json={"identityIds": sandbox.identity_ids[:1]}, headers=auth
    )
    assert reply.status_code == 404
    assert reply.json()["detailCode"] == "404 Not found"
    assert sandbox.state.process_counts == {}


@pytest.mark.parametrize(
    "path",
    [
        "/v3/identity-profiles/import",
        "/beta/identity-profiles/import",
        "/v2024/identity-profiles/import",
        "/v2025/identity-profiles/import",
        "/v2026/identity-profiles/import",
        "/identity-profiles/v1/import",
    ],
)
def test_import_is_served_on_every_version_that_has_it(
    http: httpx.Client, auth: dict[str, str], path: str
) -> None:
    reply = http.post(path, json=[_profile()], headers={"Authorization": auth["Authorization"]})
    assert reply.status_code == 200
    assert reply.json()["importedObjects"][0]["name"] == "HR Employees"


@pytest.mark.parametrize(
    "path", ["/v2024/identities/process", "/v2025/identities/process", "/identities/v1/process"]
)
@pytest.mark.parametrize("header", [None, "false", "yes"])
def test_process_without_the_experimental_header_is_400_with_isc_body(
    http: httpx.Client,
    sandbox: SandboxServer,
    auth: dict[str, str],
    path: str,
    header: str | None,
) -> None:
    headers = {"Authorization": auth["Authorization"]}
    if header is not None:
        headers["X-SailPoint-Experimental"] = header
    reply = http.post(path, json={"identityIds": sandbox.identity_ids[:1]}, headers=headers)
    assert reply.status_code == 400
    assert reply.json() == EXPERIMENTAL_400
    assert sandbox.state.process_counts == {}


def test_beta_process_needs_no_experimental_header(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    reply = http.post(
        "/beta/identities/process",
        json={"identityIds": sandbox.identity_ids[:1]},
        headers={"Authorization": auth["Authorization"]},
    )
    assert reply.status_code == 202


def test_the_experimental_header_is_checked_before_the_body(
    http: httpx.Client, auth: dict[str, str]
) -> None:
    reply = http.post(
        "/v2025/identities/process",
        content=b"{broken",
        headers={"Authorization": auth["Authorization"], "Content-Type": "application/json"},
    )
    assert reply.json() == EXPERIMENTAL_400


@pytest.mark.parametrize(
    "path", ["/v3/identities", "/v2025/accounts", "/", "/v4/identities/process"]
)
def test_unknown_paths_are_404_with_an_error_response_dto(http: httpx.Client, path: str) -> None:
    reply = http.post(path, json={})
    body = reply.json()
    assert reply.status_code == 404
    assert body["detailCode"] == "404 Not found"
    assert len(body["trackingId"]) == 32
    assert body["messages"][0]["text"]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_wrong_method_is_405(http: httpx.Client, method: str) -> None:
    reply = http.request(method, "/v2025/identities/process")
    assert reply.status_code == 405
    assert reply.headers["allow"] == "POST"


def test_a_trailing_slash_is_404_not_a_redirect(
    http: httpx.Client, sandbox: SandboxServer, auth: dict[str, str]
) -> None:
    reply = http.post(
        "/beta/identities/process/", json={"identityIds": sandbox.identity_ids[:1]}, headers=auth
    )
    assert reply.status_code == 404
    assert sandbox.state.accepted_batches == []
