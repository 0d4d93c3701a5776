"""Reading a tenant for a move: exported profiles, the profiles list, sources, transforms.

Every call goes through the generated endpoint functions on the client's ``api``
(auth, retries, pacing, logging come with it) and ``iscctl.unwrap`` (an error status
becomes the ``iscctl.errors`` exception). Lists are paged at ISC's maximum page size
(250); a page shorter than that is the last (no cursor or total is promised).
Every page is read once, from the reply's bytes (``json.loads``), never through the
generated models: profiles are kept as the JSON the tenant sent (byte-faithful: what
the tenant holds is what a backup restores and a plan compares), and of sources,
transforms and identities only the ids and names are used. A 250-profile export page
is over a megabyte; building its attrs models as well cost three times the call.
An error status still raises through ``iscctl.unwrap``, with the generated error model.

Sync (``Client``) and async (``AsyncClient``) flavours share everything but the calls.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from iscctl_client.types import UNSET

import iscctl
from iscctl.errors import ReplyValidationError
from iscctl.profiles.catalog import Catalog, Reference
from iscctl.profiles.collector import collector_paused
from iscctl.transport import REQUEST_HEADER

if TYPE_CHECKING:
    from iscctl_client.types import Response

    from iscctl.client import AsyncClient, Client

PAGE_SIZE = 250
"""ISC's maximum ``limit`` on every list used here."""

T = TypeVar("T")


def _json_page(reply: Response[Any]) -> list[Any]:
    """The page as the tenant sent it. An error status raises the ``iscctl.errors``
    exception ``unwrap`` gives it; a 2xx that is not a JSON array raises
    ``ReplyValidationError`` (an empty page would end the paging as if all was read)."""
    if 200 <= int(reply.status_code) < 300:
        try:
            with collector_paused():  # a page of 250 profiles is ~100,000 objects
                data = json.loads(reply.content)
        except ValueError:
            data = None
        if isinstance(data, list):
            return data
    iscctl.unwrap(reply)  # raises for an error status (and for most unreadable 2xx)
    method, _, url = reply.headers.get(REQUEST_HEADER, "").partition(" ")
    raise ReplyValidationError(
        f"{int(reply.status_code)} reply is not a JSON array: {reply.content[:120]!r}",
        method=method,
        url=url,
        body=reply.content.decode("utf-8", "replace"),
    )


def _references(items: list[Any]) -> list[Reference]:
    """The id and name of each item of a list page (sources, transforms, identities)."""
    found = []
    for item in items:
        if isinstance(item, dict):
            item_id, name = item.get("id"), item.get("name")
            if isinstance(item_id, str) and isinstance(name, str):
                found.append(Reference(item_id, name))
    return found


# -- synchronous ---------------------------------------------------------------------------
def _pages_sync(fetch: Callable[[int], list[T]]) -> list[T]:
    everything: list[T] = []
    offset = 0
    while True:
        page = fetch(offset)
        everything.extend(page)
        if len(page) < PAGE_SIZE:
            return everything
        offset += PAGE_SIZE


def export_profiles_sync(isc: Client, filters: str | None = None) -> list[dict[str, Any]]:
    """Every exported profile of the tenant (``filters`` as ISC takes them), in its JSON."""
    from iscctl_client.api.identity_profiles import export_identity_profiles

    def page(offset: int) -> list[Any]:
        reply = export_identity_profiles.sync_detailed(
            client=isc.api, limit=PAGE_SIZE, offset=offset, filters=filters or UNSET, sorters="name"
        )
        return _json_page(reply)

    return _pages_sync(page)


def read_profiles_sync(isc: Client) -> list[dict[str, Any]]:
    """Every profile of the tenant as ``GET /identity-profiles`` lists it (the read-back
    after an import: only the profiles list, none of the catalog's other reads)."""
    from iscctl_client.api.identity_profiles import list_identity_profiles

    def profiles(offset: int) -> list[Any]:
        return _json_page(
            list_identity_profiles.sync_detailed(client=isc.api, limit=PAGE_SIZE, offset=offset)
        )

    return _pages_sync(profiles)


def read_catalog_sync(isc: Client, *, with_identities: bool = False) -> Catalog:
    """The target's sources, transforms and profiles (and identities, if owners are moved)."""
    from iscctl_client.api.identity_profiles import list_identity_profiles
    from iscctl_client.api.sources import list_sources
    from iscctl_client.api.transforms import list_transforms

    def sources(offset: int) -> list[Reference]:
        return _references(
            _json_page(list_sources.sync_detailed(client=isc.api, limit=PAGE_SIZE, offset=offset))
        )

    def transforms(offset: int) -> list[Reference]:
        return _references(
            _json_page(
                list_transforms.sync_detailed(client=isc.api, limit=PAGE_SIZE, offset=offset)
            )
        )

    def profiles(offset: int) -> list[Any]:
        return _json_page(
            list_identity_profiles.sync_detailed(client=isc.api, limit=PAGE_SIZE, offset=offset)
        )

    catalog = Catalog(_pages_sync(sources), _pages_sync(transforms), [], _pages_sync(profiles))
    if with_identities:
        catalog.identities = read_identities_sync(isc)
    return catalog


def read_identities_sync(isc: Client) -> list[Reference]:
    """Every identity of ``GET /identities`` (user tokens only, per the definitions): what
    the owner lookup reads where it cannot search."""
    from iscctl_client.api.identities import list_identities

    def identities(offset: int) -> list[Reference]:
        return _references(
            _json_page(
                list_identities.sync_detailed(client=isc.api, limit=PAGE_SIZE, offset=offset)
            )
        )

    return _pages_sync(identities)


# -- asynchronous --------------------------------------------------------------------------
async def _pages(fetch: Callable[[int], Awaitable[list[T]]]) -> list[T]:
    everything: list[T] = []
    offset = 0
    while True:
        page = await fetch(offset)
        everything.extend(page)
        if len(page) < PAGE_SIZE:
            return everything
        offset += PAGE_SIZE


async def export_profiles(isc: AsyncClient, filters: str | None = None) -> list[dict[str, Any]]:
    """The same as :func:`export_profiles_sync` with an ``AsyncClient``."""
    from iscctl_client.api.identity_profiles import export_identity_profiles

    async def page(offset: int) -> list[Any]:
        reply = await export_identity_profiles.asyncio_detailed(
            client=isc.api, limit=PAGE_SIZE, offset=offset, filters=filters or UNSET, sorters="name"
        )
        return _json_page(reply)

    return await _pages(page)


async def read_profiles(isc: AsyncClient) -> list[dict[str, Any]]:
    """The same as :func:`read_profiles_sync` with an ``AsyncClient``."""
    from iscctl_client.api.identity_profiles import list_identity_profiles

    async def profiles(offset: int) -> list[Any]:
        return _json_page(
            await list_identity_profiles.asyncio_detailed(
                client=isc.api, limit=PAGE_SIZE, offset=offset
            )
        )

    return await _pages(profiles)


async def read_catalog(isc: AsyncClient, *, with_identities: bool = False) -> Catalog:
    """The same as :func:`read_catalog_sync` with an ``AsyncClient``."""
    from iscctl_client.api.identity_profiles import list_identity_profiles
    from iscctl_client.api.sources import list_sources
    from iscctl_client.api.transforms import list_transforms

    async def sources(offset: int) -> list[Reference]:
        reply = await list_sources.asyncio_detailed(client=isc.api, limit=PAGE_SIZE, offset=offset)
        return _references(_json_page(reply))

    async def transforms(offset: int) -> list[Reference]:
        reply = await list_transforms.asyncio_detailed(
            client=isc.api, limit=PAGE_SIZE, offset=offset
        )
        return _references(_json_page(reply))

    async def profiles(offset: int) -> list[Any]:
        return _json_page(
            await list_identity_profiles.asyncio_detailed(
                client=isc.api, limit=PAGE_SIZE, offset=offset
            )
        )

    catalog = Catalog(await _pages(sources), await _pages(transforms), [], await _pages(profiles))
    if with_identities:
        catalog.identities = await read_identities(isc)
    return catalog


async def read_identities(isc: AsyncClient) -> list[Reference]:
    """The same as :func:`read_identities_sync` with an ``AsyncClient``."""
    from iscctl_client.api.identities import list_identities

    async def identities(offset: int) -> list[Reference]:
        reply = await list_identities.asyncio_detailed(
            client=isc.api, limit=PAGE_SIZE, offset=offset
        )
        return _references(_json_page(reply))

    return await _pages(identities)


async def process_profile_identities(isc: AsyncClient, profile_id: str) -> Any:
    """``POST /identity-profiles/{id}/process-identities``: the tenant's 202 reply model."""
    from iscctl_client.api.identity_profiles import sync_identity_profile

    reply = await sync_identity_profile.asyncio_detailed(profile_id, client=isc.api)
    return iscctl.unwrap(reply)


def process_profile_identities_sync(isc: Client, profile_id: str) -> Any:
    from iscctl_client.api.identity_profiles import sync_identity_profile

    return iscctl.unwrap(sync_identity_profile.sync_detailed(profile_id, client=isc.api))
