"""Identity processing over time: tasks that queue, run and complete, and what they leave.

A 202'd process call starts a task. It waits `processing_delay` seconds
(queued), then works through its identities one by one, `processing_time`
seconds each (in progress), and completes when the last is done. Nothing
runs in the background: every read computes the state at the moment it is
asked for, from the task's start time and the clock, so the sandbox costs
nothing while nobody looks and a test sees the same sequence at any load.

An identity chosen to fail (listed, or in the configured share, picked by a
hash of the seed and its id) ends its run in `ERROR` with processing details;
its `lastRefresh` then stays where it was, as ISC's does when a refresh fails.
It fails `processing_failures` runs (default 1, None = every run), so a retry
of the failed identities succeeds unless told otherwise. A successful run
sets `processingState` `OK` and moves `lastRefresh` to the moment it finished.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Final

from attrs import define

from iscctl.sandbox.directory import iso
from iscctl.sandbox.settings import SandboxSettings

TASK_NAME: Final = "Cloud Identity Refresh"
ERROR_STAGE: Final = "Attribute Promotion"
ERROR_MESSAGE: Final = (
    "Failed to promote identity attribute 'department': the transform 'Department Lookup' "
    "found no value for the account"
)
STACK_TRACE: Final = (
    "sailpoint.sandbox.AttributePromotionException: " + ERROR_MESSAGE + "\n"
    "\tat sailpoint.sandbox.IdentityRefresh.promote(IdentityRefresh.java:211)\n"
    "\tat sailpoint.sandbox.IdentityRefresh.run(IdentityRefresh.java:87)\n"
)


def iso_at(seconds: float) -> str:
    return iso(datetime.fromtimestamp(seconds, UTC))


def normal_task_id(task_id: str) -> str:
    """ISC shows task ids both dashed (the 202's UUID) and as 32 hex: accept either."""
    return task_id.replace("-", "").lower()


@define(frozen=True)
class Task:
    """A process call's task. `errors` maps each identity that fails in it to its retryCount."""

    id: str
    client_id: str
    identity_ids: tuple[str, ...]
    created: float
    start: float
    end: float
    step: float
    errors: dict[str, int]

    def finish(self, position: int) -> float:
        """When the identity at `position` (1-based) is done."""
        return self.start + position * self.step


@define(frozen=True)
class Outcome:
    """What processing has made of one identity by now (None fields: nothing yet)."""

    processing_state: str | None
    last_refresh: str | None
    modified: str | None
    details: dict[str, Any] | None


class ProcessingBook:
    """Every task started and every identity's runs; thread-safe, readers get values."""

    def __init__(self, settings: SandboxSettings, clock: Callable[[], float] = time.time) -> None:
        self._settings = settings
        self._clock = clock
        self._lock = threading.Lock()
        self._tasks: dict[str, Task] = {}
        # identity id -> (task, 1-based position in it), in the order tasks started
        self._runs: dict[str, list[tuple[Task, int]]] = {}
        self._error_ids: set[str] = set(settings.processing_error_ids)
        self._failed_runs: Counter[str] = Counter()  # runs that ended (will end) in ERROR
        self._streaks: dict[str, int] = {}  # failed runs in a row, for retryCount

    # -- steering ------------------------------------------------------------------
    def fail(self, identity_ids: Iterable[str]) -> None:
        """These identities end their next runs in ERROR (see `processing_failures`)."""
        with self._lock:
            self._error_ids.update(identity_ids)

    def clear(self) -> None:
        with self._lock:
            self._tasks.clear()
            self._runs.clear()
            self._failed_runs.clear()
            self._streaks.clear()
            self._error_ids = set(self._settings.processing_error_ids)

    def now(self) -> float:
        return self._clock()

    # -- written by the process operation -----------------------------------------
    def start(self, task_id: str, client_id: str, identity_ids: Iterable[str]) -> Task:
        # Called for every 202, so the per-identity work is one dict lookup and one
        # append; only identities chosen to fail (few) get more attention.
        settings = self._settings
        ids = tuple(dict.fromkeys(identity_ids))
        created = self._clock()
        start = created + settings.processing_delay
        step = settings.processing_time
        errors: dict[str, int] = {}
        task = Task(task_id, client_id, ids, created, start, start + len(ids) * step, step, errors)
        with self._lock:
            for id_ in self._failing(ids):
                streak = self._streaks.get(id_, 0)
                allowed = settings.processing_failures
                if allowed is None or self._failed_runs[id_] < allowed:
                    errors[id_] = streak
                    self._failed_runs[id_] += 1
                    self._streaks[id_] = streak + 1
                else:
                    self._streaks[id_] = 0
            runs = self._runs
            for position, id_ in enumerate(ids, start=1):
                entry = runs.get(id_)
                if entry is None:
                    runs[id_] = [(task, position)]
                else:
                    entry.append((task, position))
            self._tasks[normal_task_id(task_id)] = task
        return task

    def _failing(self, ids: tuple[str, ...]) -> list[str]:
        if self._settings.processing_error_rate <= 0:
            listed = self._error_ids
            return [id_ for id_ in ids if id_ in listed] if listed else []
        return [id_ for id_ in ids if self._chosen_to_fail(id_)]

    def _chosen_to_fail(self, identity_id: str) -> bool:
        if identity_id in self._error_ids:
            return True
        rate = self._settings.processing_error_rate
        if rate <= 0:
            return False
        digest = hashlib.blake2b(
            f"{self._settings.seed}:error:{identity_id}".encode(), digest_size=8
        )
        return int.from_bytes(digest.digest(), "big") % 1_000_000 < rate * 1_000_000

    # -- read by the identity, search and task-status operations ------------------
    def task(self, task_id: str) -> Task | None:
        with self._lock:
            return self._tasks.get(normal_task_id(task_id))

    @property
    def tasks(self) -> list[Task]:
        with self._lock:
            return list(self._tasks.values())

    def outcome(self, identity_id: str, now: float) -> Outcome | None:
        """The identity's processing result as of `now`; None if no run has finished."""
        with self._lock:
            runs = self._runs.get(identity_id)
            if not runs:
                return None
            moments = [(task.finish(position), task) for task, position in runs]
        finished = sorted((pair for pair in moments if pair[0] <= now), key=lambda pair: pair[0])
        if not finished:
            return None
        last_finish, last = finished[-1]
        refreshed = [moment for moment, task in finished if identity_id not in task.errors]
        last_refresh = iso_at(refreshed[-1]) if refreshed else None
        if identity_id not in last.errors:
            return Outcome("OK", last_refresh, iso_at(last_finish), None)
        details = {
            "date": iso_at(last_finish),
            "stage": ERROR_STAGE,
            "retryCount": last.errors[identity_id],
            "stackTrace": STACK_TRACE,
            "message": ERROR_MESSAGE,
        }
        return Outcome("ERROR", last_refresh, iso_at(last_finish), details)

    def status(self, task: Task, now: float) -> dict[str, Any]:
        """The TaskStatus body of `task` as of `now`."""
        total = len(task.identity_ids)
        step = task.step
        if now < task.start:
            done, phase = 0, "queued"
        elif now < task.end:
            done = min(total, int((now - task.start) / step)) if step > 0 else total
            phase = "running"
        else:
            done, phase = total, "completed"
        completed = phase == "completed"
        failed = len(task.errors) if completed else 0
        if not completed:
            completion = None
        elif failed == 0:
            completion = "SUCCESS"
        else:
            completion = "ERROR" if failed == total else "WARNING"
        messages = []
        if completed:
            messages.append(
                _message("INFO", "sandbox.process.done", f"Processed {total} identities")
            )
        if failed:
            text = f"{failed} of {total} identities ended in processing state ERROR"
            messages.append(_message("WARN", "sandbox.process.errors", text))
        progress = {
            "queued": "Queued",
            "running": f"Processed {done} of {total} identities",
            "completed": "Completed",
        }[phase]
        last_change = task.created
        if phase != "queued":
            last_change = task.start + done * step if not completed else task.end
        return {
            "id": task.id,
            "type": "QUEUED_TASK",
            "uniqueName": TASK_NAME,
            "description": f"Process {total} identities",
            "parentName": None,
            "launcher": task.client_id,
            "target": None,
            "created": iso_at(task.created),
            "modified": iso_at(last_change),
            "launched": None if phase == "queued" else iso_at(task.start),
            "completed": iso_at(task.end) if completed else None,
            "completionStatus": completion,
            "messages": messages,
            "returns": [],
            "attributes": {"identityCount": total, "identitiesInError": failed},
            "progress": progress,
            "percentComplete": 100 if completed else (done * 100 // total if total else 0),
            "taskDefinitionSummary": {
                "id": "2c9180835d2e5168015d32f890ca1581",
                "uniqueName": TASK_NAME,
                "description": "Refreshes the given identities",
                "parentName": TASK_NAME,
                "executor": "sailpoint.task.IdentityRefreshExecutor",
                "arguments": {},
            },
        }


def _message(kind: str, key: str, text: str) -> dict[str, Any]:
    return {
        "type": kind,
        "localizedText": {"locale": "en-US", "message": text},
        "key": key,
        "parameters": None,
    }
