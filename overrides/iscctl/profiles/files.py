"""Reading import files: JSON or YAML, from a path or stdin, into plain Python values.

Why not just ``json.load``: a bad file must fail with one line that names the file and
what is wrong (and never echo 50 MB of it), and nothing in it may change or vanish on
the way to the tenant. JSON integers stay Python ints (exact at any size); a JSON
number with a fraction or exponent becomes a float only when writing that float back
gives the same decimal value, otherwise it becomes an :class:`InexactNumber`; an
object with a key given twice (JSON readers keep one value and drop the other) becomes
a :class:`DuplicateKeyObject`. Validation reports both, with their paths, instead of
letting the import silently change the data.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from iscctl.profiles.problems import Problem, ProfileInputError

STDIN = "-"
STDIN_LABEL = "<stdin>"
YAML_SUFFIXES = (".yaml", ".yml")
_SNIFF_BYTES = 64 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"


class InputFileError(ProfileInputError):
    """A whole file is unusable as import input; ``str()`` is the one-line message."""

    def __init__(self, label: str, problem: str) -> None:
        super().__init__([Problem(label, "", problem)])
        self.label = label
        self.problem = problem


class InexactNumber(float):
    """A JSON number that a float cannot carry exactly (e.g. ``1e400`` or 30 digits).

    Kept as a float subclass so that validation still sees a number, with the original
    text in :attr:`text` so the problem can be reported as written.
    """

    text: str

    def __new__(cls, text: str) -> InexactNumber:
        value = float(text)
        number = super().__new__(cls, value if value - value == 0 else 0.0)
        number.text = text
        return number


class DuplicateKeyObject(dict[str, Any]):
    """A JSON object in which some keys appeared more than once (the last value is kept)."""

    duplicates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """The parsed content of one input file."""

    label: str
    data: Any
    has_suspect_values: bool = False  # inexact numbers or duplicate keys somewhere inside


def read_document(path: str | Path, stdin: BinaryIO | None = None) -> Document:
    """Read and parse one input file (``-`` is stdin); raise :class:`InputFileError`."""
    label = STDIN_LABEL if str(path) == STDIN else str(path)
    raw = _read_bytes(path, label, stdin)
    if str(path).lower().endswith(YAML_SUFFIXES):
        return _parse_yaml(raw, label)
    return _parse_json(raw, label)


def _read_bytes(path: str | Path, label: str, stdin: BinaryIO | None) -> bytes:
    if str(path) == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        head = stream.read(_SNIFF_BYTES)
        _reject_non_json_start(head, label, str(path))
        return head + stream.read()
    try:
        with open(path, "rb") as file:
            head = file.read(_SNIFF_BYTES)
            _reject_non_json_start(head, label, str(path))
            return head + file.read()
    except FileNotFoundError:
        raise InputFileError(label, "no such file") from None
    except IsADirectoryError:
        raise InputFileError(label, "is a directory, not a file") from None
    except PermissionError:
        raise InputFileError(label, "permission denied") from None
    except OSError as error:
        raise InputFileError(label, f"cannot be read ({error.strerror or error})") from None


def _reject_non_json_start(head: bytes, label: str, path: str) -> None:
    """Fail on the first bytes, before reading the rest of a large file of nonsense."""
    stripped = head.removeprefix(_UTF8_BOM).lstrip()
    if not stripped:
        if not head:
            raise InputFileError(label, "is empty; expected exported identity profiles")
        if len(head) < _SNIFF_BYTES:
            raise InputFileError(label, "holds only white space; expected exported profiles")
    if path.lower().endswith(YAML_SUFFIXES) or not stripped:
        return
    first = stripped[:1]
    if first in (b"[", b"{"):
        return
    kind = _top_level_kind(stripped)
    if kind:
        raise InputFileError(
            label,
            f"the top-level value is {kind}; expected an array of exported identity profiles,"
            " one exported object, or an SP-Config export",
        )
    raise InputFileError(
        label, f"not JSON: it starts with {_snippet(stripped)} where '[' or '{{' was expected"
    )


def _top_level_kind(start: bytes) -> str:
    """What JSON value ``start`` begins, when it is not an array or object; "" if none."""
    if start.startswith(b'"'):
        return "a string"
    if start[:1] in b"-0123456789":
        return "a number"
    for literal, kind in ((b"true", "a boolean"), (b"false", "a boolean"), (b"null", "null")):
        if start.startswith(literal) and not start[len(literal) : len(literal) + 1].isalnum():
            return kind
    return ""


def _snippet(data: bytes, limit: int = 16) -> str:
    text = data[:limit].decode("utf-8", errors="replace").split("\n")[0]
    return repr(text + ("…" if len(data) > limit else ""))


def _decode(raw: bytes, label: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputFileError(
            label, f"not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start})"
        ) from None


class _ConstantNotAllowed(ValueError):
    pass


def _exact_float(text: str) -> float:
    value = float(text)
    if value - value == 0 and Decimal(repr(value)) == Decimal(text):
        return value
    return InexactNumber(text)


def _reject_constant(name: str) -> Any:
    raise _ConstantNotAllowed(name)


def _parse_json(raw: bytes, label: str) -> Document:
    text = _decode(raw, label)
    suspects: list[bool] = []

    def parse_float(number: str) -> float:
        value = _exact_float(number)
        if isinstance(value, InexactNumber):
            suspects.append(True)
        return value

    def make_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        suspects.append(True)
        flagged = DuplicateKeyObject(obj)
        counts = Counter(key for key, _ in pairs)
        flagged.duplicates = tuple(key for key, count in counts.items() if count > 1)
        return flagged

    try:
        data = json.loads(
            text,
            parse_float=parse_float,
            parse_constant=_reject_constant,
            object_pairs_hook=make_object,
        )
    except json.JSONDecodeError as error:
        ends_early = error.pos >= len(text.rstrip())
        hint = " (the file ends too early: truncated?)" if ends_early else ""
        raise InputFileError(
            label,
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}{hint}",
        ) from None
    except _ConstantNotAllowed as error:
        raise InputFileError(
            label, f"not valid JSON: {error.args[0]} is not a JSON number"
        ) from None
    except RecursionError:
        raise InputFileError(label, "not usable: nested too deeply") from None
    return Document(label, data, has_suspect_values=bool(suspects))


def _parse_yaml(raw: bytes, label: str) -> Document:
    # PyYAML and the loader built on it are loaded only when a YAML file is read.
    from iscctl.profiles.yaml_files import parse_yaml

    return parse_yaml(raw, label)


def iter_suspect_values(
    value: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], InexactNumber | DuplicateKeyObject]]:
    """Yield (path, value) for everything inside ``value`` that would not reach the tenant as
    written: :class:`InexactNumber` and :class:`DuplicateKeyObject` (from a file), and
    infinite or NaN floats (from Python objects, yielded as an InexactNumber of their repr).
    """
    if isinstance(value, InexactNumber):
        yield path, value
    elif isinstance(value, float) and value - value != 0:
        yield path, InexactNumber(repr(value))
    elif isinstance(value, dict):
        if isinstance(value, DuplicateKeyObject):
            yield path, value
        for key, item in value.items():
            yield from iter_suspect_values(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from iter_suspect_values(item, (*path, index))
