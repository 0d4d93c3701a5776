"""Tolerant reading of 2xx replies into the generated attrs models.

The live API sends `null` where a string is promised, enum values nobody
declared, and fields that are not in any definition. None of that may fail a
call that succeeded: the generated models already keep unknown enum values as
plain strings and extra fields in `additional_properties`; this module fills
the gaps where they would still raise (a required array or message field that
is `null` or missing) and logs what it smoothed over at debug level. Only a
body that is not JSON (an empty body reads as `{}`), or not a JSON object at
all, raises `ReplyValidationError`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from iscctl_client.models import ImportedObjectType, ObjectImportResult, TaskResultResponse

from iscctl.errors import ReplyValidationError
from iscctl.logs import logger

__all__ = ["read_import_result", "read_task_result"]

M = TypeVar("M")

_IMPORT_LISTS = ("infos", "warnings", "errors", "importedObjects")
_MESSAGE_DEFAULTS: dict[str, Any] = {"key": None, "text": None, "details": {}}


def read_task_result(response: httpx.Response) -> TaskResultResponse:
    """The `TaskResultResponse` of a 202 from `POST /identities/process`."""
    data = _json_object(response)
    result = _build(TaskResultResponse.from_dict, data, response)
    _log_extras(response, "TaskResultResponse", result.additional_keys)
    return result


def read_import_result(response: httpx.Response) -> ObjectImportResult:
    """The `ObjectImportResult` of a 200 from `POST /identity-profiles/import`."""
    data = _json_object(response)
    for name in _IMPORT_LISTS:
        items = data.get(name)
        if not isinstance(items, list):
            if items is not None or name in data:
                logger.debug("reply field %s is %r, not a list; read as []", name, items)
            data[name] = []
            continue
        kept = [item for item in items if isinstance(item, dict)]
        if len(kept) != len(items):
            logger.debug(
                "reply field %s had %d non-object items; skipped", name, len(items) - len(kept)
            )
        if name != "importedObjects":
            kept = [_complete_message(item) for item in kept]
        data[name] = kept
    result = _build(ObjectImportResult.from_dict, data, response)
    _log_extras(response, "ObjectImportResult", result.additional_keys)
    for imported in result.imported_objects:
        if isinstance(imported.type_, str) and not isinstance(imported.type_, ImportedObjectType):
            logger.debug(
                "importedObjects type %r is not a known value; kept as text", imported.type_
            )
    return result


def _build(
    from_dict: Callable[[dict[str, Any]], M], data: dict[str, Any], response: httpx.Response
) -> M:
    """The generated model, or a ReplyValidationError if even the smoothed data does not fit."""
    try:
        return from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as failure:
        raise ReplyValidationError(
            f"{response.status_code} reply does not fit the operation's result: "
            f"{type(failure).__name__}: {failure}",
            method=response.request.method,
            url=str(response.request.url),
            body=response.text,
        ) from None


def _complete_message(item: dict[str, Any]) -> dict[str, Any]:
    """A `{key, text, details}` message with nulls and gaps made readable."""
    message = dict(item)
    for key, default in _MESSAGE_DEFAULTS.items():
        if message.get(key) is None:
            message[key] = default
    if not isinstance(message["details"], dict):
        message["details"] = {"value": message["details"]}
    return message


def _json_object(response: httpx.Response) -> dict[str, Any]:
    method, url = response.request.method, str(response.request.url)
    if not response.content.strip():
        # The operation happened; failing here would make the caller send it again.
        logger.debug("%s reply from %s has an empty body; read as {}", response.status_code, url)
        return {}
    try:
        data = json.loads(response.content)
    except ValueError:
        raise ReplyValidationError(
            f"{response.status_code} reply is not JSON: {response.text[:120]!r}",
            method=method,
            url=url,
            body=response.text,
        ) from None
    if not isinstance(data, dict):
        raise ReplyValidationError(
            f"{response.status_code} reply is a JSON {type(data).__name__}, not an object",
            method=method,
            url=url,
            body=response.text,
        )
    return data


def _log_extras(response: httpx.Response, model: str, extra_keys: list[str]) -> None:
    if extra_keys:
        logger.debug(
            "%s from %s has undeclared fields %s; kept in additional_properties",
            model,
            response.request.url,
            sorted(extra_keys),
        )
