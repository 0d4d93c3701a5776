"""The Python API: process any iterable of ids with the same engine as the command line.

    async with AsyncClient.from_environment() as isc:
        report = await process_all(isc, ids, journal="run.jsonl")
    with Client.from_environment() as isc:
        report = process_all_sync(isc, ids, resume="run.jsonl")

Both read the whole iterable first (validating, dropping duplicates), then send;
both write the same journal as `iscctl identities process` and can resume one
written by it. Bad values raise `InvalidInputError` before anything is sent
unless `skip_invalid=True`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iscctl.processing.job import (
    ProcessingJob,
    ProcessOptions,
    async_iterable_items,
    iterable_items,
)
from iscctl.processing.report import ProcessReport
from iscctl.processing.runner import DEFAULT_CONCURRENCY

if TYPE_CHECKING:
    from iscctl.client import AsyncClient, Client


async def process_all(
    isc: AsyncClient,
    ids: Iterable[str] | AsyncIterable[str],
    *,
    batch_size: int = 250,
    concurrency: int = DEFAULT_CONCURRENCY,
    skip_invalid: bool = False,
    journal: str | Path | None = None,
    resume: str | Path | None = None,
    write_journal: bool = True,
    on_progress: Callable[[int], None] | None = None,
) -> ProcessReport:
    """Process every id of `ids` through `isc`; returns the report of the run.

    `journal`: where to write the journal (default: the resumed journal, else
    `<state dir>/journals/process-<timestamp>.jsonl`). `resume`: a journal of
    an earlier run; ids of its accepted batches are not sent again.
    """
    options = _options(batch_size, concurrency, skip_invalid, journal, resume, write_journal)
    _refuse_str(ids)
    with ProcessingJob(options, inputs=[_describe(ids)], **_where(isc)) as job:
        job.load_resume()
        if isinstance(ids, AsyncIterable):
            await job.prepare_async(async_iterable_items(ids, _describe(ids)))
        else:
            job.prepare(iterable_items(ids, _describe(ids)))
        return await job.send(
            lambda batch: isc.process_identities(batch), lambda: isc.stats, on_progress=on_progress
        )


def process_all_sync(
    isc: Client,
    ids: Iterable[str],
    *,
    batch_size: int = 250,
    concurrency: int = DEFAULT_CONCURRENCY,
    skip_invalid: bool = False,
    journal: str | Path | None = None,
    resume: str | Path | None = None,
    write_journal: bool = True,
    on_progress: Callable[[int], None] | None = None,
) -> ProcessReport:
    """`process_all` for the synchronous `Client`; its calls run in worker threads."""
    options = _options(batch_size, concurrency, skip_invalid, journal, resume, write_journal)
    _refuse_str(ids)

    async def run() -> ProcessReport:
        with ProcessingJob(options, inputs=[_describe(ids)], **_where(isc)) as job:
            job.load_resume()
            job.prepare(iterable_items(ids, _describe(ids)))
            return await job.send(
                lambda batch: asyncio.to_thread(isc.process_identities, batch),
                lambda: isc.stats,
                on_progress=on_progress,
            )

    return asyncio.run(run())


def _options(
    batch_size: int,
    concurrency: int,
    skip_invalid: bool,
    journal: str | Path | None,
    resume: str | Path | None,
    write_journal: bool,
) -> ProcessOptions:
    return ProcessOptions(
        batch_size=batch_size,
        concurrency=concurrency,
        skip_invalid=skip_invalid,
        journal=Path(journal) if journal is not None else None,
        write_journal=write_journal,
        resume=Path(resume) if resume is not None else None,
    )


def _refuse_str(ids: object) -> None:
    if isinstance(ids, str | bytes):
        raise TypeError("ids must be an iterable of id strings, not one string")


def _describe(ids: object) -> str:
    return f"<{type(ids).__name__}>"


def _where(isc: Any) -> dict[str, str]:
    """Base URL and API version for the journal header, if the client tells them."""
    return {
        "base_url": str(getattr(isc, "base_url", "") or ""),
        "api_version": str(getattr(isc, "version", "") or ""),
    }
