"""ISC's `filters` query parameter: parsed with a grammar, checked per endpoint, evaluated.

The grammar is SailPoint's "Standard Collection Parameters": `field op value`
with lowercase operators `eq ne gt ge lt le sw co in ca`, postfix `isnull`,
prefix `pr`, combined with `and`, `or`, `not` and parentheses (`not` binds
tighter than `and`, `and` tighter than `or`). It is written as a Lark grammar
(Lark is well kept, pure Python and LALR-fast) rather than as a hand-made
tokenizer, so the precedence and the quoting rules are stated once, readably.

Each endpoint declares which fields take which operators (`FilterFields`);
anything else is a 400 naming the field and the operators it allows, never a
silently ignored condition. String comparisons ignore case, as ISC's usually do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from attrs import define
from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError, VisitError

GRAMMAR: Final = r"""
    ?start: or_expr
    ?or_expr: and_expr ("or" and_expr)*   -> any_of
    ?and_expr: not_expr ("and" not_expr)* -> all_of
    ?not_expr: "not" not_expr             -> negate
             | atom
    ?atom: "(" or_expr ")"
         | FIELD OP value                 -> compare
         | FIELD LIST_OP "(" value ("," value)* ")" -> compare_list
         | FIELD "isnull"                 -> isnull
         | "pr" FIELD                     -> present
    ?value: ESCAPED_STRING                -> string
          | DATETIME                      -> bare
          | SIGNED_NUMBER                 -> number
          | "true"                        -> true
          | "false"                       -> false
          | "null"                        -> null
    OP: "eq" | "ne" | "gt" | "ge" | "lt" | "le" | "sw" | "co"
    LIST_OP: "in" | "ca"
    FIELD: /[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/
    DATETIME.2: /\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?/
    ESCAPED_STRING: /"(\\.|[^"\\])*"/
    %import common.SIGNED_NUMBER
    %import common.WS
    %ignore WS
"""

_PARSER: Final = Lark(GRAMMAR, parser="lalr", maybe_placeholders=False)

# A record is anything; a getter turns it into the value a field compares against
# (a list for multi-valued fields, None when absent).
Getter = Callable[[Any], Any]
Predicate = Callable[[Any], bool]


class FilterInvalid(Exception):
    """The `filters` value cannot be used; the text is the 400's cause, naming the fix."""


@define(frozen=True)
class FilterField:
    getter: Getter
    operators: frozenset[str]


FilterFields = Mapping[str, FilterField]


def field(getter: Getter, operators: str) -> FilterField:
    """`field(lambda r: r.name, "eq sw")`: a filterable field and its operators."""
    return FilterField(getter, frozenset(operators.split()))


def _fold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _compare(op: str, actual: Any, expected: Any) -> bool:
    if isinstance(actual, list):
        return any(_compare(op, item, expected) for item in actual)
    actual, expected = _fold(actual), _fold(expected)
    if op == "eq":
        return bool(actual == expected)
    if op == "ne":
        return bool(actual != expected)
    if actual is None or expected is None:
        return False
    if op in {"sw", "co"}:
        if not (isinstance(actual, str) and isinstance(expected, str)):
            return False
        return actual.startswith(expected) if op == "sw" else expected in actual
    try:
        if op == "gt":
            return bool(actual > expected)
        if op == "ge":
            return bool(actual >= expected)
        if op == "lt":
            return bool(actual < expected)
        return bool(actual <= expected)  # "le"
    except TypeError:
        return False


@v_args(inline=True)
class _Compiler(Transformer[Token, Predicate]):
    """Turns the parse tree into one predicate, checking fields and operators on the way."""

    def __init__(self, fields: FilterFields) -> None:
        super().__init__()
        self._fields = fields

    def _field(self, name: Token, op: str) -> Getter:
        known = self._fields.get(str(name))
        if known is None:
            allowed = ", ".join(sorted(self._fields)) or "none"
            raise FilterInvalid(f"filters: field {name!s} cannot be filtered here; use {allowed}")
        if op not in known.operators:
            allowed = ", ".join(sorted(known.operators))
            raise FilterInvalid(f"filters: {name!s} does not take the {op} operator; use {allowed}")
        return known.getter

    # values
    def string(self, token: Token) -> str:
        inner = str(token)[1:-1]
        return inner.replace('\\"', '"').replace("\\\\", "\\")

    def bare(self, token: Token) -> str:
        return str(token)

    def number(self, token: Token) -> int | float:
        text = str(token)
        return float(text) if any(c in text for c in ".eE") else int(text)

    def true(self) -> bool:
        return True

    def false(self) -> bool:
        return False

    def null(self) -> None:
        return None

    # expressions
    def compare(self, name: Token, op: Token, value: Any) -> Predicate:
        getter, operator = self._field(name, str(op)), str(op)
        return lambda record: _compare(operator, getter(record), value)

    def compare_list(self, name: Token, op: Token, *values: Any) -> Predicate:
        getter, operator = self._field(name, str(op)), str(op)
        wanted = {_fold(value) for value in values}
        if operator == "in":

            def is_in(record: Any) -> bool:
                actual = getter(record)
                items = actual if isinstance(actual, list) else [actual]
                return any(_fold(item) in wanted for item in items)

            return is_in

        def contains_all(record: Any) -> bool:
            actual = getter(record)
            items = {_fold(item) for item in (actual if isinstance(actual, list) else [actual])}
            return wanted <= items

        return contains_all

    def isnull(self, name: Token) -> Predicate:
        getter = self._field(name, "isnull")
        return lambda record: getter(record) in (None, [])

    def present(self, name: Token) -> Predicate:
        getter = self._field(name, "pr")
        return lambda record: getter(record) not in (None, [], "")

    def negate(self, inner: Predicate) -> Predicate:
        return lambda record: not inner(record)

    def all_of(self, *parts: Predicate) -> Predicate:
        return lambda record: all(part(record) for part in parts)

    def any_of(self, *parts: Predicate) -> Predicate:
        return lambda record: any(part(record) for part in parts)


MAX_LENGTH: Final = 20_000


def compile_filters(text: str, fields: FilterFields) -> Predicate:
    """A predicate over records for `text`, or FilterInvalid saying what to change."""
    if len(text) > MAX_LENGTH:
        raise FilterInvalid(f"filters: longer than {MAX_LENGTH} characters; split the query")
    try:
        tree = _PARSER.parse(text)
        predicate: Predicate = _Compiler(fields).transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, FilterInvalid):
            raise error.orig_exc from None
        raise
    except LarkError as error:
        raise FilterInvalid(f"filters: cannot parse {text!r}: {_where(error)}") from None
    return predicate


def _where(error: LarkError) -> str:
    column = getattr(error, "column", None)
    token = getattr(error, "token", None)
    if token is not None and getattr(token, "type", None) == "$END":
        return "the expression is incomplete (it ends after an operator or an open parenthesis)"
    if token is not None and column is not None:
        return (
            f"unexpected {str(token)!r} at column {column} (operators are lowercase: eq, ne, "
            "gt, ge, lt, le, sw, co, in, ca, isnull, pr; strings in double quotes)"
        )
    if column is not None:
        return f"unexpected character at column {column}"
    return "incomplete expression"
