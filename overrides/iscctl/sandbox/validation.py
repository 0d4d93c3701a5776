"""Request bodies checked with the generated pydantic models, errors worded for people.

Each problem becomes one line naming the JSON path, the rule and what was
found, e.g. `identityIds: List should have at most 250 items after
validation, not 251`; those lines are the `causes` of ISC's 400 reply.
"""

from __future__ import annotations

import json
from typing import Any, Final

import pydantic
from iscctl_models import (
    IdentityProfileExportedObject,
    ImportIdentityProfilesRequest,
    ProcessIdentitiesRequest,
)

from iscctl.sandbox.nulls import null_fields

# Read-only fields of IdentityProfile: a client may send them (an export has
# them), the server ignores them and sets its own.
READ_ONLY_PROFILE_FIELDS: Final = frozenset({"id", "created", "modified"})
MAX_CAUSES: Final = 20
# Deeper JSON is refused before it is validated, copied or stored: transforms nest
# (each level of a transform is two of JSON), but thousands of levels would exhaust
# the recursion limit of Python's json module. Jackson, behind ISC, allows 1000.
MAX_DEPTH: Final = 500
# pydantic error types whose message already says what was found.
_SELF_EXPLAINING: Final = frozenset({"missing", "json_invalid", "too_long", "too_short"})


class BodyInvalid(Exception):
    def __init__(self, causes: list[str]) -> None:
        super().__init__("; ".join(causes))
        self.causes = causes


def json_path(location: tuple[int | str, ...]) -> str:
    """`(0, 'object', 'name')` -> `[0].object.name`; the empty path is the whole body."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "request body"


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _causes(error: pydantic.ValidationError) -> list[str]:
    causes = []
    for item in error.errors(include_url=False)[:MAX_CAUSES]:
        cause = f"{json_path(item['loc'])}: {item['msg']}"
        if item["type"] not in _SELF_EXPLAINING:
            cause += f" (found {_short(item['input'])})"
        causes.append(cause)
    if error.error_count() > MAX_CAUSES:
        causes.append(f"... and {error.error_count() - MAX_CAUSES} more problems")
    return causes


_TOO_DEEP: Final = object()


def nesting_depth(value: Any) -> int:
    """How deeply arrays and objects nest in `value` (a scalar is 0), without recursion."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in children)
    return deepest


class _NotJsonNumber(Exception):
    pass


def _finite_float(text: str) -> float:
    # Integers stay exact Python ints; fractions become doubles, which must be finite.
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _NotJsonNumber(f"the number {text[:30]} is out of range")
    return value


def _no_constant(text: str) -> None:
    raise _NotJsonNumber(f"{text} is not a JSON value")


def parse_process_request(body: bytes) -> list[str]:
    """The identity ids of a valid ProcessIdentitiesRequest, else BodyInvalid."""
    try:
        request = ProcessIdentitiesRequest.model_validate_json(body)
    except pydantic.ValidationError as error:
        raise BodyInvalid(_causes(error)) from None
    return request.identity_ids


def parse_import_request(
    body: bytes, beta: bool = False
) -> list[tuple[Any, IdentityProfileExportedObject]]:
    """Each item of a valid import body as (raw JSON without read-only fields, model).

    `beta` allows the nulls only beta declares (a transform's `attributes`).
    """
    try:
        raw = json.loads(body, parse_float=_finite_float, parse_constant=_no_constant)
    except (json.JSONDecodeError, UnicodeDecodeError, _NotJsonNumber) as error:
        raise BodyInvalid([f"request body: not valid JSON: {error}"]) from None
    except RecursionError:
        raw = _TOO_DEEP  # nested beyond what Python's parser takes: refused just below
    if raw is _TOO_DEEP or nesting_depth(raw) > MAX_DEPTH:
        raise BodyInvalid(
            [f"request body: nested deeper than {MAX_DEPTH} levels; flatten the transforms"]
        )
    if isinstance(raw, list):
        for item in raw:
            profile = item.get("object") if isinstance(item, dict) else None
            if isinstance(profile, dict):
                for field in READ_ONLY_PROFILE_FIELDS:
                    profile.pop(field, None)
    if isinstance(raw, list):
        nulls = null_fields(raw, IdentityProfileExportedObject, beta)
        if nulls:
            causes = [
                f"{json_path(path)}: must not be null (not nullable in the API definition); "
                "leave the field out or give it a value"
                for path in nulls[:MAX_CAUSES]
            ]
            if len(nulls) > MAX_CAUSES:
                causes.append(f"... and {len(nulls) - MAX_CAUSES} more problems")
            raise BodyInvalid(causes)
    try:
        # Lax, like the generated models and like ISC's own JSON binding: 403.0 is an
        # integer (as JSON Schema says), "10" and 0 are coerced rather than refused.
        request = ImportIdentityProfilesRequest.model_validate(raw)
    except pydantic.ValidationError as error:
        raise BodyInvalid(_causes(error)) from None
    return list(zip(raw, request.root, strict=True))
