"""Tolerant reading of the two operations' replies, on top of the generated parsing.

The generated endpoint functions parse a reply into its model; an error
status becomes an `iscctl.errors` exception through `iscctl.unwrap`. The live
API also sends 2xx bodies the generated parser gives up on (it then returns
`parsed=None`, see openapi/templates/): a required array that is `null` or
missing, a message without `key`/`text`/`details`, an empty body. None of that
may fail a call that succeeded, so `unwrap` hands such a body to the smoothing
here and it is read with the same generated model; `null` strings, unknown
enum values and extra fields already pass the generated code. Only a body that
is not JSON, or not a JSON object, raises `ReplyValidationError`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from iscctl_client.models import ObjectImportResult, TaskResultResponse
from iscctl_client.types import Response

from iscctl.api import unwrap
from iscctl.logs import logger
from iscctl.transport import REQUEST_HEADER

__all__ = ["read_import_result", "read_task_result"]

R = TypeVar("R", TaskResultResponse, ObjectImportResult)

_IMPORT_LISTS = ("infos", "warnings", "errors", "importedObjects")


def read_task_result(response: Response[Any]) -> TaskResultResponse:
    """The `TaskResultResponse` of a 202 from `POST /identities/process`; raises otherwise."""
    result: TaskResultResponse = unwrap(response, TaskResultResponse.from_dict)
    return _logged(result, response)


def read_import_result(response: Response[Any]) -> ObjectImportResult:
    """The `ObjectImportResult` of a 200 from `POST /identity-profiles/import`."""
    result: ObjectImportResult = unwrap(response, _smoothed_import_result)
    return _logged(result, response)


def _logged(result: R, response: Response[Any]) -> R:
    if result.additional_keys:
        logger.debug(
            "%s reply has undeclared fields %s; kept in additional_properties",
            response.headers.get(REQUEST_HEADER, ""),
            sorted(result.additional_keys),
        )
    return result


def _smoothed_import_result(data: dict[str, Any]) -> ObjectImportResult:
    """The import result, its lists that are null, missing or hold non-objects read as
    lists of objects."""
    for name in _IMPORT_LISTS:
        items = data.get(name)
        kept = [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
        if kept != items:
            logger.debug("reply field %s is %.80r; read as %d objects", name, items, len(kept))
        data[name] = kept if name == "importedObjects" else [_complete(item) for item in kept]
    return ObjectImportResult.from_dict(data)


def _complete(item: dict[str, Any]) -> dict[str, Any]:
    """A `{key, text, details}` message with nulls and gaps made readable."""
    details = item.get("details")
    if not isinstance(details, dict):
        details = {} if details is None else {"value": details}
    return {**item, "key": item.get("key"), "text": item.get("text"), "details": details}
