"""A reply before it is encoded, and the handler signature every ISC operation shares.

Kept apart from `app.py` so that the modules serving single operations
(identities, search, tasks, and whatever comes next) build replies without
importing the app.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from attrs import define, field
from starlette.requests import Request
from starlette.responses import Response

from iscctl.sandbox import bodies


@define
class Reply:
    """A reply whose body shaping faults can still bend; `body=None` with 204/404 is bodiless."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(factory=dict)
    html: str | None = None
    client_id: str | None = None
    empty: bool = False

    def encode(self) -> Response:
        if self.html is not None:
            return Response(self.html, self.status, self.headers, media_type="text/html")
        if self.empty:
            return Response(b"", self.status, self.headers)
        content = json.dumps(self.body, separators=(",", ":"), ensure_ascii=False)
        return Response(content, self.status, self.headers, media_type="application/json")


def error_field(status: int, text: str, **headers: str) -> Reply:
    """ISC's `{"error": ...}` shape (401s, the experimental-header 400)."""
    return Reply(status, {"error": text}, dict(headers))


def bad_request(*causes: str) -> Reply:
    """400 ErrorResponseDto, one cause per problem."""
    return Reply(400, bodies.bad_request(list(causes)))


def not_found(text: str) -> Reply:
    """404 ErrorResponseDto."""
    return Reply(404, bodies.error_response(bodies.NOT_FOUND_CODE, text, [text]))


# (request, client id of its token, API version) -> reply; auth, faults and the
# rate limit have been applied before a handler runs.
Handler = Callable[[Request, str, str], Awaitable[Reply]]
