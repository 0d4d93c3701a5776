"""Issue #12, items 5, 7, 9 and 11 for `identities process`, through the real command:

- what the file system refuses (read-only, a parent that is a file, a full disk, `ulimit -f`,
  a closed standard input, an unwritable `--output`) is one line, exit 2 and nothing sent,
  or, mid-run, a clean stop with the summary, the reason and the resume command (#12.7);
- what no batch can get past (credentials refused, a host that does not resolve or refuses
  connections, an API version without the operation) exits 3 at once, with no resume hint
  (#12.9);
- scratch files live in the state folder and a killed run's are swept (#12.11);
- a token endpoint that never answers cannot keep a stop from happening (#12.5).

Read-only and full file systems are real: a small tmpfs mounted for the test (root only;
elsewhere those tests are skipped with the reason).
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from iscctl.sandbox import Fault, SandboxServer

from .conftest import CLI_TIMEOUT, OTHER_SECRETS, cli_environment
from .test_fault_matrix import (
    IDS,
    PROCESS_OPTIONS,
    api_requests,
    client_retries,
    closed_port,
    duplicates,
    exit_text,
    processed_per_id,
    read_output,
    without_log_lines,
    write_ids,
)

Mount = Callable[..., Path]


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The run's only line on stderr besides the debug log and the `journal: PATH` notice;
    asserts there is no traceback."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = [
        line
        for line in without_log_lines(result.stderr).splitlines()
        if line.strip() and not line.startswith("journal: ")
    ]
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Mount]:
    """`small_fs(name, size="64k", readonly=False)`: a tmpfs mounted at tmp_path/name."""
    mounted: list[Path] = []

    def mount(name: str, size: str = "64k", readonly: bool = False) -> Path:
        target = tmp_path / name
        target.mkdir()
        options = f"size={size}" + (",ro" if readonly else "")
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
        mounted.append(target)
        return target

    yield mount
    for target in reversed(mounted):
        subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


def remount(target: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(target)], check=True)


# -- #12.7: one line, exit 2, nothing sent -------------------------------------------------------


def test_journal_whose_parent_is_a_file(isc: SandboxServer, cli: Any, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    path = write_ids(tmp_path, isc.identity_ids[:10])
    result = cli.run("identities", "process", path, "--journal", tmp_path / "afile" / "run.jsonl",
                     sandbox=isc)  # fmt: skip
    assert result.returncode == 2
    assert f"({tmp_path / 'afile'} is a file, not a folder)" in one_error_line(result)
    assert api_requests(isc, "process") == 0


def test_journal_on_a_read_only_file_system(
    isc: SandboxServer, cli: Any, tmp_path: Path, small_fs: Mount
) -> None:
    readonly = small_fs("ro", readonly=True)
    path = write_ids(tmp_path, isc.identity_ids[:10])
    result = cli.run("identities", "process", path, "--journal", readonly / "run.jsonl",
                     sandbox=isc)  # fmt: skip
    assert result.returncode == 2
    assert "Read-only file system" in one_error_line(result)
    assert api_requests(isc, "process") == 0


def test_disk_full_while_a_selection_is_recorded_stops_cleanly_and_the_resume_finishes(
    start_sandbox: Any, cli: Any, tmp_path: Path, small_fs: Mount
) -> None:
    """A query run records each search page in the journal before sending its ids; the
    journal's file system fills up while the second page is recorded. The batches in
    flight finish, the run stops with the reason and the resume command, no id of the
    unrecorded part is sent; after room is made, the resume reads what was recorded from
    the journal, searches the rest, and processes every identity."""
    big = start_sandbox(population_size=25_000)  # pages of 10,000, 10,000 and 5,000
    disk = small_fs("journals", size="900k")  # page 1 (~350 KB) and its 40 batches fit
    journal, output = disk / "run.jsonl", tmp_path / "r.json"
    options = ["--rate-limit", "off", "--concurrency", "4"]
    first = cli.run("identities", "process", "--query", "*", *options, "--journal", journal,
                    "--output", output, sandbox=big)  # fmt: skip
    report = read_output(output)
    sent_before = processed_per_id(big)
    remount(disk, "size=8m")
    second = cli.run("identities", "process", "--resume", journal, *options, sandbox=big)

    assert first.returncode == 1, first.stderr
    assert "Traceback" not in first.stderr
    assert "No space left on device" in first.stdout
    assert f"iscctl identities process --resume {journal}" in first.stderr
    assert report["selection"]["complete"] is False
    assert 0 < report["counts"]["processed"] < 25_000
    assert len(sent_before) == report["counts"]["processed"]
    assert second.returncode == 0, second.stderr
    counts = processed_per_id(big)
    assert set(counts) == set(big.identity_ids)
    assert all(n == 1 for i, n in counts.items() if i not in sent_before)


def test_resuming_a_journal_that_cannot_be_appended_to(
    isc: SandboxServer, cli: Any, tmp_path: Path, small_fs: Mount
) -> None:
    disk = small_fs("journals", size="1m")
    ids = isc.identity_ids[:300]
    path, journal = write_ids(tmp_path, ids), disk / "run.jsonl"
    isc.faults.add("http_500", times=1, after=1, operation="process")
    options = [*PROCESS_OPTIONS, "--max-retries", "0"]
    first = cli.run("identities", "process", path, *options, "--journal", journal, sandbox=isc)
    assert first.returncode == 1
    requests = api_requests(isc, "process")
    remount(disk, "ro")

    result = cli.run("identities", "process", path, *options, "--resume", journal, sandbox=isc)

    assert result.returncode == 2
    line = one_error_line(result)
    assert "cannot append to the journal (Read-only file system)" in line
    assert "--journal NEW" in line
    assert api_requests(isc, "process") == requests

    # As the line says: this run's records go to NEW, and with them the ids the old journal
    # has a 202 for, so that NEW alone is enough to resume from later.
    new = tmp_path / "new.jsonl"
    moved = cli.run(
        "identities", "process", path, *options, "--resume", journal, "--journal", new, sandbox=isc
    )
    assert moved.returncode == 0, moved.stderr
    sent = api_requests(isc, "process")
    again = cli.run("identities", "process", path, *options, "--resume", new, sandbox=isc)
    assert again.returncode == 0, again.stderr
    assert api_requests(isc, "process") == sent  # nothing of the old journal's sent again
    assert set(processed_per_id(isc)) == set(ids)


def test_state_dir_that_cannot_be_written(isc: SandboxServer, cli: Any, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    path = write_ids(tmp_path, isc.identity_ids[:10])
    result = cli.run("identities", "process", path, sandbox=isc,
                     env={"ISCCTL_STATE_DIR": str(tmp_path / "afile" / "state")})  # fmt: skip
    assert result.returncode == 2
    assert "set ISCCTL_STATE_DIR to a writable folder" in one_error_line(result)
    assert api_requests(isc, "process") == 0


def test_output_that_cannot_be_written_is_found_before_the_first_request(
    isc: SandboxServer, cli: Any, tmp_path: Path, small_fs: Mount
) -> None:
    readonly = small_fs("ro", readonly=True)
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    path = write_ids(tmp_path, isc.identity_ids[:10])
    for output in (readonly / "result.json", tmp_path / "afile" / "result.json"):
        result = cli.run("identities", "process", path, "--output", output, sandbox=isc)
        assert result.returncode == 2
        assert one_error_line(result).startswith(f"error: --output {output}: cannot write there")
    assert api_requests(isc, "process") == 0
    assert not list((tmp_path / "state").glob("journals/*.jsonl")), "no journal left behind"


def test_closed_standard_input(isc: SandboxServer, tmp_path: Path, evidence: Any) -> None:
    done = subprocess.run(
        ["bash", "-c", f"exec {sys.executable} -m iscctl identities process <&-"],
        capture_output=True, text=True, env=cli_environment(isc, tmp_path), cwd=tmp_path,
        timeout=CLI_TIMEOUT, check=False,
    )  # fmt: skip
    evidence.add("closed stdin run", done.stdout + done.stderr)
    assert done.returncode == 2
    assert "standard input is closed; give FILES" in one_error_line(done)


def test_file_size_limit_while_spooling(isc: SandboxServer, tmp_path: Path, evidence: Any) -> None:
    """`ulimit -f` hit while the ids are spooled (before anything is sent)."""
    path = tmp_path / "many.txt"
    path.write_text("".join(f"{n:032x}\n" for n in range(40_000)), encoding="utf-8")
    command = f"ulimit -f 256; exec {sys.executable} -m iscctl identities process {path}"
    done = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True,
        env={**cli_environment(isc, tmp_path), "PYTHONDONTWRITEBYTECODE": "1"},
        cwd=tmp_path, timeout=CLI_TIMEOUT, check=False,
    )  # fmt: skip
    evidence.add("ulimit run", done.stdout + done.stderr)
    assert done.returncode == 2
    line = one_error_line(done)
    assert "cannot write the run's scratch files (File too large)" in line
    assert "nothing was sent" in line
    assert api_requests(isc, "process") == 0
    assert not list((tmp_path / "state" / "scratch").glob("ids-*")), "scratch files removed"


def test_disk_full_mid_run_stops_cleanly_and_the_resume_finishes(
    isc: SandboxServer, cli: Any, tmp_path: Path, small_fs: Mount, matrix: Any
) -> None:
    """The journal's file system fills up after a few batches: the run stops there with
    its summary, the reason on one line and the resume command; no request leaves
    without its `sending` record; after room is made, the resume finishes everything."""
    disk = small_fs("journals", size="80k")  # header + plan (~55 KB), then ~6 batches of 100
    ids = isc.identity_ids[:IDS]
    path, journal, output = write_ids(tmp_path, ids), disk / "run.jsonl", tmp_path / "r.json"
    options = [*PROCESS_OPTIONS, "--concurrency", "1"]

    first = cli.run("identities", "process", path, *options, "--journal", journal,
                    "--output", output, sandbox=isc)  # fmt: skip
    report = read_output(output)
    sent_before = set(processed_per_id(isc))
    remount(disk, "size=2m")
    second = cli.run("identities", "process", path, *options, "--resume", journal, sandbox=isc)

    counts = processed_per_id(isc)
    matrix.record(
        operation="identities process",
        scenario="disk full mid-run (journal's file system), resume after making room",
        requests=api_requests(isc, "process"),
        retries=client_retries(first, second),
        ids_lost=len(set(ids) - set(counts)),
        duplicates=duplicates(counts),
        exit_codes=exit_text(first, second),
    )
    assert first.returncode == 1, first.stderr
    assert "Traceback" not in first.stderr
    assert "stopped: cannot write the journal" in first.stdout
    assert "No space left on device" in first.stdout
    assert f"to finish the work: iscctl identities process {path}" in first.stderr
    assert 0 < report["counts"]["processed"] < IDS and report["counts"]["notSent"] > 0
    assert len(sent_before) == report["counts"]["processed"]
    assert second.returncode == 0, second.stderr
    assert set(counts) == set(ids)
    # only a batch whose 202 could not be journaled may be sent twice
    assert duplicates(counts) <= 100


# -- #12.9: exit 3 at once, no resume hint -------------------------------------------------


@pytest.mark.parametrize(
    "case", ["token refused (wrong secret)", "host not found", "connection refused", "v3"]
)
def test_what_no_batch_can_get_past_exits_3_at_once(
    case: str, isc: SandboxServer, cli: Any, tmp_path: Path
) -> None:
    path = write_ids(tmp_path, isc.identity_ids[:600])
    env: dict[str, str] = {}
    extra: list[str] = []
    if case.startswith("token"):
        env["SAIL_CLIENT_SECRET"] = OTHER_SECRETS[0]
    elif case == "host not found":
        env["SAIL_BASE_URL"] = "https://tenant-that-does-not-exist.invalid"
    elif case == "connection refused":
        env["SAIL_BASE_URL"] = f"http://127.0.0.1:{closed_port()}"
    else:
        extra = ["--api-version", "v3"]

    result = cli.run("identities", "process", path, "--rate-limit", "off", "--batch-size", "100",
                     *extra, sandbox=isc, env=env)  # fmt: skip

    assert result.returncode == 3, result.stderr
    line = one_error_line(result)
    assert "--resume" not in result.stderr + result.stdout
    assert "retrying in" not in result.stderr, "nothing a retry could fix is retried"
    if case.startswith("token"):
        assert "401" in line or "credentials" in line.lower()
        assert isc.state.tokens_issued == 0
        assert api_requests(isc, "token") == 1, "one refused token request, not one per batch"
    elif case == "v3":
        assert "has no process operation" in line
    assert api_requests(isc, "process") == 0


# -- #12.11: scratch files in the state folder, swept --------------------------------------------


def test_scratch_files_live_in_the_state_folder_and_a_killed_runs_are_swept(
    isc: SandboxServer, cli: Any, tmp_path: Path
) -> None:
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    reading = subprocess.Popen(  # stuck reading standard input, which stays open
        [sys.executable, "-m", "iscctl", "identities", "process", "--rate-limit", "off"],
        env={**cli_environment(isc, tmp_path), "TMPDIR": str(own_tmp)},
        cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert reading.stdin is not None
    reading.stdin.write("".join(f"{n:032x}\n" for n in range(5000)).encode())
    reading.stdin.flush()
    scratch = tmp_path / "state" / "scratch"
    deadline = time.monotonic() + 30
    while not list(scratch.glob("ids-*/to-send.txt")) and time.monotonic() < deadline:
        time.sleep(0.05)
    [left] = list(scratch.glob("ids-*"))
    reading.kill()
    reading.communicate(timeout=CLI_TIMEOUT)
    assert left.exists() and not list(own_tmp.iterdir()), "nothing in the temporary folder"
    an_hour_ago = time.time() - 3600
    os.utime(left, (an_hour_ago, an_hour_ago))

    result = cli.run("identities", "process", write_ids(tmp_path, isc.identity_ids[:5]),
                     "--rate-limit", "off", sandbox=isc)  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert not left.exists(), "the killed run's scratch folder was swept"
    assert not list(scratch.glob("ids-*")), "and this run's own removed at its end"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_while_reading_input_cleans_up(
    sig: signal.Signals, isc: SandboxServer, tmp_path: Path
) -> None:
    reading = subprocess.Popen(
        [sys.executable, "-m", "iscctl", "identities", "process", "--rate-limit", "off"],
        env=cli_environment(isc, tmp_path), cwd=tmp_path,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert reading.stdin is not None
    reading.stdin.write(b"2c9180835d2e5168015d32f890ca1581\n")
    reading.stdin.flush()
    scratch = tmp_path / "state" / "scratch"
    deadline = time.monotonic() + 30
    while not list(scratch.glob("ids-*/to-send.txt")) and time.monotonic() < deadline:
        time.sleep(0.05)
    reading.send_signal(sig)
    _, err = reading.communicate(timeout=CLI_TIMEOUT)
    assert reading.returncode == 130, err.decode()
    assert b"Traceback" not in err and b"nothing was sent" in err
    assert not list(scratch.glob("ids-*")), "scratch folder removed"


# -- #12.5: a token endpoint that never answers --------------------------------------------------


def wait_for_record(journal: Path, kind: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if journal.exists() and f'"type": "{kind}"' in journal.read_text(errors="replace"):
            return
        time.sleep(0.02)
    pytest.fail(f"no {kind} record before the run ended or stalled")


@pytest.mark.parametrize("signals", [(signal.SIGTERM,), (signal.SIGHUP, signal.SIGHUP)])
def test_a_hanging_token_endpoint_cannot_keep_a_stop_from_happening(
    signals: tuple[signal.Signals, ...],
    isc: SandboxServer,
    cli: Any,
    tmp_path: Path,
    matrix: Any,
) -> None:
    """The token request never gets an answer: one SIGTERM stops the run within the
    timeout, two SIGHUPs at once; the resume then processes everything."""
    ids = isc.identity_ids[:IDS]
    path, journal = write_ids(tmp_path, ids), tmp_path / "run.jsonl"
    isc.faults.add(Fault("slow", times=1, operation="token", seconds=300))
    options = [*PROCESS_OPTIONS, "--timeout", "3", "--max-retries", "0"]
    running = cli.start("identities", "process", path, *options, "--journal", journal, sandbox=isc)
    wait_for_record(journal, "sending", running)
    for sig in signals:
        running.send_signal(sig)
        time.sleep(0.2)
    stopped = cli.finish(running)
    isc.faults.clear()

    resumed = cli.run("identities", "process", path, *options, "--resume", journal, sandbox=isc)

    counts = processed_per_id(isc)
    name = " ".join(s.name for s in signals)
    matrix.record(
        operation="identities process",
        scenario=f"token endpoint never answers, {name}, resume",
        requests=api_requests(isc, "process"),
        retries=client_retries(stopped, resumed),
        ids_lost=len(set(ids) - set(counts)),
        duplicates=duplicates(counts),
        exit_codes=exit_text(stopped, resumed),
    )
    assert stopped.returncode in (130, 1), stopped.stderr
    assert "Traceback" not in stopped.stderr
    assert "to finish the work" in stopped.stderr
    records = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    assert records[-1]["type"] == "end"
    assert resumed.returncode == 0, resumed.stderr
    assert set(counts) == set(ids) and duplicates(counts) == 0


# -- the printed resume command, run as printed -------------------------------------------


def test_the_printed_resume_command_goes_back_to_the_same_tenant(
    isc: SandboxServer, cli: Any, tmp_path: Path
) -> None:
    """A run that chose its tenant by option resumes there, not at SAIL_BASE_URL's."""
    ids = isc.identity_ids[:IDS]
    path, journal = write_ids(tmp_path, ids), tmp_path / "run.jsonl"
    decoy = {"SAIL_BASE_URL": f"http://127.0.0.1:{closed_port()}"}
    isc.faults.add("http_500", times=4, after=3, operation="process")

    options = [*PROCESS_OPTIONS, "--max-retries", "0", "--base-url", isc.base_url]
    first = cli.run(
        "identities", "process", path, *options, "--journal", journal, sandbox=isc, env=decoy
    )
    hint = next(line for line in first.stderr.splitlines() if "to finish the work:" in line)
    words = shlex.split(hint.split("to finish the work:", 1)[1])
    assert words[:3] == ["iscctl", "identities", "process"]
    assert isc.client_secret not in hint
    second = cli.run(*words[1:], sandbox=isc, env=decoy)

    assert first.returncode == 1, first.stderr
    assert second.returncode == 0, second.stderr
    assert set(processed_per_id(isc)) == set(ids)
