"""The JSON bodies ISC answers with, including its irregular error shapes.

400/403/404/500 carry an ErrorResponseDto; 401 and the experimental-header
400 carry `{"error": ...}`; 429 carries `{"message": " Rate Limit Exceeded "}`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Final

RATE_LIMIT_MESSAGE: Final = " Rate Limit Exceeded "
EXPERIMENTAL_HEADER_MESSAGE: Final = "Experimental Header is missing or invalid."

BAD_REQUEST_CODE: Final = "400.1 Bad Request Content"
BAD_REQUEST_TEXT: Final = (
    "The request was syntactically correct but its content is semantically invalid."
)
NOT_FOUND_CODE: Final = "404 Not found"
NOT_FOUND_TEXT: Final = "The server did not find a current representation for the target resource."
METHOD_CODE: Final = "405 Method not allowed"
SERVER_ERROR_CODE: Final = "500.0 Internal Fault"
SERVER_ERROR_TEXT: Final = "An internal fault occurred."

SERVICE_UNAVAILABLE_HTML: Final = (
    "<html><head><title>503 Service Temporarily Unavailable</title></head>"
    "<body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>\n"
)


def message(text: str | None) -> dict[str, Any]:
    return {"locale": "en-US", "localeOrigin": "DEFAULT", "text": text}


def error_response(detail_code: str, text: str, causes: Sequence[str] = ()) -> dict[str, Any]:
    """An ErrorResponseDto with a fresh tracking id (32 hex, like ISC's)."""
    return {
        "detailCode": detail_code,
        "trackingId": uuid.uuid4().hex,
        "messages": [message(text)],
        "causes": [message(cause) for cause in causes],
    }


def bad_request(causes: list[str]) -> dict[str, Any]:
    return error_response(BAD_REQUEST_CODE, BAD_REQUEST_TEXT, causes)


def task_result(task_id: str) -> dict[str, Any]:
    return {"type": "TASK_RESULT", "id": task_id, "name": None}


def import_message(key: str, text: str, details: dict[str, Any]) -> dict[str, Any]:
    return {"key": key, "text": text, "details": details}
