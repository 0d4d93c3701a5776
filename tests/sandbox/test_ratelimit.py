"""The rate limit: per client and API version, ISC's 429 body, an honest Retry-After."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from iscctl.sandbox import RateLimit, SandboxServer
from iscctl.sandbox.ratelimit import SlidingWindowLimiter

from .conftest import fetch_token


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limiter_admits_n_per_window_then_says_how_long_to_wait() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(RateLimit(requests=3, seconds=10), clock)
    assert [limiter.admit("k") for _ in range(3)] == [None, None, None]
    clock.now += 2.5
    assert limiter.admit("k") == 8  # the first request leaves the window 7.5 s from now


def test_waiting_exactly_retry_after_gets_through() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(RateLimit(requests=2, seconds=1.5), clock)
    limiter.admit("k")
    clock.now += 0.2
    limiter.admit("k")
    wait = limiter.admit("k")
    assert wait == 2  # 1.3 s rounded up
    clock.now += wait
    assert limiter.admit("k") is None


def test_waiting_less_than_the_true_delay_is_refused_again() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(RateLimit(requests=1, seconds=10), clock)
    limiter.admit("k")
    clock.now += 9.99
    assert limiter.admit("k") == 1


def test_refused_requests_do_not_count() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(RateLimit(requests=1, seconds=10), clock)
    limiter.admit("k")
    for _ in range(50):
        assert limiter.admit("k") == 10
    clock.now += 10
    assert limiter.admit("k") is None


def test_keys_are_counted_separately() -> None:
    limiter = SlidingWindowLimiter(RateLimit(requests=1, seconds=10), FakeClock())
    assert limiter.admit(("a", "v2025")) is None
    assert limiter.admit(("a", "beta")) is None
    assert limiter.admit(("b", "v2025")) is None
    assert limiter.admit(("a", "v2025")) is not None


@pytest.fixture
def limited(make_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    return make_sandbox(rate_limit=RateLimit(requests=3, seconds=1.0))


def _process(
    client: httpx.Client,
    server: SandboxServer,
    headers: dict[str, str],
    path: str = "/beta/identities/process",
) -> httpx.Response:
    return client.post(path, json={"identityIds": server.identity_ids[:1]}, headers=headers)


def test_past_the_limit_is_429_with_isc_body_and_retry_after(limited: SandboxServer) -> None:
    with httpx.Client(base_url=limited.base_url) as client:
        headers = {"Authorization": f"Bearer {fetch_token(client, limited)}"}
        replies = [_process(client, limited, headers) for _ in range(4)]
    assert [r.status_code for r in replies] == [202, 202, 202, 429]
    assert replies[3].json() == {"message": " Rate Limit Exceeded "}
    assert replies[3].headers["retry-after"] == "1"
    assert len(limited.state.accepted_batches) == 3


def test_a_client_that_waits_retry_after_gets_through(limited: SandboxServer) -> None:
    with httpx.Client(base_url=limited.base_url) as client:
        headers = {"Authorization": f"Bearer {fetch_token(client, limited)}"}
        for _ in range(3):
            _process(client, limited, headers)
        refused = _process(client, limited, headers)
        time.sleep(int(refused.headers["retry-after"]))
        retried = _process(client, limited, headers)
    assert refused.status_code == 429
    assert retried.status_code == 202


def test_each_api_version_has_its_own_budget(limited: SandboxServer) -> None:
    with httpx.Client(base_url=limited.base_url) as client:
        headers = {
            "Authorization": f"Bearer {fetch_token(client, limited)}",
            "X-SailPoint-Experimental": "true",
        }
        for _ in range(3):
            _process(client, limited, headers)
        other_version = _process(client, limited, headers, "/v2025/identities/process")
        per_service = _process(client, limited, headers, "/identities/v1/process")
        same_version = client.post("/beta/identity-profiles/import", json=[], headers=headers)
    assert other_version.status_code == 202
    assert per_service.status_code == 202
    assert same_version.status_code == 429  # beta import shares beta's budget


def test_the_token_endpoint_is_not_rate_limited(limited: SandboxServer) -> None:
    with httpx.Client(base_url=limited.base_url) as client:
        for _ in range(6):
            fetch_token(client, limited)


def test_parse_rate_limit_text() -> None:
    assert RateLimit.parse("100/10") == RateLimit(100, 10.0)
    assert RateLimit.parse("off") is None
    with pytest.raises(ValueError, match="N/SECONDS"):
        RateLimit.parse("100")
    with pytest.raises(ValueError, match="N/SECONDS"):
        RateLimit.parse("0/10")
