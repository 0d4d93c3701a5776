"""The two request bodies: checked against the API's rules, then built by the generated code.

Strict in what we send: an invalid body never leaves the process. The
problems come back all at once, each with its JSON path, as a
`RequestValidationError`:

    [3].object.authoritativeSource: Field required

Method, path and headers come from the generated endpoint modules
(`_get_kwargs`), so they follow `openapi/isc.yaml`; only the experimental
header is adjusted per API version (beta must not get it).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from iscctl_client.api.identities import start_identity_processing, start_identity_processing_v1
from iscctl_client.api.identity_profiles import (
    import_identity_profiles,
    import_identity_profiles_v1,
)
from iscctl_client.models import ProcessIdentitiesRequest

from iscctl.errors import RequestValidationError
from iscctl.versions import ApiVersion

__all__ = ["MAX_IDS", "import_request", "process_request"]

MAX_IDS = 250
EXPERIMENTAL_HEADER = "X-SailPoint-Experimental"
_SHOWN_PROBLEMS = 3


def process_request(ids: Sequence[str], version: ApiVersion) -> dict[str, Any]:
    """`method`, `url` (relative to the version's base URL), `headers`, `json` of a process call."""
    checked = _checked_ids(ids)
    module = start_identity_processing_v1 if version.per_service else start_identity_processing
    kwargs = module._get_kwargs(body=ProcessIdentitiesRequest(identity_ids=checked))
    if not version.needs_experimental_header("process"):
        kwargs["headers"].pop(EXPERIMENTAL_HEADER, None)
    return _request(kwargs)


def import_request(objects: Sequence[Mapping[str, Any]], version: ApiVersion) -> dict[str, Any]:
    """The same for an import call; the objects are sent as given, once they validate."""
    body = _checked_objects(objects)
    module = import_identity_profiles_v1 if version.per_service else import_identity_profiles
    kwargs = module._get_kwargs(body=[])
    kwargs["json"] = body
    return _request(kwargs)


def _request(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Encode the body once, here, so that a value JSON cannot carry (a date read from
    YAML, NaN) is a RequestValidationError rather than a TypeError deep inside httpx."""
    try:
        content = json.dumps(
            kwargs["json"], ensure_ascii=False, separators=(",", ":"), allow_nan=False
        ).encode("utf-8")
    except (TypeError, ValueError) as error:
        message = f"the body cannot be sent as JSON: {error}; convert such values to strings"
        raise RequestValidationError(message, [("", str(error))]) from None
    return {
        "method": str(kwargs["method"]).upper(),
        "url": kwargs["url"],
        "headers": dict(kwargs["headers"]),
        "content": content,
    }


def _checked_ids(ids: Sequence[str]) -> list[str]:
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
    return list(ids)


def _checked_objects(objects: Sequence[Mapping[str, Any]]) -> list[Any]:
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
    return body


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
