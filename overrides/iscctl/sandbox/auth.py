"""Bearer tokens: issuing them for the client-credentials grant and checking them.

Tokens look like JWTs (three base64url parts) because ISC's do, but they are
opaque to the sandbox: it looks them up, it never trusts what they say.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import threading
import time
import uuid
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import parse_qsl, unquote_plus

from attrs import define

TENANT_ID: Final = "sandbox-0000-tenant"
POD: Final = "sandbox-pod"
SCOPE: Final = "sp:scopes:all"
# ISC's own wording for an expired JWT (SailPoint's developer documentation).
EXPIRED_TOKEN_MESSAGE: Final = "JWT validation failed: JWT is expired"
_PRUNE_AT: Final = 10_000  # grants kept before expired ones are dropped


class TokenRejected(Exception):
    """The bearer token cannot be used; `reason` is the text of the 401 body."""

    def __init__(self, reason: str, expired: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.expired = expired


@define
class _Grant:
    client_id: str
    expires_at: float
    uses: int = 0
    revoked: bool = False


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def token_request_parameters(
    query: str, form: Mapping[str, str], authorization: str | None
) -> dict[str, str]:
    """The token request's parameters, from wherever a client put them.

    ISC takes them in any mix: SailPoint's TypeScript SDK sends a multipart
    form, its Python SDKs an urlencoded form, other clients the query string,
    and OAuth libraries often the client id and secret as HTTP Basic
    credentials (RFC 6749 section 2.3.1). The form (already decoded, whatever
    its encoding) wins over the query string, and Basic credentials over both.
    """
    params = dict(parse_qsl(query))
    params.update(form)
    scheme, _, encoded = (authorization or "").strip().partition(" ")
    if scheme.lower() == "basic" and encoded:
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            decoded = ""
        client_id, colon, client_secret = decoded.partition(":")
        if colon:
            params["client_id"] = unquote_plus(client_id)
            params["client_secret"] = unquote_plus(client_secret)
    return params


def credentials_match(given: str | None, expected: str) -> bool:
    """Constant-time comparison, so the sandbox does not teach timing attacks."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class TokenBook:
    """Every token issued, with its owner, deadline and number of uses."""

    def __init__(self, ttl: float, max_uses: int | None) -> None:
        self._ttl = ttl
        self._max_uses = max_uses
        self._grants: dict[str, _Grant] = {}
        self._lock = threading.Lock()

    def issue(self, client_id: str) -> dict[str, Any]:
        """A new token for `client_id`, as the body of ISC's token reply."""
        jti = str(uuid.uuid4())
        now = time.time()
        header = {"alg": "HS256", "typ": "JWT"}
        claims = {
            "tenant_id": TENANT_ID,
            "pod": POD,
            "client_id": client_id,
            "scope": [SCOPE],
            "exp": int(now + self._ttl),
            "jti": jti,
        }
        token = ".".join(
            (
                _b64(json.dumps(header).encode()),
                _b64(json.dumps(claims).encode()),
                _b64(secrets.token_bytes(32)),
            )
        )
        with self._lock:
            if len(self._grants) >= _PRUNE_AT:
                self._forget_unusable(time.monotonic())
            self._grants[token] = _Grant(client_id, time.monotonic() + self._ttl)
        return {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": int(self._ttl),
            "scope": SCOPE,
            "tenant_id": TENANT_ID,
            "pod": POD,
            "strong_auth_supported": False,
            "org": "sandbox",
            "identity_id": None,
            "user_name": None,
            "strong_auth": False,
            "claims_supported": False,
            "internal": True,
            "jti": jti,
        }

    def use(self, authorization: str | None) -> str:
        """Check an Authorization header for one API call; return the token's client id."""
        if not authorization:
            raise TokenRejected("JWT validation failed: no bearer token was sent")
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise TokenRejected(
                "JWT validation failed: the Authorization header is not 'Bearer <token>'"
            )
        with self._lock:
            grant = self._grants.get(token)
            if grant is None:
                raise TokenRejected("JWT validation failed: the token is not recognized")
            if grant.revoked or time.monotonic() >= grant.expires_at:
                raise TokenRejected(EXPIRED_TOKEN_MESSAGE, expired=True)
            if self._max_uses is not None and grant.uses >= self._max_uses:
                raise TokenRejected(EXPIRED_TOKEN_MESSAGE, expired=True)
            grant.uses += 1
            return grant.client_id

    def _forget_unusable(self, now: float) -> None:
        # A long-running sandbox must not keep every token it ever issued; an
        # expired token that is forgotten is answered "not recognized", still a 401.
        self._grants = {
            token: grant
            for token, grant in self._grants.items()
            if not grant.revoked and grant.expires_at > now
        }

    def expire_all(self) -> None:
        """Every token issued so far stops working; new ones are still issued."""
        with self._lock:
            for grant in self._grants.values():
                grant.revoked = True

    def forget(self) -> None:
        with self._lock:
            self._grants.clear()
