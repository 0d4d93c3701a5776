"""The text people read: lines that fit an 80-column terminal, dry-run plans, estimates.

Kept apart from the report (the data) so that the JSON result and the text
never disagree on a number: both read the same `ProcessReport`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator

WIDTH = 80
SHOWN_BATCHES = 3
"""Batches of a dry run shown at each end; the JSON result lists them all."""
TENANT_LIMIT = (100, 10.0)
"""ISC's documented limit per client id and API version: 100 requests per 10 s."""


def fit(line: str, width: int = WIDTH) -> str:
    """The line, cut to `width` columns with an ellipsis when longer."""
    return line if len(line) <= width else line[: width - 1] + "…"


def wrapped(line: str, width: int = WIDTH, indent: str = "  ") -> list[str]:
    """A long message on several lines, the continuation indented (nothing is cut)."""
    return textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False) or [""]


def plural(count: int, noun: str) -> str:
    """`1 batch`, `3 batches`, `1,000 ids`."""
    suffix = "" if count == 1 else ("es" if noun.endswith(("s", "ch", "sh", "x")) else "s")
    return f"{count:,} {noun}{suffix}"


def duration(seconds: float) -> str:
    """`45 s`, `6 min 40 s`, `2 h 05 min`."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def estimate_line(requests: int, rate_limit: tuple[int, float] | None) -> str:
    """How long `requests` take when paced at `rate_limit` (None: client pacing off, so the
    tenant's own limit is what will hold the run back)."""
    count, seconds = rate_limit or TENANT_LIMIT
    took = max(0, requests - count) * seconds / count
    pace = f"{count} requests per {seconds:g} s"
    source = "client pacing" if rate_limit else "tenant's limit, pacing off"
    return fit(f"estimated time: about {duration(took)} at {pace} ({source})")


def dry_run_lines(
    batches: Iterable[list[str]], ids: int, rate_limit: tuple[int, float] | None
) -> Iterator[str]:
    """A summary, the first and last batches, and the time the run would take."""
    numbered = list(_ends(enumerate(batches, start=1)))
    total = numbered[-1][0] if numbered else 0
    yield f"dry run: {plural(ids, 'id')} in {plural(total, 'batch')}; nothing sent"
    previous = 0
    for number, batch in numbered:
        if number > previous + 1:
            yield f"  ... {plural(number - previous - 1, 'batch')} more ..."
        yield fit(f"  batch {number:>7,}  {len(batch):>3} ids  from {batch[0]}")
        previous = number
    yield estimate_line(total, rate_limit)


def _ends(items: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """The first SHOWN_BATCHES items and the last SHOWN_BATCHES, holding only those."""
    tail: list[tuple[int, list[str]]] = []
    for item in items:
        if item[0] <= SHOWN_BATCHES:
            yield item
        else:
            tail.append(item)
            if len(tail) > SHOWN_BATCHES:
                tail.pop(0)
    yield from tail
