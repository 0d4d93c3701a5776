"""The tenant's configuration over ISC's paths: export, list, get and delete identity
profiles, process a profile's identities, list sources and transforms.

Served on every version that has them (v3, beta, v2024, v2025, v2026 and the
per-service v1 paths) through the same pipeline as process and import (faults,
bearer token, rate limit, request record), with ISC's standard collection
parameters per endpoint as the contract sheet lists them. Also, under
`/__sandbox__/`, what a test needs to see or steer: the catalog, per-profile
processing, and the attribute mappings dropped on import.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from attrs import define
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from iscctl.sandbox import bodies
from iscctl.sandbox.api_routes import PROFILE_VERSIONS, ApiRoute, versioned
from iscctl.sandbox.filters import FilterFields, FilterInvalid, compile_filters, field
from iscctl.sandbox.importing import timestamp
from iscctl.sandbox.inspection import INSPECTION_PREFIX, _loopback_only
from iscctl.sandbox.paging import (
    ParameterInvalid,
    SortKey,
    boolean,
    read_paging,
    sort_by,
    total_header,
)
from iscctl.sandbox.reply import Handler, Reply, bad_request, not_found

if TYPE_CHECKING:
    from iscctl.sandbox.tenant import Tenant

MAX_LIMIT: Final = 250
Item = Mapping[str, Any]


def value_at(item: Item, path: str) -> Any:
    """The value at a dotted path (`owner.id`); None when any step is missing or null."""
    value: Any = item
    for step in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(step)
    return value


def _reader(path: str) -> SortKey:
    def read(item: Item) -> Any:
        return value_at(item, path)

    return read


def json_fields(spec: Mapping[str, str]) -> FilterFields:
    """`{"name": "eq sw"}` -> filter fields reading those (dotted) paths of JSON items."""
    return {path: field(_reader(path), operators) for path, operators in spec.items()}


def json_sorters(paths: str) -> dict[str, SortKey]:
    return {path: _reader(path) for path in paths.split()}


@define(frozen=True)
class Collection:
    """What one list endpoint allows: filter fields with their operators, sorter fields."""

    filters: FilterFields
    sorters: Mapping[str, SortKey] | None  # None: no `sorters` declared (it is ignored)


EXPORT_RULES: Final = Collection(
    json_fields({"id": "eq ne", "name": "eq ne", "priority": "eq ne"}),
    json_sorters("id name priority"),
)
PROFILE_RULES: Final = Collection(
    json_fields(
        {"id": "eq ne ge gt in le sw", "name": "eq ne ge gt in le sw", "priority": "eq ne"}
    ),
    json_sorters("id name priority created modified owner.id owner.name"),
)
_SOURCE_ORDERED: Final = "eq in ge gt ne isnull sw le lt"
SOURCE_RULES: Final = Collection(
    json_fields(
        {
            "id": _SOURCE_ORDERED,
            "name": "co eq in sw ge gt ne isnull",
            "type": "eq in ge gt ne isnull sw",
            "owner.id": _SOURCE_ORDERED,
            "connectorName": "eq in ge gt ne isnull sw",
            "connectionType": _SOURCE_ORDERED,
            "status": _SOURCE_ORDERED,
            "managementWorkgroup.id": _SOURCE_ORDERED,
            "created": _SOURCE_ORDERED,
            "modified": _SOURCE_ORDERED,
            "authoritative": "eq ne isnull",
            "description": "eq sw",
            "features": "ca co",
            "healthy": "isnull",
            "category": "co eq ge gt in le lt ne sw",
        }
    ),
    json_sorters("name id type created modified connectorName authoritative description owner.id"),
)
TRANSFORM_RULES: Final = Collection(json_fields({"internal": "eq", "name": "eq sw"}), None)


def select(items: list[Any], request: Request, rules: Collection, keep: Any = None) -> Reply:
    """Filter, sort and page `items` by the request's collection parameters; ParameterInvalid
    or FilterInvalid for anything the endpoint does not allow."""
    params = request.query_params
    paging = read_paging(params, MAX_LIMIT)
    text = params.get("filters")
    chosen = [item for item in items if keep is None or keep(item)]
    if text:
        predicate = compile_filters(text, rules.filters)
        chosen = [item for item in chosen if predicate(item)]
    if rules.sorters is not None:
        chosen = sort_by(chosen, params.get("sorters"), rules.sorters)
    return Reply(200, list(paging.page(chosen)), total_header(paging, len(chosen)))


class ProfileIdConvertor(Convertor[str]):
    """A profile id in a path: any segment but the fixed words `import` and `export`,
    so that `GET /identity-profiles/import` is a wrong method (405), not an unknown id."""

    regex = r"(?!(?:import|export)(?:/|$))[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("isc_profile_id", ProfileIdConvertor())


def _profile_not_found(profile_id: str) -> Reply:
    return not_found(f"Identity profile {profile_id} was not found")


def _deletion_task(launcher: str) -> dict[str, Any]:
    """The TaskResultSimplified a delete answers: the task is launched, not finished."""
    return {
        "id": uuid.uuid4().hex,
        "name": "Identity Profile Delete",
        "description": "Deletes identity profiles and what belongs to them",
        "launcher": launcher,
        "launched": timestamp(),
        "completed": None,
        "completionStatus": None,
    }


class TenantEndpoints:
    """Handlers over one tenant's catalog and profiles."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant

    async def export(self, request: Request, client_id: str, version: str) -> Reply:
        profiles = self.tenant.profiles
        reply = select(profiles.stored(), request, EXPORT_RULES)
        reply.body = [
            {
                "version": 1,
                "self": {"type": "IDENTITY_PROFILE", "id": p["id"], "name": p["name"]},
                "object": p,
            }
            for p in profiles.served(reply.body)
        ]
        return reply

    async def list_profiles(self, request: Request, client_id: str, version: str) -> Reply:
        profiles = self.tenant.profiles
        reply = select(profiles.stored(), request, PROFILE_RULES)
        reply.body = profiles.served(reply.body)  # only the page
        return reply

    async def get_profile(self, request: Request, client_id: str, version: str) -> Reply:
        profile_id = request.path_params["profile_id"]
        profile = self.tenant.profiles.by_id(profile_id)
        if profile is None:
            return _profile_not_found(profile_id)
        return Reply(200, profile)

    async def process_profile(self, request: Request, client_id: str, version: str) -> Reply:
        profile_id = request.path_params["profile_id"]
        profile = self.tenant.profiles.by_id(profile_id)
        if profile is None:
            return _profile_not_found(profile_id)
        task_id = str(uuid.uuid4())
        identity_ids = self.tenant.profiles.record_processing(profile, task_id)
        # The same processing task as POST /identities/process starts (task status,
        # lastRefresh), over the profile's identities.
        self.tenant.processing.start(task_id, client_id, identity_ids)
        return Reply(202, bodies.task_result(task_id))

    async def delete_profile(self, request: Request, client_id: str, version: str) -> Reply:
        """202 with a TaskResultSimplified; the profile is gone from every list at once
        (on ISC a background task deletes it, so it may linger there for a while)."""
        profile_id = request.path_params["profile_id"]
        profile = self.tenant.profiles.by_id(profile_id)
        if profile is None:
            return _profile_not_found(profile_id)
        refusal = self.tenant.profiles.delete(profile)
        if refusal is not None:
            return bad_request(refusal)
        return Reply(202, _deletion_task(client_id))

    async def list_sources(self, request: Request, client_id: str, version: str) -> Reply:
        catalog = self.tenant.catalog
        sources = list(catalog.sources)
        if boolean(request.query_params, "includeIDNSource"):
            sources.append(catalog.idn_source)
        in_use = {
            (p.get("authoritativeSource") or {}).get("id") for p in self.tenant.profiles.stored()
        }
        items = [catalog.source_json(s, s.id in in_use) for s in sources]
        return select(items, request, SOURCE_RULES)

    async def list_transforms(self, request: Request, client_id: str, version: str) -> Reply:
        items = [transform.to_json() for transform in self.tenant.catalog.transforms]
        name = request.query_params.get("name")
        # ISC does not say how `name` matches; starting with it (case-insensitively)
        # is the broader reading, so a client that assumes equality shows its bug here.
        wanted = name.casefold() if name is not None else None

        def named(item: Item) -> bool:
            return wanted is None or str(item["name"]).casefold().startswith(wanted)

        return select(items, request, TRANSFORM_RULES, named)


def _refusing_bad_parameters(handler: Handler) -> Handler:
    async def guarded(request: Request, client_id: str, version: str) -> Reply:
        try:
            return await handler(request, client_id, version)
        except (ParameterInvalid, FilterInvalid) as invalid:
            return bad_request(str(invalid))

    return guarded


def api_routes(tenant: Tenant) -> list[ApiRoute]:
    """ISC's operations on the tenant's configuration, on every version that has them."""
    handlers = TenantEndpoints(tenant)
    profile = "{profile_id:isc_profile_id}"
    routes = [
        # export before {id}, whose convertor also refuses `export`
        *versioned("GET", "/identity-profiles/export", "export", handlers.export,
                   PROFILE_VERSIONS, "/identity-profiles/v1/export"),
        *versioned("GET", "/identity-profiles", "list-profiles", handlers.list_profiles,
                   PROFILE_VERSIONS, "/identity-profiles/v1"),
        *versioned("GET", f"/identity-profiles/{profile}", "get-profile", handlers.get_profile,
                   PROFILE_VERSIONS, f"/identity-profiles/v1/{profile}"),
        *versioned("DELETE", f"/identity-profiles/{profile}", "delete-profile",
                   handlers.delete_profile, PROFILE_VERSIONS, f"/identity-profiles/v1/{profile}"),
        *versioned("POST", f"/identity-profiles/{profile}/process-identities",
                   "process-profile", handlers.process_profile, PROFILE_VERSIONS,
                   f"/identity-profiles/v1/{profile}/process-identities"),
        *versioned("GET", "/sources", "list-sources", handlers.list_sources,
                   PROFILE_VERSIONS, "/sources/v1"),
        *versioned("GET", "/transforms", "list-transforms", handlers.list_transforms,
                   PROFILE_VERSIONS, "/transforms/v1"),
    ]  # fmt: skip
    return [
        ApiRoute(r.method, r.path, r.operation, r.version, _refusing_bad_parameters(r.handler))
        for r in routes
    ]


def inspection_routes(tenant: Tenant) -> list[BaseRoute]:
    """`/__sandbox__/catalog`, `/__sandbox__/profile-processing`,
    `/__sandbox__/dropped-mappings` (GET, and POST `{"attributes": [...]}` to change)."""

    async def catalog(request: Request) -> Response:
        return JSONResponse(tenant.catalog.to_json())

    async def processing(request: Request) -> Response:
        return JSONResponse(tenant.profiles.processed)

    async def dropped(request: Request) -> Response:
        if request.method == "POST":
            try:
                data: Any = json.loads(await request.body())
                names = data.get("attributes") if isinstance(data, dict) else None
                if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                    raise ValueError('send {"attributes": ["identity attribute name", ...]}')
            except (ValueError, RecursionError) as error:
                text = f"POST {INSPECTION_PREFIX}/dropped-mappings: {error}"
                return JSONResponse({"error": text}, 400)
            tenant.profiles.set_dropped_mappings(names)
        return JSONResponse({"attributes": sorted(tenant.profiles.dropped_mappings)})

    return [
        Route(f"{INSPECTION_PREFIX}/catalog", _loopback_only(catalog), methods=["GET"]),
        Route(
            f"{INSPECTION_PREFIX}/profile-processing", _loopback_only(processing), methods=["GET"]
        ),
        Route(
            f"{INSPECTION_PREFIX}/dropped-mappings",
            _loopback_only(dropped),
            methods=["GET", "POST"],
        ),
    ]
