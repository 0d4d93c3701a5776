"""Who the seeded identities are: names, attributes, lifecycle state, manager, profile.

Everything is derived from the identity's position and the seed, so the same
seed gives the same people in every run. Records are built on first use, not
at start-up: a sandbox that only processes ids never pays for them. Values
that processing changes (`processingState`, `lastRefresh`, ...) live in
`tasks.py`; this module holds what stays put.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Final

from attrs import define

from iscctl.sandbox.population import Population, Source

FIRST_NAMES: Final = (
    "Ada", "Alan", "Amara", "Ben", "Carla", "Chen", "Dana", "Diego", "Elena", "Emil",
    "Fatima", "Felix", "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jonas", "Julia", "Kai",
    "Lars", "Leila", "Maya", "Mateo", "Nadia", "Noah", "Olga", "Omar", "Priya", "Quinn",
    "Rosa", "Sam", "Sofia", "Tariq", "Uma", "Vera", "Wei", "Yara", "Yusuf", "Zoe",
)  # fmt: skip
LAST_NAMES: Final = (
    "Abbott", "Berg", "Costa", "Dahl", "Evans", "Fischer", "Garcia", "Haddad", "Ito",
    "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Patel", "Quist",
    "Rossi", "Schmidt", "Tanaka", "Usman", "Varga", "Weber", "Xu", "Yilmaz", "Zhang",
)  # fmt: skip
DEPARTMENTS: Final = (
    "Engineering", "Sales", "Finance", "Human Resources", "Marketing", "Operations",
    "Legal", "Support",
)  # fmt: skip
LOCATIONS: Final = ("Austin", "Berlin", "London", "Pune", "Singapore", "Toronto")
# Lifecycle states by share of the population (out of 100), with their identity status.
LIFECYCLE_STATES: Final = (("active", 85, "ACTIVE"), ("inactive", 10, "DISABLED"))
TERMINATED: Final = ("terminated", "TERMINATED")
# Identity profiles the seeded identities belong to, and their authoritative sources.
SEEDED_PROFILES: Final = (("Employees", "HR Workday"), ("Contractors", "Contractors CSV"))
CONTRACTOR_SHARE: Final = 15  # out of 100
MANAGER_SPAN: Final = 10  # every 10th identity manages the next nine
# Seeded timestamps lie before this moment, so any processing done now is later.
EPOCH: Final = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def iso(moment: datetime) -> str:
    """ISC's date-time form: UTC, milliseconds, `Z`."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _hash(seed: int, *parts: object) -> int:
    text = ":".join(str(part) for part in (seed, *parts))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


@define(frozen=True)
class SeededProfile:
    id: str
    name: str
    source: Source


@define(frozen=True, slots=True)
class IdentityRecord:
    """The unchanging part of one identity (see `documents.py` for its JSON shapes)."""

    index: int
    id: str
    name: str
    alias: str
    first_name: str
    last_name: str
    display_name: str
    email: str
    employee_number: str
    department: str
    location: str
    lifecycle_state: str
    identity_status: str
    manager_index: int | None
    is_manager: bool
    profile: SeededProfile
    created: str
    modified: str
    last_refresh: str


class Directory:
    """The seeded identities as records, by position and by id, built once on first use."""

    def __init__(
        self,
        population: Population,
        seed: int,
        profile_ids: Mapping[str, str] | None = None,
        names: Mapping[str, str] | None = None,
    ) -> None:
        self._population = population
        self._seed = seed
        # A named tenant's profile ids (#16: catalog.py), so an identity's profile is
        # the one GET /identity-profiles serves.
        self._profile_ids = dict(profile_ids or {})
        # Identity id -> "First Last" for identities with a fixed name: a named
        # tenant's admins (#16), who own profiles and sources.
        self._names = dict(names or {})
        self._lock = threading.Lock()
        self._records: tuple[IdentityRecord, ...] | None = None
        self._by_id: dict[str, IdentityRecord] = {}
        self.profiles = self._seeded_profiles()

    def _seeded_profiles(self) -> tuple[SeededProfile, ...]:
        sources = {source.name: source for source in self._population.sources}
        return tuple(
            SeededProfile(
                id=self._profile_ids.get(name)
                or f"{_hash(self._seed, 'profile', name):016x}{_hash(self._seed, name):016x}",
                name=name,
                source=sources[source_name],
            )
            for name, source_name in SEEDED_PROFILES
        )

    @property
    def records(self) -> tuple[IdentityRecord, ...]:
        with self._lock:
            if self._records is None:
                ids = self._population.identity_ids
                self._records = tuple(self._record(i, id_, len(ids)) for i, id_ in enumerate(ids))
                self._by_id = {record.id: record for record in self._records}
            return self._records

    def get(self, identity_id: str) -> IdentityRecord | None:
        if self._records is None:
            self.records  # noqa: B018  (builds the index)
        return self._by_id.get(identity_id)

    def manager_of(self, record: IdentityRecord) -> IdentityRecord | None:
        return None if record.manager_index is None else self.records[record.manager_index]

    def _record(self, index: int, id_: str, size: int) -> IdentityRecord:
        seed = self._seed
        first = FIRST_NAMES[_hash(seed, "first", index) % len(FIRST_NAMES)]
        last = LAST_NAMES[_hash(seed, "last", index) % len(LAST_NAMES)]
        if id_ in self._names:
            first, _, last = self._names[id_].partition(" ")
        alias = f"{first}.{last}{index}".lower()
        roll = _hash(seed, "lifecycle", index) % 100
        state, status = TERMINATED
        threshold = 0
        for name, share, identity_status in LIFECYCLE_STATES:
            threshold += share
            if roll < threshold:
                state, status = name, identity_status
                break
        contractor = _hash(seed, "profile", index) % 100 < CONTRACTOR_SHARE
        head = index - index % MANAGER_SPAN
        created = EPOCH - timedelta(days=400) + timedelta(minutes=index)
        refreshed = EPOCH - timedelta(hours=1 + _hash(seed, "refresh", index) % 720)
        return IdentityRecord(
            index=index,
            id=id_,
            name=f"{first} {last}",
            alias=alias,
            first_name=first,
            last_name=last,
            display_name=f"{first} {last}",
            email=f"{alias}@example.com",
            employee_number=f"E{100000 + index}",
            department=DEPARTMENTS[_hash(seed, "department", index) % len(DEPARTMENTS)],
            location=LOCATIONS[_hash(seed, "location", index) % len(LOCATIONS)],
            lifecycle_state=state,
            identity_status=status,
            manager_index=None if head == index else head,
            is_manager=head == index and index + 1 < size,
            profile=self.profiles[1 if contractor else 0],
            created=iso(created),
            modified=iso(refreshed),
            last_refresh=iso(refreshed),
        )
