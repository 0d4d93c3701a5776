"""What `--wait` shows: a rich bar on a terminal, a line now and then elsewhere."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from iscctl.processing.progress import WaitDisplay
from iscctl.sandbox import SandboxServer
from iscctl.sandbox.faults import Fault
from rich.console import Console

from ..identities_cli import run_cli

MakeSandbox = Callable[..., SandboxServer]


def counts(finished: int, error: int, pending: int, missing: int = 0) -> dict[str, int]:
    return {"finished": finished, "error": error, "pending": pending, "missing": missing}


def test_on_a_terminal_a_bar_shows_each_state_the_rate_the_time_left_and_a_wait() -> None:
    out = io.StringIO()
    screen = Console(file=out, force_terminal=True, width=220)
    with WaitDisplay(1000, timeout=600, console=screen) as display:
        display.update(counts(0, 0, 1000))
        display.update(counts(120, 3, 877))
        display.on_wait(42.0, "rate limit")
    text = out.getvalue()
    assert display.enabled
    assert "123/1000" in text  # settled (finished or in error) of all
    assert "120 finished, 3 in error, 877 pending" in text
    assert "ids/s" in text and "- ids/s" not in text.rsplit("\r", 1)[-1]
    assert "timeout in " in text
    assert "waiting 42 s for the rate limit" in text


def test_a_terminal_bar_without_a_timeout_names_none_and_shows_missing_ones() -> None:
    out = io.StringIO()
    with WaitDisplay(10, console=Console(file=out, force_terminal=True, width=220)) as display:
        display.update(counts(6, 1, 2, missing=1))
    text = out.getvalue()
    assert "6 finished, 1 in error, 1 missing, 2 pending" in text
    assert "timeout" not in text


def test_elsewhere_no_bar_but_a_line_per_change_at_most_every_interval_and_the_end(
    capfd: pytest.CaptureFixture[str],
) -> None:
    out = io.StringIO()
    screen = Console(file=out, force_terminal=False)
    with WaitDisplay(200, timeout=60, console=screen, log_every=3600) as display:
        display.update(counts(0, 0, 200))  # the first counts: a line
        display.update(counts(0, 0, 200))  # unchanged: none
        display.update(counts(50, 1, 149))  # changed within the interval: none yet
        display.update(counts(197, 3, 0))  # ... the end shows it
    assert not display.enabled and out.getvalue() == ""
    lines = capfd.readouterr().err.splitlines()
    assert [line.split(";")[0] for line in lines] == [
        "iscctl: waiting: 0 finished, 0 in error, 200 pending of 200",
        "iscctl: waiting: 197 finished, 3 in error, 0 pending of 200",
    ]
    assert "ids/s" in lines[1] and "elapsed" in lines[1] and "timeout in " in lines[1]


def test_elsewhere_every_change_is_a_line_when_the_interval_allows(
    capfd: pytest.CaptureFixture[str],
) -> None:
    screen = Console(file=io.StringIO(), force_terminal=False)
    with WaitDisplay(3, console=screen, log_every=0) as display:
        for done in range(4):
            display.update(counts(done, 0, 3 - done))
            display.update(counts(done, 0, 3 - done))
        display.on_wait(2.0, "rate limit")  # short: no line
        display.on_wait(300.0, "Retry-After")
    lines = capfd.readouterr().err.splitlines()
    assert len(lines) == 5 and "timeout" not in lines[0]
    assert lines[-1].startswith("iscctl: waiting 300 s as the tenant's Retry-After asks (until ")


def test_a_quiet_display_shows_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    screen = Console(file=io.StringIO(), force_terminal=True)
    with WaitDisplay(3, console=screen, enabled=False) as display:
        display.update(counts(3, 0, 0))
        display.on_wait(1.0, "rate limit")
    assert capfd.readouterr().err == "" and screen.file.getvalue() == ""  # type: ignore[attr-defined]


def test_the_command_logs_its_wait_in_lines_and_a_long_retry_after_in_one_line(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    tenant = make_sandbox(population_size=600, processing_time=0.001)
    tenant.faults.add(Fault("rate_limit", times=1, operation="identities", retry_after=6))
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(tenant.identity_ids[:300]) + "\n")
    journal = tmp_path / "run.jsonl"
    result = run_cli(
        tenant, "process", str(ids), "--journal", str(journal), "--wait", "--wait-budget", "100"
    )
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert "\r" not in err and "\x1b" not in err  # no bar, no terminal codes in a log
    waits = [line for line in err.splitlines() if line.startswith("iscctl: waiting ")]
    assert len(waits) == 1 and "6 s as the tenant's Retry-After asks" in waits[0]
    states = [line for line in err.splitlines() if line.startswith("iscctl: waiting: ")]
    assert states[0].startswith("iscctl: waiting: 0 finished, 0 in error, 300 pending of 300")
    assert states[-1].startswith("iscctl: waiting: 300 finished, 0 in error, 0 pending of 300")
    checked = run_cli(tenant, "status", str(journal))  # one pass: it checks, it does not wait
    assert checked.exit_code == 0, checked.output
    lines = checked.stderr.splitlines()
    assert lines and all(line.startswith("iscctl: checking: ") for line in lines), lines
