"""Issue #12, item 6 (command side) for `identities process`: ISC escalates Retry-After
for a client that keeps exceeding its limit (60, 300, 600, 1,200 s). The command waits
for any Retry-After up to `--max-wait` (default 1,200 s), says so on one line per wait
when standard error is not a terminal, and past `--max-wait` fails the request naming
the option (the run then resumes like any failed run).

The sandbox plays the escalation (`rate_limit_escalation`, tiers set short enough for a
test: 61 s, just past the 60 s cap the command had before).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from iscctl.sandbox import Fault, RateLimitEscalation, SandboxServer

from .test_fault_matrix import (
    IDS,
    PROCESS_OPTIONS,
    api_requests,
    client_retries,
    duplicates,
    exit_text,
    processed_per_id,
    write_ids,
)

TIER = 61


@pytest.mark.timeout(300)
def test_a_tiered_retry_after_is_waited_and_shown(
    start_sandbox: Any, cli: Any, tmp_path: Path, matrix: Any
) -> None:
    sandbox: SandboxServer = start_sandbox(
        rate_limit_escalation=RateLimitEscalation(tiers=(TIER,), strikes=1, within=300.0)
    )
    ids = sandbox.identity_ids[:IDS]
    sandbox.faults.add(Fault("rate_limit_escalation", times=1, after=3, operation="process"))

    result = cli.run("identities", "process", write_ids(tmp_path, ids), *PROCESS_OPTIONS,
                     sandbox=sandbox)  # fmt: skip

    counts = processed_per_id(sandbox)
    matrix.record(
        operation="identities process",
        scenario=f"tiered Retry-After ({TIER} s, ISC's escalation) waited under --max-wait",
        requests=api_requests(sandbox, "process"),
        retries=client_retries(result),
        ids_lost=len(set(ids) - set(counts)),
        duplicates=duplicates(counts),
        exit_codes=exit_text(result),
    )
    assert result.returncode == 0, result.stderr
    assert not sandbox.faults.pending
    waits = re.findall(r"^iscctl: waiting (\d+) s as the tenant's Retry-After asks \(until ",
                       result.stderr, re.MULTILINE)  # fmt: skip
    assert waits == [str(TIER)], result.stderr
    assert set(counts) == set(ids) and duplicates(counts) == 0


def test_a_retry_after_past_max_wait_fails_naming_it_and_resume_finishes(
    start_sandbox: Any, cli: Any, tmp_path: Path
) -> None:
    sandbox: SandboxServer = start_sandbox(
        rate_limit_escalation=RateLimitEscalation(tiers=(TIER,), strikes=1, within=300.0)
    )
    ids = sandbox.identity_ids[:300]
    path, journal = write_ids(tmp_path, ids), tmp_path / "run.jsonl"
    sandbox.faults.add(Fault("rate_limit_escalation", times=1, after=1, operation="process"))
    options = [*PROCESS_OPTIONS, "--max-wait", "30", "--journal", journal]

    first = cli.run("identities", "process", path, *options, sandbox=sandbox)
    second = cli.run("identities", "process", path, *PROCESS_OPTIONS, "--resume", journal,
                     sandbox=sandbox)  # fmt: skip

    assert first.returncode == 1, first.stderr
    assert "--max-wait" in first.stdout + first.stderr
    assert f"--resume {journal}" in first.stderr
    assert second.returncode == 0, second.stderr
    assert set(processed_per_id(sandbox)) == set(ids)
