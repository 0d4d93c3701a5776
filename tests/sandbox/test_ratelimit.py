"""The rate limit: per client and API version, ISC's 429 body, an honest Retry-After."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from iscctl.sandbox import RateLimit, RateLimitEscalation, SandboxServer
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


# -- escalation (#13.3) ---------------------------------------------------------------------


def _exceed(limiter: SlidingWindowLimiter, requests: int) -> list[int | None]:
    return [limiter.admit("k") for _ in range(requests + 1)]


def test_three_exceeded_windows_within_120_s_escalate_through_isc_tiers() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(RateLimit(2, 10), clock, RateLimitEscalation())
    answers = []
    for _ in range(2):  # two exceeded windows: ordinary waits
        answers.append(_exceed(limiter, 2)[-1])
        clock.now += 10
    assert answers == [10, 10]
    assert _exceed(limiter, 2)[-1] == 60  # the third window escalates
    clock.now += 30
    assert limiter.admit("k") == 30  # blocked: every request is told what is left


def test_a_client_clean_for_the_period_starts_again_at_the_first_tier() -> None:
    clock = FakeClock()
    rule = RateLimitEscalation(tiers=(5, 50), strikes=1, within=100)
    limiter = SlidingWindowLimiter(RateLimit(1, 10), clock, rule)
    assert _exceed(limiter, 1)[-1] == 5
    clock.now += 5
    assert _exceed(limiter, 1)[-1] == 50  # offended again soon after: next tier
    clock.now += 50 + 101  # served the penalty, then clean for longer than `within`
    assert _exceed(limiter, 1)[-1] == 5


def test_escalation_walks_60_300_600_1200_and_stays_at_the_last() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(RateLimit(1, 10), clock, RateLimitEscalation())
    penalties = []
    for _ in range(5):
        for _window in range(3):
            assert limiter.admit("k") is None
            wait = limiter.admit("k")
            clock.now += 10
        penalties.append(wait)
        clock.now += wait or 0  # wait out the penalty, then offend again at once
    assert penalties == [60, 300, 600, 1200, 1200]


def test_windows_older_than_the_period_do_not_count() -> None:
    clock = FakeClock()
    rule = RateLimitEscalation(tiers=(5,), strikes=2, within=30)
    limiter = SlidingWindowLimiter(RateLimit(1, 10), clock, rule)
    assert _exceed(limiter, 1)[-1] == 10
    clock.now += 60  # the first exceeded window is long gone
    assert _exceed(limiter, 1)[-1] == 10
    clock.now += 10
    assert _exceed(limiter, 1)[-1] == 5


def test_escalation_is_per_client_and_version() -> None:
    clock = FakeClock()
    rule = RateLimitEscalation(tiers=(50,), strikes=1, within=30)
    limiter = SlidingWindowLimiter(RateLimit(1, 10), clock, rule)
    limiter.admit(("c", "v2025"))
    assert limiter.admit(("c", "v2025")) == 50
    assert limiter.admit(("c", "v2024")) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("off", None),
        ("on", RateLimitEscalation((60, 300, 600, 1200), 3, 120.0)),
        ("2,4@2/30", RateLimitEscalation((2, 4), 2, 30.0)),
        ("7", RateLimitEscalation((7,), 3, 120.0)),
    ],
)
def test_escalation_specs(text: str, expected: RateLimitEscalation | None) -> None:
    assert RateLimitEscalation.parse(text) == expected


@pytest.mark.parametrize("text", ["soon", "1,x", "0", "2@3", "2@x/4"])
def test_bad_escalation_specs_say_what_is_expected(text: str) -> None:
    with pytest.raises(ValueError, match="TIERS"):
        RateLimitEscalation.parse(text)


def test_a_persistent_offender_gets_a_long_retry_after_over_http(
    make_sandbox: Callable[..., SandboxServer],
) -> None:
    server = make_sandbox()
    clock = FakeClock()  # the tenant's limiter on a clock the test moves: no sleeping
    rule = RateLimitEscalation(tiers=(40, 90), strikes=2, within=60)
    server.tenant.limiter = SlidingWindowLimiter(RateLimit(1, 1.0), clock, rule)
    with httpx.Client(base_url=server.base_url) as client:
        headers = {"Authorization": f"Bearer {fetch_token(client, server)}"}

        def call() -> httpx.Response:
            return client.get("/v2025/identities", params={"limit": 1}, headers=headers)

        first = [call().status_code, call()]
        clock.now += 1.5  # the next window
        second = [call().status_code, call()]
        clock.now += 10
        blocked = call()
    assert first[0] == 200 and first[1].status_code == 429
    assert first[1].headers["retry-after"] == "1"
    assert second[0] == 200 and second[1].status_code == 429
    assert second[1].headers["retry-after"] == "40"
    assert second[1].json() == {"message": " Rate Limit Exceeded "}
    assert blocked.status_code == 429
    assert blocked.headers["retry-after"] == "30"


def test_the_escalation_fault_answers_the_tiers_in_turn(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    sandbox.faults.add("rate_limit_escalation", times=5, operation="search")
    headers = {"Authorization": f"Bearer {fetch_token(http, sandbox)}"}
    waits = []
    for _ in range(5):
        reply = http.post("/v2025/search", json={"query": {"query": "*"}}, headers=headers)
        assert reply.status_code == 429
        waits.append(int(reply.headers["retry-after"]))
    assert waits == [60, 300, 600, 1200, 1200]
    assert (
        http.post("/v2025/search", json={"query": {"query": "*"}}, headers=headers).status_code
        == 200
    )


def test_the_escalation_fault_uses_configured_tiers(
    make_sandbox: Callable[..., SandboxServer],
) -> None:
    server = make_sandbox(rate_limit_escalation=RateLimitEscalation(tiers=(1, 2)))
    server.faults.add("rate_limit_escalation", times=3)
    with httpx.Client(base_url=server.base_url) as client:
        headers = {
            "Authorization": f"Bearer {fetch_token(client, server)}",
            "X-SailPoint-Experimental": "true",
        }
        body = {"identityIds": server.identity_ids[:1]}
        waits = [
            client.post("/v2025/identities/process", json=body, headers=headers).headers[
                "retry-after"
            ]
            for _ in range(3)
        ]
    assert waits == ["1", "2", "2"]
    assert server.state.accepted_batches == []
