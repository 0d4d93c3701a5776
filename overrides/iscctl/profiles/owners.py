"""Finding the owners a move names among the target's identities: search first, the
identities list as the fallback.

Why search: ISC's identities endpoints (``GET /identities``) declare user tokens only,
while ``POST /search`` declares both user and API-client tokens (scope
``sp:search:read``; isc-workflow-contract.md 1.5), and a move usually runs with an API
client. So one search of the ``identities`` index asks for exactly the owners the
files name (and the identities a mapping file maps to), by id and by name. Where there
is no search (beta) or the tenant refuses it (400, 403, 404), the identities list is
read instead (``iscctl.profiles.tenant.read_identities``), as before. Search is fed
asynchronously: an identity created moments ago may not be found yet; such an owner is
sent by name and reported unchecked, as one the list does not hold always was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import iscctl
from iscctl.errors import BadRequestError, NotFoundError, PermissionDeniedError
from iscctl.profiles.catalog import Reference
from iscctl.profiles.mappings import MappingRules
from iscctl.profiles.plan import ImportPlan
from iscctl.profiles.tenant import read_identities, read_identities_sync
from iscctl.versions import NO_SEARCH

if TYPE_CHECKING:
    from iscctl_client.models import Search
    from iscctl_client.types import Response

    from iscctl.api import ApiClient
    from iscctl.client import AsyncClient, Client

TERMS_PER_QUERY = 400
"""ISC answers queries that list up to roughly 800 values; each owner adds two (id, name)."""
SEARCH_LIMIT = 10000
"""ISC's largest ``limit`` on a search: one query's matches come in one page."""
REFUSALS = (BadRequestError, PermissionDeniedError, NotFoundError)
"""Search answers that mean "not here, not for you": the identities list is tried instead."""


class _NoSearch(Exception):
    """The client's API version has no search (beta): the identities list is read."""


_LIST_INSTEAD = (*REFUSALS, _NoSearch)


def wanted(plan: ImportPlan, rules: MappingRules | None = None) -> list[str]:
    """The ids and names to look for: every profile's owner, every identity a rule maps to."""
    values: dict[str, None] = {}
    for planned in plan.profiles:
        owner = planned.body.get("object", {}).get("owner")
        if isinstance(owner, dict):
            values.update(dict.fromkeys(v for v in (owner.get("id"), owner.get("name")) if v))
    for rule in rules.rules if rules is not None else ():
        if rule.kind == "identity":
            values.update(dict.fromkeys((rule.old, rule.new)))
    return [value for value in values if isinstance(value, str) and value.strip()]


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _bodies(values: Sequence[str]) -> Iterable[Search]:
    from iscctl_client.models import (
        QueryResultFilter,
        Search,
        SearchIndex,
        SearchQuery,
        SearchQueryType,
    )

    for start in range(0, len(values), TERMS_PER_QUERY // 2):
        chunk = values[start : start + TERMS_PER_QUERY // 2]
        query = " OR ".join(f"id:{_quoted(v)} OR name:{_quoted(v)}" for v in chunk)
        yield Search(
            indices=[SearchIndex.IDENTITIES],
            query_type=SearchQueryType.SAILPOINT,
            query=SearchQuery(query=query),
            sort=["id"],
            include_nested=False,
            query_result_filter=QueryResultFilter(includes=["id", "name"]),
        )


def _found(items: Any) -> list[Reference]:
    found = []
    for item in items or []:
        item_id, name = getattr(item, "id", None), getattr(item, "name", None)
        if isinstance(item_id, str) and isinstance(name, str):
            found.append(Reference(item_id, name))
    return found


def _searches(api: ApiClient, values: Sequence[str]) -> tuple[Any, list[dict[str, Any]]]:
    """The search endpoint of the client's version and the arguments of each call that
    finds ``values`` (no call for no values). All of a lookup but the call itself is
    here and in :func:`_read`, so that the sync and async lookups differ only in the
    call. A version without search raises ``_NoSearch``, which sends the lookup to the
    identities list as a refusal does."""
    from iscctl_client.api.search import search_post, search_post_v1

    if api.version in NO_SEARCH and values:
        raise _NoSearch(api.version)
    module = search_post_v1 if api.core.api_version.per_service else search_post
    return module, [{"client": api, "body": b, "limit": SEARCH_LIMIT} for b in _bodies(values)]


def _read(reply: Response[Any]) -> list[Reference]:
    return _found(iscctl.unwrap(reply))


async def find_owners(isc: AsyncClient, values: Sequence[str]) -> list[Reference]:
    """The target's identities whose id or name is among ``values``."""
    with contextlib.suppress(*_LIST_INSTEAD):
        module, calls = _searches(isc.api, values)
        return [found for call in calls for found in _read(await module.asyncio_detailed(**call))]
    return await read_identities(isc)


def find_owners_sync(isc: Client, values: Sequence[str]) -> list[Reference]:
    """The same as :func:`find_owners` with a ``Client``."""
    with contextlib.suppress(*_LIST_INSTEAD):
        module, calls = _searches(isc.api, values)
        return [found for call in calls for found in _read(module.sync_detailed(**call))]
    return read_identities_sync(isc)
