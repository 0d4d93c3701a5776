"""A selection is sent while it is read, page by page, and never loses its place (#15).

Searches and process calls share the tenant's rate budget; reading the whole
selection before sending left that budget idle for as long as the searches
took. Each page is now checked, recorded in the journal and sent while the
next page is searched. What must still hold, over real HTTP against the
sandbox: the ids of a page are on disk before a batch holding them leaves; a
run stopped before its selection ended resumes after the last id it recorded
(never searching the recorded pages again, never processing an id twice); a
value that cannot be an id stops the run before any id of its page is sent.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from iscctl.errors import ISCError
from iscctl.processing import journal as journal_module
from iscctl.processing.preparation import InvalidInputError
from iscctl.processing.selected_run import RunSettings, SelectedJob
from iscctl.processing.selection import SearchPage, Selection
from iscctl.processing.tenant_reads import TenantReads
from iscctl.processing.workflow import process_selected_sync
from iscctl.retry import RetryPolicy
from iscctl.sandbox import SandboxServer

from ..identities_cli import async_client, client, run_cli, searches


def recorded(journal: Path, kind: str = "matched") -> list[str]:
    records = [json.loads(line) for line in journal.read_text().splitlines() if line.strip()]
    return [i for r in records if r["type"] == kind for i in r["ids"]]


def test_a_page_is_on_disk_before_its_ids_leave_and_sending_starts_before_the_last_search(
    sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = tmp_path / "run.jsonl"
    synced: list[int] = []
    real_fsync = os.fsync

    def watching_fsync(fd: int) -> None:
        real_fsync(fd)  # the real call: this test only watches what was on disk when
        synced.append(os.fstat(fd).st_size)

    monkeypatch.setattr(journal_module.os, "fsync", watching_fsync)
    searches_at_first_send: list[int] = []
    unsynced_ids: list[str] = []

    async def run() -> None:
        async with async_client(sandbox) as isc:
            settings = RunSettings(journal=journal, page_size=400)
            job = SelectedJob(TenantReads(isc.api), Selection("query", "*"), settings)

            async def send(batch: list[str]) -> object:
                if not searches_at_first_send:
                    searches_at_first_send.append(searches(sandbox))
                on_disk = journal.read_bytes()[: max(synced, default=0)]
                matched = set(recorded_in(on_disk))
                unsynced_ids.extend(identity for identity in batch if identity not in matched)
                return await isc.process_identities(batch)

            try:
                await job.start()
                await job.send(send, lambda: isc.stats)
            finally:
                job.close()

    asyncio.run(run())
    pages = len(sandbox.identity_ids) // 400 + 1  # the last one short (here empty)
    assert searches_at_first_send[0] < pages  # sent while later pages were still to come
    assert unsynced_ids == []
    assert sorted(recorded(journal)) == sorted(sandbox.identity_ids)
    assert sandbox.state.process_counts == dict.fromkeys(sandbox.identity_ids, 1)


def recorded_in(text: bytes) -> list[str]:
    ids: list[str] = []
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue  # the last line may be cut where the fsync'd part ends
        if record.get("type") == "matched":
            ids.extend(record["ids"])
    return ids


def test_a_run_whose_search_failed_mid_way_resumes_after_its_last_recorded_id(
    make_sandbox: object, tmp_path: Path
) -> None:
    big = make_sandbox(population_size=10_600)  # type: ignore[operator]
    journal = tmp_path / "run.jsonl"
    big.faults.add("http_500", times=100, operation="search", after=1)  # the second page
    first = run_cli(big, "process", "--query", "*", "--journal", str(journal), "--max-retries", "0")
    assert first.exit_code == 1, first.output
    assert "the selection (search: *) stopped" in first.stderr
    assert f"iscctl identities process --resume {journal}" in first.stderr
    assert len(recorded(journal)) == 10_000  # the first page, recorded and sent
    assert 0 < len(big.state.process_counts) <= 10_000
    big.faults.clear()
    before = searches(big)
    second = run_cli(big, "process", "--resume", str(journal))
    assert second.exit_code == 0, second.output
    assert searches(big) - before == 1  # only the page never recorded, from its cursor
    assert big.state.process_counts == dict.fromkeys(big.identity_ids, 1)
    assert sorted(recorded(journal)) == sorted(big.identity_ids)
    third = run_cli(big, "process", "--resume", str(journal))
    assert third.exit_code == 0, third.output
    assert searches(big) - before == 1  # complete now: read from the journal alone


class HitWithoutAnId(TenantReads):
    """The sandbox's search, but the second page has a hit without an id (which ISC's
    definitions do not allow and the sandbox never sends)."""

    async def search_page(
        self, query: str, *, after: str | None, limit: int, count: bool
    ) -> SearchPage:
        page = await super().search_page(query, after=after, limit=limit, count=count)
        if after is not None:
            page.ids[3] = None
        return page


def test_a_value_that_cannot_be_an_id_stops_the_run_before_its_page_is_sent(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    journal = tmp_path / "run.jsonl"

    async def run() -> SelectedJob:
        async with async_client(sandbox) as isc:
            settings = RunSettings(journal=journal, page_size=1500)
            job = SelectedJob(HitWithoutAnId(isc.api), Selection("query", "*"), settings)
            try:
                await job.start()
                with pytest.raises(InvalidInputError, match="a hit without an id"):
                    await job.send(isc.process_identities, lambda: isc.stats)
            finally:
                job.close()
            return job

    job = asyncio.run(run())
    first_page = sorted(sandbox.identity_ids)[:1500]
    assert sorted(sandbox.state.process_counts) == first_page
    assert recorded(journal) == first_page  # the bad page is not recorded: resume reads it
    assert not job.result.complete
    with client(sandbox) as isc:
        resumed = process_selected_sync(isc, resume=journal)
    assert resumed.exit_code == 0
    assert resumed.complete and resumed.resumed_selection
    assert sandbox.state.process_counts == dict.fromkeys(sandbox.identity_ids, 1)


def test_a_search_that_fails_mid_way_is_raised_to_the_api_after_the_sent_batches(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    sandbox.faults.add("http_500", times=100, operation="search", after=1)
    with (
        client(sandbox, retry=RetryPolicy(max_retries=0)) as isc,
        pytest.raises(ISCError, match="500"),
    ):
        process_selected_sync(isc, query="*", page_size=500, journal=tmp_path / "run.jsonl")
    sent = recorded(tmp_path / "run.jsonl", "sending")
    first_page = sorted(sandbox.identity_ids)[:500]
    assert sorted(sent) == sorted(sandbox.state.process_counts) == first_page


def test_a_run_stopped_mid_selection_reports_it_and_resume_reads_only_the_rest(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """A first Ctrl-C asks the runner to stop: no batch is handed out after it, the page
    being read is not sent, and the result says the selection is not complete."""
    journal = tmp_path / "run.jsonl"

    async def run() -> SelectedJob:
        async with async_client(sandbox) as isc:
            settings = RunSettings(journal=journal, page_size=500)
            job = SelectedJob(TenantReads(isc.api), Selection("query", "*"), settings)
            runners: list[object] = []

            def stop_after_the_first_batch(_: int) -> None:
                runners[0].request_stop()  # type: ignore[attr-defined]

            try:
                await job.start()
                await job.send(
                    isc.process_identities,
                    lambda: isc.stats,
                    on_runner=runners.append,
                    on_progress=stop_after_the_first_batch,
                )
            finally:
                job.close()
            return job

    job = asyncio.run(run())
    first = job.result
    assert not first.complete and first.process.interrupted
    assert first.exit_code == 130
    sent = recorded(journal, "sending")
    assert 0 < len(sent) < 2000 and sorted(sandbox.state.process_counts) == sorted(sent)
    pages_recorded = len(recorded(journal))
    assert pages_recorded < 2000  # stopped before the selection ended
    before = searches(sandbox)
    with client(sandbox) as isc:
        resumed = process_selected_sync(isc, resume=journal, page_size=500)
    assert resumed.exit_code == 0 and resumed.complete
    # the rest, from the last recorded id: the pages never recorded, and the short last one
    assert searches(sandbox) - before == (2000 - pages_recorded) // 500 + 1
    assert sandbox.state.process_counts == dict.fromkeys(sandbox.identity_ids, 1)


def test_a_resume_into_another_journal_records_the_whole_selection_there(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """`--resume OLD --journal NEW`: NEW gets the ids read from OLD as well as the rest, and
    the ids OLD has a 202 for (`carried`), so NEW alone is enough for the next resume,
    which then asks the tenant for nothing and sends nothing again."""
    old, new = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    sandbox.faults.add("http_500", times=100, operation="search", after=1)
    with (
        client(sandbox, retry=RetryPolicy(max_retries=0)) as isc,
        pytest.raises(ISCError),
    ):
        process_selected_sync(isc, query="*", page_size=500, journal=old)
    sandbox.faults.clear()
    with client(sandbox) as isc:
        resumed = process_selected_sync(isc, resume=old, journal=new, page_size=500)
        assert resumed.exit_code == 0 and resumed.complete
        assert recorded(new) == sorted(sandbox.identity_ids)
        assert len(recorded(old)) == 500  # the old journal is only read
        before = searches(sandbox), len(sandbox.state.accepted_batches)
        again = process_selected_sync(isc, resume=new, page_size=500)
    assert again.exit_code == 0 and again.process.already_processed == 2000
    assert (searches(sandbox), len(sandbox.state.accepted_batches)) == before
    assert sandbox.state.process_counts == dict.fromkeys(sandbox.identity_ids, 1)
