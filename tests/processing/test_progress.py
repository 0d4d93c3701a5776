"""The progress bar: drawn on a terminal, absent elsewhere."""

from __future__ import annotations

import io

import pytest
from iscctl.client import ClientStats
from iscctl.processing.progress import ProgressDisplay, RateMeter
from rich.console import Console


def console(terminal: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=terminal, width=120), out


def test_on_a_terminal_it_shows_done_of_total_and_the_retries() -> None:
    screen, out = console(terminal=True)
    stats = ClientStats(requests=3, retries=2, rate_limited=1)
    with ProgressDisplay(1000, lambda: stats, console=screen) as bar:
        bar.advance(250)
    assert bar.enabled
    text = out.getvalue()
    assert "250/1000" in text and "2 retries, 1 429s" in text


def test_elsewhere_nothing_is_drawn() -> None:
    screen, out = console(terminal=False)
    with ProgressDisplay(1000, console=screen) as bar:
        bar.advance(250)
    assert not bar.enabled and out.getvalue() == ""


def test_a_wait_shows_as_a_countdown_on_the_bar() -> None:
    out = io.StringIO()
    screen = Console(file=out, force_terminal=True, width=200)
    with ProgressDisplay(1000, console=screen) as bar:
        bar.advance(250)
        bar.on_wait(42.0, "rate limit")
        bar.advance(1)  # a redraw
    assert "waiting 42 s for the rate limit" in out.getvalue()


def test_elsewhere_a_long_wait_is_one_line_and_a_short_one_none(
    capfd: pytest.CaptureFixture[str],
) -> None:
    screen, out = console(terminal=False)
    with ProgressDisplay(1000, console=screen) as bar:
        bar.on_wait(300.0, "Retry-After")
        bar.on_wait(0.8, "rate limit")
        bar.on_wait(4.0, "backoff")
    lines = capfd.readouterr().err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("iscctl: waiting 300 s as the tenant's Retry-After asks (until ")
    assert out.getvalue() == ""


def test_the_rate_keeps_moving_during_a_wait() -> None:
    now = [0.0]
    meter = RateMeter(clock=lambda: now[0])
    for _ in range(10):
        now[0] += 1.0
        meter.add(250)
    assert meter.rate() == 250.0
    now[0] += 20.0  # a 20 s wait: nothing done
    assert meter.rate() == 2500 / 30
    now[0] += 20.0
    assert meter.rate() == 0.0
