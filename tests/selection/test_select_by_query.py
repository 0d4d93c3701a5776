"""Choosing identities by search query or list filter, over real HTTP against the sandbox."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from iscctl import unwrap
from iscctl.processing.tenant_reads import TenantReads
from iscctl.processing.workflow import process_selected, process_selected_sync
from iscctl.sandbox import SandboxServer
from iscctl_client.api.identities import list_identities

from ..identities_cli import async_client, client, run_cli, searches, validate

ENGINEERING = 'attributes.department:"Engineering"'


def matching(sandbox: SandboxServer, query: str) -> set[str]:
    """The ids the sandbox itself says match (one search call, read directly)."""
    with client(sandbox) as isc:
        reads = TenantReads(isc.api, threaded=True)
        page = asyncio.run(reads.search_page(query, after=None, limit=10_000, count=True))
    return {identity for identity in page.ids if identity}


def test_a_query_over_several_pages_processes_every_match_once(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    expected = matching(sandbox, ENGINEERING)
    before = searches(sandbox)
    with client(sandbox) as isc:
        run = process_selected_sync(
            isc, query=ENGINEERING, page_size=50, journal=tmp_path / "run.jsonl"
        )
    assert run.exit_code == 0
    assert run.matched == len(expected) > 100
    assert searches(sandbox) - before == len(expected) // 50 + 1  # searchAfter pages
    assert sandbox.state.process_counts == dict.fromkeys(expected, 1)


def test_the_async_api_selects_by_list_filter(sandbox: SandboxServer) -> None:
    async def run_it() -> int:
        async with async_client(sandbox) as isc:
            run = await process_selected(isc, filters='name sw "a"', page_size=100)
            return run.exit_code

    assert asyncio.run(run_it()) == 0
    processed = sorted(sandbox.state.process_counts)
    assert 100 < len(processed) <= 250  # more than one page of 100
    with client(sandbox) as isc:
        quoted = ",".join(f'"{identity}"' for identity in processed)
        page = unwrap(
            list_identities.sync_detailed(client=isc.api, filters=f"id in ({quoted})", limit=250)
        )
    assert len(page) == len(processed)
    assert all(str(item.name).lower().startswith("a") for item in page)


def test_the_journal_keeps_the_query_and_every_matched_id(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    journal = tmp_path / "run.jsonl"
    result = run_cli(sandbox, "process", "--query", ENGINEERING, "--journal", str(journal))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in journal.read_text().splitlines()]
    selection = next(r for r in records if r["type"] == "selection")
    assert selection["selection"] == {"kind": "query", "text": ENGINEERING}
    matched = [i for r in records if r["type"] == "matched" for i in r["ids"]]
    assert set(matched) == set(sandbox.state.process_counts)
    recorded_so_far: set[str] = set()
    for record in records:  # each id is recorded before the batch that sends it
        if record["type"] == "matched":
            recorded_so_far.update(record["ids"])
        elif record["type"] == "sending":
            assert set(record["ids"]) <= recorded_so_far
    assert [r["type"] for r in records].count("selected") == 1  # and the selection complete


def test_resume_reads_the_ids_from_the_journal_and_never_searches_again(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    journal = tmp_path / "run.jsonl"
    sandbox.faults.add("http_500", times=10_000, operation="process")
    first = run_cli(
        sandbox, "process", "--query", ENGINEERING, "--journal", str(journal), "--max-retries", "0"
    )
    assert first.exit_code == 1, first.output
    assert f"iscctl identities process --resume {journal}" in first.stderr
    sandbox.faults.clear()
    recorded = {
        i
        for line in journal.read_text().splitlines()
        for r in [json.loads(line)]
        if r["type"] == "matched"
        for i in r["ids"]
    }
    before = searches(sandbox)
    second = run_cli(sandbox, "process", "--resume", str(journal))
    assert second.exit_code == 0, second.output
    assert searches(sandbox) == before
    assert "(from the journal)" in second.stdout
    assert set(sandbox.state.process_counts) == recorded


def test_resume_with_another_query_is_refused(sandbox: SandboxServer, tmp_path: Path) -> None:
    journal = tmp_path / "run.jsonl"
    sandbox.faults.add("http_500", times=10_000, operation="process")
    run_cli(
        sandbox, "process", "--query", ENGINEERING, "--journal", str(journal), "--max-retries", "0"
    )
    sandbox.faults.clear()
    result = run_cli(
        sandbox, "process", "--query", "lifecycleState:active", "--resume", str(journal)
    )
    assert result.exit_code == 2
    assert "was selected by search: " + ENGINEERING in result.stderr
    assert sandbox.state.accepted_batches == []


def test_resume_of_a_query_run_with_files_is_refused_naming_the_way(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """The ids of a selected run come from its journal: FILES beside it would be processed
    instead of the selection, so the run is refused before anything is sent."""
    journal = tmp_path / "run.jsonl"
    sandbox.faults.add("http_500", times=10_000, operation="process")
    run_cli(
        sandbox, "process", "--query", ENGINEERING, "--journal", str(journal), "--max-retries", "0"
    )
    sandbox.faults.clear()
    ids = tmp_path / "ids.txt"
    ids.write_text(sandbox.identity_ids[0] + "\n")
    result = run_cli(sandbox, "process", str(ids), "--resume", str(journal))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "was selected by search: " + ENGINEERING in lines[0]
    assert f"resume it without FILES: iscctl identities process --resume {journal}" in lines[0]
    assert sandbox.state.accepted_batches == []


def test_dry_run_counts_the_matches_and_shows_the_first_batches_sending_nothing(
    make_sandbox: object,
) -> None:
    big = make_sandbox(population_size=10_600)  # type: ignore[operator]
    before = searches(big)
    result = run_cli(big, "process", "--query", "*", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "10,600 identities match search: * (the tenant counts 10,600)" in result.stdout
    assert "batch      1: 250 ids" in result.stdout
    assert "... 38 more batch(es)" in result.stdout
    assert searches(big) - before == 2  # 10,000 then 600 with searchAfter
    assert big.state.accepted_batches == []


def test_a_query_the_tenant_refuses_is_one_line_exit_2_nothing_processed(
    sandbox: SandboxServer,
) -> None:
    result = run_cli(sandbox, "process", "--query", "department Engineering")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the tenant refused the query")
    assert "nothing was processed" in lines[0] and "Traceback" not in result.output
    assert sandbox.state.accepted_batches == []


def test_a_filter_the_tenant_refuses_is_exit_2(sandbox: SandboxServer) -> None:
    result = run_cli(sandbox, "process", "--filters", 'lastRefresh gt "2026-01-01"')
    assert result.exit_code == 2
    assert "error: the tenant refused the filter" in result.stderr


def test_zero_matches_says_so_and_exits_0_or_1_with_fail_if_empty(
    sandbox: SandboxServer,
) -> None:
    nobody = 'attributes.department:"Nobody Works Here"'
    result = run_cli(sandbox, "process", "--query", nobody)
    assert result.exit_code == 0, result.output
    assert f"no identity matches search: {nobody}; nothing was sent" in result.stdout
    strict = run_cli(sandbox, "process", "--query", nobody, "--fail-if-empty")
    assert strict.exit_code == 1
    assert sandbox.state.accepted_batches == []


def test_query_and_files_together_are_refused(sandbox: SandboxServer, tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text(sandbox.identity_ids[0] + "\n")
    result = run_cli(sandbox, "process", str(ids), "--query", "*")
    assert result.exit_code == 2 and "give FILES or --query, not both" in result.stderr
    both = run_cli(sandbox, "process", "--query", "*", "--filters", 'name sw "a"')
    assert both.exit_code == 2 and "not several" in both.stderr


def test_the_json_result_names_the_selection_and_fits_its_schemas(
    sandbox: SandboxServer,
) -> None:
    result = run_cli(sandbox, "process", "--query", ENGINEERING, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    validate(document, "selected-run.schema.json")
    rest = {k: v for k, v in document.items() if k not in ("selection", "verification")}
    validate(rest, "process-report.schema.json")
    selection = document["selection"]
    assert (selection["kind"], selection["text"]) == ("query", ENGINEERING)
    assert selection["matched"] == selection["total"] == document["counts"]["processed"]
    assert selection["fromJournal"] is False and document["verification"] is None
