"""Retries over real HTTP: what is retried, what is not, and the bounds."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from iscctl.client import AsyncClient, Client
from iscctl.errors import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    NotFoundError,
    RateLimitError,
    ServerError,
)
from iscctl.retry import RetryPolicy, parse_retry_after
from iscctl.sandbox import RateLimit, SandboxServer

from .conftest import FAST

if TYPE_CHECKING:
    from .conftest import Exposure


def _process_statuses(sandbox: SandboxServer) -> list[int | None]:
    return [r.status for r in sandbox.state.requests if r.operation == "process"]


def test_a_503_with_an_html_body_is_retried_until_it_succeeds(
    sandbox: SandboxServer, make_client: Callable[..., Client]
) -> None:
    sandbox.faults.add("http_503", times=2)
    client = make_client()
    assert client.process_identities(sandbox.identity_ids[:1]).id
    assert _process_statuses(sandbox) == [503, 503, 202]
    assert client.stats.retries == 2


def test_a_503_with_an_html_body_becomes_a_server_error_with_status_and_text(
    sandbox: SandboxServer, make_client: Callable[..., Client], exposed: Exposure
) -> None:
    sandbox.faults.add("http_503", times=10)
    with pytest.raises(ServerError) as caught:
        make_client(retry=RetryPolicy(max_retries=0)).process_identities(sandbox.identity_ids[:1])
    error = caught.value
    exposed.add(error)
    assert error.status == 503
    assert "Service" in " ".join(error.messages)
    assert "<" not in str(error)  # the HTML tags are gone, the text remains
    assert str(error).startswith("503 Service Unavailable | ")
    assert "POST http://127.0.0.1:" in str(error)
    assert error.body.lstrip().startswith("<")


def test_a_500_carries_detail_code_tracking_id_and_texts(
    sandbox: SandboxServer, make_client: Callable[..., Client], exposed: Exposure
) -> None:
    sandbox.faults.add("http_500", times=10)
    client = make_client(retry=RetryPolicy(max_retries=2, backoff_initial=0.001))
    with pytest.raises(ServerError) as caught:
        client.process_identities(sandbox.identity_ids[:1])
    error = caught.value
    exposed.add(error)
    assert error.status == 500
    assert error.detail_code and error.detail_code in str(error)
    assert error.tracking_id and f"trackingId={error.tracking_id}" in str(error)
    assert error.messages and error.messages[0] in str(error)
    assert "gave up after 2 retries" in str(error)
    assert "\n" not in str(error)
    assert _process_statuses(sandbox) == [500, 500, 500]


def test_a_dropped_connection_is_retried(
    sandbox: SandboxServer, make_client: Callable[..., Client]
) -> None:
    sandbox.faults.add("drop_connection", operation="process")
    assert make_client().process_identities(sandbox.identity_ids[:1]).id
    assert _process_statuses(sandbox) == [None, 202]


def test_a_dropped_connection_without_retries_is_a_connection_error(
    sandbox: SandboxServer, make_client: Callable[..., Client], exposed: Exposure
) -> None:
    sandbox.faults.add("drop_connection", operation="process")
    with pytest.raises(APIConnectionError) as caught:
        make_client(retry=RetryPolicy(max_retries=0)).process_identities(sandbox.identity_ids[:1])
    exposed.add(caught.value)
    assert "/v2025/identities/process" in str(caught.value)


def test_a_timeout_is_retried_and_reported_as_a_timeout_when_retries_run_out(
    sandbox: SandboxServer, make_client: Callable[..., Client]
) -> None:
    sandbox.faults.add("slow", seconds=0.5, operation="process")
    client = make_client(timeout=0.1, retry=RetryPolicy(max_retries=0))
    with pytest.raises(APITimeoutError):
        client.process_identities(sandbox.identity_ids[:1])
    sandbox.faults.add("slow", seconds=0.5, operation="process")
    assert make_client(timeout=0.1).process_identities(sandbox.identity_ids[:1]).id


def test_a_429_burst_is_waited_out_without_losing_a_call(
    sandbox: SandboxServer, make_async_client: Callable[..., AsyncClient]
) -> None:
    sandbox.faults.add("rate_limit", times=15, retry_after=0)
    ids = sandbox.identity_ids[:10]

    async def run() -> AsyncClient:
        async with make_async_client() as isc:
            await asyncio.gather(*(isc.process_identities([one]) for one in ids))
            return isc

    isc = asyncio.run(run())
    assert sorted(sandbox.state.process_counts) == sorted(ids)
    assert isc.stats.rate_limited == 15
    assert isc.stats.retries == 15


def test_the_real_rate_limit_is_waited_out_for_every_call(
    make_sandbox: Callable[..., SandboxServer], make_client: Callable[..., Client]
) -> None:
    server = make_sandbox(rate_limit=RateLimit(3, 0.5))
    client = make_client(server, rate_limit=None)  # no pacing: the server's 429s must do
    for one in server.identity_ids[:8]:
        client.process_identities([one])
    assert sum(server.state.process_counts.values()) == 8
    assert client.stats.rate_limited >= 1


def test_a_retry_after_longer_than_max_wait_fails_at_once_naming_the_option(
    sandbox: SandboxServer, make_client: Callable[..., Client], exposed: Exposure
) -> None:
    sandbox.faults.add("rate_limit", retry_after=120)
    waits: list[tuple[float, str]] = []
    client = make_client(retry=RetryPolicy(max_wait=60), on_wait=lambda s, r: waits.append((s, r)))
    with pytest.raises(RateLimitError) as caught:
        client.process_identities(sandbox.identity_ids[:1])
    error = caught.value
    exposed.add(error)
    assert error.retry_after == 120
    assert "Retry-After 120s is longer than the longest wait allowed, 60s" in str(error)
    assert "--max-wait" in str(error)
    assert "Rate Limit Exceeded" in str(error)
    assert _process_statuses(sandbox) == [429]
    assert waits == []


def test_long_retry_after_values_are_waited_by_default_up_to_1200_seconds() -> None:
    policy = RetryPolicy()
    assert policy.max_wait == 1200
    for tier in (60, 300, 600, 1200):  # ISC's escalation for clients that keep exceeding
        assert policy.delay(_rate_limited(tier), retries=0, rate_limit_retries=0, elapsed=0) == tier
    assert policy.delay(_rate_limited(1201), retries=0, rate_limit_retries=0, elapsed=0) is None


def test_every_wait_is_announced_with_its_seconds_and_reason(
    make_sandbox: Callable[..., SandboxServer], make_client: Callable[..., Client]
) -> None:
    server = make_sandbox(rate_limit=RateLimit(100, 10.0))
    server.faults.add("rate_limit", retry_after=1, operation="process")
    server.faults.add("http_503", operation="process", after=1)
    waits: list[tuple[float, str]] = []
    client = make_client(
        server, rate_limit=(1, 0.3), on_wait=lambda seconds, why: waits.append((seconds, why))
    )
    client.process_identities(server.identity_ids[:1])
    client.process_identities(server.identity_ids[1:2])
    assert {why for _, why in waits} == {"Retry-After", "backoff", "rate limit"}
    assert [seconds for seconds, why in waits if why == "Retry-After"] == [1]
    assert all(seconds > 0 for seconds, _ in waits)


def test_a_4xx_other_than_408_and_429_is_never_retried(
    sandbox: SandboxServer, make_client: Callable[..., Client], exposed: Exposure
) -> None:
    with pytest.raises(NotFoundError) as caught:
        make_client().process_identities(["f" * 32])  # not a known identity
    exposed.add(caught.value)
    assert caught.value.status == 404
    assert caught.value.detail_code
    assert _process_statuses(sandbox) == [404]


def test_the_retry_policy_of_a_call_overrides_the_clients(
    sandbox: SandboxServer, make_client: Callable[..., Client]
) -> None:
    sandbox.faults.add("http_500", times=3)
    client = make_client(retry=RetryPolicy(max_retries=0))
    assert client.process_identities(sandbox.identity_ids[:1], retry=FAST).id
    assert _process_statuses(sandbox) == [500, 500, 500, 202]


def test_a_400_from_the_server_is_a_bad_request_error_with_its_text(
    sandbox: SandboxServer, make_client: Callable[..., Client], exposed: Exposure
) -> None:
    from iscctl_client.api.identities import start_identity_processing
    from iscctl_client.models import ProcessIdentitiesRequest

    client = make_client()
    low_level = client.generated  # the generated client, on our connection and token
    reply = start_identity_processing.sync_detailed(
        client=low_level,
        body=ProcessIdentitiesRequest(identity_ids=sandbox.identity_ids[:1]),
        x_sail_point_experimental="false",
    )
    assert reply.status_code == 400
    from iscctl.errors import status_error

    error = status_error(400, reply.content.decode(), method="POST", url="u")
    exposed.add(error)
    assert isinstance(error, BadRequestError)
    assert "Experimental Header is missing or invalid." in str(error)


# -- the policy itself --------------------------------------------------------------


def _rate_limited(retry_after: float | None) -> RateLimitError:
    return RateLimitError("Too Many Requests", status=429, retry_after=retry_after)


def test_backoff_grows_exponentially_up_to_the_cap_less_jitter() -> None:
    policy = RetryPolicy(backoff_initial=0.5, backoff_max=8.0, jitter=0.25)
    rng = random.Random(7)
    for attempt, ceiling in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)]:
        wait = policy.backoff(attempt, rng)
        assert ceiling * 0.75 <= wait <= ceiling


def test_retry_after_is_waited_as_given_within_the_cap() -> None:
    wait = RetryPolicy().delay(_rate_limited(7), retries=0, rate_limit_retries=0, elapsed=0)
    assert wait == 7


def test_retries_stop_at_the_count_and_the_total_time() -> None:
    policy = RetryPolicy(max_retries=2, max_total_seconds=10)
    error = ServerError("Internal Server Error", status=500)
    assert policy.delay(error, retries=2, rate_limit_retries=0, elapsed=0) is None
    assert policy.delay(error, retries=0, rate_limit_retries=0, elapsed=9.99) is None
    # Retry-After waits are bounded by max_wait, not by the time budget of fault retries
    assert policy.delay(_rate_limited(5), retries=0, rate_limit_retries=0, elapsed=60) == 5
    assert (
        RetryPolicy(max_wait=4).delay(_rate_limited(5), retries=0, rate_limit_retries=0, elapsed=0)
        is None
    )


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_these_statuses_are_retriable(status: int) -> None:
    from iscctl.errors import status_error

    assert RetryPolicy().is_retriable(status_error(status, ""))


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_these_statuses_are_not(status: int) -> None:
    from iscctl.errors import status_error

    assert not RetryPolicy().is_retriable(status_error(status, ""))


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert parse_retry_after("3") == 3
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_a_negative_policy_value_is_refused() -> None:
    with pytest.raises(ValueError, match="max_retries must be >= 0"):
        RetryPolicy(max_retries=-1)


def test_a_429_waits_what_retry_after_says(
    sandbox: SandboxServer, make_client: Callable[..., Client], caplog: pytest.LogCaptureFixture
) -> None:
    sandbox.faults.add("rate_limit", retry_after=1)
    assert make_client().process_identities(sandbox.identity_ids[:1]).id
    waits = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retrying in")]
    assert len(waits) == 1
    assert waits[0].startswith("retrying in 1.00 s after: 429 Too Many Requests")
