"""Reply-shaping faults for the tenant's configuration reads (export, profiles, sources,
transforms, process-identities, delete): the irregular 2xx bodies a tolerant client must accept.

`shaping.py` bends the process, import and error bodies; these bodies are
lists of profiles, sources and transforms, so they are bent here, per item:
`null_strings` nulls strings the definitions do not call nullable,
`unknown_enums` puts values into enums that the definitions do not list, and
`extra_fields` adds undeclared keys. Each returns a new body.
"""

from __future__ import annotations

import copy
from typing import Any, Final

TENANT_OPERATIONS: Final = frozenset(
    {
        "export",
        "list-profiles",
        "get-profile",
        "process-profile",
        "delete-profile",
        "list-sources",
        "list-transforms",
    }
)

Body = Any


def applies(operation: str, body: Body) -> bool:
    """True for a 2xx body of one of these operations (error bodies go to shaping.py)."""
    if operation not in TENANT_OPERATIONS:
        return False
    return isinstance(body, list) or (isinstance(body, dict) and "detailCode" not in body)


def _items(body: Body) -> list[dict[str, Any]]:
    items = body if isinstance(body, list) else [body]
    return [item for item in items if isinstance(item, dict)]


def _profiles(operation: str, body: Body) -> list[dict[str, Any]]:
    """The IdentityProfile objects in a body (export wraps each in `object`)."""
    if operation == "export":
        return [i["object"] for i in _items(body) if isinstance(i.get("object"), dict)]
    if operation in ("list-profiles", "get-profile"):
        return _items(body)
    return []


def null_strings(operation: str, body: Body) -> Body:
    body = copy.deepcopy(body)
    if operation == "process-profile" and isinstance(body, dict):
        body["type"] = None
    if operation == "export":
        for item in _items(body):
            if isinstance(item.get("self"), dict):
                item["self"]["name"] = None
    for profile in _profiles(operation, body):
        profile["created"] = profile["modified"] = None
        if isinstance(profile.get("authoritativeSource"), dict):
            profile["authoritativeSource"]["name"] = None
    if operation == "list-sources":
        for source in _items(body):
            source["description"] = source["connectorName"] = source["created"] = None
    return body


def unknown_enums(operation: str, body: Body) -> Body:
    body = copy.deepcopy(body)
    if operation == "process-profile" and isinstance(body, dict):
        body["type"] = "TASK_RESULT_V2"
    if operation == "delete-profile" and isinstance(body, dict):
        body["completionStatus"] = "FutureStatus"
    if operation == "export":
        for item in _items(body):
            if isinstance(item.get("self"), dict):
                item["self"]["type"] = "FUTURE_TYPE"
    for profile in _profiles(operation, body):
        for key in ("authoritativeSource", "owner"):
            if isinstance(profile.get(key), dict):
                profile[key]["type"] = "FUTURE_REFERENCE"
    if operation == "list-transforms":
        for transform in _items(body):
            transform["type"] = "futureTransform"
    if operation == "list-sources":
        for source in _items(body):
            source["status"] = "SOURCE_STATE_FUTURE"
    return body


def extra_fields(operation: str, body: Body) -> Body:
    body = copy.deepcopy(body)
    for item in _items(body):
        item["sandboxFutureField"] = {"added": "by the extra_fields fault", "nested": [1, 2]}
    for profile in _profiles(operation, body):
        profile["sandboxFutureField"] = "unexpected"
        if isinstance(profile.get("identityAttributeConfig"), dict):
            profile["identityAttributeConfig"]["sandboxFutureField"] = True
    return body
