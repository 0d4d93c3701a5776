"""Judging, identity by identity, whether processing finished: the state machine of `--wait`.

ISC answers `POST /identities/process` with a 202 before any work is done. What
tells that an identity was processed is the identity itself (`GET /identities`):

- **finished** when its `lastRefresh` is later than the moment its batch was sent
  (the request cannot have been acted on before it left; using the send time and
  not the 202's also covers a tenant that finishes a small batch before its 202
  reaches us);
- **error** when, refreshed after that moment, its `processingState` is `ERROR`;
- an identity that reads `ERROR` but was not refreshed since may still hold the
  error of an earlier run (the usual case for `--retry-failed`): it counts as an
  error only once the search document's `processingDetails.date` is later than
  the send time, else it stays **pending**;
- **missing** when the tenant no longer lists it (deleted after the 202);
- **pending** otherwise.

The moments compared are this machine's clock (the journal's `at`) and the
tenant's (`lastRefresh`): a clock that runs ahead of the tenant's by more than
a processing time makes identities look unfinished (reported as pending at the
timeout, never as done).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Literal

from attrs import define, field

State = Literal["pending", "finished", "error", "missing"]
TERMINAL: frozenset[State] = frozenset({"finished", "error", "missing"})
ERROR_STATE = "ERROR"


@define
class ProcessingDetails:
    """The search document's `processingDetails` of an identity in error."""

    stage: str | None = None
    message: str | None = None
    retry_count: int | None = None
    date: datetime | None = None


@define
class Reading:
    """What the identities list says about one identity."""

    id: str
    last_refresh: datetime | None
    processing_state: str | None


@define(slots=True)
class Watched:
    """One identity being waited for."""

    batch: int
    since: datetime
    state: State = "pending"
    last_refresh: datetime | None = None
    processing_state: str | None = None
    details: ProcessingDetails | None = None
    error_unconfirmed: bool = False
    """Reads ERROR but was not refreshed since its batch left: the error may be an old one."""


@define
class Expectation:
    """An identity of an accepted batch: the batch number and when it was sent."""

    id: str
    batch: int
    since: datetime


@define
class WatchList:
    """Every identity of the run and its state, in the order the batches were sent."""

    identities: dict[str, Watched] = field(factory=dict)
    counts: dict[State, int] = field(factory=lambda: dict.fromkeys(_STATES, 0))
    batch_pending: dict[int, int] = field(factory=dict)
    """Pending identities per batch, so a settled batch is known without a scan."""
    sweeps: int = 0
    """Times the chunks went round every pending id."""
    _order: list[str] = field(factory=list)
    _cursor: int = 0

    @classmethod
    def of(cls, expectations: Iterable[Expectation]) -> WatchList:
        """Identities sent more than once (a resumed run) are judged against their last send."""
        watch = cls()
        for expected in expectations:
            known = watch.identities.get(expected.id)
            if known is None:
                watch.identities[expected.id] = Watched(expected.batch, expected.since)
                watch.counts["pending"] += 1
                watch._order.append(expected.id)
            elif expected.since > known.since:
                known.batch, known.since = expected.batch, expected.since
        for watched in watch.identities.values():
            watch.batch_pending[watched.batch] = watch.batch_pending.get(watched.batch, 0) + 1
        return watch

    def __len__(self) -> int:
        return len(self.identities)

    @property
    def pending(self) -> int:
        return self.counts["pending"]

    @property
    def settled(self) -> bool:
        """Every identity is finished, in error or missing."""
        return self.counts["pending"] == 0

    def observe(self, reading: Reading) -> State:
        """Take in what the identities list says about one identity; returns its state."""
        watched = self.identities.get(reading.id)
        if watched is None:
            return "missing"  # not one of ours (a tenant ignoring the id filter)
        if watched.state in TERMINAL and watched.state != "missing":
            return watched.state
        watched.last_refresh = reading.last_refresh
        watched.processing_state = reading.processing_state
        failed = (reading.processing_state or "").upper() == ERROR_STATE
        refreshed = reading.last_refresh is not None and reading.last_refresh > watched.since
        if refreshed:
            watched.error_unconfirmed = False
            self._move(watched, "error" if failed else "finished")
        else:
            watched.error_unconfirmed = failed
            if failed:
                watched.details = None  # read again: the error may be new by now
            self._move(watched, "pending")
        return watched.state

    def absent(self, identity: str) -> None:
        """The list was asked for this identity and did not return it."""
        watched = self.identities.get(identity)
        if watched is not None and watched.state == "pending":
            self._move(watched, "missing")

    def explain(self, identity: str, details: ProcessingDetails | None) -> State:
        """Take in the search document's processing details of an identity read as ERROR."""
        watched = self.identities.get(identity)
        if watched is None:
            return "missing"
        watched.details = details
        newer = details is not None and details.date is not None and details.date > watched.since
        if watched.state == "pending" and watched.error_unconfirmed and newer:
            watched.error_unconfirmed = False
            self._move(watched, "error")
        return watched.state

    def needs_details(self) -> list[str]:
        """Ids read as ERROR whose processing details have not been fetched yet."""
        return [
            identity
            for identity, watched in self.identities.items()
            if watched.details is None and (watched.state == "error" or watched.error_unconfirmed)
        ]

    def pending_ids(self) -> Iterator[str]:
        """The pending ids, oldest batch first."""
        for identity, watched in self.identities.items():
            if watched.state == "pending":
                yield identity

    def in_state(self, state: State) -> Iterator[tuple[str, Watched]]:
        for identity, watched in self.identities.items():
            if watched.state == state:
                yield identity, watched

    def batch_settled(self, batch: int) -> bool:
        return self.batch_pending.get(batch, 0) == 0

    def next_chunk(self, size: int, *, wrap: bool = True) -> list[str]:
        """Up to `size` pending ids, continuing where the previous chunk stopped: successive
        calls visit every pending id in turn, oldest batch first. `wrap=False` stops at the
        end of one sweep (an empty list from then on)."""
        chunk: list[str] = []
        total = len(self._order)
        while len(chunk) < size and self._cursor < total:
            identity = self._order[self._cursor]
            self._cursor += 1
            if self.identities[identity].state == "pending":
                chunk.append(identity)
            if self._cursor == total and wrap:
                self.sweeps += 1
                self._cursor = 0
                if chunk or not self.pending:
                    break  # a chunk never holds an id twice
        return chunk

    def _move(self, watched: Watched, state: State) -> None:
        if watched.state != state:
            if watched.state == "pending":
                self.batch_pending[watched.batch] -= 1
            elif state == "pending":
                self.batch_pending[watched.batch] += 1
            self.counts[watched.state] -= 1
            self.counts[state] += 1
            watched.state = state


_STATES: tuple[State, ...] = ("pending", "finished", "error", "missing")
