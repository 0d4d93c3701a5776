"""Local validation of exported identity profiles, before anything is sent.

The generated pydantic models (``iscctl_models``) give the structure; they run in
strict mode so that what passes is what the API takes as written (``"10"`` is not an
integer, ``authoritative_source`` is not ``authoritativeSource``). Strict mode on
Python values wants ``UUID``/enum instances where JSON has strings, so those few
checks are redone on the strings themselves (JSON-mode validation would build every
nested transform again and cost ten times as much on a large export). On top come the
rules the schema cannot say: an importable object is an ``IDENTITY_PROFILE`` with a
named ``object``, names are unique within one import, integers fit their declared
width, and numbers keep their exact value. Every problem is returned at once, each
with its file and JSON path.

This is the one validation of an import (see docs/ARCHITECTURE.md, "One model per
role"): when it finds nothing, the same pass hands back the typed generated model of
every object, which plan, chunking, verdicts and report read from then on. For that
pass to succeed in strict mode, the few string leaves the models hold as enums,
UUIDs or date-times (``self.type``, ...; found from the models, not listed by hand)
are converted first, each on its own, in a shallow copy; a string that does not
convert is left for the strict pass to report.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from iscctl_models import (
    IdentityProfileExportedObject,
    ImportedObjectType,
    LocaleOrigin,
    SpConfigObjectType,
)
from pydantic import AwareDatetime, BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from iscctl.profiles.files import DuplicateKeyObject, InexactNumber, iter_suspect_values
from iscctl.profiles.problems import Problem, json_path
from iscctl.profiles.shapes import IDENTITY_PROFILE

_ITEMS = TypeAdapter(list[IdentityProfileExportedObject])
_STRING_TYPES: dict[str, TypeAdapter[Any]] = {
    "UUID": TypeAdapter(UUID),
    "datetime": TypeAdapter(AwareDatetime),
    "SpConfigObjectType": TypeAdapter(SpConfigObjectType),
    "ImportedObjectType": TypeAdapter(ImportedObjectType),
    "LocaleOrigin": TypeAdapter(LocaleOrigin),
}

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
_INTEGER_WIDTHS: tuple[tuple[tuple[str, ...], tuple[int, int], str], ...] = (
    (("version",), INT32, "int32"),
    (("object", "priority"), INT64, "int64"),
    (("object", "identityCount"), INT32, "int32"),
)

_EXPECTED_KIND = {
    "int_type": "integer",
    "int_parsing": "integer",
    "int_from_float": "integer",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
    "string_type": "string",
    "float_type": "number",
    "dict_type": "object",
    "model_type": "object",
    "model_attributes_type": "object",
    "list_type": "array",
    "datetime_type": "date-time (ISO 8601)",
    "datetime_parsing": "date-time (ISO 8601)",
    "datetime_from_date_parsing": "date-time (ISO 8601)",
    "timezone_aware": "date-time with a time zone",
    "uuid_type": "UUID",
    "uuid_parsing": "UUID",
}


@dataclass(frozen=True)
class Candidate:
    """One exported object as it would be sent, with where it came from."""

    file: str
    prefix: str
    data: Any
    as_read: Any = None  # the object before stripping and mapping, to scan; None: no scan


@dataclass(frozen=True)
class Validation:
    """What validation found: every problem, or (when there is none) the typed objects."""

    problems: list[Problem] = field(default_factory=list)
    models: list[IdentityProfileExportedObject] = field(default_factory=list)


def validate(candidates: Sequence[Candidate]) -> list[Problem]:
    """Every problem in ``candidates``, in input order; empty when all is well."""
    return validate_typed(candidates).problems


def validate_typed(candidates: Sequence[Candidate]) -> Validation:
    """Validate once: every problem, or, when there are none, the model of each candidate."""
    models, schema_problems = _schema_check(candidates)
    found: list[tuple[int, Problem]] = [*schema_problems]
    for index, candidate in enumerate(candidates):
        for problem in (
            *_object_rules(candidate),
            *_integer_widths(candidate),
            *_suspect_values(candidate),
        ):
            found.append((index, problem))
    found.extend(_duplicate_names(candidates))
    found.sort(key=lambda pair: (pair[0], pair[1].path))
    if found:
        return Validation(problems=[problem for _, problem in found])
    return Validation(models=models)


def _schema_check(
    candidates: Sequence[Candidate],
) -> tuple[list[IdentityProfileExportedObject], list[tuple[int, Problem]]]:
    """The strict pass: the models when the schema holds, else its problems."""
    try:
        models = _ITEMS.validate_python(
            [_with_typed_strings(candidate.data) for candidate in candidates],
            strict=True,
            by_alias=True,
            by_name=False,
        )
    except ValidationError as error:
        problems: list[tuple[int, Problem]] = []
        for detail in error.errors(include_url=False):
            index, *loc = detail["loc"]
            assert isinstance(index, int)
            if _left_to_object_rules(loc):
                continue
            message = _describe(detail)
            if message:
                candidate = candidates[index]
                problem = Problem(candidate.file, json_path(candidate.prefix, loc), message)
                problems.append((index, problem))
        return [], problems
    return models, []


def _string_leaves(
    model: type[BaseModel], prefix: tuple[str, ...] = ()
) -> Iterable[tuple[tuple[str, ...], TypeAdapter[Any]]]:
    """Paths (by alias) of the fields a model holds as enum, UUID or date-time, with the
    adapter that turns the JSON string into that type (lists are not descended: the
    import models hold no such field inside one)."""
    for name, info in model.model_fields.items():
        path = (*prefix, info.alias or name)
        for kind in _member_types(info.annotation):
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                yield from _string_leaves(kind, path)
            elif kind is AwareDatetime:
                yield path, _STRING_TYPES["datetime"]
            elif isinstance(kind, type) and issubclass(kind, Enum | UUID | datetime):
                adapter = _STRING_TYPES.get(kind.__name__)
                yield path, adapter if adapter is not None else TypeAdapter(kind)


def _member_types(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return tuple(arg for member in typing.get_args(annotation) for arg in _member_types(member))
    if typing.get_origin(annotation) is typing.Annotated:
        return _member_types(typing.get_args(annotation)[0])
    return (annotation,)


_TYPED_STRINGS = tuple(_string_leaves(IdentityProfileExportedObject))


def _with_typed_strings(data: Any) -> Any:
    """``data`` with each string leaf at a typed path converted, copied along that path only."""
    for path, adapter in _TYPED_STRINGS:
        value = _dig(data, path)
        if not isinstance(value, str):
            continue
        try:
            typed = adapter.validate_json(json.dumps(value), strict=True)
        except ValidationError:
            continue  # the strict pass reports it, with the usual message
        data = _replaced(data, path, typed)
    return data


def _replaced(data: dict[str, Any], path: Sequence[str], value: Any) -> dict[str, Any]:
    head, *rest = path
    return {**data, head: _replaced(data[head], rest, value) if rest else value}


def _json_string_problem(detail: ErrorDetails) -> str:
    """Strict mode refused a string where the model holds a UUID, enum or date-time.

    Check the string as JSON input would be checked; "" means it is fine.
    """
    kind = str((detail.get("ctx") or {}).get("class"))
    adapter = _STRING_TYPES.get(kind)
    if adapter is None:
        return f"expected {kind}, got {_show(detail['input'])}"
    try:
        adapter.validate_json(json.dumps(detail["input"]), strict=True)
    except ValidationError as error:
        return _describe(error.errors(include_url=False)[0])
    return ""


def _left_to_object_rules(loc: list[int | str]) -> bool:
    """``self``, ``self.type`` and a missing ``object`` get their own, clearer messages."""
    return loc in (["self"], ["self", "type"])


def _describe(detail: ErrorDetails) -> str:
    kind = detail["type"]
    if kind == "missing":
        return "field required"
    if kind == "is_instance_of" and isinstance(detail["input"], str):
        return _json_string_problem(detail)
    got = _show(detail["input"])
    if kind in _EXPECTED_KIND:
        return f"expected {_EXPECTED_KIND[kind]}, got {got}"
    ctx = detail.get("ctx") or {}
    if kind in ("literal_error", "enum") and "expected" in ctx:
        return f"expected {ctx['expected']}, got {got}"
    message = detail["msg"]
    return f"{message[:1].lower()}{message[1:]}, got {got}"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, InexactNumber):
        return value.text
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 40 else text[:39] + "…"


def _object_rules(candidate: Candidate) -> Iterable[Problem]:
    data = candidate.data
    if not isinstance(data, dict):
        return  # the schema check already said "expected object"
    where = candidate.file, candidate.prefix
    self_ref = data.get("self")
    if "self" not in data:
        yield _at(where, ["self"], f"field required (self.type must be {IDENTITY_PROFILE})")
    elif not isinstance(self_ref, dict):
        yield _at(where, ["self"], f"expected object, got {_show(self_ref)}")
    elif self_ref.get("type") != IDENTITY_PROFILE:
        got = _show(self_ref["type"]) if "type" in self_ref else "nothing"
        yield _at(
            where,
            ["self", "type"],
            f"expected {IDENTITY_PROFILE}, got {got}: only identity profiles can be imported",
        )
    profile = data.get("object")
    if "object" not in data:
        yield _at(where, ["object"], "field required (the identity profile to import)")
    elif profile is None:
        yield _at(where, ["object"], "expected the identity profile to import, got null")
    elif isinstance(profile, dict) and "name" in profile:
        name = profile["name"]
        if name is None or (isinstance(name, str) and not name.strip()):
            yield _at(
                where,
                ["object", "name"],
                f"expected a non-empty name, got {_show(name)}: the tenant knows profiles by name",
            )


def _integer_widths(candidate: Candidate) -> Iterable[Problem]:
    for path, (low, high), width in _INTEGER_WIDTHS:
        value = _dig(candidate.data, path)
        if isinstance(value, int) and not isinstance(value, bool) and not low <= value <= high:
            yield _at(
                (candidate.file, candidate.prefix),
                list(path),
                f"{value} does not fit {width} (allowed {low} to {high})",
            )


def _suspect_values(candidate: Candidate) -> Iterable[Problem]:
    """Numbers a double cannot carry, and keys given twice: both would change silently."""
    if candidate.as_read is None:
        return  # the file held none: skip a walk over every nested value
    for loc, value in iter_suspect_values(candidate.as_read):
        where = (candidate.file, candidate.prefix)
        if isinstance(value, DuplicateKeyObject):
            keys = ", ".join(json.dumps(key) for key in value.duplicates)
            yield _at(
                where,
                list(loc),
                f"key {keys} given more than once in this object; only the last value would"
                " be sent: keep one",
            )
            continue
        number = float(value.text)
        arrives_as = repr(number) if number - number == 0 else "infinity"
        yield _at(
            where,
            list(loc),
            f"the number {value.text} cannot be sent exactly (it would arrive as {arrives_as});"
            " round it, or write it as a string if the digits matter",
        )


def _duplicate_names(candidates: Sequence[Candidate]) -> Iterable[tuple[int, Problem]]:
    first_seen: dict[str, Candidate] = {}
    for index, candidate in enumerate(candidates):
        name = _dig(candidate.data, ("object", "name"))
        if not isinstance(name, str) or not name.strip():
            continue
        key = name.strip().casefold()
        earlier = first_seen.setdefault(key, candidate)
        if earlier is candidate:
            continue
        earlier_path = json_path(earlier.prefix, ["object", "name"])
        yield (
            index,
            _at(
                (candidate.file, candidate.prefix),
                ["object", "name"],
                f"duplicate profile name {_show(name)} (also at {earlier.file}: {earlier_path});"
                " each profile may appear once per import",
            ),
        )


def _dig(data: Any, path: Sequence[str]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _at(where: tuple[str, str], loc: list[int | str], message: str) -> Problem:
    file, prefix = where
    return Problem(file, json_path(prefix, loc), message)
