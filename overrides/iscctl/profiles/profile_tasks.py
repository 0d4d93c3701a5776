"""A task the tenant started for one profile, or why it did not: the per-profile calls
of a move.

A restore deletes profiles (``DELETE /identity-profiles/{id}``) and ``--process-after``
processes a profile's identities (``POST /identity-profiles/{id}/process-identities``).
Both answer 202 with a reference to the task doing the work, before it is done, and a
move keeps one answer per profile: the task's id, or the refusal as the tenant worded
it. The answers have one shape and are read one way, here, so that the two calls are
reported alike and a change to how a task id is read happens once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProfileTask:
    """The tenant's answer to one per-profile call: the task it started, or why not."""

    name: str
    profile_id: str
    task_id: str | None = None
    error: str | None = None


def task_started(name: str, profile_id: str, reply: object) -> ProfileTask:
    """The answer to a 202: the task id the reply names. The two replies are different
    generated models (``TaskResultSimplified``, ``TaskResultResponse``) that both may
    leave ``id`` unset; a 202 without a readable id still started the work, so it is
    kept as started with no task id rather than turned into an error."""
    task_id = getattr(reply, "id", None)
    return ProfileTask(name, profile_id, task_id if isinstance(task_id, str) else None)
