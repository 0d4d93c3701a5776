"""Streamed readers of identity ids: plain lines, a CSV column, or a JSON array.

Every reader yields one `InputItem` per value with its file and line, never the
whole file, and never a whole line either: a line is read at most
`_LONGEST_LINE` characters at a time, so memory stays bounded whatever the
input holds (a 200 MB line is an error found with 64 KB of it in memory).

JSON is parsed by ijson over yajl (C): a push parser fed the file in pieces
split at line breaks, so every element keeps the line it ends on, and the time
is linear in the size whatever the layout (one minified line or one id per
line). Elements are built from ijson's events here, so nesting depth is bounded
too (ijson's own builders recurse without a limit).

CSV is checked for the anomalies that silently drop rows: a quoted field that
runs over lines which look like rows of ids (a stray `"`), a quoted field
never closed, a field over the csv module's size limit. Each is one line with
the file, the line and a hint, found before anything is sent.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Literal

import ijson  # type: ignore[import-untyped]  # no stubs; used through a small surface
from attrs import frozen

from iscctl.errors import ISCError
from iscctl.processing.validation import Location, id_problem

InputFormat = Literal["auto", "lines", "csv", "json"]
STDIN = "-"
_CHUNK = 1 << 16
_LONGEST_LINE = 1 << 16
"""Characters of one line held at once; a longer line cannot hold an id (or a sane CSV row)."""
_LONGEST_ELEMENT = 1 << 20
"""Bytes of JSON fed without finishing an element: beyond it the element cannot be an id."""
_DEEPEST = 32
"""Nesting inside one JSON element; an id, or an object holding one, needs far less."""
_BOM = b"\xef\xbb\xbf"


class InputError(ISCError):
    """The input cannot be read at all (missing file, broken JSON, unknown column)."""


@frozen
class InputItem:
    """One value read from the input; `problem` is set when the reader already knows it is bad."""

    value: str
    location: Location
    problem: str | None = None


def display_name(path: str) -> str:
    return "<stdin>" if path == STDIN else path


def read_ids(
    paths: Iterable[str],
    *,
    input_format: InputFormat = "auto",
    column: str | None = None,
) -> Iterator[InputItem]:
    """Yield every value of every file in order (`-` is standard input)."""
    for path in paths:
        yield from _read_one(path, input_format, column)


def _read_one(path: str, input_format: InputFormat, column: str | None) -> Iterator[InputItem]:
    name = display_name(path)
    try:
        if path == STDIN:
            if sys.stdin is None:
                raise InputError("<stdin>: standard input is closed; give FILES")
            binary: IO[bytes] = sys.stdin.buffer
        else:
            binary = open(path, "rb")  # noqa: SIM115
    except OSError as error:
        raise InputError(f"{name}: cannot open: {error.strerror}") from None
    try:
        head = binary.read(_CHUNK)
        chosen = _choose_format(path, head, input_format, column)
        if chosen == "json":
            yield from _read_json(_byte_chunks(head, binary), name, column)
            return
        text = io.TextIOWrapper(
            io.BufferedReader(_Prefixed(head, binary), _CHUNK), encoding="utf-8-sig", newline=""
        )
        if chosen == "csv":
            yield from _read_csv(text, name, column)
        else:
            yield from _read_lines(text, name)
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not UTF-8 text ({error.reason}); save it as UTF-8") from None
    finally:
        if path != STDIN:
            binary.close()


class _Prefixed(io.RawIOBase):
    """The bytes already read for format detection, then the rest of the stream."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _byte_chunks(head: bytes, rest: IO[bytes]) -> Iterator[bytes]:
    yield head.removeprefix(_BOM)
    while chunk := rest.read(_CHUNK):
        yield chunk


def _choose_format(
    path: str, head: bytes, input_format: InputFormat, column: str | None
) -> InputFormat:
    if input_format != "auto":
        return input_format
    suffix = Path(path).suffix.lower()
    if suffix == ".json" or head.removeprefix(_BOM).lstrip()[:1] == b"[":
        return "json"
    if column is not None or suffix == ".csv":
        return "csv"
    return "lines"


def _bounded_lines(text: IO[str]) -> Iterator[tuple[str, int]]:
    """Yield (line, length): a line of at most `_LONGEST_LINE` characters as it is; a longer
    one as its first `_LONGEST_LINE` characters and its full length, the rest skipped."""
    while line := text.readline(_LONGEST_LINE):
        if len(line) < _LONGEST_LINE or line.endswith(("\n", "\r")):
            yield line, len(line)
            continue
        length = len(line)
        while more := text.readline(_LONGEST_LINE):
            length += len(more)
            if more.endswith(("\n", "\r")):
                break
        yield line, length


def _read_lines(text: IO[str], name: str) -> Iterator[InputItem]:
    for number, (line, length) in enumerate(_bounded_lines(text), start=1):
        if length > len(line):
            problem = f"a line of {length:,} characters, at most 128 expected"
            yield InputItem(line[:60], Location(name, number), problem)
            continue
        value = line.strip()
        if value and not value.startswith("#"):
            yield InputItem(value, Location(name, number))


# -- CSV ------------------------------------------------------------------------------------


def _csv_lines(text: IO[str], name: str) -> Iterator[str]:
    for number, (line, length) in enumerate(_bounded_lines(text), start=1):
        if length > len(line):
            raise InputError(
                f"{name}:{number}: a line of {length:,} characters; not a CSV of ids "
                "(a stray quote, or the wrong file?); fix the file"
            )
        yield line


def _read_csv(text: IO[str], name: str, column: str | None) -> Iterator[InputItem]:
    rows = csv.reader(_csv_lines(text, name))
    try:
        header = next(rows, None)
        if header is None:
            return
        index = _column_index([cell.strip() for cell in header], name, column)
        ended = rows.line_num
        for row in rows:
            first, ended = ended + 1, rows.line_num
            if ended > first:
                _check_spanning_row(row, first, name, len(header), index)
            if not any(cell.strip() for cell in row):
                continue
            location = Location(name, ended)
            if index >= len(row):
                yield InputItem("", location, f"the row has no {header[index]!r} column")
            else:
                yield InputItem(row[index].strip(), location)
    except csv.Error as error:
        raise InputError(
            f"{name}:{rows.line_num + 1}: not a readable CSV ({_one_line(str(error))}); "
            'a stray quote opens a field that never ends: fix the quote or double it ("")'
        ) from None


def _check_spanning_row(row: list[str], first: int, name: str, width: int, index: int) -> None:
    """A row over several lines is a quoted field holding line breaks: legitimate in a
    notes column, a stray quote when the lines it holds look like rows with ids."""
    for cell in row:
        if "\n" not in cell and "\r" not in cell:
            continue
        inner = cell.splitlines()
        if cell.endswith(("\n", "\r")):
            raise InputError(
                f"{name}:{first}: a quoted field opened on this line is never closed: it runs "
                f"to the end of the file over {len(inner)} line(s); fix the stray quote "
                '(or double it: "")'
            )
        swallowed = sum(1 for line in inner[1:] if _looks_like_a_row(line, width, index))
        if swallowed:
            raise InputError(
                f"{name}:{first}: a quoted field opened on this line runs over "
                f"{len(inner)} lines and swallows {swallowed} that look like rows with ids "
                '(a stray quote?); fix the quote, or double it ("")'
            )


def _looks_like_a_row(line: str, width: int, index: int) -> bool:
    cells = next(csv.reader([line]), [])
    return len(cells) == width and width > 1 and id_problem(cells[index].strip()) is None


def _column_index(header: list[str], name: str, column: str | None) -> int:
    if column is None:
        if len(header) == 1:
            return 0
        raise InputError(
            f"{name}:1: a CSV with columns {', '.join(header)}; choose one with --column NAME"
        )
    lowered = [cell.lower() for cell in header]
    if column in header:
        return header.index(column)
    if column.lower() in lowered:
        return lowered.index(column.lower())
    raise InputError(
        f"{name}:1: no column {column!r} in the CSV header ({', '.join(map(repr, header))}); "
        "fix --column to one of them"
    )


# -- JSON -------------------------------------------------------------------------------------


def _read_json(chunks: Iterator[bytes], name: str, key: str | None) -> Iterator[InputItem]:
    """Parse a JSON array element by element; each element gets the line it ends on."""
    events: Any = ijson.sendable_list()
    parser = ijson.basic_parse_coro(events, use_float=True)
    builder = _ElementBuilder()
    line, index, unfinished = 1, 0, 0

    def fail(reason: str) -> InputError:
        return InputError(f"{name}:{line}: not a JSON array of ids: {reason}; fix the file")

    for chunk in chunks:
        for segment in _line_segments(chunk):
            try:
                parser.send(segment)
            except ijson.JSONError as error:
                raise fail(_yajl_reason(error)) from None
            if events:
                for event, value in events:
                    try:
                        done, element = builder.feed(event, value)
                    except ValueError as error:
                        raise fail(str(error)) from None
                    if done:
                        where = Location(name, line, f"[{index}]")
                        yield _json_item(element, where, key)
                        index += 1
                        unfinished = 0
                del events[:]
            unfinished += len(segment)
            if unfinished > _LONGEST_ELEMENT and not builder.closed:
                raise fail(f"an element runs over {_LONGEST_ELEMENT:,} bytes; it cannot hold an id")
            if segment.endswith(b"\n"):
                line += 1
    try:
        parser.close()
    except ijson.JSONError as error:
        reason = _yajl_reason(error)
        if "premature EOF" in reason:
            reason = "it ends before the closing ']'" if builder.opened else "the file is empty"
        raise fail(reason) from None
    if not builder.closed:
        raise fail("it ends before the closing ']'" if builder.opened else "the file is empty")


def _line_segments(chunk: bytes) -> Iterator[bytes]:
    """The chunk in pieces that each end at a line break (but the last); never an empty
    piece, which ijson would take for the end of the input."""
    if b"\n" not in chunk:
        if chunk:
            yield chunk
        return
    start = 0
    while (end := chunk.find(b"\n", start)) != -1:
        yield chunk[start : end + 1]
        start = end + 1
    if start < len(chunk):
        yield chunk[start:]


def _yajl_reason(error: Exception) -> str:
    """yajl's message without the multi-line excerpt and pointer it appends."""
    text = str(error)
    if text.startswith(("b'", 'b"')):
        text = text[2:]
    first = text.split("\\n")[0].split("\n")[0].strip()
    if "UTF8" in first:
        return "not UTF-8 text; save it as UTF-8"
    return first or "not valid JSON"


class _ElementBuilder:
    """Turns ijson's events into the elements of one top-level array, with bounded depth."""

    def __init__(self) -> None:
        self.opened = False
        self.closed = False
        self._stack: list[Any] = []
        self._keys: list[str | None] = []

    def feed(self, event: str, value: Any) -> tuple[bool, Any]:
        """Returns (True, element) when an element of the top-level array is complete."""
        stack = self._stack
        if not stack:
            if not self.opened:
                if event != "start_array":
                    raise ValueError("it does not start with '['")
                self.opened = True
                return False, None
            if event == "end_array":
                self.closed = True
                return False, None
            if event in ("start_array", "start_map"):
                self._open(event)
                return False, None
            return True, value  # a string, number, boolean or null element
        if event in ("start_array", "start_map"):
            if len(stack) >= _DEEPEST:
                raise ValueError("an element is nested too deeply to be an id")
            self._open(event)
            return False, None
        if event == "map_key":
            self._keys[-1] = value
            return False, None
        if event in ("end_array", "end_map"):
            finished = stack.pop()
            self._keys.pop()
            if not stack:
                return True, finished
            return self._add(finished)
        return self._add(value)

    def _open(self, event: str) -> None:
        self._stack.append([] if event == "start_array" else {})
        self._keys.append(None)

    def _add(self, value: Any) -> tuple[bool, Any]:
        container = self._stack[-1]
        if isinstance(container, list):
            container.append(value)
        else:
            container[self._keys[-1]] = value
        return False, None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _json_item(element: object, location: Location, key: str | None) -> InputItem:
    if isinstance(element, dict) and key is not None:
        if key not in element:
            return InputItem("", location, f"the object has no {key!r} field")
        element = element[key]
        location = Location(location.source, location.line, f"{location.json_path}.{key}")
    if isinstance(element, str):
        return InputItem(element.strip(), location)
    kind = (
        "an object (choose a field with --column)" if isinstance(element, dict) else "not a string"
    )
    return InputItem(_preview(element), location, kind)


def _preview(element: object) -> str:
    """The start of an element's JSON text, for an error message (never the whole of it)."""
    try:
        return json.dumps(element)[:60]
    except (RecursionError, ValueError):
        return type(element).__name__
