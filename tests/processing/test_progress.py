"""The progress bar: drawn on a terminal, absent elsewhere."""

from __future__ import annotations

import io

from iscctl.client import ClientStats
from iscctl.processing.progress import ProgressDisplay
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
