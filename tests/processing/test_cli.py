"""`iscctl identities process` end to end: exit codes, messages, outputs, Ctrl-C and kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from iscctl.cli.main import cli
from iscctl.sandbox import SandboxServer

WriteIds = Callable[..., Path]


def connection(sandbox: SandboxServer) -> list[str]:
    return ["--base-url", sandbox.base_url, "--client-id", sandbox.client_id, "--rate-limit", "off"]


def invoke(sandbox: SandboxServer, *args: str, stdin: str | None = None) -> Result:
    runner = CliRunner(env={"SAIL_CLIENT_SECRET": sandbox.client_secret})
    return runner.invoke(cli, ["identities", "process", *args, *connection(sandbox)], input=stdin)


def test_help_explains_processing_the_limit_the_journal_and_exit_codes() -> None:
    text = CliRunner().invoke(cli, ["identities", "process", "--help"]).output
    for phrase in ("roles", "managers", "twice a day", "100 requests per 10 s", "--resume"):
        assert phrase in " ".join(text.split())
    assert "Exit status: 0 every id processed; 1 some ids rejected" in " ".join(text.split())


def test_a_bad_line_exits_2_naming_file_and_line_and_sends_nothing(
    sandbox: SandboxServer, write_ids: WriteIds
) -> None:
    path = write_ids([sandbox.identity_ids[0], "# fine", "a b"])
    result = invoke(sandbox, str(path))
    assert result.exit_code == 2
    assert f'error: {path}:3: invalid identity id "a b": contains whitespace' in result.stderr
    assert "Traceback" not in result.output and sandbox.state.requests == []


def test_everything_processed_exits_0_with_the_summary_and_the_journal(
    sandbox: SandboxServer, write_ids: WriteIds, tmp_path: Path
) -> None:
    ids = sandbox.identity_ids[:700]
    journal = tmp_path / "run.jsonl"
    result = invoke(sandbox, str(write_ids(ids + ids[:3])), "--journal", str(journal))
    assert result.exit_code == 0, result.output
    assert f"journal: {journal}" in result.stderr
    assert "duplicates 3 unique 700 processed 700 in 3 batches" in " ".join(result.stdout.split())
    assert sandbox.state.process_counts == dict.fromkeys(ids, 1)


def test_rejected_ids_exit_1_and_json_gives_task_ids_and_reasons(
    sandbox: SandboxServer, write_ids: WriteIds
) -> None:
    ids = [*sandbox.identity_ids[:300], "0" * 32]
    result = invoke(sandbox, str(write_ids(ids)), "--format", "json")
    document = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [(r["id"], r["status"]) for r in document["rejected"]] == [("0" * 32, 404)]
    assert document["rejected"][0]["detailCode"]
    accepted = [b["taskId"] for b in document["batches"] if b["outcome"] == "accepted"]
    assert sorted(accepted) == sorted(b.task_id for b in sandbox.state.accepted_batches)


def test_ids_from_stdin_and_output_file(sandbox: SandboxServer, tmp_path: Path) -> None:
    ids = sandbox.identity_ids[:50]
    output = tmp_path / "out" / "result.json"
    result = invoke(sandbox, "--output", str(output), stdin="\n".join(ids))
    assert result.exit_code == 0, result.output
    assert json.loads(output.read_text())["counts"]["processed"] == 50
    assert json.loads(output.read_text())["inputs"] == ["<stdin>"]


def test_csv_column_input(sandbox: SandboxServer, write_ids: WriteIds) -> None:
    ids = sandbox.identity_ids[:20]
    path = write_ids(["name,id", *(f"n{n},{identity}" for n, identity in enumerate(ids))], "e.csv")
    assert invoke(sandbox, str(path), "--column", "id").exit_code == 0
    assert sandbox.state.process_counts == dict.fromkeys(ids, 1)


def test_dry_run_prints_the_batches_and_sends_nothing(
    sandbox: SandboxServer, write_ids: WriteIds
) -> None:
    ids = sandbox.identity_ids[:520]
    result = invoke(sandbox, str(write_ids(ids)), "--dry-run", "--batch-size", "200")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "dry run: 520 ids in 3 batches; nothing sent",
        f"  batch       1  200 ids  from {ids[0]}",
        f"  batch       2  200 ids  from {ids[200]}",
        f"  batch       3  120 ids  from {ids[400]}",
        "estimated time: about 0 s at 100 requests per 10 s (tenant's limit, pacing off)",
    ]
    assert sandbox.state.requests == []


def test_dry_run_of_a_large_input_shows_the_ends_and_the_time_it_would_take(
    sandbox: SandboxServer, write_ids: WriteIds
) -> None:
    """#14.6: 100,000 ids gave 400 lines; now a summary, 3 + 3 batches and an estimate."""
    ids = [f"{n:032x}" for n in range(100_000)]
    runner = CliRunner()
    result = runner.invoke(
        cli, ["identities", "process", str(write_ids(ids)), "--dry-run", "--base-url",
              sandbox.base_url, "--client-id", "x", "--rate-limit", "100/10"],
    )  # fmt: skip
    lines = result.stdout.splitlines()
    assert result.exit_code == 0, result.output
    assert lines[0] == "dry run: 100,000 ids in 400 batches; nothing sent"
    assert lines[4] == "  ... 394 batches more ..."
    assert lines[7].startswith("  batch     400  250 ids  from ")
    assert lines[8] == "estimated time: about 30 s at 100 requests per 10 s (client pacing)"
    assert len(lines) == 9 and all(len(line) <= 80 for line in lines)


def test_empty_input_is_a_warning_and_exit_0(sandbox: SandboxServer, write_ids: WriteIds) -> None:
    path = write_ids([], "empty.txt")
    result = invoke(sandbox, str(path))
    assert result.exit_code == 0
    assert result.stderr.strip() == f"warning: no ids in the input ({path}); nothing to do"
    assert sandbox.state.requests == []


def test_unknown_journal_to_resume_is_exit_2(sandbox: SandboxServer, write_ids: WriteIds) -> None:
    result = invoke(sandbox, str(write_ids(["a1"])), "--resume", "/nonexistent/run.jsonl")
    assert result.exit_code == 2 and "no such journal file" in result.stderr


# -- the real process: signals -------------------------------------------------------------


def start(sandbox: SandboxServer, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SAIL_CLIENT_SECRET": sandbox.client_secret}
    command = [sys.executable, "-m", "iscctl", "identities", "process", *args]
    return subprocess.Popen(
        [*command, *connection(sandbox)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_accepted(journal: Path, count: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if journal.exists() and journal.read_text().count('"type": "accepted"') >= count:
            return
        time.sleep(0.05)
    pytest.fail(f"the run did not reach {count} accepted batches")


def journal_batches(journal: Path) -> tuple[dict[int, list[str]], set[int]]:
    """Ids of every batch sent, and the numbers of those with a 202."""
    sent: dict[int, list[str]] = {}
    accepted: set[int] = set()
    for line in journal.read_text().splitlines():
        record = json.loads(line) if line.endswith("}") else {}
        if record.get("type") == "sending":
            sent[record["batch"]] = record["ids"]
        elif record.get("type") == "accepted":
            accepted.add(record["batch"])
    return sent, accepted


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_kill_9_mid_run_then_resume_loses_nothing_and_resends_no_accepted_batch(
    sandbox: SandboxServer, write_ids: WriteIds, tmp_path: Path
) -> None:
    ids = sandbox.identity_ids[:2000]
    path, journal = write_ids(ids), tmp_path / "run.jsonl"
    sandbox.faults.add("slow", times=10_000, operation="process", seconds=0.2)
    common = [str(path), "--batch-size", "100", "--concurrency", "3"]
    first = start(sandbox, *common, "--journal", str(journal))
    wait_for_accepted(journal, 4)
    first.send_signal(signal.SIGKILL)
    first.communicate()
    sent, accepted = journal_batches(journal)
    in_doubt = {i for number, batch in sent.items() if number not in accepted for i in batch}
    sandbox.faults.clear()

    second = start(sandbox, *common, "--resume", str(journal))
    _, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    counts = sandbox.state.process_counts
    assert set(counts) == set(ids)
    assert {i for i, n in counts.items() if n > 1} <= in_doubt
    resent = Counter(b.identity_ids for b in sandbox.state.accepted_batches)
    assert not any(resent[tuple(sent[n])] > 1 for n in accepted)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_finishes_in_flight_calls_says_how_to_resume_and_resume_completes(
    sandbox: SandboxServer, write_ids: WriteIds, tmp_path: Path
) -> None:
    ids = sandbox.identity_ids[:2000]
    path, journal = write_ids(ids), tmp_path / "run.jsonl"
    sandbox.faults.add("slow", times=10_000, operation="process", seconds=0.2)
    first = start(sandbox, str(path), "--batch-size", "100", "--journal", str(journal))
    wait_for_accepted(journal, 2)
    first.send_signal(signal.SIGINT)
    _, err = first.communicate(timeout=60)
    assert first.returncode == 130
    assert f"--resume {journal}" in err
    sent, accepted = journal_batches(journal)
    assert set(sent) == accepted  # nothing left in doubt: in-flight calls finished
    sandbox.faults.clear()

    second = start(sandbox, str(path), "--batch-size", "100", "--resume", str(journal))
    second.communicate(timeout=60)
    assert second.returncode == 0
    assert sandbox.state.process_counts == dict.fromkeys(ids, 1)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_during_a_query_run_stops_cleanly_and_the_resume_never_searches_again(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """The selection (one search page here) is recorded complete before its batches go out,
    so a run stopped while they do is resumed from the journal alone."""
    journal = tmp_path / "run.jsonl"
    sandbox.faults.add("slow", times=10_000, operation="process", seconds=0.2)
    first = start(sandbox, "--query", "*", "--batch-size", "100", "--journal", str(journal))
    wait_for_accepted(journal, 2)
    first.send_signal(signal.SIGINT)
    _, err = first.communicate(timeout=60)
    assert first.returncode == 130
    assert "stopping: waiting up to" in err and f"--resume {journal}" in err
    sent, accepted = journal_batches(journal)
    assert set(sent) == accepted  # the requests in flight finished and were journaled
    assert len(accepted) < len(sandbox.identity_ids) // 100
    sandbox.faults.clear()
    searched = sum(1 for r in sandbox.state.requests if r.operation == "search")

    second = start(sandbox, "--resume", str(journal))
    out, _ = second.communicate(timeout=60)
    assert second.returncode == 0, out
    assert "(from the journal)" in out
    assert sum(1 for r in sandbox.state.requests if r.operation == "search") == searched
    assert sandbox.state.process_counts == dict.fromkeys(sandbox.identity_ids, 1)


def test_an_existing_journal_is_not_reused_without_resume(
    sandbox: SandboxServer, write_ids: WriteIds, tmp_path: Path
) -> None:
    journal = tmp_path / "run.jsonl"
    path = write_ids(sandbox.identity_ids[:5])
    assert invoke(sandbox, str(path), "--journal", str(journal)).exit_code == 0
    result = invoke(sandbox, str(path), "--journal", str(journal))
    assert result.exit_code == 2 and f"resume it (--resume {journal})" in result.stderr
    assert len(sandbox.state.accepted_batches) == 1


def test_no_secret_in_journal_output_or_messages(
    sandbox: SandboxServer, write_ids: WriteIds, tmp_path: Path
) -> None:
    journal, output = tmp_path / "run.jsonl", tmp_path / "out.json"
    ids = [*sandbox.identity_ids[:300], "0" * 32]
    result = invoke(
        sandbox, str(write_ids(ids)), "--journal", str(journal), "--output", str(output)
    )
    assert result.exit_code == 1
    for text in (journal.read_text(), output.read_text(), result.stdout, result.stderr):
        assert sandbox.client_secret not in text


def test_dry_run_json_lists_the_planned_batches(
    sandbox: SandboxServer, write_ids: WriteIds
) -> None:
    ids = sandbox.identity_ids[:300]
    result = invoke(sandbox, str(write_ids(ids)), "--dry-run", "--format", "json")
    document = json.loads(result.stdout)
    assert [(b["size"], b["first"]) for b in document["plannedBatches"]] == [
        (250, ids[0]),
        (50, ids[250]),
    ]
    assert document["dryRun"] is True and sandbox.state.requests == []
