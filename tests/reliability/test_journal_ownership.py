"""Issue #12, items 1, 2 and 8: one live process per journal, a resume whose input is short,
and `--output` that would overwrite the journal, through the real command over real HTTP.

Each scenario asks the sandbox (`/__sandbox__/processed`) what was processed: the
journal's word is never taken for it.
"""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path
from typing import Any

from iscctl.sandbox import SandboxServer

from .test_fault_matrix import (
    IDS,
    PROCESS_OPTIONS,
    api_requests,
    client_retries,
    duplicates,
    exit_text,
    processed_per_id,
    wait_for_accepted,
    without_log_lines,
    write_ids,
)


def error_lines(text: str) -> list[str]:
    return [line for line in without_log_lines(text).splitlines() if line.strip()]


def test_a_second_run_on_a_live_journal_is_refused_at_once_naming_the_first(
    isc: SandboxServer, cli: Any, tmp_path: Path, matrix: Any
) -> None:
    """Two runs on one journal (#12.1): the second, whether fresh or a resume, is refused
    before it reads or sends anything, naming the first run's process; the first is then
    killed and a resume finishes the work with no id lost and no journaled 202 sent again."""
    ids = isc.identity_ids[:IDS]
    path, journal = write_ids(tmp_path, ids), tmp_path / "run.jsonl"
    isc.faults.add("slow", times=10_000, operation="process", seconds=0.6)
    common = [path, *PROCESS_OPTIONS]
    first = cli.start(  # one request at a time, 0.6 s each: alive for 9 s
        "identities", "process", *common, "--concurrency", "1", "--journal", journal, sandbox=isc
    )
    wait_for_accepted(journal, 1, first)

    fresh = cli.run("identities", "process", *common, "--journal", journal, sandbox=isc)
    resumed = cli.run("identities", "process", *common, "--resume", journal, sandbox=isc)

    requests_while_refused = api_requests(isc, "process")
    first.send_signal(signal.SIGKILL)
    killed = cli.finish(first)
    time.sleep(0.8)  # what the dead client left in flight finishes on the tenant
    isc.faults.clear()
    final = cli.run("identities", "process", *common, "--resume", journal, sandbox=isc)

    counts = processed_per_id(isc)
    matrix.record(
        operation="identities process",
        scenario="two runs on one journal (second refused), kill -9, resume",
        requests=api_requests(isc, "process"),
        retries=client_retries(killed, fresh, resumed, final),
        ids_lost=len(set(ids) - set(counts)),
        duplicates=duplicates(counts),
        exit_codes=exit_text(fresh, resumed, killed, final),
    )
    for refused in (fresh, resumed):
        assert refused.returncode == 2, refused.stderr
        [line] = error_lines(refused.stderr)
        assert line.startswith(f"error: {journal}: in use by process pid {first.pid} ")
        assert "Traceback" not in refused.stderr and refused.stdout == ""
    assert killed.returncode == -signal.SIGKILL, "the first run was alive all along"
    assert requests_while_refused < IDS // 100
    assert final.returncode == 0, final.stderr
    assert set(counts) == set(ids), "every id processed"
    assert not list(tmp_path.glob("*.owner")), "the owner note goes with its owner"


def test_the_lock_dies_with_the_process_no_stale_lock_after_kill_9(
    isc: SandboxServer, cli: Any, tmp_path: Path
) -> None:
    ids = isc.identity_ids[:300]
    path, journal = write_ids(tmp_path, ids), tmp_path / "run.jsonl"
    isc.faults.add("slow", times=10_000, operation="process", seconds=0.2)
    first = cli.start(
        "identities", "process", path, *PROCESS_OPTIONS, "--journal", journal, sandbox=isc
    )
    wait_for_accepted(journal, 1, first)
    first.send_signal(signal.SIGKILL)
    cli.finish(first)
    isc.faults.clear()

    resumed = cli.run("identities", "process", path, *PROCESS_OPTIONS, "--resume", journal,
                      sandbox=isc)  # fmt: skip

    assert resumed.returncode == 0, resumed.stderr
    assert set(processed_per_id(isc)) == set(ids)


def test_records_of_two_runs_are_never_credited_across_runs(
    isc: SandboxServer, cli: Any, tmp_path: Path
) -> None:
    """Every record carries its run's id; a resumed run gets a new one."""
    ids = isc.identity_ids[:300]
    path, journal = write_ids(tmp_path, ids), tmp_path / "run.jsonl"
    isc.faults.add("http_500", times=2, after=1, operation="process")
    common = [path, *PROCESS_OPTIONS, "--max-retries", "0"]
    first = cli.run("identities", "process", *common, "--journal", journal, sandbox=isc)
    second = cli.run("identities", "process", *common, "--resume", journal, sandbox=isc)

    records = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    runs = [r["runId"] for r in records if r["type"] == "header"]
    assert (first.returncode, second.returncode) == (1, 0), second.stderr
    assert len(set(runs)) == 2 and all(r.get("runId") in runs for r in records)
    assert set(processed_per_id(isc)) == set(ids) and duplicates(processed_per_id(isc)) == 0


def test_a_resume_whose_input_lacks_unfinished_ids_is_refused_with_the_count(
    isc: SandboxServer, cli: Any, tmp_path: Path, matrix: Any
) -> None:
    """#12.2: interrupt a run, then resume with an empty and with a different input: exit 2
    with how many planned ids the input lacks, nothing sent; --allow-missing accepts it
    knowingly; the full input then finishes everything."""
    ids = isc.identity_ids[:IDS]
    path, journal = write_ids(tmp_path, ids), tmp_path / "run.jsonl"
    empty, other = tmp_path / "empty.txt", tmp_path / "other.txt"
    empty.write_text("", encoding="utf-8")
    other.write_text("\n".join(ids[:200]) + "\n", encoding="utf-8")
    isc.faults.add("slow", times=10_000, operation="process", seconds=0.15)
    first = cli.start(
        "identities", "process", path, *PROCESS_OPTIONS, "--journal", journal, sandbox=isc
    )
    wait_for_accepted(journal, 3, first)
    first.send_signal(signal.SIGINT)
    interrupted = cli.finish(first)
    isc.faults.clear()
    done = set(processed_per_id(isc))
    requests_before = api_requests(isc, "process")

    with_empty = cli.run(
        "identities", "process", empty, *PROCESS_OPTIONS, "--resume", journal, sandbox=isc
    )
    with_other = cli.run(
        "identities", "process", other, *PROCESS_OPTIONS, "--resume", journal, sandbox=isc
    )
    assert api_requests(isc, "process") == requests_before, "nothing sent"
    knowingly = cli.run(
        "identities", "process", other, *PROCESS_OPTIONS, "--resume", journal,
        "--allow-missing", sandbox=isc,
    )  # fmt: skip
    final = cli.run(
        "identities", "process", path, *PROCESS_OPTIONS, "--resume", journal, sandbox=isc
    )

    counts = processed_per_id(isc)
    matrix.record(
        operation="identities process",
        scenario="Ctrl-C, resume with an empty / short input (refused), then the full input",
        requests=api_requests(isc, "process"),
        retries=client_retries(interrupted, with_empty, with_other, knowingly, final),
        ids_lost=len(set(ids) - set(counts)),
        duplicates=duplicates(counts),
        exit_codes=exit_text(interrupted, with_empty, with_other, knowingly, final),
    )
    assert interrupted.returncode == 130, interrupted.stderr
    unfinished = len(set(ids) - done)
    assert 0 < unfinished < IDS
    assert with_empty.returncode == 2
    assert error_lines(with_empty.stderr) == [
        f"error: the input lacks {unfinished:,} id(s) that {journal} planned and never "
        "finished; give the same input as the first run, or pass --allow-missing to finish "
        "only the ids of this input"
    ]
    lacking = len(set(ids) - done - set(ids[:200]))
    assert with_other.returncode == 2 and f"lacks {lacking:,} id(s)" in with_other.stderr
    assert knowingly.returncode == 0, knowingly.stderr
    assert f"{lacking:,} id(s) the journal planned are not in this input" in knowingly.stderr
    assert final.returncode == 0, final.stderr
    assert set(counts) == set(ids) and duplicates(counts) == 0


def test_output_equal_to_the_journal_is_refused_before_sending(
    isc: SandboxServer, cli: Any, tmp_path: Path
) -> None:
    """#12.8: the result JSON would overwrite the journal and break the resume command."""
    ids = isc.identity_ids[:20]
    path, journal = write_ids(tmp_path, ids), tmp_path / "run.jsonl"
    first = cli.run("identities", "process", path, "--rate-limit", "off", "--journal", journal,
                    "--max-retries", "0", sandbox=isc)  # fmt: skip
    journal_before = journal.read_bytes()
    requests = api_requests(isc, "process")

    new = tmp_path / "new.jsonl"
    same = cli.run("identities", "process", path, "--rate-limit", "off", "--journal", new,
                   "--output", new, sandbox=isc)  # fmt: skip
    resumed = cli.run("identities", "process", path, "--rate-limit", "off", "--resume", journal,
                      "--output", f"./{journal.name}", sandbox=isc)  # fmt: skip

    assert first.returncode == 0, first.stderr
    for refused, label in ((same, "--journal"), (resumed, "--resume")):
        assert refused.returncode == 2
        [line] = error_lines(refused.stderr)
        assert "is the journal" in line and label in line and "Choose another --output" in line
    assert api_requests(isc, "process") == requests, "nothing sent"
    assert journal.read_bytes() == journal_before
    assert not (tmp_path / "new.jsonl").exists()
