"""Problems found in import input, and the exception that carries them all at once."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from iscctl.errors import RequestValidationError

_PLAIN_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*\Z")


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
        return f"{self.location}: {self.message}"


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
