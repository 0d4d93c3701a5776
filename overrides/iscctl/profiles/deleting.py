"""Deleting identity profiles: what a restore does with the profiles an import created.

``DELETE /identity-profiles/{id}`` through the generated client (auth, retries,
pacing and logging come with the client's ``api``); it answers 202 with a reference
to the task that deletes, before the work is done. A refusal (a 400, e.g. a profile
that identities still belong to; a 404 for one already gone) is kept per profile, as
the tenant worded it, and the others still go.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import iscctl
from iscctl.errors import ISCError
from iscctl.profiles.profile_tasks import ProfileTask, task_started

if TYPE_CHECKING:
    from iscctl.client import AsyncClient, Client


@dataclass(frozen=True)
class Deletion:
    """A profile a restore will delete: it did not exist before the import being undone."""

    name: str
    profile_id: str
    identity_count: int | None
    file: str


class DeletionNotConfirmed(Exception):
    """A restore would delete profiles and was not told to (``--yes``); nothing was sent."""

    def __init__(self, deletions: list[Deletion]) -> None:
        names = ", ".join(d.name for d in deletions)
        super().__init__(
            f"restoring deletes {len(deletions)} identity profile(s) the import created"
            f" ({names}); confirm with confirm_deletions=True (--yes)"
        )
        self.deletions = deletions


Removal = ProfileTask
"""The answer to one delete (the name this module always gave it; kept for importers)."""


async def delete_profiles(isc: AsyncClient, deletions: list[Deletion]) -> list[ProfileTask]:
    """Delete each profile in turn; a refusal is recorded and the next one still goes."""
    from iscctl_client.api.identity_profiles import delete_identity_profile

    removals: list[ProfileTask] = []
    for deletion in deletions:
        try:
            reply = await delete_identity_profile.asyncio_detailed(
                deletion.profile_id, client=isc.api
            )
            removals.append(task_started(deletion.name, deletion.profile_id, iscctl.unwrap(reply)))
        except ISCError as error:
            removals.append(ProfileTask(deletion.name, deletion.profile_id, error=str(error)))
    return removals


def delete_profiles_sync(isc: Client, deletions: list[Deletion]) -> list[ProfileTask]:
    """The same as :func:`delete_profiles` with a ``Client``."""
    from iscctl_client.api.identity_profiles import delete_identity_profile

    removals: list[ProfileTask] = []
    for deletion in deletions:
        try:
            reply = delete_identity_profile.sync_detailed(deletion.profile_id, client=isc.api)
            removals.append(task_started(deletion.name, deletion.profile_id, iscctl.unwrap(reply)))
        except ISCError as error:
            removals.append(ProfileTask(deletion.name, deletion.profile_id, error=str(error)))
    return removals
