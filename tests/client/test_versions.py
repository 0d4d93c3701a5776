"""Every API version reaches the right path with the right headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx
import pytest
from iscctl.client import Client
from iscctl.errors import ConfigurationError
from iscctl.sandbox import SandboxServer
from iscctl.versions import DEFAULT_VERSION, EXPERIMENTAL_HEADER, get_version

if TYPE_CHECKING:
    from .conftest import Exposure

PROCESS_PATHS = {
    "beta": "/beta/identities/process",
    "v2024": "/v2024/identities/process",
    "v2025": "/v2025/identities/process",
    "v2026": "/v2026/identities/process",
    "v1": "/identities/v1/process",
}
IMPORT_PATHS = {
    "v3": "/v3/identity-profiles/import",
    "beta": "/beta/identity-profiles/import",
    "v2024": "/v2024/identity-profiles/import",
    "v2025": "/v2025/identity-profiles/import",
    "v2026": "/v2026/identity-profiles/import",
    "v1": "/identity-profiles/v1/import",
}


def test_the_default_version_is_v2025(make_client: Callable[..., Client]) -> None:
    assert DEFAULT_VERSION == "v2025"
    assert make_client().version == "v2025"


@pytest.mark.parametrize("version", sorted(PROCESS_PATHS))
def test_process_goes_to_the_versions_path_and_is_accepted(
    version: str, sandbox: SandboxServer, make_client: Callable[..., Client]
) -> None:
    task = make_client(version=version).process_identities(sandbox.identity_ids[:2])
    assert task.id
    calls = [r for r in sandbox.state.requests if r.operation == "process"]
    assert [(r.path, r.status) for r in calls] == [(PROCESS_PATHS[version], 202)]


@pytest.mark.parametrize("version", sorted(IMPORT_PATHS))
def test_import_goes_to_the_versions_path_and_is_accepted(
    version: str,
    sandbox: SandboxServer,
    make_client: Callable[..., Client],
    exported_profile: Callable[..., dict[str, object]],
) -> None:
    result = make_client(version=version).import_identity_profiles([exported_profile()])
    assert [obj.name for obj in result.imported_objects] == ["HR Employees"]
    calls = [r for r in sandbox.state.requests if r.operation == "import"]
    assert [(r.path, r.status) for r in calls] == [(IMPORT_PATHS[version], 200)]


def test_process_on_v3_is_a_configuration_error_before_sending(
    sandbox: SandboxServer, make_client: Callable[..., Client], exposed: Exposure
) -> None:
    client = make_client(version="v3")
    with pytest.raises(ConfigurationError, match="v3 has no process operation") as caught:
        client.process_identities(sandbox.identity_ids[:1])
    exposed.add(caught.value)
    assert "beta, v2024, v2025, v2026, v1" in str(caught.value)
    assert sandbox.state.requests == []


def _sent_headers(client: Client) -> list[httpx.Headers]:
    """The headers of every call the client sends from now on (an httpx event hook on the
    generated client's connection: it sees the request as it goes on the wire)."""
    sent: list[httpx.Headers] = []
    hooks = client.api.get_httpx_client().event_hooks["request"]
    hooks.append(
        lambda request: sent.append(request.headers) if request.url.path != "/oauth/token" else None
    )
    return sent


@pytest.mark.parametrize(
    ("version", "header"),
    [("beta", None), ("v2024", "true"), ("v2025", "true"), ("v2026", "true"), ("v1", "true")],
)
def test_experimental_header_is_sent_for_process_except_in_beta(
    version: str, header: str | None, sandbox: SandboxServer, make_client: Callable[..., Client]
) -> None:
    client = make_client(version=version)
    sent = _sent_headers(client)
    client.process_identities(sandbox.identity_ids[:1])
    assert [headers.get(EXPERIMENTAL_HEADER) for headers in sent] == [header]


@pytest.mark.parametrize("version", ["v3", "beta", "v2025", "v1"])
def test_import_never_sends_the_experimental_header(
    version: str,
    sandbox: SandboxServer,
    make_client: Callable[..., Client],
    exported_profile: Callable[..., dict[str, object]],
) -> None:
    client = make_client(version=version)
    sent = _sent_headers(client)
    client.import_identity_profiles([exported_profile()])
    assert len(sent) == 1 and EXPERIMENTAL_HEADER not in sent[0]


def test_an_unknown_version_name_lists_the_known_ones() -> None:
    with pytest.raises(ConfigurationError, match=r"unknown API version 'v2030': choose one of"):
        get_version("v2030")


def test_an_unknown_version_given_to_the_client_fails_before_any_request(
    sandbox: SandboxServer, make_client: Callable[..., Client]
) -> None:
    with pytest.raises(ConfigurationError, match="beta, v2024, v2025, v2026, v3, v1"):
        make_client(version="v4")
    assert sandbox.state.requests == []
