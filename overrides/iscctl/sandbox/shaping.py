"""Reply-shaping faults: the irregular 2xx bodies the live API is known to send.

ISC sends `null` where its definitions promise strings, enum values they do
not list, and fields they do not declare. These functions bend a correct body
that way, so clients can prove they tolerate it. Each returns a new body.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from iscctl.sandbox import tenant_shaping

Body = Any


def _messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every message-like object in an ISC body (import messages, error messages)."""
    found: list[dict[str, Any]] = []
    for key in ("infos", "warnings", "errors", "messages", "causes"):
        items = body.get(key)
        if isinstance(items, list):
            found.extend(item for item in items if isinstance(item, dict))
    return found


def null_strings(operation: str, body: Body) -> Body:
    if tenant_shaping.applies(operation, body):  # export, profiles, sources, transforms
        return tenant_shaping.null_strings(operation, body)
    body = copy.deepcopy(body)
    if not isinstance(body, dict):
        return body
    if operation == "process" and "type" in body:
        body["type"] = None  # TaskResultResponse.type; `name` is null already
    if operation == "token":
        body["scope"] = None
        body["pod"] = None
    for imported in body.get("importedObjects") or []:
        imported["name"] = None
    for item in _messages(body):
        item["text"] = None
    if "trackingId" in body:
        body["trackingId"] = None
    return body


def unknown_enums(operation: str, body: Body) -> Body:
    if tenant_shaping.applies(operation, body):  # export, profiles, sources, transforms
        return tenant_shaping.unknown_enums(operation, body)
    body = copy.deepcopy(body)
    if not isinstance(body, dict):
        return body
    if operation == "process" and "type" in body:
        body["type"] = "TASK_RESULT_V2"
    for imported in body.get("importedObjects") or []:
        imported["type"] = "FUTURE_TYPE"
    for item in _messages(body):
        if "localeOrigin" in item:
            item["localeOrigin"] = "BROWSER"
    return body


def extra_fields(operation: str, body: Body) -> Body:
    if tenant_shaping.applies(operation, body):  # export, profiles, sources, transforms
        return tenant_shaping.extra_fields(operation, body)
    body = copy.deepcopy(body)
    if not isinstance(body, dict):
        return body
    body["sandboxFutureField"] = {"added": "by the extra_fields fault", "nested": [1, 2]}
    for imported in body.get("importedObjects") or []:
        imported["sandboxFutureField"] = "unexpected"
    for item in _messages(body):
        item["sandboxFutureField"] = None
        if isinstance(item.get("details"), dict):
            item["details"]["sandboxFutureDetail"] = True
    return body


SHAPERS: dict[str, Callable[[str, Body], Body]] = {
    "null_strings": null_strings,
    "unknown_enums": unknown_enums,
    "extra_fields": extra_fields,
}
