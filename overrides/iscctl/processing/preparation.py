"""The first pass over the input: validate every value, drop duplicates, spool the rest.

For ids read from files (or given in Python), nothing is sent until the whole
input has been read, so a bad line on row 39,000 stops the run before the
first request. The unique ids still to send go to a spool file (one per line)
that the second pass reads back in batches: standard input can be read only
once, memory stays flat, and the total is known for the progress bar before the
first batch leaves. A selection streams its pages through the same checks
without a spool (see `selection_stream.py`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from attrs import define, field

from iscctl.processing.inputs import InputError, InputItem
from iscctl.processing.ledger import IdLedger
from iscctl.processing.validation import InvalidId, id_problem

MAX_KEPT_INVALID = 1000
"""Invalid values kept for the report; beyond that only counted."""


class InvalidInputError(InputError):
    """Some input values cannot be identity ids and --skip-invalid was not given."""

    def __init__(self, invalid: list[InvalidId], count: int) -> None:
        super().__init__(invalid[0].message() if invalid else "invalid input")
        self.invalid = invalid
        self.count = count


@define
class Preparation:
    """What the first pass found; the ids to send are in `spool` (None when streamed)."""

    spool: Path | None
    read: int = 0
    duplicates: int = 0
    already_processed: int = 0
    to_send: int = 0
    invalid_count: int = 0
    invalid: list[InvalidId] = field(factory=list)
    fingerprint: str = ""
    """SHA-256 of the values read, in order: tells a resumed run whether its input changed."""


class Preparer:
    """Feed it input items one by one; it validates, dedupes and (given a spool) spools them."""

    def __init__(self, ledger: IdLedger) -> None:
        self._ledger = ledger
        self.result = Preparation(spool=None)
        self._out: TextIO | None = None
        self._digest = hashlib.sha256()
        self._any_done: bool | None = None
        """Whether the resumed journal marked any id done; looked up once, at the first id."""

    def spool_to(self, spool: Path) -> None:
        """Write the ids to send to `spool` too (a whole input, read back in batches)."""
        self._out = spool.open("w", encoding="utf-8")
        self.result.spool = spool

    def feed(self, item: InputItem) -> str | None:
        """Take in one value; returns it when it is an id to send."""
        result = self.result
        result.read += 1
        self._digest.update(item.value.encode() + b"\n")
        problem = item.problem or id_problem(item.value)
        if problem is not None:
            result.invalid_count += 1
            if len(result.invalid) < MAX_KEPT_INVALID:
                result.invalid.append(InvalidId(item.location, item.value, problem))
            return None
        if self._any_done is None:
            self._any_done = self._ledger.count("done") > 0
        if not self._ledger.add("seen", item.value):
            result.duplicates += 1
            return None
        if self._any_done and ("done", item.value) in self._ledger:
            result.already_processed += 1
            return None
        result.to_send += 1
        if self._out is not None:
            self._out.write(item.value + "\n")
        return item.value

    def abandon(self) -> None:
        """Close the spool if the input was never read to the end."""
        if self._out is not None:
            self._out.close()

    def finish(self, *, skip_invalid: bool) -> Preparation:
        """Close the spool; raise `InvalidInputError` if a value was bad and not skipped."""
        self.abandon()
        self.result.fingerprint = self._digest.hexdigest()
        if self.result.invalid_count and not skip_invalid:
            raise InvalidInputError(self.result.invalid, self.result.invalid_count)
        return self.result


def spooled_batches(spool: Path, size: int) -> Iterator[list[str]]:
    """Read the spool back as lists of at most `size` ids."""
    batch: list[str] = []
    with spool.open(encoding="utf-8") as lines:
        for line in lines:
            batch.append(line.rstrip("\n"))
            if len(batch) == size:
                yield batch
                batch = []
    if batch:
        yield batch
