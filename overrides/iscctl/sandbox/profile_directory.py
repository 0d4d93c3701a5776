"""The tenant's identity profiles as the read endpoints see them, and what belongs to them.

The profiles themselves live in `SandboxState` (keyed by name; import writes
them there). This module adds what a profile has besides its configuration:
the identities that belong to it (the seeded identities belong to Employees
or Contractors, as `directory.py` says; an imported new profile starts
empty, as in ISC), how often
`process-identities` ran for it, and the attribute mappings the tenant is told
to drop on import (`SandboxSettings.drop_attribute_mappings`, changeable at run
time through `/__sandbox__/dropped-mappings`).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any

from iscctl.sandbox.catalog import Catalog, Named
from iscctl.sandbox.directory import Directory
from iscctl.sandbox.seeding import seeded_profiles
from iscctl.sandbox.state import SandboxState


class ProfileDirectory:
    def __init__(
        self,
        state: SandboxState,
        catalog: Catalog,
        directory: Directory,
        seed_profiles: bool,
        dropped_mappings: Iterable[str] = (),
    ) -> None:
        self._state = state
        self._catalog = catalog
        self._directory = directory
        self._seed_profiles = seed_profiles
        self._initial_dropped = frozenset(dropped_mappings)
        self._lock = threading.Lock()
        self._seeded: tuple[str, ...] = ()
        self._members: dict[str, tuple[str, ...]] | None = None  # None: not worked out yet
        self._processed: Counter[str] = Counter()
        self._identity_names: dict[str, str] | None = None
        self._dropped = self._initial_dropped

    def seed(self) -> None:
        """Store the seeded profiles (again): at start-up and after a reset."""
        with self._lock:
            self._processed.clear()
            self._dropped = self._initial_dropped
            self._members = None
            self._seeded = ()
            if not self._seed_profiles:
                return
            profiles = seeded_profiles(self._catalog)
            for profile in profiles:
                self._state.store_profile(profile["name"], profile)
            self._seeded = tuple(profile["name"] for profile in profiles)

    # -- reading ---------------------------------------------------------------------
    def profiles(self) -> list[dict[str, Any]]:
        """Every profile, in the order they were first stored, with its identityCount."""
        return self.served(self.stored())

    def stored(self) -> list[dict[str, Any]]:
        """The stored profiles themselves, in storing order, not yet served: what filters,
        sorters and paging read (none of them reads a field the server sets), so that a
        list call serves only its page."""
        return self._state.profile_snapshot()

    def served(self, profiles: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """``profiles`` as the read endpoints send them, with identityCount.

        Shallow copies of the stored profiles: the server's fields are set on the
        copy's top level only, and nested values are shared with the store, which
        never changes them in place. So a list call costs what its page costs to
        send, not a deep copy of every profile (500 profiles are about 1 MB).
        """
        members = {name: len(ids) for name, ids in self._members_of().items()}
        return [self._served(profile, members) for profile in profiles]

    @staticmethod
    def _served(profile: dict[str, Any], members: dict[str, int]) -> dict[str, Any]:
        served = dict(profile)
        served.setdefault("identityRefreshRequired", False)  # the schema's default
        served["identityCount"] = members.get(profile.get("name", ""), 0)
        return served

    def by_id(self, profile_id: str) -> dict[str, Any] | None:
        for profile in self._state.profile_snapshot():
            if profile.get("id") == profile_id:
                name = profile.get("name", "")
                return self._served(profile, {name: len(self.members(name))})
        return None

    def members(self, name: str) -> tuple[str, ...]:
        """The identities of profile `name`, in the directory's order."""
        return self._members_of().get(name, ())

    def _members_of(self) -> dict[str, tuple[str, ...]]:
        """Profile name -> identity ids; the directory's records are built on first use."""
        with self._lock:
            if self._members is None:
                by_profile: dict[str, list[str]] = {name: [] for name in self._seeded}
                if by_profile:
                    for record in self._directory.records:
                        if record.profile.name in by_profile:
                            by_profile[record.profile.name].append(record.id)
                self._members = {name: tuple(ids) for name, ids in by_profile.items()}
            return self._members

    def resolve_identity(self, id_: object, name: object) -> Named | None:
        """An owner reference: the tenant's admins, then every identity; by id, then name."""
        found = self._catalog.resolve_identity(id_, name)
        if found is not None:
            return found
        if isinstance(id_, str):
            record = self._directory.get(id_)
            if record is not None:
                return Named(record.id, record.name)
        if isinstance(name, str):
            with self._lock:
                if self._identity_names is None:  # built on the first owner not found above
                    self._identity_names = {}
                    for record in self._directory.records:
                        self._identity_names.setdefault(record.name.casefold(), record.id)
                id_by_name = self._identity_names.get(name.casefold())
            if id_by_name is not None:
                return Named(id_by_name, name)
        return None

    # -- delete ----------------------------------------------------------------------------
    def delete(self, profile: dict[str, Any]) -> str | None:
        """Delete `profile` (as `by_id` served it); why not, or None when it is gone.

        A profile that identities still belong to is refused (the sandbox's reading of
        ISC, whose definitions do not say): deleting it would orphan them.
        """
        name = profile.get("name", "")
        count = len(self.members(name))
        if count:
            return (
                f"Identity profile {profile.get('id')} ({name}) still has {count}"
                " identities; move or remove them before deleting the profile"
            )
        self._state.remove_profile(name)
        return None

    # -- process-identities ------------------------------------------------------------
    def record_processing(self, profile: dict[str, Any], task_id: str) -> list[str]:
        """Process every identity of `profile`: a batch in the state, the flag cleared;
        the identity ids, for the processing task."""
        name = profile["name"]
        identity_ids = list(self.members(name))
        self._state.record_batch(task_id, identity_ids)
        with self._lock:
            self._processed[profile["id"]] += 1
        stored = self._state.stored_profile(name)
        if stored is not None and stored.get("identityRefreshRequired"):
            stored["identityRefreshRequired"] = False
            self._state.store_profile(name, stored)
        return identity_ids

    @property
    def processed(self) -> dict[str, int]:
        """Profile id -> how many process-identities calls were accepted for it."""
        with self._lock:
            return dict(self._processed)

    # -- dropped mappings ----------------------------------------------------------------
    @property
    def dropped_mappings(self) -> frozenset[str]:
        with self._lock:
            return self._dropped

    def set_dropped_mappings(self, names: Iterable[str]) -> None:
        with self._lock:
            self._dropped = frozenset(names)
