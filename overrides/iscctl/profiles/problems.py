"""Problems found in import input, and the exception that carries them all at once."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from iscctl.errors import RequestValidationError

_PLAIN_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*\Z")
# Characters that would break a one-line message: control characters and Unicode line breaks.
_LINE_BREAKING = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """Escape what would split a message over lines (``\\n``, ``\\x00``...), keep the rest."""
    return _LINE_BREAKING.sub(lambda match: repr(match.group())[1:-1], text)


def json_path(prefix: str, loc: Iterable[str | int]) -> str:
    """``("[3]", ["object", "priority"])`` → ``[3].object.priority``; odd keys as ``["a b"]``."""
    path = prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            path += f".{part}" if path else part
        else:
            path += f"[{json.dumps(part, ensure_ascii=False)}]"
    return path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input: where (file and JSON path) and which rule it breaks."""

    file: str
    path: str
    message: str

    @property
    def location(self) -> str:
        return f"{self.file}: {self.path}" if self.path else self.file

    def __str__(self) -> str:
        """One line, whatever the file's keys and values hold."""
        return one_line(f"{self.location}: {self.message}")


class ProfileInputError(RequestValidationError):
    """The import input is unusable; nothing was sent.

    ``input_problems`` lists every reason found (file, JSON path, rule); the inherited
    ``problems`` holds the same as ``(location, message)`` pairs.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.input_problems = list(problems)
        first = str(self.input_problems[0]) if self.input_problems else "invalid input"
        more = len(self.input_problems) - 1
        super().__init__(
            first + (f" (and {more} more problems)" if more > 0 else ""),
            [(problem.location, problem.message) for problem in self.input_problems],
        )
