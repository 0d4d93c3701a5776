"""Streamed readers of identity ids: plain lines, a CSV column, or a JSON array.

Every reader yields one `InputItem` per value with its file and line, never the
whole file: a 1,000,000-line input costs the memory of one read buffer. The
bytes read are hashed on the way so the journal can tell whether a resumed run
reads the same input.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Literal

from attrs import frozen

from iscctl.errors import ISCError
from iscctl.processing.validation import Location

InputFormat = Literal["auto", "lines", "csv", "json"]
STDIN = "-"
_CHUNK = 1 << 16
_LONGEST_ELEMENT = 1 << 20
"""A JSON element that still does not parse after this many characters is broken, not
cut off by the end of a read."""


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
        binary: IO[bytes] = sys.stdin.buffer if path == STDIN else open(path, "rb")  # noqa: SIM115
    except OSError as error:
        raise InputError(f"{name}: cannot open: {error.strerror}") from None
    try:
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
        head = text.read(_CHUNK)
        if head and not head.endswith("\n"):
            head += text.readline()  # so that `head` ends on a line boundary
        chosen = _choose_format(path, head, input_format, column)
        if chosen == "json":
            yield from _read_json(_chunks(head, text), name, column)
        elif chosen == "csv":
            yield from _read_csv(_lines(head, text), name, column)
        else:
            yield from _read_lines(_lines(head, text), name)
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not UTF-8 text ({error.reason}); save it as UTF-8") from None
    finally:
        if path != STDIN:
            binary.close()


def _lines(head: str, rest: IO[str]) -> Iterator[str]:
    yield from io.StringIO(head, newline="")
    yield from rest


def _chunks(head: str, rest: IO[str]) -> Iterator[str]:
    yield head
    while chunk := rest.read(_CHUNK):
        yield chunk


def _choose_format(
    path: str, head: str, input_format: InputFormat, column: str | None
) -> InputFormat:
    if input_format != "auto":
        return input_format
    suffix = Path(path).suffix.lower()
    if suffix == ".json" or head.lstrip()[:1] == "[":
        return "json"
    if column is not None or suffix == ".csv":
        return "csv"
    return "lines"


def _read_lines(text: Iterable[str], name: str) -> Iterator[InputItem]:
    for number, line in enumerate(text, start=1):
        value = line.strip()
        if value and not value.startswith("#"):
            yield InputItem(value, Location(name, number))


def _read_csv(text: Iterable[str], name: str, column: str | None) -> Iterator[InputItem]:
    rows = csv.reader(text)
    header = next(rows, None)
    if header is None:
        return
    index = _column_index([cell.strip() for cell in header], name, column)
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        location = Location(name, rows.line_num)
        if index >= len(row):
            yield InputItem("", location, f"the row has no {header[index]!r} column")
        else:
            yield InputItem(row[index].strip(), location)


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


def _read_json(chunks: Iterator[str], name: str, key: str | None) -> Iterator[InputItem]:
    """Parse a JSON array element by element, keeping only a small window of text."""
    decoder = json.JSONDecoder()
    window = ""
    line = 1  # line number at the start of `window`
    position = 0
    index = 0
    state = "start"  # start -> value -> separator -> value ... -> done

    def fail(reason: str) -> InputError:
        at = line + window.count("\n", 0, position)
        return InputError(f"{name}:{at}: not a JSON array of ids: {reason}; fix the file")

    while True:
        chunk = next(chunks, "")
        window += chunk
        at_end = not chunk
        while True:
            while position < len(window) and window[position] in " \t\r\n":
                position += 1
            if position >= len(window):
                break
            char = window[position]
            if state == "start":
                if char != "[":
                    raise fail("it does not start with '['")
                position += 1
                state = "first"
            elif state in ("first", "value"):
                if state == "first" and char == "]":
                    position += 1
                    state = "done"
                    continue
                try:
                    element, end = decoder.raw_decode(window, position)
                except json.JSONDecodeError as error:
                    if at_end or len(window) - position > _LONGEST_ELEMENT:
                        raise fail(error.msg) from None
                    break  # the element continues in the next chunk
                except RecursionError:
                    raise fail("an element is nested too deeply to be an id") from None
                if end == len(window) and not at_end:
                    break  # a number may continue in the next chunk
                at = line + window.count("\n", 0, position)
                yield _json_item(element, Location(name, at, f"[{index}]"), key)
                index += 1
                position = end
                state = "separator"
            elif state == "separator":
                if char not in ",]":
                    raise fail(f"expected ',' or ']' but found {char!r}")
                position += 1
                state = "value" if char == "," else "done"
            else:
                raise fail("text after the closing ']'")
        line += window.count("\n", 0, position)
        window = window[position:]
        position = 0
        if at_end:
            if state != "done":
                raise fail("it ends before the closing ']'")
            return


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
