"""What we send, checked once against the API's rules and handed over as generated models.

Strict in what we send: an invalid body never leaves the process. The
problems come back all at once, each with its JSON path, as a
`RequestValidationError`:

    [3].object.authoritativeSource: Field required

Method, path, headers and encoding are the generated endpoint functions'
business (`iscctl_client.api...`); this module only checks the values and
builds the generated request models they take.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from attrs import define, field
from iscctl_client.models import IdentityProfileExportedObject, ProcessIdentitiesRequest

from iscctl.errors import RequestValidationError

__all__ = ["MAX_IDS", "ExportedObjectAsGiven", "checked_ids", "checked_objects"]

MAX_IDS = 250
_SHOWN_PROBLEMS = 3


def checked_ids(ids: Sequence[str]) -> ProcessIdentitiesRequest:
    """The body of a process call for 1 to 250 non-empty id strings."""

    if isinstance(ids, str | bytes) or not isinstance(ids, Sequence):
        raise RequestValidationError(
            f"identityIds: expected a list of id strings, got {type(ids).__name__}; "
            "wrap a single id in a list",
            [("identityIds", "expected a list of strings")],
        )
    if not 1 <= len(ids) <= MAX_IDS:
        message = f"{len(ids)} ids given; ISC takes 1 to {MAX_IDS} per call"
        raise RequestValidationError(
            f"identityIds: {message}; split the list into batches of at most {MAX_IDS}",
            [("identityIds", message)],
        )
    problems = [
        (f"identityIds[{index}]", f"expected a non-empty id string, got {value!r}"[:120])
        for index, value in enumerate(ids)
        if not isinstance(value, str) or not value.strip()
    ]
    if problems:
        raise RequestValidationError(_summary(problems, "identityIds"), problems)
    return ProcessIdentitiesRequest(identity_ids=list(ids))


def checked_objects(objects: Sequence[Mapping[str, Any]]) -> list[IdentityProfileExportedObject]:
    """The body of an import call: each object validated with the pydantic model of the
    spec (`iscctl_models`), and sent exactly as given."""
    if isinstance(objects, str | bytes | Mapping) or not isinstance(objects, Sequence):
        raise RequestValidationError(
            f"import body: expected a list of exported objects, got {type(objects).__name__}; "
            "wrap a single object in a list",
            [("", "expected a list of exported objects")],
        )
    from iscctl_models import ImportIdentityProfilesRequest
    from pydantic import ValidationError

    body = list(objects)
    try:
        ImportIdentityProfilesRequest.model_validate(body)
    except ValidationError as error:
        problems = [_problem(detail) for detail in error.errors()]
        raise RequestValidationError(_summary(problems, "import body"), problems) from None
    _check_encodable(body)
    return [ExportedObjectAsGiven(raw=dict(item)) for item in body]


@define
class ExportedObjectAsGiven(IdentityProfileExportedObject):
    """`IdentityProfileExportedObject` as the generated endpoint function takes it, serialised
    as the exact JSON it was built from: the import sends exported objects as given
    (free-form transform attributes, key order, UUID spelling), which the generated
    `to_dict` would rewrite.

    Only `raw` is filled: the endpoint function reads nothing but `to_dict()`, and building
    the nested attrs models of an object pydantic has just checked cost more CPU than
    the request's own JSON encoding (an import step of 500 profiles spent a quarter of
    its time there). The typed view of a checked object is the pydantic model."""

    raw: dict[str, Any] = field(factory=dict, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        return self.raw


def _check_encodable(body: object) -> None:
    """A value JSON cannot carry (a date read from YAML, NaN) is a RequestValidationError
    here, rather than a TypeError deep inside httpx."""
    try:
        # as httpx encodes a `json=` body
        json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as error:
        message = f"the body cannot be sent as JSON: {error}; convert such values to strings"
        raise RequestValidationError(message, [("", str(error))]) from None


def _problem(detail: Mapping[str, Any]) -> tuple[str, str]:
    path = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in detail["loc"]
    ).lstrip(".")
    message = str(detail["msg"])
    if detail.get("type") != "missing" and "input" in detail:
        message += f" (got {detail['input']!r:.60})"
    return path, message


def _summary(problems: Sequence[tuple[str, str]], what: str) -> str:
    shown = "; ".join(f"{path}: {message}" for path, message in problems[:_SHOWN_PROBLEMS])
    more = len(problems) - _SHOWN_PROBLEMS
    suffix = f"; and {more} more" if more > 0 else ""
    noun = "problem" if len(problems) == 1 else "problems"
    return f"{what}: {len(problems)} {noun}: {shown}{suffix}"


_MOVED = {
    "process_request": "checked_ids (requests are built by the generated endpoint functions)",
    "import_request": "checked_objects (requests are built by the generated endpoint functions)",
    "EXPERIMENTAL_HEADER": "iscctl.versions.EXPERIMENTAL_HEADER",
}


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        raise AttributeError(f"iscctl.payloads.{name} is gone; use {_MOVED[name]}")
    raise AttributeError(f"module 'iscctl.payloads' has no attribute {name!r}")
