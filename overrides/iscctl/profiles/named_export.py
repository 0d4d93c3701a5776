"""``identity-profiles export``: the tenant's exported profiles, all or those named.

A job of its own beside a move: it only reads the source tenant (through
``iscctl.profiles.tenant``) and hands the objects, in the order
``iscctl.profiles.exporting`` writes them, to whoever saves or moves them. A name the
tenant does not have is an error, not an empty export, so that a typo in ``--name``
does not produce a file that silently lacks the profile.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from iscctl.errors import ISCError
from iscctl.profiles import exporting
from iscctl.profiles.tenant import export_profiles, export_profiles_sync

if TYPE_CHECKING:
    from iscctl.client import AsyncClient, Client


class UnknownProfileError(ISCError):
    """``export --name`` of a profile the tenant does not have."""


async def export_named(
    isc: AsyncClient, names: Sequence[str] = (), filters: str | None = None
) -> list[dict[str, Any]]:
    """The tenant's exported profiles (all, or those named; ``filters`` as ISC takes them)."""
    if not names:
        return exporting.sorted_objects(await export_profiles(isc, filters))
    found: list[dict[str, Any]] = []
    for name in names:
        page = await export_profiles(isc, exporting.combined(filters, name))
        if not page:
            raise UnknownProfileError(f"no identity profile named {name!r} in the tenant")
        found.extend(page)
    return exporting.sorted_objects(found)


def export_named_sync(
    isc: Client, names: Sequence[str] = (), filters: str | None = None
) -> list[dict[str, Any]]:
    """The same as :func:`export_named` with a ``Client``."""
    if not names:
        return exporting.sorted_objects(export_profiles_sync(isc, filters))
    found: list[dict[str, Any]] = []
    for name in names:
        page = export_profiles_sync(isc, exporting.combined(filters, name))
        if not page:
            raise UnknownProfileError(f"no identity profile named {name!r} in the tenant")
        found.extend(page)
    return exporting.sorted_objects(found)
