"""Every error iscctl raises, under one base class, `ISCError`.

A failed call must tell its user what a support ticket needs: the HTTP status,
ISC's `detailCode` and `trackingId`, the message and cause texts, and which
request failed. `str()` puts all of that on one line; the attributes keep it
for programs. Nothing here shows a token or a client secret: `str()` and the
raw `body` pass through the same redaction as the log (in case a server ever
echoes a credential back).

    ISCError
    ├── ConfigurationError        where to connect / with what is missing or wrong
    ├── RequestValidationError    the body would be refused; nothing was sent
    └── APIError
        ├── APIStatusError        the server answered with an error status
        │   ├── BadRequestError        400
        │   ├── AuthenticationError    401, or the token endpoint refused the credentials
        │   ├── PermissionDeniedError  403
        │   ├── NotFoundError          404
        │   ├── RateLimitError         429
        │   └── ServerError            5xx
        ├── APIConnectionError    no answer (refused, dropped, DNS, TLS)
        │   └── APITimeoutError
        └── ReplyValidationError  a 2xx whose body cannot be read at all
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from iscctl.logs import redact, redact_url

if TYPE_CHECKING:
    from iscctl_client.models import ProcessBadRequestBody

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ISCError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ReplyValidationError",
    "RequestValidationError",
    "ServerError",
    "read_error_model",
    "status_error",
]

BODY_LIMIT = 500
"""How many characters of a raw error body an exception keeps."""


class ISCError(Exception):
    """The base of every error iscctl raises on purpose."""


class ConfigurationError(ISCError):
    """The connection settings are missing, malformed or contradictory."""


class RequestValidationError(ISCError):
    """A request body breaks the API's rules; it was not sent.

    `problems` lists every problem found as `(json_path, message)`, for
    example `("[3].object.authoritativeSource", "Field required")`.
    """

    def __init__(self, message: str, problems: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.problems: list[tuple[str, str]] = list(problems)


class APIError(ISCError):
    """Talking to ISC failed: an error status, no answer, or an unreadable reply."""

    def __init__(self, message: str, *, method: str = "", url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = redact_url(url) if url else url

    def __str__(self) -> str:
        where = f" ({self.method} {self.url})" if self.method else ""
        return redact(f"{self.message}{where}")


class APIConnectionError(APIError):
    """No HTTP answer arrived: connection refused or dropped, DNS or TLS failure."""


class APITimeoutError(APIConnectionError):
    """The request did not finish within the client's timeout."""


class ReplyValidationError(APIError):
    """A 2xx reply whose body is not the JSON shape the operation returns at all.

    Tolerable differences (nulls, unknown enum values, extra fields) never
    raise this; only a body that cannot be read as the declared object does.
    """

    def __init__(self, message: str, *, method: str = "", url: str = "", body: str = "") -> None:
        super().__init__(message, method=method, url=url)
        self.body = redact(body)


class APIStatusError(APIError):
    """ISC answered with an error status.

    Attributes: `status`, `detail_code`, `tracking_id`, `messages` and
    `causes` (the texts of ISC's error body), `method`, `url`, and `body`
    (the raw body text, truncated to `BODY_LIMIT` characters).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        method: str = "",
        url: str = "",
        detail_code: str | None = None,
        tracking_id: str | None = None,
        messages: Sequence[str] = (),
        causes: Sequence[str] = (),
        body: str = "",
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.status = status
        self.detail_code = detail_code
        self.tracking_id = tracking_id
        self.messages = list(messages)
        self.causes = list(causes)
        self.body = redact(body[:BODY_LIMIT])

    def __str__(self) -> str:
        parts = [f"{self.status} {self.message}"]
        if self.detail_code:
            parts.append(f"detailCode={self.detail_code}")
        texts = [*self.messages, *(f"cause: {cause}" for cause in self.causes)]
        if texts:
            parts.append("; ".join(texts))
        if self.tracking_id:
            parts.append(f"trackingId={self.tracking_id}")
        if self.method:
            parts.append(f"{self.method} {self.url}")
        return redact(" | ".join(_one_line(part) for part in parts))


class BadRequestError(APIStatusError):
    """400: ISC refused the request body or a header."""


class AuthenticationError(APIStatusError):
    """401, or the token endpoint refused the client credentials."""


class PermissionDeniedError(APIStatusError):
    """403: the credentials lack the scope or user level the operation needs."""


class NotFoundError(APIStatusError):
    """404: the operation or an object it names does not exist (in this API version)."""


class RateLimitError(APIStatusError):
    """429: the tenant's rate limit was hit; `retry_after` is the server's wait, in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(APIStatusError):
    """5xx: ISC or a gateway in front of it failed."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


def _reason(status: int) -> str:
    """The standard phrase, or the status class for a number the standard does not name
    (a CDN's 520, nginx's 499)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return {4: "Client Error", 5: "Server Error"}.get(status // 100, "Error")


def status_error(
    status: int,
    body: str,
    *,
    method: str = "",
    url: str = "",
    retry_after: float | None = None,
) -> APIStatusError:
    """Build the exception for an error reply from its status and raw body text.

    The body is read with one generated model of the spec, whatever the status:
    `ProcessBadRequestBody` has every field of `ErrorResponseDto` and
    `ErrorFieldResponse` (a 401's `error`), all optional; a 429's `message` and
    the token endpoint's `error_description` land in its `additional_properties`.
    Anything else (an HTML page from a gateway, an empty body) keeps its text as
    the message, so the same exception class results whatever the body looks like.
    """
    detail_code, tracking_id, messages, causes = _fields_of(read_error_model(body))
    if not messages and not detail_code and body.strip():
        messages = [_text_of_non_json(body)]
    cls = _BY_STATUS.get(status, ServerError if status >= 500 else APIStatusError)
    error = cls(
        _reason(status),
        status=status,
        method=method,
        url=url,
        detail_code=detail_code,
        tracking_id=tracking_id,
        messages=messages,
        causes=causes,
        body=body,
    )
    if isinstance(error, RateLimitError):
        error.retry_after = retry_after
    return error


def read_error_model(body: str | bytes) -> ProcessBadRequestBody:
    """The error body as the generated model; empty if it is not a JSON object or
    its fields do not have the declared shapes (its text is then used as it is)."""
    from iscctl_client.models import ProcessBadRequestBody

    try:
        data = json.loads(body)
        return ProcessBadRequestBody.from_dict(data if isinstance(data, dict) else {})
    except (TypeError, ValueError, KeyError, AttributeError):
        return ProcessBadRequestBody()


def _fields_of(error: ProcessBadRequestBody) -> tuple[str | None, str | None, list[str], list[str]]:
    """detailCode, trackingId, message texts and cause texts of an error body."""
    detail_code, tracking_id = _str_or_none(error.detail_code), _str_or_none(error.tracking_id)
    extra = error.additional_properties
    said = [error.error, extra.get("message"), extra.get("error_description")]
    messages = _texts([*(error.messages or []), *said])
    return detail_code, tracking_id, messages, _texts(error.causes or [])


def _texts(items: Sequence[object]) -> list[str]:
    """The non-empty texts of message models or plain strings; anything else is skipped."""
    texts = (getattr(item, "text", item) for item in items)
    return [text.strip() for text in texts if isinstance(text, str) and text.strip()]


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _text_of_non_json(body: str) -> str:
    """The readable text of an HTML or plain body: tags dropped, whitespace squeezed."""
    flags = re.IGNORECASE | re.DOTALL
    text = re.sub(r"<(head|script|style)\b.*?</\1>", " ", body, flags=flags)
    text = _one_line(html.unescape(re.sub(r"<[^>]+>", " ", text)))
    if not text:
        title = re.search(r"<title[^>]*>(.*?)</title>", body, flags)
        text = _one_line(html.unescape(title.group(1))) if title else ""
    return text[:200]


def _one_line(text: str) -> str:
    return " ".join(text.split())
