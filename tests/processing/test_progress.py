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


def test_a_selection_sent_while_it_is_read_shows_how_far_it_got_and_its_total_grows() -> None:
    screen, out = console(terminal=True)
    selected = ["selected 10,000 of 30,000"]
    with ProgressDisplay(30_000, console=screen, selecting=lambda: selected[0]) as bar:
        bar.advance(250)
        bar._progress.refresh()  # type: ignore[union-attr]
        selected[0] = ""  # read to its end: 29,990 after duplicates
        bar.set_total(29_990)
        bar.advance(250)
    text = out.getvalue()
    assert "selected 10,000 of 30,000" in text
    assert "250/30000" in text and "500/29990" in text


def test_a_dry_run_draws_the_selection_as_a_bar_of_the_tenants_count() -> None:
    from iscctl.processing.progress import SelectionDisplay

    screen, out = console(terminal=True)
    with SelectionDisplay("search: *", console=screen) as display:
        display.update(10_000, 100_000)
        display.update(20_000, 100_000)
    assert display.enabled
    text = out.getvalue()
    assert "selecting" in text and "20000/100000" in text and "search: *" in text


def test_a_dry_run_draws_nothing_elsewhere() -> None:
    from iscctl.processing.progress import SelectionDisplay

    screen, out = console(terminal=False)
    with SelectionDisplay("search: *", console=screen) as display:
        display.update(10_000, None)
    assert not display.enabled and out.getvalue() == ""
