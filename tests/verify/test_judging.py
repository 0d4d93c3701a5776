"""The per-identity judgement of `--wait`, without any HTTP: when is an identity done?"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from iscctl.processing.verification import Expectation, ProcessingDetails, Reading, WatchList

SENT = datetime(2026, 12, 1, 14, 0, 0, tzinfo=UTC)
LATER = SENT + timedelta(seconds=3)
EARLIER = SENT - timedelta(days=1)


def watch_of(*ids: str, batch: int = 1) -> WatchList:
    return WatchList.of(Expectation(identity, batch, SENT) for identity in ids)


def test_an_identity_refreshed_after_its_batch_left_is_finished() -> None:
    watch = watch_of("a")
    assert watch.observe(Reading("a", LATER, "OK")) == "finished"
    assert watch.settled


def test_an_identity_refreshed_before_its_batch_left_is_still_pending() -> None:
    watch = watch_of("a")
    assert watch.observe(Reading("a", EARLIER, "OK")) == "pending"
    assert watch.observe(Reading("a", SENT, None)) == "pending"  # not *later*
    assert watch.observe(Reading("a", None, None)) == "pending"
    assert not watch.settled


def test_refreshed_in_error_state_is_an_error_that_needs_its_details() -> None:
    watch = watch_of("a", "b")
    assert watch.observe(Reading("a", LATER, "ERROR")) == "error"
    assert watch.needs_details() == ["a"]
    watch.explain("a", ProcessingDetails(stage="ATTRIBUTE_CALCULATION", message="boom"))
    assert watch.needs_details() == []
    assert watch.counts == {"pending": 1, "finished": 0, "error": 1, "missing": 0}


def test_an_old_error_is_not_taken_for_a_new_one() -> None:
    """--retry-failed: the identity reads ERROR from the earlier run until it is refreshed."""
    watch = watch_of("a")
    assert watch.observe(Reading("a", EARLIER, "ERROR")) == "pending"
    assert watch.needs_details() == ["a"]
    assert watch.explain("a", ProcessingDetails(message="old", date=EARLIER)) == "pending"
    assert watch.needs_details() == []
    assert watch.observe(Reading("a", LATER, "OK")) == "finished"


def test_an_error_dated_after_the_send_counts_even_without_a_new_last_refresh() -> None:
    watch = watch_of("a")
    watch.observe(Reading("a", EARLIER, "ERROR"))
    assert watch.explain("a", ProcessingDetails(message="new", date=LATER)) == "error"


def test_an_identity_the_list_no_longer_returns_is_missing_not_pending() -> None:
    watch = watch_of("a", "b")
    watch.absent("a")
    assert watch.counts["missing"] == 1
    watch.observe(Reading("b", LATER, "OK"))
    assert watch.settled


def test_a_resent_identity_is_judged_against_its_last_send() -> None:
    watch = WatchList.of(
        [Expectation("a", 1, EARLIER), Expectation("a", 7, SENT), Expectation("b", 2, SENT)]
    )
    assert len(watch) == 2
    assert watch.observe(Reading("a", EARLIER + timedelta(seconds=1), "OK")) == "pending"
    assert watch.identities["a"].batch == 7


def test_settled_batches_are_known_without_scanning() -> None:
    watch = WatchList.of(
        [Expectation("a", 1, SENT), Expectation("b", 1, SENT), Expectation("c", 2, SENT)]
    )
    watch.observe(Reading("a", LATER, "OK"))
    assert not watch.batch_settled(1)
    watch.observe(Reading("b", LATER, "ERROR"))
    assert watch.batch_settled(1)
    assert not watch.batch_settled(2)


def test_chunks_visit_every_pending_id_in_turn_oldest_first() -> None:
    watch = watch_of(*"abcdefg")
    assert watch.next_chunk(3) == ["a", "b", "c"]
    watch.observe(Reading("e", LATER, "OK"))
    assert watch.next_chunk(3) == ["d", "f", "g"]
    assert watch.next_chunk(3) == ["a", "b", "c"]
    for identity in "abcdfg":
        watch.observe(Reading(identity, LATER, "OK"))
    assert watch.next_chunk(3) == []
