"""What a move reads from a tenant, and how (#16 performance).

Each step makes the calls its job needs and no more, counted from the sandbox's
recorded requests; pages are read from the reply's bytes, and a 2xx that is not a
JSON array is an error, never an empty (last) page.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from typing import Any

import iscctl
import pytest
from iscctl.client import AsyncClient, Client
from iscctl.errors import BadRequestError, ReplyValidationError
from iscctl.profiles.moving import apply_move, apply_move_sync, plan_move, plan_move_sync
from iscctl.profiles.tenant import _json_page, read_profiles_sync
from iscctl.sandbox import SandboxServer
from iscctl.transport import REQUEST_HEADER
from iscctl_client.types import Response


def _operations_since(sandbox: SandboxServer, start: int) -> list[str | None]:
    return [record.operation for record in sandbox.state.requests[start:]]


def test_apply_reads_back_only_the_profiles_list(
    sandbox: SandboxServer,
    sync_client: Callable[[], Client],
    make_profile: Callable[..., dict[str, Any]],
    tmp_path: Path,
) -> None:
    objects = [make_profile(f"Moved {n}") for n in range(3)]
    with sync_client() as isc:
        move = plan_move_sync(isc, objects)
        start = len(sandbox.state.requests)
        outcome = apply_move_sync(isc, move, backup=tmp_path / "backup.json", chunk_size=2)
    assert outcome.exit_code == 0
    assert [r.name for r in outcome.read_back] == ["Moved 0", "Moved 1", "Moved 2"]
    # backup export, two import chunks, the read-back list: no sources or transforms
    assert _operations_since(sandbox, start) == ["export", "import", "import", "list-profiles"]


def test_async_apply_reads_back_only_the_profiles_list(
    sandbox: SandboxServer,
    async_client: Callable[[], AsyncClient],
    make_profile: Callable[..., dict[str, Any]],
    tmp_path: Path,
) -> None:
    objects = [make_profile(f"Moved {n}") for n in range(3)]

    async def run() -> list[str | None]:
        async with async_client() as isc:
            move = await plan_move(isc, objects)
            start = len(sandbox.state.requests)
            outcome = await apply_move(isc, move, backup=tmp_path / "backup.json", chunk_size=3)
            assert outcome.exit_code == 0 and len(outcome.read_back) == 3
            return _operations_since(sandbox, start)

    assert asyncio.run(run()) == ["export", "import", "list-profiles"]


def test_profiles_read_as_the_tenant_sent_them(
    sandbox: SandboxServer, sync_client: Callable[[], Client]
) -> None:
    with sync_client() as isc:
        profiles = read_profiles_sync(isc)
    assert profiles == [p for p in sandbox.tenant.profiles.profiles()]


def _reply(status: int, content: bytes) -> Response[Any]:
    """A reply the sandbox cannot be made to send, as the generated endpoint function
    returns it when its parser gives up on the body (parsed=None)."""
    headers = {REQUEST_HEADER: "GET http://127.0.0.1:1/v2025/identity-profiles/export"}
    return Response(status_code=HTTPStatus(status), content=content, headers=headers, parsed=None)


@pytest.mark.parametrize("content", [b'{"not": "a list"}', b"<html>busy</html>", b"", b"null"])
def test_a_page_that_is_not_a_json_array_is_an_error_not_an_empty_page(content: bytes) -> None:
    with pytest.raises(ReplyValidationError) as raised:
        _json_page(_reply(200, content))
    assert raised.value.url.endswith("/v2025/identity-profiles/export")


def test_an_error_status_raises_its_exception() -> None:
    body = b'{"detailCode": "400.1 Bad Request", "messages": [{"text": "bad filter"}]}'
    with pytest.raises(BadRequestError, match="bad filter"):
        _json_page(_reply(400, body))


def test_a_json_array_page_is_returned_as_sent() -> None:
    assert _json_page(_reply(200, b'[{"name": "A", "x": 1.50}]')) == [{"name": "A", "x": 1.5}]


def test_pages_are_read_without_building_the_generated_models(
    sandbox: SandboxServer,
    sync_client: Callable[[], Client],
    make_profile: Callable[..., dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The generated `Response.parsed` is built on first read: an export page kept as JSON
    never pays for the attrs models, while a caller reading `parsed` still gets them."""
    from iscctl.profiles.tenant import export_profiles_sync
    from iscctl_client.api.identity_profiles import export_identity_profiles
    from iscctl_client.models import IdentityProfileExportedObject

    built: list[object] = []
    original = IdentityProfileExportedObject.from_dict.__func__  # type: ignore[attr-defined]

    def counting(cls: Any, data: Any) -> Any:
        built.append(data)
        return original(cls, data)

    monkeypatch.setattr(IdentityProfileExportedObject, "from_dict", classmethod(counting))
    with sync_client() as isc:
        isc.import_identity_profiles([make_profile("Kept A"), make_profile("Kept B")])
        exported = export_profiles_sync(isc)
        assert len(exported) == 2 and built == []
        reply = export_identity_profiles.sync_detailed(client=isc.api, limit=250)
        assert built == []
        models = reply.parsed
    assert isinstance(models, list) and len(models) == len(exported) == len(built)
    assert [m.to_dict()["object"]["name"] for m in models] == ["Kept A", "Kept B"]


@pytest.mark.parametrize("raising", [True, False])
def test_an_undocumented_status_raises_at_call_time_only_when_asked(
    sandbox: SandboxServer, raising: bool
) -> None:
    """The lazy parse keeps the generator's contract: with raise_on_unexpected_status the
    call itself raises UnexpectedStatus; without it the reply comes back, parsed=None."""
    from iscctl.retry import RetryPolicy
    from iscctl_client.api.identity_profiles import export_identity_profiles
    from iscctl_client.errors import UnexpectedStatus

    sandbox.faults.add("http_status", status=499, operation="export")
    api = iscctl.api_client(
        base_url=sandbox.base_url,
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        rate_limit=None,
        retry=RetryPolicy(max_retries=0),
    )
    api.raise_on_unexpected_status = raising
    with api:
        if raising:
            with pytest.raises(UnexpectedStatus):
                export_identity_profiles.sync_detailed(client=api, limit=2)
        else:
            reply = export_identity_profiles.sync_detailed(client=api, limit=2)
            assert int(reply.status_code) == 499 and reply.parsed is None
