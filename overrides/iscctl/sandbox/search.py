"""A useful, honest subset of ISC search's query-string syntax over the identities index.

Queries are parsed by luqum (a maintained Lucene query-syntax parser, the
syntax ISC's `query.query` uses), then compiled into one predicate. What is
supported:

- `field:value` and `field:"quoted phrase"`: the whole field value, case
  insensitive; `*` and `?` inside a value are wildcards (`name:Ad*`);
  `field:*` means the field has a value; `*` alone matches everything.
- `AND`, `OR`, `NOT`, `-` (not), `+` (must), parentheses, `field:(a OR b)`.
- Ranges `field:[a TO b]`, `{a TO b}` (exclusive), `*` for an open end, on
  date fields (`created`, `modified`, `synced`, `processingDetails.date`;
  dates or date-times, UTC) and on `processingDetails.retryCount`.
- Fields: those of `documents.SEARCH_FIELDS` (any `attributes.<name>`; one
  the sandbox does not seed matches nothing, as in ISC).

Anything else is refused with `SearchInvalid` (a 400) naming what and why:
a bare word (name the field), two terms without an operator (ISC's default
operator is not documented, so the sandbox will not guess), fuzzy `~`,
proximity, boosts `^`, regular expressions, date math (`now-1d`), ranges on
text, unknown fields. The sandbox would rather refuse a query than answer it
with a silently different set of identities.
"""

from __future__ import annotations

import fnmatch
import re
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from luqum import tree  # type: ignore[import-untyped]  # luqum ships no type hints
from luqum.exceptions import ParseError  # type: ignore[import-untyped]
from luqum.parser import parser  # type: ignore[import-untyped]

from iscctl.sandbox.documents import (
    BOOLEAN_FIELDS,
    DATE_FIELDS,
    NUMBER_FIELDS,
    IdentityView,
    ViewGetter,
)

Predicate = Callable[[IdentityView], bool]
MAX_QUERY_LENGTH: Final = 100_000

# luqum's parser (ply) keeps state while parsing; sandboxes in other threads share it.
_PARSE_LOCK: Final = threading.Lock()


def match_all(view: IdentityView) -> bool:
    """The predicate of `*`; searches recognise it to count hits without reading them."""
    return True


class SearchInvalid(Exception):
    """A query or search body the sandbox will not answer; the text is the 400's cause."""


def compile_query(text: str, fields: Mapping[str, ViewGetter]) -> Predicate:
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchInvalid(f"query.query: longer than {MAX_QUERY_LENGTH} characters")
    if not text.strip():
        raise SearchInvalid('query.query: empty; use "*" to match every identity')
    try:
        with _PARSE_LOCK:
            parsed = parser.parse(text)
    except (ParseError, ValueError, TypeError) as error:
        raise SearchInvalid(f"query.query: cannot parse {text!r}: {error}") from None
    return _Compiler(fields).compile(parsed)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _phrase_text(node: tree.Phrase) -> str:
    return _unescape(node.value[1:-1])


def _fold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _as_datetime(text: str, where: str) -> datetime:
    candidate = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", candidate):
        candidate += "T00:00:00Z"
    try:
        moment = datetime.fromisoformat(candidate)
    except ValueError:
        raise SearchInvalid(
            f"{where}: {text!r} is not a date or date-time (e.g. 2026-01-31 or "
            "2026-01-31T12:00:00Z); date math such as now-1d is not supported by the sandbox"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class _Compiler:
    def __init__(self, fields: Mapping[str, ViewGetter]) -> None:
        self._fields = fields

    def compile(self, node: tree.Item) -> Predicate:
        if isinstance(node, tree.Word) and node.value == "*":
            return match_all
        return self._node(node, None)

    def _node(self, node: tree.Item, field: str | None) -> Predicate:
        if isinstance(node, tree.AndOperation):
            parts = [self._node(child, field) for child in node.children]
            return lambda view: all(part(view) for part in parts)
        if isinstance(node, tree.OrOperation):
            parts = [self._node(child, field) for child in node.children]
            return lambda view: any(part(view) for part in parts)
        if isinstance(node, (tree.Not, tree.Prohibit)):
            inner = self._node(node.children[0], field)
            return lambda view: not inner(view)
        if isinstance(node, tree.Plus):
            return self._node(node.children[0], field)
        if isinstance(node, (tree.Group, tree.FieldGroup)):
            return self._node(node.children[0], field)
        if isinstance(node, tree.SearchField):
            if field is not None:
                raise SearchInvalid(f"query.query: a field inside field {field}: ({node})")
            return self._node(node.expr, node.name)
        if isinstance(node, tree.UnknownOperation):
            raise SearchInvalid(
                f"query.query: terms without an operator ({str(node).strip()!r}); "
                "join them with AND or OR"
            )
        unsupported = {
            tree.Fuzzy: "fuzzy matching (~)",
            tree.Proximity: "proximity search (~)",
            tree.Boost: "boosts (^)",
            tree.Regex: "regular expressions",
        }
        for kind, name in unsupported.items():
            if isinstance(node, kind):
                raise SearchInvalid(f"query.query: {name} is not supported by the sandbox")
        if field is None:
            raise SearchInvalid(
                f"query.query: {str(node).strip()!r} names no field; write field:value "
                '(e.g. name:"Ada Berg"), or "*" for every identity'
            )
        getter = self._getter(field)
        if isinstance(node, tree.Range):
            return self._range(node, field, getter)
        if isinstance(node, tree.Phrase):
            return self._equals(field, getter, _phrase_text(node), wildcards=False)
        if isinstance(node, tree.Word):
            return self._equals(field, getter, node.value, wildcards=True)
        raise SearchInvalid(f"query.query: {str(node).strip()!r} is not supported by the sandbox")

    def _getter(self, field: str) -> ViewGetter:
        getter = self._fields.get(field)
        if getter is not None:
            return getter
        if field.startswith("attributes.") and len(field) > len("attributes."):
            return lambda view: None  # an attribute nobody has: no match, as in ISC
        known = ", ".join(sorted(name for name in self._fields if "." not in name))
        raise SearchInvalid(
            f"query.query: unknown field {field!r} in the identities index; use one of "
            f"{known}, or attributes.<name>, processingDetails.<name>, identityProfile.<id|name>"
        )

    def _equals(self, field: str, getter: ViewGetter, raw: str, wildcards: bool) -> Predicate:
        if wildcards and raw == "*":
            return lambda view: getter(view) not in (None, "", [])
        if field in DATE_FIELDS and re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip('"')):
            day = self._bound(field, raw)  # a day matches anything on that day, as in ES
            return self._between(getter, day, day + timedelta(days=1), True, False)
        if field in DATE_FIELDS | NUMBER_FIELDS:
            low = self._bound(field, raw)
            return self._between(getter, low, low, True, True)
        if field in BOOLEAN_FIELDS:
            text = _unescape(raw).lower()
            if text not in {"true", "false"}:
                raise SearchInvalid(f"query.query: {field} is true or false, not {raw!r}")
            wanted = text == "true"
            return lambda view: getter(view) is wanted
        has_wildcard = wildcards and re.search(r"(?<!\\)[*?]", raw) is not None
        if has_wildcard:
            pattern = re.compile(
                fnmatch.translate(_unescape(raw.replace("[", "\\[")).casefold()), re.DOTALL
            )
            return lambda view: _matches(getter(view), lambda text: bool(pattern.match(text)))
        wanted_text = (_unescape(raw) if wildcards else raw).casefold()
        return lambda view: _matches(getter(view), lambda text: text == wanted_text)

    def _bound(self, field: str, raw: str) -> Any:
        text = _unescape(raw.strip('"'))
        if field in NUMBER_FIELDS:
            try:
                return int(text)
            except ValueError:
                raise SearchInvalid(
                    f"query.query: {field} takes whole numbers, not {raw!r}"
                ) from None
        return _as_datetime(text, f"query.query: {field}")

    def _range(self, node: tree.Range, field: str, getter: ViewGetter) -> Predicate:
        if field not in DATE_FIELDS | NUMBER_FIELDS:
            raise SearchInvalid(
                f"query.query: ranges work on dates and numbers in the sandbox, not on {field}"
            )

        def bound(item: tree.Item) -> Any:
            raw = item.value if isinstance(item, (tree.Word, tree.Phrase)) else str(item)
            return None if raw == "*" else self._bound(field, raw)

        return self._between(
            getter, bound(node.low), bound(node.high), node.include_low, node.include_high
        )

    def _between(
        self, getter: ViewGetter, low: Any, high: Any, include_low: bool, include_high: bool
    ) -> Predicate:
        def check(view: IdentityView) -> bool:
            value = getter(view)
            if value is None:
                return False
            if isinstance(value, str):
                value = _as_datetime(value, "document")
            if low is not None and (value < low or (value == low and not include_low)):
                return False
            return not (high is not None and (value > high or (value == high and not include_high)))

        return check


def _matches(value: Any, test: Callable[[str], bool]) -> bool:
    if value is None:
        return False
    if isinstance(value, list):
        return any(_matches(item, test) for item in value)
    if isinstance(value, bool):
        return test("true" if value else "false")
    return test(str(_fold(value)).casefold())
