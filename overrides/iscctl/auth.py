"""OAuth client credentials as an `httpx.Auth`, shared by the sync and the async client.

SailPoint's own SDK fetches a token once and never refreshes it. Here the
token is cached, replaced shortly before `expires_in` runs out, and replaced
once more when ISC answers 401 anyway (a token revoked or expired early). When
many requests wait for a token at once, exactly one of them fetches it: the
fetch happens under a lock (`threading.Lock` for `httpx.Client`,
`asyncio.Lock` for `httpx.AsyncClient`), and a request that finds a newer
token than the one it was refused with simply uses it.

The token request is yielded from the auth flow, so it goes through the same
connection pool and transport as the calls themselves: it honours the
client's timeout (given here, since httpx only stamps the timeout on requests
that the client itself builds) and is retried like any call by
`iscctl.transport`.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator
from typing import TYPE_CHECKING

import httpx

from iscctl.errors import AuthenticationError, ReplyValidationError, status_error
from iscctl.logs import logger, redact_url, register_secret

if TYPE_CHECKING:
    import asyncio

__all__ = ["RESENT", "ClientCredentialsAuth", "Token"]

RESENT = "iscctl.resent"
"""Request extension set on the one resend after a 401 (not counted as a new attempt)."""

REFRESH_MARGIN = 30.0
"""Seconds before expiry at which a token is replaced; at most a quarter of its lifetime."""


class Token:
    """An access token and when to stop using it. `repr()` never shows the value."""

    __slots__ = ("expires_at", "value")

    def __init__(self, value: str, expires_at: float) -> None:
        self.value = value
        self.expires_at = expires_at

    def __repr__(self) -> str:
        return f"Token('***', expires_at={self.expires_at:.0f})"


class ClientCredentialsAuth(httpx.Auth):
    """Adds `Authorization: Bearer ...`, getting and refreshing the token as needed.

    >>> auth = ClientCredentialsAuth("https://acme.api.identitynow.com/oauth/token", "id", "secret")
    >>> httpx.Client(auth=auth)  # doctest: +SKIP
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        on_token: Callable[[int], None] | None = None,
        timeout: float | None = None,
    ) -> None:
        self.token_url = token_url
        self._timeout = None if timeout is None else httpx.Timeout(timeout).as_dict()
        self.client_id = client_id
        self._client_secret = client_secret
        self._clock = clock
        self._on_token = on_token
        self._token: Token | None = None
        self.tokens_fetched = 0
        self._thread_lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None  # made on first async use (import cost)
        register_secret(client_secret)

    def __repr__(self) -> str:
        return (
            f"ClientCredentialsAuth(token_url={self.token_url!r}, client_id={self.client_id!r}, "
            "client_secret='***')"
        )

    # -- the two flows httpx calls -------------------------------------------------

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        refused: Token | None = None
        while True:
            token = self._usable_token(refused)
            if token is None:
                with self._thread_lock:
                    token = self._usable_token(refused)
                    if token is None:
                        reply = yield self._token_request()
                        reply.read()
                        token = self._accept(reply)
            response = yield self._authorize(request, token)
            if response.status_code != 401 or refused is not None:
                return
            refused = token
            response.read()
            request.extensions[RESENT] = True
            logger.info("401 from %s; getting a new token and trying once more", _shown(request))

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        refused: Token | None = None
        while True:
            token = self._usable_token(refused)
            if token is None:
                if self._async_lock is None:  # no await before it is set: one lock per flow
                    import asyncio

                    self._async_lock = asyncio.Lock()
                async with self._async_lock:
                    token = self._usable_token(refused)
                    if token is None:
                        reply = yield self._token_request()
                        await reply.aread()
                        token = self._accept(reply)
            response = yield self._authorize(request, token)
            if response.status_code != 401 or refused is not None:
                return
            refused = token
            await response.aread()
            request.extensions[RESENT] = True
            logger.info("401 from %s; getting a new token and trying once more", _shown(request))

    # -- shared steps ----------------------------------------------------------------

    def invalidate(self) -> None:
        """Forget the cached token; the next request gets a new one."""
        self._token = None

    def _usable_token(self, refused: Token | None) -> Token | None:
        """The cached token unless it is (nearly) expired or is the one just refused."""
        token = self._token
        if token is None or token is refused or self._clock() >= token.expires_at:
            return None
        return token

    def _token_request(self) -> httpx.Request:
        return httpx.Request(
            "POST",
            self.token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self._client_secret,
            },
            headers={"Accept": "application/json"},
            extensions={} if self._timeout is None else {"timeout": self._timeout},
        )

    @staticmethod
    def _authorize(request: httpx.Request, token: Token) -> httpx.Request:
        request.headers["Authorization"] = f"Bearer {token.value}"
        return request

    def _accept(self, reply: httpx.Response) -> Token:
        """Read a token reply, or raise an error that names the refused credential."""
        if reply.status_code != 200:
            error = status_error(
                reply.status_code,
                reply.text,
                method="POST",
                url=self.token_url,
                retry_after=None,
            )
            if reply.status_code in (400, 401, 403):
                raise AuthenticationError(
                    f"the token endpoint refused client_id {self.client_id!r} or its client "
                    "secret; check both (SAIL_CLIENT_ID / SAIL_CLIENT_SECRET, --client-id, "
                    "`iscctl config set`)",
                    status=reply.status_code,
                    method="POST",
                    url=self.token_url,
                    detail_code=error.detail_code,
                    tracking_id=error.tracking_id,
                    messages=error.messages,
                    causes=error.causes,
                    body=reply.text,
                )
            raise error
        try:
            data = json.loads(reply.content)
            value = data["access_token"]
            if not isinstance(value, str) or not value:
                raise TypeError("access_token is not a string")
        except (ValueError, KeyError, TypeError) as failure:
            raise ReplyValidationError(
                f"the token endpoint answered 200 without a usable access_token ({failure})",
                method="POST",
                url=self.token_url,
            ) from None
        lifetime = _lifetime(data.get("expires_in"))
        register_secret(value)
        token = Token(value, self._clock() + lifetime - min(REFRESH_MARGIN, lifetime / 4))
        self._token = token
        self.tokens_fetched += 1
        if self._on_token is not None:
            self._on_token(self.tokens_fetched)
        logger.debug("got a token for client_id %s, valid %.0f s", self.client_id, lifetime)
        return token


def _shown(request: httpx.Request) -> str:
    return redact_url(request.url)


def _lifetime(expires_in: object) -> float:
    """`expires_in` in seconds; a missing or odd value counts as a short, safe lifetime."""
    try:
        seconds = float(expires_in)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 60.0
    return max(seconds, 1.0)
