"""The engine over real HTTP against the sandbox: dedupe, isolation, faults, resume."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from iscctl.client import AsyncClient
from iscctl.processing import InvalidInputError, JournalError, process_all, process_all_sync
from iscctl.sandbox import SandboxServer

from .conftest import async_client, sync_client


def run(isc: AsyncClient, ids: list[str], **options: object) -> object:
    async def go() -> object:
        async with isc:
            return await process_all(isc, ids, **options)  # type: ignore[arg-type]

    return asyncio.run(go())


def test_duplicates_are_sent_once_and_counted(sandbox: SandboxServer, tmp_path: Path) -> None:
    ids = sandbox.identity_ids[:600]
    report = run(async_client(sandbox), ids + ids[:100] + ids[:5], journal=tmp_path / "j.jsonl")
    assert sandbox.state.process_counts == dict.fromkeys(ids, 1)
    assert (report.read, report.duplicates, report.processed) == (705, 105, 600)  # type: ignore[attr-defined]


def test_bad_ids_in_a_batch_are_isolated_and_the_good_ones_processed(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    good = sandbox.identity_ids[:248]
    bad = ["0" * 32, "ffffffffffffffffffffffffffffffff"]
    report = run(async_client(sandbox), [*good[:100], bad[0], *good[100:], bad[1]])
    assert sandbox.state.process_counts == dict.fromkeys(good, 1)
    assert sorted(item.id for item in report.rejected) == sorted(bad)  # type: ignore[attr-defined]
    rejected = report.rejected[0]  # type: ignore[attr-defined]
    assert rejected.status == 404 and rejected.detail_code
    assert rejected.message == "Identity ids not found"  # the ids themselves left out
    assert report.requests == 2 and report.exit_code == 1  # type: ignore[attr-defined]


def test_invalid_values_stop_the_run_before_any_request(sandbox: SandboxServer) -> None:
    ids = [*sandbox.identity_ids[:10], "not an id"]
    with pytest.raises(InvalidInputError, match=r'<list>:11: invalid identity id "not an id"'):
        run(async_client(sandbox), ids)
    assert sandbox.state.requests == []


def test_skip_invalid_sends_the_rest_and_reports_the_bad_value(sandbox: SandboxServer) -> None:
    ids = [*sandbox.identity_ids[:10], "bad\tid"]
    report = run(async_client(sandbox), ids, skip_invalid=True)
    assert sandbox.state.process_counts == dict.fromkeys(ids[:10], 1)
    assert [item.location.line for item in report.invalid] == [11]  # type: ignore[attr-defined]
    assert report.exit_code == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ["http_500", "http_503", "drop_connection"])
def test_server_faults_during_a_run_lose_nothing(
    sandbox: SandboxServer, kind: str, tmp_path: Path
) -> None:
    ids = sandbox.identity_ids[:2000]
    sandbox.faults.add(kind, times=3, operation="process", after=2)
    report = run(async_client(sandbox), ids, batch_size=100, concurrency=4)
    assert sandbox.state.process_counts == dict.fromkeys(ids, 1)
    assert report.retries >= 3 and report.exit_code == 0  # type: ignore[attr-defined]


def test_a_burst_of_429s_loses_nothing(sandbox: SandboxServer) -> None:
    ids = sandbox.identity_ids[:2000]
    sandbox.faults.add("rate_limit", times=6, operation="process", after=1, retry_after=0)
    report = run(async_client(sandbox), ids, batch_size=100, concurrency=4)
    assert sandbox.state.process_counts == dict.fromkeys(ids, 1)
    assert report.rate_limited == 6 and report.exit_code == 0  # type: ignore[attr-defined]


def test_a_batch_that_fails_after_retries_is_reported_and_resume_sends_it(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    ids = sandbox.identity_ids[:500]
    journal = tmp_path / "run.jsonl"
    sandbox.faults.add("http_500", times=7, operation="process")  # more than 6 retries
    first = run(async_client(sandbox), ids, journal=journal, concurrency=1)
    assert (first.failed, first.processed, first.exit_code) == (250, 250, 1)  # type: ignore[attr-defined]
    second = run(async_client(sandbox), ids, resume=journal)
    assert (second.already_processed, second.processed) == (250, 250)  # type: ignore[attr-defined]
    assert sandbox.state.process_counts == dict.fromkeys(ids, 1)


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing catches it."""


def test_resume_after_a_crash_processes_every_id_once_and_no_batch_twice(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    ids = sandbox.identity_ids[:2000]
    journal = tmp_path / "run.jsonl"

    async def crash_on_fifth_batch() -> None:
        async with async_client(sandbox) as isc:
            calls = 0
            real = isc.process_identities

            async def dying(batch: list[str], **kw: object) -> object:
                nonlocal calls
                calls += 1
                if calls == 5:
                    raise Crash
                return await real(batch)

            isc.process_identities = dying  # type: ignore[method-assign,assignment]
            await process_all(isc, ids, journal=journal, batch_size=100, concurrency=1)

    with pytest.raises(Crash):
        asyncio.run(crash_on_fifth_batch())
    assert len(sandbox.state.accepted_batches) == 4
    report = run(async_client(sandbox), ids, resume=journal, batch_size=100)
    assert report.already_processed == 400 and report.processed == 1600  # type: ignore[attr-defined]
    assert sandbox.state.process_counts == dict.fromkeys(ids, 1)
    sent = Counter(batch.identity_ids for batch in sandbox.state.accepted_batches)
    assert max(sent.values()) == 1
    types = [json.loads(line)["type"] for line in journal.read_text().splitlines()]
    assert types.count("header") == 2 and types.count("accepted") == 20


def test_sync_api_processes_everything_through_the_sync_client(sandbox: SandboxServer) -> None:
    ids = sandbox.identity_ids[:1000]
    with sync_client(sandbox) as isc:
        report = process_all_sync(isc, iter(ids), batch_size=200, write_journal=False)
    assert sandbox.state.process_counts == dict.fromkeys(ids, 1)
    assert len(report.accepted_batches()) == 5 and report.journal is None


def test_async_iterables_are_accepted(sandbox: SandboxServer) -> None:
    ids = sandbox.identity_ids[:300]

    async def produce() -> AsyncIterator[str]:
        for identity in ids:
            yield identity

    async def go() -> object:
        async with async_client(sandbox) as isc:
            return await process_all(isc, produce())

    report = asyncio.run(go())
    assert sandbox.state.process_counts == dict.fromkeys(ids, 1)
    assert sorted(b.task_id for b in report.accepted_batches()) == sorted(  # type: ignore[attr-defined]
        b.task_id for b in sandbox.state.accepted_batches
    )


def test_resuming_against_another_tenant_is_refused(
    sandbox: SandboxServer, make_sandbox: Callable[..., SandboxServer], tmp_path: Path
) -> None:
    ids = sandbox.identity_ids[:10]
    journal = tmp_path / "run.jsonl"
    run(async_client(sandbox), ids, journal=journal)
    other = make_sandbox()
    with pytest.raises(JournalError, match=r"written for http://127\.0\.0\.1:\d+, not"):
        run(async_client(other), ids, resume=journal)
    assert other.state.requests == []
