"""What the tenant has done, kept for inspection by tests, the demo and users.

Written by the server thread, read by test threads: every access holds a lock
and readers get copies, never live containers.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from typing import Any, NamedTuple

from attrs import asdict, define


def _copy(document: Any) -> Any:
    """A deep copy of JSON data; C-speed, and one recursion level per nesting level."""
    return json.loads(json.dumps(document))


class AcceptedBatch(NamedTuple):
    """A process call answered 202: its task id and the ids it carried."""

    task_id: str
    identity_ids: tuple[str, ...]


@define(frozen=True)
class RequestRecord:
    """One request to an ISC path. `status` is None when the connection was dropped."""

    method: str
    path: str
    status: int | None
    client_id: str | None
    version: str | None
    operation: str | None
    fault: str | None = None

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        record["clientId"] = record.pop("client_id")  # camelCase, like the rest of the JSON
        return record


class SandboxState:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process_counts: Counter[str] = Counter()
        self._batches: list[AcceptedBatch] = []
        self._requests: list[RequestRecord] = []
        self._profiles: dict[str, dict[str, Any]] = {}
        self._tokens_issued = 0

    # -- written by the server -------------------------------------------------
    def record_batch(self, task_id: str, identity_ids: list[str]) -> None:
        with self._lock:
            self._batches.append(AcceptedBatch(task_id, tuple(identity_ids)))
            self._process_counts.update(identity_ids)

    def record_request(self, record: RequestRecord) -> None:
        with self._lock:
            self._requests.append(record)

    def record_token(self) -> None:
        with self._lock:
            self._tokens_issued += 1

    def stored_profile(self, name: str) -> dict[str, Any] | None:
        with self._lock:
            profile = self._profiles.get(name)
            return _copy(profile) if profile is not None else None

    def store_profile(self, name: str, profile: dict[str, Any]) -> None:
        with self._lock:
            self._profiles[name] = _copy(profile)

    def remove_profile(self, name: str) -> bool:
        """Delete a stored profile; False when there was none of that name."""
        with self._lock:
            return self._profiles.pop(name, None) is not None

    def clear(self) -> None:
        with self._lock:
            self._process_counts.clear()
            self._batches.clear()
            self._requests.clear()
            self._profiles.clear()
            self._tokens_issued = 0

    # -- read by anyone ---------------------------------------------------------
    @property
    def process_counts(self) -> dict[str, int]:
        """Identity id -> how many 202'd batches carried it."""
        with self._lock:
            return dict(self._process_counts)

    @property
    def accepted_batches(self) -> list[AcceptedBatch]:
        with self._lock:
            return list(self._batches)

    @property
    def requests(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._requests)

    @property
    def profiles(self) -> dict[str, dict[str, Any]]:
        """Profile name -> the stored IdentityProfile JSON."""
        with self._lock:
            profiles: dict[str, dict[str, Any]] = _copy(self._profiles)
            return profiles

    def profile_snapshot(self) -> list[dict[str, Any]]:
        """The stored profiles themselves, in storing order, without copying them.

        For the list endpoints, whose cost must follow the page, not the store:
        `store_profile` replaces a profile and never changes one in place, so
        what this returns stays as it was. Callers must not change it either.
        """
        with self._lock:
            return list(self._profiles.values())

    @property
    def tokens_issued(self) -> int:
        with self._lock:
            return self._tokens_issued

    def summary(self) -> dict[str, Any]:
        with self._lock:
            by_status = Counter(
                "dropped" if r.status is None else str(r.status) for r in self._requests
            )
            return {
                "requests": len(self._requests),
                "requestsByStatus": dict(sorted(by_status.items())),
                "acceptedBatches": len(self._batches),
                "processedIdentities": len(self._process_counts),
                "identitiesProcessed": sum(self._process_counts.values()),
                "profiles": len(self._profiles),
                "tokensIssued": self._tokens_issued,
            }
