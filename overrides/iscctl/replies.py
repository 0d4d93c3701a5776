"""Tolerant reading of the two operations' replies, on top of the generated parsing.

The generated endpoint functions parse a reply into its model; an error
status becomes an `iscctl.errors` exception through `iscctl.unwrap`. The live
API also sends 2xx bodies the generated parser gives up on (it then returns
`parsed=None`, see openapi/templates/): a required array that is `null` or
missing, a message without `key`/`text`/`details`, an empty body. None of that
may fail a call that succeeded, so such a body is smoothed here and read with
the same generated model; `null` strings, unknown enum values and extra fields
already pass the generated code. Only a body that is not JSON, or not a JSON
object, raises `ReplyValidationError`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from iscctl_client.models import ObjectImportResult, TaskResultResponse
from iscctl_client.types import Response

from iscctl.api import unwrap
from iscctl.errors import ReplyValidationError
from iscctl.logs import logger
from iscctl.transport import REQUEST_HEADER

__all__ = ["read_import_result", "read_task_result"]

_IMPORT_LISTS = ("infos", "warnings", "errors", "importedObjects")
_MESSAGE_DEFAULTS: dict[str, Any] = {"key": None, "text": None, "details": {}}


def read_task_result(response: Response[Any]) -> TaskResultResponse:
    """The `TaskResultResponse` of a 202 from `POST /identities/process`; raises otherwise."""
    result: TaskResultResponse = _read(response, TaskResultResponse, lambda data: data)
    return result


def read_import_result(response: Response[Any]) -> ObjectImportResult:
    """The `ObjectImportResult` of a 200 from `POST /identity-profiles/import`."""
    result: ObjectImportResult = _read(response, ObjectImportResult, _smoothed_import)
    return result


def _read(response: Response[Any], model: Any, smooth: Callable[[dict[str, Any]], Any]) -> Any:
    """The generated model of a 2xx; a body the generated code gave up on is smoothed and
    read again with the same model; an error status raises (`unwrap`)."""
    if response.parsed is not None or not 200 <= int(response.status_code) < 300:
        result = unwrap(response)
    else:
        try:
            result = model.from_dict(smooth(_json_object(response)))
        except (KeyError, TypeError, ValueError, AttributeError) as failure:
            problem = f"{type(failure).__name__}: {failure}"
            message = f"reply does not fit the operation's result: {problem}"
            raise _reply_error(response, message) from None
    if not isinstance(result, model):
        raise _reply_error(response, f"reply is not a {model.__name__}")
    if result.additional_keys:
        logger.debug(
            "%s reply has undeclared fields %s; kept in additional_properties",
            response.headers.get(REQUEST_HEADER, ""),
            sorted(result.additional_keys),
        )
    return result


def _smoothed_import(data: dict[str, Any]) -> dict[str, Any]:
    """Import lists that are null, missing or hold non-objects read as lists of objects."""
    for name in _IMPORT_LISTS:
        items = data.get(name)
        if not isinstance(items, list):
            if items is not None or name in data:
                logger.debug("reply field %s is %r, not a list; read as []", name, items)
            items = []
        kept = [item for item in items if isinstance(item, dict)]
        if len(kept) != len(items):
            skipped = len(items) - len(kept)
            logger.debug("reply field %s: %d non-object items skipped", name, skipped)
        data[name] = kept if name == "importedObjects" else [_complete(item) for item in kept]
    return data


def _complete(item: dict[str, Any]) -> dict[str, Any]:
    """A `{key, text, details}` message with nulls and gaps made readable."""
    message = dict(item)
    for key, default in _MESSAGE_DEFAULTS.items():
        if message.get(key) is None:
            message[key] = default
    if not isinstance(message["details"], dict):
        message["details"] = {"value": message["details"]}
    return message


def _json_object(response: Response[Any]) -> dict[str, Any]:
    if not response.content.strip():
        # The operation happened; failing here would make the caller send it again.
        logger.debug("%s reply has an empty body; read as {}", int(response.status_code))
        return {}
    try:
        data = json.loads(response.content)
    except ValueError:
        raise _reply_error(response, f"reply is not JSON: {_text(response)[:120]!r}") from None
    if not isinstance(data, dict):
        raise _reply_error(response, f"reply is a JSON {type(data).__name__}, not an object")
    return data


def _reply_error(response: Response[Any], problem: str) -> ReplyValidationError:
    method, _, url = response.headers.get(REQUEST_HEADER, "").partition(" ")
    return ReplyValidationError(
        f"{int(response.status_code)} {problem}", method=method, url=url, body=_text(response)
    )


def _text(response: Response[Any]) -> str:
    return response.content.decode("utf-8", "replace")
