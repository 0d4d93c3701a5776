"""Statuses Python's `HTTPStatus` does not name (a CDN's 520, 599, nginx's 499), over HTTP.

The generated `_build_response` once called `HTTPStatus(status)`, which raises
ValueError for these: every endpoint function failed with a traceback instead
of an answer. Now the generated `Response` keeps such a status as its number
(openapi/templates/types.py.jinja), a 5xx of that kind is retried like any
5xx, and what is left after the retries is one clear `iscctl.errors` line.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import iscctl
import pytest
from iscctl.client import AsyncClient, Client
from iscctl.errors import APIStatusError, ServerError
from iscctl.exit_codes import ExitCode
from iscctl.retry import RetryPolicy
from iscctl.sandbox import Fault, SandboxServer
from iscctl.sandbox.faults import fault_from_mapping, parse_fault_spec
from iscctl_client.api.identities import start_identity_processing
from iscctl_client.models import ProcessIdentitiesRequest

from .conftest import FAST

if TYPE_CHECKING:
    from .conftest import Exposure

TWO_RETRIES = RetryPolicy(max_retries=2, backoff_initial=0.001, backoff_max=0.01)


def _process_statuses(sandbox: SandboxServer) -> list[int | None]:
    return [r.status for r in sandbox.state.requests if r.operation == "process"]


def test_the_fault_answers_the_status_it_names(sandbox: SandboxServer) -> None:
    sandbox.faults.add("http_status", status=599)
    reply = httpx.post(f"{sandbox.base_url}/v2025/identities/process", json={}, timeout=10)
    assert reply.status_code == 599
    assert "599" in reply.text
    assert _process_statuses(sandbox) == [599]


def test_the_fault_is_planned_like_the_others() -> None:
    assert parse_fault_spec("http_status:status=499,times=2") == Fault(
        "http_status", times=2, status=499
    )
    assert Fault("http_status").status == 520  # the CDN's "unknown error"
    assert fault_from_mapping({"kind": "http_status", "status": 520}).to_json()["status"] == 520
    for wrong in ("http_status:status=99", "http_status:status=600", "http_status:status=5x"):
        with pytest.raises(ValueError, match="status"):
            parse_fault_spec(wrong)


def test_the_generated_function_returns_an_unnamed_status_as_its_number(
    sandbox: SandboxServer,
) -> None:
    sandbox.faults.add("http_status", status=520)
    api = iscctl.api_client(
        base_url=sandbox.base_url,
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        retry=RetryPolicy(max_retries=0),
        rate_limit=None,
    )
    with api:
        reply = start_identity_processing.sync_detailed(
            client=api, body=ProcessIdentitiesRequest(identity_ids=sandbox.identity_ids[:1])
        )
    assert reply.status_code == 520
    assert reply.parsed is None
    with pytest.raises(ServerError, match=r"^520 Server Error \| "):
        iscctl.unwrap(reply)


def test_an_unnamed_5xx_is_retried_until_it_succeeds(
    sandbox: SandboxServer, make_client: Callable[..., Client]
) -> None:
    sandbox.faults.add("http_status", times=2, status=520)
    client = make_client()
    assert client.process_identities(sandbox.identity_ids[:1]).id
    assert _process_statuses(sandbox) == [520, 520, 202]
    assert client.stats.retries == 2


def test_an_unnamed_5xx_that_stays_fails_naming_its_status(
    sandbox: SandboxServer, make_client: Callable[..., Client], exposed: Exposure
) -> None:
    sandbox.faults.add("http_status", times=10, status=599)
    with pytest.raises(ServerError) as caught:
        make_client(retry=TWO_RETRIES).process_identities(sandbox.identity_ids[:1])
    exposed.add(caught.value)
    assert caught.value.status == 599
    assert str(caught.value).startswith("599 Server Error (gave up after 2 retries) | ")
    assert "\n" not in str(caught.value)
    assert _process_statuses(sandbox) == [599, 599, 599]


def test_an_unnamed_5xx_fails_the_async_client_alike(
    sandbox: SandboxServer, make_async_client: Callable[..., AsyncClient]
) -> None:
    sandbox.faults.add("http_status", times=10, status=520)

    async def run() -> None:
        async with make_async_client(retry=TWO_RETRIES) as client:
            await client.process_identities(sandbox.identity_ids[:1])

    with pytest.raises(ServerError, match=r"^520 Server Error \(gave up after 2 retries\)"):
        asyncio.run(run())
    assert _process_statuses(sandbox) == [520, 520, 520]


def test_an_unnamed_4xx_is_not_retried(
    sandbox: SandboxServer, make_client: Callable[..., Client]
) -> None:
    sandbox.faults.add("http_status", times=10, status=499)
    with pytest.raises(APIStatusError) as caught:
        make_client(retry=FAST).process_identities(sandbox.identity_ids[:1])
    assert not isinstance(caught.value, ServerError)
    assert str(caught.value).startswith("499 Client Error | ")
    assert _process_statuses(sandbox) == [499]


def _iscctl(sandbox: SandboxServer, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAIL_", "ISCCTL_"))}
    env.update(
        SAIL_BASE_URL=sandbox.base_url,
        SAIL_CLIENT_ID=sandbox.client_id,
        SAIL_CLIENT_SECRET=sandbox.client_secret,
        ISCCTL_STATE_DIR=str(tmp_path / "state"),
        ISCCTL_CONFIG_DIR=str(tmp_path / "config"),
    )
    return subprocess.run(
        [sys.executable, "-m", "iscctl", *args, "--rate-limit", "off", "--max-retries", "1"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def test_the_cli_reports_an_unnamed_status_in_one_line(
    sandbox: SandboxServer, tmp_path: Path, exposed: Exposure
) -> None:
    sandbox.faults.add("http_status", times=10, status=520, operation="export")
    result = _iscctl(sandbox, tmp_path, "identity-profiles", "export", "-o", "out.json")
    exposed.add(result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.returncode != ExitCode.OK
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: 520 Server Error (gave up after 1 retries) | ")


def test_the_cli_keeps_the_batch_for_resume_after_an_unnamed_5xx(
    sandbox: SandboxServer, tmp_path: Path, exposed: Exposure
) -> None:
    sandbox.faults.add("http_status", times=10, status=520)
    (tmp_path / "ids.txt").write_text(sandbox.identity_ids[0] + "\n")
    result = _iscctl(sandbox, tmp_path, "identities", "process", "ids.txt")
    exposed.add(result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.returncode == ExitCode.FAILED_ITEMS
    output = result.stdout + result.stderr
    assert "520 Server Error (gave up after 1 retries)" in " ".join(output.split())
    assert "--resume" in output
    assert _process_statuses(sandbox) == [520, 520]
