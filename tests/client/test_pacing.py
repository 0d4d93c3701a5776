"""The pacer allows exactly N starts per window, is shared, and keeps 429s away."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from iscctl.client import AsyncClient, Client
from iscctl.pacing import Pacer, Slot, shared_pacer
from iscctl.sandbox import RateLimit, SandboxServer


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_n_requests_start_at_once_and_the_next_waits_for_the_oldest_to_leave() -> None:
    clock = FakeClock()
    pacer = Pacer(100, 10.0, margin=0.0, clock=clock)
    assert [pacer.reserve()[0] for _ in range(100)] == [0.0] * 100
    assert pacer.reserve()[0] == 10.0
    clock.now += 10.0
    # the first 100 left the window; one slot was booked for now by the 101st
    assert [pacer.reserve()[0] for _ in range(99)] == [0.0] * 99
    assert pacer.reserve()[0] == 10.0


def test_the_pacer_never_runs_below_the_ceiling() -> None:
    clock = FakeClock()
    pacer = Pacer(5, 1.0, margin=0.0, clock=clock)
    starts = []
    for _ in range(50):
        clock.now += pacer.reserve()[0]  # a caller that sleeps exactly as told
        starts.append(clock.now)
    # 50 starts at 5 per second take exactly 9 seconds after the first
    assert starts[-1] - starts[0] == pytest.approx(9.0)
    for index in range(5, 50):
        assert starts[index] - starts[index - 5] >= 1.0 - 1e-9


def test_retry_after_holds_every_later_start() -> None:
    clock = FakeClock()
    pacer = Pacer(100, 10.0, margin=0.0, clock=clock)
    pacer.hold_until(3.0)
    assert pacer.reserve()[0] == 3.0


def test_a_slot_counts_from_when_its_request_really_left() -> None:
    clock = FakeClock()
    pacer = Pacer(2, 10.0, margin=0.0, clock=clock)
    _, first = pacer.reserve()
    pacer.reserve()
    clock.now += 0.5  # the first request waited for a token before leaving
    pacer.mark_sent(first)
    assert first.time == 1000.5
    # the third start must wait for the earliest actual start to leave the window
    assert pacer.reserve()[0] == 9.5


def test_a_slot_refused_with_429_is_given_back() -> None:
    clock = FakeClock()
    pacer = Pacer(2, 10.0, margin=0.0, clock=clock)
    pacer.reserve()
    _, refused = pacer.reserve()
    pacer.release(refused)
    pacer.mark_sent(refused)  # a late stamp does not take the place back
    assert pacer.reserve()[0] == 0.0
    assert pacer.reserve()[0] == 10.0


def test_each_429_widens_the_margin_up_to_a_twentieth_of_the_window() -> None:
    clock = FakeClock()
    pacer = Pacer(1, 10.0, margin=0.05, clock=clock)
    margins = []
    for _ in range(6):
        _, slot = pacer.reserve()
        pacer.release(slot)  # refused: arrivals spread wider than the margin allowed for
        margins.append(pacer.margin)
    assert margins == [0.1, 0.2, 0.4, 0.5, 0.5, 0.5]
    pacer.reserve()
    assert pacer.reserve()[0] == pytest.approx(10.5)  # the wider margin paces what follows


def test_threads_together_get_exactly_n_immediate_slots() -> None:
    clock = FakeClock()
    pacer = Pacer(40, 10.0, margin=0.0, clock=clock)
    waits: list[float] = []
    lock = threading.Lock()

    def book() -> None:
        for _ in range(10):
            wait, _ = pacer.reserve()
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=book) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert waits.count(0.0) == 40
    assert sorted(waits)[40:] == [10.0] * 40


def test_clients_with_the_same_root_id_and_version_share_one_pacer(
    make_client: Callable[..., Client],
) -> None:
    first = make_client(rate_limit=(100, 10.0))
    second = make_client(rate_limit=(100, 10.0))
    other_version = make_client(rate_limit=(100, 10.0), version="beta")
    assert first._core.pacer is second._core.pacer
    assert first._core.pacer is not other_version._core.pacer
    assert shared_pacer(first.base_url, "sandbox-client", "v2025", 100, 10.0) is first._core.pacer


def test_a_bad_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="requests >= 1 and seconds > 0"):
        Pacer(0, 10.0)


def test_pacing_at_the_servers_limit_makes_429s_the_exception(
    make_sandbox: Callable[..., SandboxServer], make_async_client: Callable[..., AsyncClient]
) -> None:
    """11 concurrent calls against 5 per 0.5 s: unpaced, most are refused at first; paced
    with headroom, none or one is. (Paced at exactly the limit: the next test. The exact
    N-per-window rule itself is proven with a fake clock above and below.)"""
    server = make_sandbox(rate_limit=RateLimit(5, 0.5))
    ids = server.identity_ids[:11]

    async def run(rate_limit: tuple[int, float] | None) -> AsyncClient:
        async with make_async_client(server, rate_limit=rate_limit) as isc:
            await asyncio.gather(*(isc.process_identities([one]) for one in ids))
            return isc

    unpaced = asyncio.run(run(None))
    server.reset()
    paced = asyncio.run(run((5, 0.75)))
    assert sorted(server.state.process_counts) == sorted(ids)
    assert unpaced.stats.rate_limited >= 6
    assert paced.stats.rate_limited <= 1


def test_paced_at_exactly_the_servers_limit_no_call_is_refused(
    make_sandbox: Callable[..., SandboxServer], make_async_client: Callable[..., AsyncClient]
) -> None:
    """The windows are counted from the answers, the latest moment the server can have
    counted a request; so however late a request reaches the server relative to when it
    left (a loaded machine, a sandbox sharing this test's GIL), the next one a window on
    reaches it a window later at least, and the pacer needs no headroom."""
    server = make_sandbox(rate_limit=RateLimit(5, 0.5))
    ids = server.identity_ids[:21]

    async def run() -> AsyncClient:
        async with make_async_client(server, rate_limit=(5, 0.5)) as isc:
            await asyncio.gather(*(isc.process_identities([one]) for one in ids))
            return isc

    paced = asyncio.run(run())
    assert sorted(server.state.process_counts) == sorted(ids)
    assert paced.stats.rate_limited == 0


@settings(max_examples=150, deadline=None)
@given(
    callers=st.integers(min_value=1, max_value=12),
    requests=st.integers(min_value=1, max_value=8),
    delays=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=0.8),  # booked time to leaving (token, connect)
            st.floats(min_value=0, max_value=0.5),  # leaving to reply
            st.booleans(),  # answered 429 (the server did not count it)
            st.floats(min_value=0, max_value=1.5),  # its Retry-After
        ),
        min_size=1,
        max_size=120,
    ),
)
def test_no_window_ever_holds_more_than_n_counted_requests(
    callers: int, requests: int, delays: list[tuple[float, float, bool, float]]
) -> None:
    """Concurrent callers book, sleep, leave late by a random amount and get replies, some
    of them 429s that hold everyone for a while; among the requests the server counted,
    any N+1 in a row span at least a window."""
    import heapq

    clock = FakeClock()
    pacer = Pacer(requests, 1.0, margin=0.0, clock=clock)
    events: list[tuple[float, int, str]] = [
        (clock.now, caller, "book") for caller in range(callers)
    ]
    heapq.heapify(events)
    pending = iter(delays)
    slots: dict[int, tuple[Slot, float, float, bool, float]] = {}
    counted: list[float] = []
    while events:
        clock.now, caller, kind = heapq.heappop(events)
        if kind == "book":
            step = next(pending, None)
            if step is None:
                continue
            wait, slot = pacer.reserve()
            slots[caller] = (slot, *step)
            heapq.heappush(events, (clock.now + wait, caller, "check"))
        elif kind == "check":  # the booked time came: go, or wait more (Pacer.wait)
            slot, late, _, _, _ = slots[caller]
            wait = pacer.recheck(slot)
            later = (
                (clock.now + wait, caller, "check") if wait else (clock.now + late, caller, "leave")
            )
            heapq.heappush(events, later)
        elif kind == "leave":
            slot, _, latency, refused, _ = slots[caller]
            pacer.mark_sent(slot)
            if not refused:
                counted.append(clock.now)
            heapq.heappush(events, (clock.now + latency, caller, "reply"))
        else:
            slot, _, _, refused, retry_after = slots[caller]
            if refused:
                pacer.release(slot)
                pacer.hold_until(retry_after)
            heapq.heappush(events, (clock.now, caller, "book"))
    counted.sort()
    for first, last in zip(counted, counted[requests:], strict=False):
        assert last - first >= 1.0 - 1e-9


def test_slots_do_not_keep_a_chain_of_old_slots_alive() -> None:
    clock = FakeClock()
    pacer = Pacer(2, 1.0, margin=0.0, clock=clock)
    for step in range(40):
        wait, slot = pacer.reserve()
        clock.now += wait
        while wait:
            wait = pacer.recheck(slot)
        clock.now += 0.3 if step % 3 else 1.5  # sometimes a pause, so no wait is needed
    for slot in pacer._slots:
        assert slot.after is None


def test_a_window_counts_from_the_answer_the_latest_the_server_can_have_counted() -> None:
    clock = FakeClock()
    pacer = Pacer(1, 10.0, margin=0.0, clock=clock)
    _, first = pacer.reserve()
    pacer.mark_sent(first)
    delay, second = pacer.reserve()
    assert delay == 10.0  # booked a window after the sending
    clock.now += 0.3  # the answer took 0.3 s: the server counted it somewhere in between
    pacer.mark_answered(first)
    clock.now += 9.7  # the booked time comes
    assert pacer.recheck(second) == pytest.approx(0.3)  # a window after the answer


def test_a_refused_slot_stays_free_when_its_answer_is_marked() -> None:
    clock = FakeClock()
    pacer = Pacer(1, 10.0, margin=0.0, clock=clock)
    _, refused = pacer.reserve()
    pacer.mark_answered(refused)
    pacer.release(refused)
    pacer.mark_answered(refused)
    assert pacer.reserve()[0] == 0.0
