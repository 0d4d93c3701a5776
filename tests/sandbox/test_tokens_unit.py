"""TokenBook on its own: uses, expiry, and forgetting tokens that can no longer be used."""

from __future__ import annotations

import base64

import pytest
from iscctl.sandbox import auth
from iscctl.sandbox.auth import TokenBook, TokenRejected, token_request_parameters


def _use(book: TokenBook, token: str) -> str:
    return book.use(f"Bearer {token}")


def test_a_token_is_good_until_max_uses() -> None:
    book = TokenBook(ttl=60, max_uses=2)
    token = book.issue("me")["access_token"]
    assert [_use(book, token), _use(book, token)] == ["me", "me"]
    with pytest.raises(TokenRejected) as rejected:
        _use(book, token)
    assert rejected.value.expired


def test_expired_tokens_are_forgotten_once_many_were_issued(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(auth, "_PRUNE_AT", 3)
    book = TokenBook(ttl=60, max_uses=None)
    old = [book.issue("me")["access_token"] for _ in range(3)]
    book.expire_all()
    fresh = book.issue("me")["access_token"]
    with pytest.raises(TokenRejected) as rejected:
        _use(book, old[0])
    assert "not recognized" in rejected.value.reason
    assert _use(book, fresh) == "me"


def test_token_parameters_form_wins_over_query_and_basic_over_both() -> None:
    basic = "Basic " + base64.b64encode(b"id%3Ax:s%26ecret").decode()
    params = token_request_parameters("client_id=q&grant_type=q", {"grant_type": "f"}, basic)
    assert params == {"client_id": "id:x", "client_secret": "s&ecret", "grant_type": "f"}


def test_malformed_basic_credentials_are_ignored() -> None:
    assert token_request_parameters("", {"client_id": "a"}, "Basic !!!") == {"client_id": "a"}
