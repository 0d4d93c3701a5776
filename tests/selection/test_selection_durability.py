"""The selection reaches the disk before the first batch leaves, with few fsyncs (#15).

A run selected by query journals every matched id (100 records for 100,000
ids) before sending; fsyncing each record cost about 0.4 s of the run at
100,000 ids. They are now written without a sync each and made durable by
the plan's fsync, which still comes before the first process call. The
sender below looks at what had been fsync'd when the first batch left.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from iscctl.processing import journal as journal_module
from iscctl.processing.job import ProcessingJob, ProcessOptions, iterable_items
from iscctl.processing.selection import Selection
from iscctl.processing.selection_journal import IDS_PER_RECORD, read_selection, selection_records


def test_the_whole_selection_is_fsynced_before_the_first_batch_in_one_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ISCCTL_STATE_DIR", str(tmp_path / "state"))
    ids = [f"{n:032x}" for n in range(5 * IDS_PER_RECORD)]
    path = tmp_path / "run.jsonl"
    synced_sizes: list[int] = []
    real_fsync = os.fsync

    def watching_fsync(fd: int) -> None:
        real_fsync(fd)  # the real call: this test only watches when it happens
        synced_sizes.append(os.fstat(fd).st_size)

    monkeypatch.setattr(journal_module.os, "fsync", watching_fsync)
    at_first_send: list[tuple[int, int]] = []

    async def send(batch: list[str]) -> SimpleNamespace:
        if not at_first_send:
            text = path.read_bytes()
            end_of_selection = text.index(b'"type": "selected"')
            end_of_selection = text.index(b"\n", end_of_selection) + 1
            at_first_send.append((max(synced_sizes, default=0), end_of_selection))
            at_first_send.append((len(synced_sizes), 0))
        return SimpleNamespace(id="task")

    stats = SimpleNamespace(requests=0, retries=0, rate_limited=0)
    with ProcessingJob(ProcessOptions(journal=path)) as job:
        job.load_resume()
        job.prepare(iterable_items(ids))
        job.after_header = lambda: selection_records(Selection("query", "*"), ids, len(ids))
        asyncio.run(job.send(send, lambda: stats))
    (synced, selection_end), (fsyncs, _) = at_first_send
    assert synced >= selection_end  # every selection record was on disk before the batch
    assert fsyncs <= 3  # header, then selection + plan together (not one per record)
    journaled = read_selection(path)
    assert journaled is not None and list(journaled.values()) == ids
