"""The spec gate: what openapi/isc.yaml must pass before any code is generated from it.

1. It is YAML (no syntax error, no key given twice in one mapping);
2. the OpenAPI linter (Redocly CLI, pinned in package.json) finds nothing against the
   rule set in openapi/redocly.yaml: among others a `required` entry naming an
   undefined property, an unresolved `$ref`, a duplicate operationId, a path parameter
   the operation does not declare;
3. openapi-spec-validator accepts it.

Every problem is one line, `file:line:column: rule: message (at JSON pointer)`, so an
editor can jump to it; nothing here ends in a traceback or prints the spec back.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

LINTER_TIMEOUT = 180.0
MAX_MESSAGE = 300
"""Messages are cut here: some validators quote whole documents."""


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: int | None
    rule: str
    message: str
    pointer: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        at = f" (at {self.pointer})" if self.pointer else ""
        return f"{where}: {self.rule}: {self.message}{at}"


class SpecGateError(Exception):
    """The spec did not pass the gate; `problems` says where and why, one per line."""

    def __init__(self, spec: str, problems: list[Problem]) -> None:
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        lines = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"{spec} is not valid OpenAPI ({count}):\n{lines}")


class LinterError(Exception):
    """No verdict from the linter: not installed (`make install` runs npm ci), or it failed."""


# -- positions ---------------------------------------------------------------------------------


def escape(key: str) -> str:
    """A JSON pointer segment (RFC 6901)."""
    return key.replace("~", "~0").replace("/", "~1")


class Positions:
    """Where each JSON pointer of a YAML document starts, and the way back."""

    def __init__(self, root: yaml.Node) -> None:
        self.by_pointer: dict[str, tuple[int, int]] = {}
        self.by_position: dict[tuple[int, int], str] = {}
        self.duplicates: list[tuple[str, tuple[int, int]]] = []
        self._walk(root, "#")

    @staticmethod
    def _start(node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _walk(self, node: yaml.Node, pointer: str) -> None:
        self.by_pointer.setdefault(pointer, self._start(node))
        self.by_position.setdefault(self._start(node), pointer)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                child = f"{pointer}/{escape(key)}"
                if key in seen:
                    self.duplicates.append((child, self._start(key_node)))
                seen.add(key)
                # A problem reported on a key belongs to the entry the key opens.
                self.by_position[self._start(key_node)] = child
                self._walk(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._walk(item, f"{pointer}/{index}")

    def pointer_at(self, line: int, column: int) -> str | None:
        return self.by_position.get((line, column))


def resolve(document: Any, pointer: str) -> Any:
    """The value at a `#/...` pointer, or KeyError."""
    value = document
    for raw in pointer.removeprefix("#").split("/")[1:]:
        segment = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            value = value[segment]
        elif isinstance(value, list) and segment.isdigit() and int(segment) < len(value):
            value = value[int(segment)]
        else:
            raise KeyError(pointer)
    return value


# -- 1. YAML -----------------------------------------------------------------------------------


def load(spec: Path, shown_as: str) -> tuple[Any, Positions]:
    """The parsed document and its positions, or SpecGateError with line and column."""
    try:
        text = spec.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise SpecGateError(
            shown_as, [Problem(shown_as, None, None, "encoding", f"not UTF-8 ({error.reason})")]
        ) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        document = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        message = f"invalid YAML: {message}"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise SpecGateError(shown_as, [Problem(shown_as, line, column, "yaml", message)]) from None
    except yaml.YAMLError as error:
        raise SpecGateError(shown_as, [Problem(shown_as, None, None, "yaml", str(error))]) from None
    if root is None or not isinstance(document, dict):
        problem = Problem(shown_as, 1, 1, "yaml", "the document is not a mapping")
        raise SpecGateError(shown_as, [problem])
    positions = Positions(root)
    if positions.duplicates:
        problems = [
            Problem(shown_as, line, column, "yaml", "this key is given twice in one mapping", at)
            for at, (line, column) in positions.duplicates
        ]
        raise SpecGateError(shown_as, problems)
    return document, positions


# -- 2. the linter -----------------------------------------------------------------------------


def linter(root: Path) -> Path:
    """The pinned Redocly CLI of this checkout."""
    candidate = root / "node_modules" / ".bin" / "redocly"
    if not candidate.exists():
        raise LinterError(
            "the OpenAPI linter is not installed (node_modules/.bin/redocly); run `make install` "
            "(it needs Node.js 20.19+ or 22.12+ and npm)"
        )
    return candidate


def lint(root: Path, spec: Path, rules: Path, document: Any, positions: Positions) -> list[Problem]:
    """Redocly's problems with the spec, each with file, line, column and JSON pointer."""
    node = shutil.which("node")
    if node is None:
        raise LinterError("the OpenAPI linter needs Node.js (`node` is not on PATH)")
    command = [
        node,
        str(linter(root)),
        "lint",
        "--config",
        os.path.relpath(rules, root),
        "--format",
        "json",
        "--max-problems",
        "1000",
        "--lint-config",
        "error",
        os.path.relpath(spec, root),
    ]
    env = {
        **os.environ,
        "REDOCLY_TELEMETRY": "off",
        "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
        "NO_COLOR": "1",
    }
    try:
        result = subprocess.run(
            command, cwd=root, env=env, capture_output=True, text=True, timeout=LINTER_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        message = f"the OpenAPI linter did not finish in {LINTER_TIMEOUT:g} s"
        raise LinterError(message) from None
    try:
        report = json.loads(result.stdout)
        found = report["problems"]
    except (json.JSONDecodeError, KeyError, TypeError):
        tail = " | ".join((result.stdout + result.stderr).strip().splitlines()[-5:])
        raise LinterError(
            f"the OpenAPI linter failed (exit {result.returncode}): {tail[:MAX_MESSAGE]}"
        ) from None
    shown_as = os.path.relpath(spec, root)
    return [
        convert(problem, root, shown_as, document, positions)
        for problem in found
        if problem.get("severity") == "error"
    ]


def convert(
    problem: dict[str, Any], root: Path, shown_as: str, document: Any, positions: Positions
) -> Problem:
    rule = str(problem.get("ruleId", "lint"))
    message = str(problem.get("message", "")).strip()
    locations = problem.get("location") or [{}]
    location = locations[0]
    ref = str(location.get("source", {}).get("ref", shown_as))
    file = os.path.relpath(root / ref, root) if not os.path.isabs(ref) else ref
    start = location.get("start") or {}
    line, column = start.get("line"), start.get("col")
    pointer = location.get("pointer")
    if file == shown_as:
        pointer = settle_pointer(pointer, line, column, document, positions)
        message += detail(document, pointer, message)
    suggestions = [str(s) for s in problem.get("suggest") or []][:3]
    if suggestions:
        message += f"; did you mean {' or '.join(repr(s) for s in suggestions)}?"
    return Problem(file, line, column, rule, message[:MAX_MESSAGE], pointer)


def settle_pointer(
    pointer: str | None, line: int | None, column: int | None, document: Any, positions: Positions
) -> str | None:
    """Redocly's pointer when it names a place in the document, else the place at line:column.

    (For a duplicate operationId, Redocly points at `.../post/<the id>`, not at
    `.../post/operationId`.)
    """
    if pointer is not None:
        try:
            resolve(document, pointer)
            return pointer
        except KeyError:
            pass
    if line is not None and column is not None:
        return positions.pointer_at(line, column) or pointer
    return pointer


def detail(document: Any, pointer: str | None, message: str) -> str:
    """What stands at the pointer, when the message does not say it: the $ref, the value."""
    if pointer is None:
        return ""
    try:
        value = resolve(document, pointer)
    except KeyError:
        return ""
    if isinstance(value, dict) and isinstance(value.get("$ref"), str) and "$ref" in message:
        return f" {value['$ref']!r}"
    if isinstance(value, str | int | float | bool) and str(value) not in message:
        return f" (found {value!r})"
    return ""


# -- 3. openapi-spec-validator -----------------------------------------------------------------


def validate(document: Any, shown_as: str) -> list[Problem]:
    """openapi-spec-validator's verdict, one line per error, never the whole spec quoted."""
    from openapi_spec_validator import validate as validate_openapi

    try:
        validate_openapi(document)
    except Exception as error:  # the validator raises several unrelated types
        text = str(getattr(error, "message", None) or error)
        first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
        path = "/".join(escape(str(part)) for part in getattr(error, "path", ()) or ())
        message = (f"at {path}: " if path else "") + first[:MAX_MESSAGE]
        return [Problem(shown_as, None, None, "openapi-spec-validator", message)]
    return []


# -- the gate ----------------------------------------------------------------------------------


def check_spec(root: Path, spec: Path, rules: Path) -> None:
    """Raise SpecGateError (every problem, one per line) unless the spec passes all three."""
    shown_as = os.path.relpath(spec, root)
    document, positions = load(spec, shown_as)
    # The validator only speaks when the linter is content: its messages have no line.
    problems = lint(root, spec, rules, document, positions) or validate(document, shown_as)
    if problems:
        raise SpecGateError(shown_as, sorted(problems, key=_order))


def _order(problem: Problem) -> tuple[str, int, int]:
    return problem.file, problem.line or 0, problem.column or 0
