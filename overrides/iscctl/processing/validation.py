"""What an identity id may look like before we spend a request on it.

ISC ids are opaque strings (32 hex characters in practice), so we do not insist
on hex: we only refuse what can never be an id — empty values, whitespace or
control characters inside, absurd lengths. Catching these before the first
request means one typo cannot fail a batch of 249 good ids.
"""

from __future__ import annotations

import json
import re
import unicodedata

from attrs import frozen

MAX_ID_LENGTH = 128
"""Far above the 32 characters of real ids, far below a pasted paragraph."""

_PLAINLY_FINE = re.compile(rf"[0-9A-Za-z._:@+=-]{{1,{MAX_ID_LENGTH}}}")
"""The usual shape of an id; matched first so a million ids cost one regex call each."""


@frozen
class Location:
    """Where a value came from: a file name (or `<stdin>`) and a 1-based line or item number."""

    source: str
    line: int
    json_path: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}"
        return f"{where}: {self.json_path}" if self.json_path else where


@frozen
class InvalidId:
    """An input value refused before sending, with the reason and where it was."""

    location: Location
    value: str
    reason: str

    def message(self) -> str:
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"{self.location}: invalid identity id {json.dumps(shown)}: {self.reason}"


def id_problem(value: str) -> str | None:
    """Return why `value` cannot be an ISC identity id, or None when it can."""
    if _PLAINLY_FINE.fullmatch(value):
        return None
    if not value:
        return "empty"
    if len(value) > MAX_ID_LENGTH:
        return f"{len(value)} characters long, at most {MAX_ID_LENGTH} expected"
    for char in value:
        if char.isspace():
            return "contains whitespace"
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            return f"contains the control character U+{ord(char):04X}"
    return None
