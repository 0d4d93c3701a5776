"""The exception hierarchy and the one-line `str()` of each error."""

from __future__ import annotations

import json

import pytest
from iscctl.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ISCError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ReplyValidationError,
    RequestValidationError,
    ServerError,
    status_error,
)

ISC_400 = json.dumps(
    {
        "detailCode": "400.1 Bad Request Content",
        "trackingId": "e7eab60924f64aa284175b9fa3309599",
        "messages": [
            {"locale": "en-US", "localeOrigin": "DEFAULT", "text": "The request was syntactically"},
            {"locale": None, "localeOrigin": "SOMETHING_NEW", "text": "correct but its content"},
        ],
        "causes": [{"locale": None, "localeOrigin": None, "text": "identityIds: too many"}],
    }
)


def test_every_error_has_one_base() -> None:
    for cls in (ConfigurationError, RequestValidationError, APIError):
        assert issubclass(cls, ISCError)
    for cls in (
        BadRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        RateLimitError,
        ServerError,
    ):
        assert issubclass(cls, APIStatusError)
    assert issubclass(APITimeoutError, APIConnectionError)
    assert issubclass(ReplyValidationError, APIError)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (409, APIStatusError),
    ],
)
def test_each_status_has_its_class(status: int, cls: type[APIStatusError]) -> None:
    error = status_error(status, "")
    assert type(error) is cls
    assert error.status == status


def test_an_isc_error_body_is_read_into_attributes_and_one_line() -> None:
    error = status_error(400, ISC_400, method="POST", url="https://acme/v2025/identities/process")
    assert error.detail_code == "400.1 Bad Request Content"
    assert error.tracking_id == "e7eab60924f64aa284175b9fa3309599"
    assert error.messages == ["The request was syntactically", "correct but its content"]
    assert error.causes == ["identityIds: too many"]
    assert str(error) == (
        "400 Bad Request | detailCode=400.1 Bad Request Content | The request was syntactically; "
        "correct but its content; cause: identityIds: too many | "
        "trackingId=e7eab60924f64aa284175b9fa3309599 | POST https://acme/v2025/identities/process"
    )


def test_the_401_and_429_shapes_give_their_text() -> None:
    assert status_error(401, '{"error": "JWT validation failed"}').messages == [
        "JWT validation failed"
    ]
    limited = status_error(429, '{"message": " Rate Limit Exceeded "}', retry_after=3)
    assert isinstance(limited, RateLimitError)
    assert limited.messages == ["Rate Limit Exceeded"]
    assert limited.retry_after == 3


def test_an_html_gateway_page_becomes_readable_text() -> None:
    page = (
        "<html><head><title>502 Bad Gateway</title><style>p {}</style></head>"
        "<body><h1>Bad Gateway</h1>\n<p>upstream &amp; friends</p></body></html>"
    )
    error = status_error(502, page, method="POST", url="u")
    assert isinstance(error, ServerError)
    assert error.messages == ["Bad Gateway upstream & friends"]
    assert str(error) == "502 Bad Gateway | Bad Gateway upstream & friends | POST u"


def test_an_empty_or_odd_json_body_does_not_break_the_error() -> None:
    for body in ("", "null", "[1, 2]", '{"detailCode": 5, "messages": "x"}', "{"):
        error = status_error(500, body)
        assert error.status == 500
        assert "\n" not in str(error)


def test_the_raw_body_is_kept_but_truncated() -> None:
    error = status_error(500, "x" * 10_000)
    assert len(error.body) == 500


def test_request_validation_error_carries_its_problems() -> None:
    error = RequestValidationError("bad", [("[0].object", "Field required")])
    assert error.problems == [("[0].object", "Field required")]


def test_a_credential_echoed_by_a_server_is_redacted_in_the_error() -> None:
    from iscctl.logs import register_secret

    register_secret("echoed-secret-value")
    body = '{"error": "invalid_client", "error_description": "bad secret echoed-secret-value"}'
    error = status_error(401, body, method="POST", url="https://acme/oauth/token")
    assert "echoed-secret-value" not in str(error)
    assert "echoed-secret-value" not in error.body
    assert "bad secret ***" in str(error)
