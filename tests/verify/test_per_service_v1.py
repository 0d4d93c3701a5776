"""`--api-version v1`: the whole job of #15 on SailPoint's per-service paths, over real HTTP.

Each test reads the sandbox's own record of the requests it answered: with `v1`
every call must go to `/<service>/v1...` (search, identities list, task status,
process), none to a versioned path (`/v2025/...`), and the tenant must have
counted each against `v1`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result
from iscctl.cli.main import cli
from iscctl.client import Client
from iscctl.processing import check_status_sync, process_selected_sync, retry_failed_sync
from iscctl.sandbox import SandboxServer
from iscctl.sandbox.population import seeded_identity_ids

from ..identities_cli import connection

ENGINEERING = 'attributes.department:"Engineering"'
SEEDED = seeded_identity_ids(600, 1)
BAD = SEEDED[:400:7]
"""Identities the sandbox fails once: some fall under ENGINEERING, some under `name sw "a"`."""
MakeSandbox = Callable[..., SandboxServer]
PER_SERVICE = {
    "search": "/search/v1",
    "list": "/identities/v1",
    "process": "/identities/v1/process",
    "task": "/task-status/v1/",
}


def v1_sandbox(make_sandbox: MakeSandbox) -> SandboxServer:
    return make_sandbox(population_size=600, processing_time=0.001, processing_error_ids=BAD)


def run_v1(sandbox: SandboxServer, *args: str) -> Result:
    runner = CliRunner(env={"SAIL_CLIENT_SECRET": sandbox.client_secret})
    return runner.invoke(cli, ["identities", *args, *connection(sandbox), "--api-version", "v1"])


def calls(sandbox: SandboxServer, since: int = 0) -> dict[str, int]:
    """The ISC calls answered since request number `since`, by kind; fails on any call to a
    path that is not per-service v1 or that the tenant counted against another version."""
    kinds = dict.fromkeys(PER_SERVICE, 0)
    for record in sandbox.state.requests[since:]:
        if record.path == "/oauth/token":
            continue
        assert record.version == "v1", (record.method, record.path, record.version)
        if record.path.startswith(PER_SERVICE["task"]):
            kinds["task"] += 1
        else:
            kind = {path: kind for kind, path in PER_SERVICE.items()}.get(record.path)
            assert kind is not None, f"not a per-service v1 path: {record.method} {record.path}"
            kinds[kind] += 1
    return kinds


def test_query_with_wait_searches_processes_and_reads_on_v1_paths(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    tenant = v1_sandbox(make_sandbox)
    journal = tmp_path / "run.jsonl"
    result = run_v1(
        tenant, "process", "--query", ENGINEERING, "--journal", str(journal), "--wait",
        "--wait-budget", "100", "--format", "json",
    )  # fmt: skip
    document = json.loads(result.stdout)
    errors = {e["id"] for e in document["verification"]["errors"]}
    assert result.exit_code == 4, result.output
    assert errors and errors <= set(BAD)
    assert document["verification"]["counts"]["pending"] == 0
    made = calls(tenant)
    assert made["search"] >= 2  # the selection, then the details of the identities in error
    assert made["process"] >= 1 and made["list"] >= 1 and made["task"] >= 1
    assert '"apiVersion": "v1"' in journal.read_text()


def test_filters_then_status_then_retry_failed_all_stay_on_v1_paths(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    tenant = v1_sandbox(make_sandbox)
    journal = tmp_path / "run.jsonl"
    dry = run_v1(tenant, "process", "--filters", 'name sw "a"', "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert calls(tenant) == {"search": 0, "list": 1, "process": 0, "task": 0}

    mark = len(tenant.state.requests)
    first = run_v1(tenant, "process", "--filters", 'name sw "a"', "--journal", str(journal))
    assert first.exit_code == 0, first.output
    assert calls(tenant, mark)["process"] >= 1

    mark = len(tenant.state.requests)
    status = run_v1(tenant, "status", str(journal), "--format", "json")
    assert status.exit_code == 4, status.output
    in_error = {e["id"] for e in json.loads(status.stdout)["errors"]}
    assert in_error and in_error <= set(BAD)
    checked = calls(tenant, mark)
    assert checked["list"] >= 1 and checked["search"] >= 1 and checked["process"] == 0

    mark = len(tenant.state.requests)
    retry = run_v1(
        tenant, "process", "--retry-failed", str(journal), "--journal", str(tmp_path / "r.jsonl")
    )
    assert retry.exit_code == 0, retry.output
    assert calls(tenant, mark)["process"] == 1
    assert {i for i, n in tenant.state.process_counts.items() if n == 2} == in_error


def test_the_python_api_on_v1(make_sandbox: MakeSandbox, tmp_path: Path) -> None:
    tenant = v1_sandbox(make_sandbox)
    journal = tmp_path / "run.jsonl"
    with Client(
        base_url=tenant.base_url,
        client_id=tenant.client_id,
        client_secret=tenant.client_secret,
        version="v1",
        rate_limit=None,
    ) as isc:
        run = process_selected_sync(isc, query=ENGINEERING, journal=journal)
        assert run.exit_code == 0 and run.matched > 0
        report = check_status_sync(isc, journal, wait=True)
        assert report.exit_code == 4 and report.pending == 0
        checked, again = retry_failed_sync(isc, journal, wait=True, wait_budget=1.0)
        assert again is not None and again.exit_code == 0
        assert checked.error_ids() == report.error_ids()
    made = calls(tenant)
    assert all(made.values()), made
