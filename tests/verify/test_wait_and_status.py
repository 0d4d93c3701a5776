"""`--wait`, `identities status` and `--retry-failed` over real HTTP against the sandbox."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from iscctl.client import Client
from iscctl.processing.workflow import check_status_sync, process_selected_sync, retry_failed_sync
from iscctl.sandbox import SandboxServer
from iscctl.sandbox.population import seeded_identity_ids

from ..identities_cli import connection, run_cli, validate

ENGINEERING = 'attributes.department:"Engineering"'
FAST = "100"  # --wait-budget: tests may use the whole rate budget (the bench checks the 5 %)
MakeSandbox = Callable[..., SandboxServer]


SEEDED = seeded_identity_ids(600, 1)  # make_sandbox's seed
"""The ids a 600-identity sandbox holds, known before it starts (to tell it which fail)."""


def engineering_sandbox(make_sandbox: MakeSandbox, **settings: object) -> SandboxServer:
    return make_sandbox(population_size=600, processing_time=0.001, **settings)


def test_wait_names_each_identity_in_error_with_its_details_and_exits_4(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    bad = SEEDED[:3]
    tenant = engineering_sandbox(make_sandbox, processing_error_ids=bad)
    journal = tmp_path / "run.jsonl"
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(tenant.identity_ids[:300]) + "\n")
    result = run_cli(
        tenant, "process", str(ids), "--journal", str(journal), "--wait", "--wait-budget", FAST,
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 4, result.output
    document = json.loads(result.stdout)
    validate(document, "selected-run.schema.json")
    process_part = {k: v for k, v in document.items() if k not in ("selection", "verification")}
    process_part["exitCode"] = 0  # here the whole run's (4): checked by selected-run's schema
    validate(process_part, "process-report.schema.json")  # the rest is the process report
    verification = document["verification"]
    assert verification["counts"]["error"] == 3 and verification["counts"]["finished"] == 297
    assert sorted(e["id"] for e in verification["errors"]) == sorted(bad)
    details = verification["errors"][0]["processingDetails"]
    assert details["stage"] and details["message"] and details["retryCount"] == 0
    assert document["exitCode"] == 4
    assert '"type": "waited"' in journal.read_text()


def test_wait_on_a_query_run_prints_the_errors_and_how_to_retry(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    tenant = engineering_sandbox(make_sandbox, processing_error_rate=0.05)
    journal = tmp_path / "run.jsonl"
    result = run_cli(
        tenant, "process", "--query", ENGINEERING, "--journal", str(journal), "--wait",
        "--wait-budget", FAST,
    )  # fmt: skip
    assert result.exit_code == 4, result.output
    assert "error " in result.stdout and "Attribute Promotion" in result.stdout
    assert f"iscctl identities process --retry-failed {journal}" in result.stderr
    assert "pending 0" in " ".join(result.stdout.split())


def test_status_on_an_old_journal_reports_what_processing_did(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    bad = SEEDED[10:12]
    tenant = engineering_sandbox(make_sandbox, processing_error_ids=bad)
    journal = tmp_path / "run.jsonl"
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(tenant.identity_ids[:100]) + "\n")
    assert run_cli(tenant, "process", str(ids), "--journal", str(journal)).exit_code == 0
    time.sleep(0.5)  # processing finishes in the meantime (100 x 1 ms after a 0.1 s queue)
    result = run_cli(tenant, "status", str(journal), "--format", "json")
    assert result.exit_code == 4, result.output
    document = json.loads(result.stdout)
    validate(document, "status-report.schema.json")
    assert sorted(e["id"] for e in document["errors"]) == sorted(bad)
    assert document["counts"]["finished"] == 98
    text = run_cli(tenant, "status", str(journal))
    assert text.exit_code == 4 and f"error {bad[0]}: Attribute Promotion:" in text.stdout


def test_retry_failed_processes_just_the_identities_in_error(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    bad = SEEDED[:4]
    tenant = engineering_sandbox(make_sandbox, processing_error_ids=bad)
    journal = tmp_path / "run.jsonl"
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(tenant.identity_ids[:200]) + "\n")
    first = run_cli(
        tenant, "process", str(ids), "--journal", str(journal), "--wait", "--wait-budget", FAST
    )
    assert first.exit_code == 4, first.output
    retry_journal = tmp_path / "retry.jsonl"
    second = run_cli(
        tenant, "process", "--retry-failed", str(journal), "--journal", str(retry_journal),
        "--wait", "--wait-budget", FAST,
    )  # fmt: skip
    assert second.exit_code == 0, second.output  # the sandbox fails each of them once
    counts = tenant.state.process_counts
    assert {i for i, n in counts.items() if n == 2} == set(bad)
    assert "4 of 200 identities ended in error" in second.stderr


def test_wait_timeout_reports_the_pending_identities_and_exits_1(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    tenant = make_sandbox(population_size=600, processing_time=1.0)
    journal = tmp_path / "run.jsonl"
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(tenant.identity_ids[:50]) + "\n")
    result = run_cli(
        tenant, "process", str(ids), "--journal", str(journal), "--wait", "--wait-timeout", "0.5",
        "--wait-budget", FAST, "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    verification = json.loads(result.stdout)["verification"]
    assert verification["timedOut"] is True
    assert verification["counts"]["pending"] >= 40
    assert len(verification["pending"]) == verification["counts"]["pending"]


def test_untracked_tasks_are_reported_per_batch_never_a_failure(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    tenant = engineering_sandbox(make_sandbox, track_tasks=False)
    journal = tmp_path / "run.jsonl"
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(tenant.identity_ids[:600]) + "\n")
    result = run_cli(
        tenant, "process", str(ids), "--journal", str(journal), "--wait", "--wait-budget", FAST,
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    batches = json.loads(result.stdout)["verification"]["batches"]
    assert {b["task"]["state"] for b in batches} <= {"notTracked", "notPolled"}
    assert batches[0]["task"]["state"] == "notTracked"


def test_tracked_tasks_show_their_completion_status(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    tenant = engineering_sandbox(make_sandbox)
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(tenant.identity_ids[:500]) + "\n")
    result = run_cli(
        tenant, "process", str(ids), "--wait", "--wait-budget", FAST, "--format", "json"
    )
    assert result.exit_code == 0, result.output
    batches = json.loads(result.stdout)["verification"]["batches"]
    assert any(b["task"]["completionStatus"] == "SUCCESS" for b in batches)


def test_the_python_api_returns_an_outcome_per_identity(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    tenant = engineering_sandbox(make_sandbox, processing_error_ids=SEEDED)
    with Client(
        base_url=tenant.base_url,
        client_id=tenant.client_id,
        client_secret=tenant.client_secret,
        rate_limit=None,
    ) as isc:
        run = process_selected_sync(
            isc, query=ENGINEERING, wait=True, wait_budget=1.0, journal=tmp_path / "run.jsonl"
        )
        assert run.status is not None and run.exit_code == 4
        outcomes = list(run.status.outcomes())
        assert len(outcomes) == run.matched and {o.state for o in outcomes} == {"error"}
        assert all(o.stage and o.message for o in outcomes)
        later = check_status_sync(isc, tmp_path / "run.jsonl")
        assert later.errors == run.status.errors
        checked, again = retry_failed_sync(isc, tmp_path / "run.jsonl", wait=True, wait_budget=1.0)
        assert checked.errors == run.status.errors
        assert again is not None and again.exit_code == 0  # the sandbox fails each one once


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_during_wait_keeps_the_journal_and_says_how_to_check_later(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    tenant = make_sandbox(population_size=600, processing_time=5.0)
    journal = tmp_path / "run.jsonl"
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(tenant.identity_ids[:20]) + "\n")
    env = {**os.environ, "SAIL_CLIENT_SECRET": tenant.client_secret}
    command = [sys.executable, "-m", "iscctl", "identities", "process", str(ids), "--journal"]
    process = subprocess.Popen(
        [*command, str(journal), "--wait", "--wait-budget", FAST, *connection(tenant)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while '"type": "end"' not in (journal.read_text() if journal.exists() else ""):
        assert time.monotonic() < deadline, "the run never finished sending"
        time.sleep(0.05)
    time.sleep(0.5)  # waiting now
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert f"iscctl identities status {journal}" in err
    assert "Traceback" not in err
    check = run_cli(tenant, "status", str(journal), "--format", "json")
    assert json.loads(check.stdout)["counts"]["identities"] == 20


def test_the_async_api_retries_the_failures_of_a_run(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    import asyncio

    from iscctl.client import AsyncClient
    from iscctl.processing.workflow import process_selected, retry_failed

    bad = SEEDED[:2]
    tenant = engineering_sandbox(make_sandbox, processing_error_ids=bad)
    journal = tmp_path / "run.jsonl"

    async def go() -> tuple[int, int, int | None]:
        async with AsyncClient(
            base_url=tenant.base_url,
            client_id=tenant.client_id,
            client_secret=tenant.client_secret,
            rate_limit=None,
        ) as isc:
            query = " OR ".join(f"id:{identity}" for identity in SEEDED[:50])
            first = await process_selected(
                isc, query=query, wait=True, wait_budget=1.0, journal=journal
            )
            checked, again = await retry_failed(
                isc, journal, wait=True, wait_budget=1.0, new_journal=tmp_path / "retry.jsonl"
            )
            assert again is not None and again.status is not None
            return first.exit_code, checked.errors, again.exit_code

    assert asyncio.run(go()) == (4, 2, 0)
    assert {i for i, n in tenant.state.process_counts.items() if n == 2} == set(bad)
