"""Splitting refused batches. The sandbox always names the unknown ids in its 404,
so refusals that name none (bisection) and refusals that are not about ids at all
cannot be arranged over HTTP; these tests drive the runner with a stand-in `send`."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

from iscctl.errors import BadRequestError, NotFoundError, ServerError
from iscctl.processing.journal import JournalWriter, replay_journal
from iscctl.processing.report import ProcessReport
from iscctl.processing.runner import BatchRunner, chunked

IDS = [f"{n:032x}" for n in range(100)]
BAD = {IDS[7], IDS[61]}


class Tenant:
    """Refuses any batch holding a bad id with a 404 that names no id."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    async def send(self, batch: list[str]) -> SimpleNamespace:
        self.calls.append(batch)
        if BAD & set(batch):
            raise NotFoundError(
                "Not Found", status=404, detail_code="404 Not found", messages=["Object not found"]
            )
        return SimpleNamespace(id=f"task-{len(self.calls)}")


def run(runner: BatchRunner, size: int = 50) -> None:
    asyncio.run(runner.run(chunked(IDS, size)))


def test_a_refusal_naming_no_id_is_bisected_down_to_the_bad_ids(tmp_path: Path) -> None:
    tenant, report = Tenant(), ProcessReport()
    journal = JournalWriter(tmp_path / "run.jsonl", fsync=False)
    journal.write({"type": "header", "journalFormat": 2})
    run(BatchRunner(tenant.send, report, journal=journal, concurrency=2))
    journal.close()
    assert {item.id for item in report.rejected} == BAD
    assert {item.message for item in report.rejected} == {"Object not found"}
    assert report.processed == 98
    _, events = replay_journal(tmp_path / "run.jsonl")
    done = [identity for kind, ids in events if kind == "done" for identity in ids]
    assert sorted(done) == sorted(set(IDS) - BAD)
    assert len(tenant.calls) <= 2 + 2 * 2 * 6  # 2 batches, 2 bad ids, log2(50) < 6 levels


def test_a_400_without_error_details_is_not_split_and_stops_the_run() -> None:
    calls: list[list[str]] = []

    async def send(batch: list[str]) -> SimpleNamespace:
        calls.append(batch)
        raise BadRequestError(
            "Bad Request", status=400, messages=["Experimental Header is missing or invalid."]
        )

    report = ProcessReport()
    run(BatchRunner(send, report, concurrency=1))
    assert len(calls) == 1 and report.failed == 50 and report.not_sent == 50
    assert report.fatal_error and "Experimental Header" in report.fatal_error
    assert report.rejected == []


def test_five_failed_requests_in_a_row_stop_the_run() -> None:
    async def send(batch: list[str]) -> SimpleNamespace:
        raise ServerError("Internal Server Error", status=500)

    report = ProcessReport()
    run(BatchRunner(send, report, concurrency=1), size=10)
    assert report.failed == 50 and report.not_sent == 50
    assert report.fatal_error and report.fatal_error.startswith("5 requests in a row failed")


def test_a_batch_refused_id_by_id_with_nothing_accepted_stops_the_run() -> None:
    async def send(batch: list[str]) -> SimpleNamespace:
        raise NotFoundError("Not Found", status=404, detail_code="404 Not found", messages=["?"])

    report = ProcessReport()
    run(BatchRunner(send, report, concurrency=1), size=8)
    assert len(report.rejected) == 8 and report.not_sent == 92
    assert report.fatal_error and report.fatal_error.startswith("all 8 ids of a batch were refused")
