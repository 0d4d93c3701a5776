"""GET /identities, GET /identities/{id} and GET /task-status/{id}, as the contract sheet says.

Versions: identities and task status exist in beta, v2024, v2025 and v2026
and as per-service v1 (`/identities/v1`, `/task-status/v1/{id}`), not in v3.
None of them takes the experimental header. The list takes `filters` (the
fields and operators of section 7 of the sheet), `sorters` (`name`, `alias`,
`cloudStatus`), `defaultFilter` (`CORRELATED_ONLY`, the default, or `NONE`;
every seeded identity is correlated), `limit` (at most 250), `offset` and
`count` (`X-Total-Count`).

`GET /task-status/{id}` knows the tasks of 202'd process calls (by the 202's
id, dashed or not) and answers 404 without a body for any other id, or for
every id when the sandbox runs with `track_tasks=False`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request

from iscctl.sandbox.api_routes import (
    IDENTITY_VERSIONS,
    TASK_STATUS_VERSIONS,
    ApiRoute,
    versioned,
)
from iscctl.sandbox.documents import IdentityView, identity_json
from iscctl.sandbox.filters import FilterFields, FilterInvalid, compile_filters, field
from iscctl.sandbox.paging import (
    ParameterInvalid,
    read_paging,
    sort_by,
    total_header,
)
from iscctl.sandbox.reply import Reply, bad_request, not_found

if TYPE_CHECKING:
    from iscctl.sandbox.tenant import Tenant


class IdentityIdConvertor(Convertor[str]):
    """An identity id in a path: any segment but `process`, whose path is POST-only (405)."""

    regex = "(?!process$)[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("identity_id", IdentityIdConvertor())

MAX_LIMIT: Final = 250
DEFAULT_FILTERS: Final = ("CORRELATED_ONLY", "NONE")

IDENTITY_FILTERS: Final[FilterFields] = {
    "id": field(lambda v: v.record.id, "eq in"),
    "name": field(lambda v: v.record.name, "eq sw"),
    "alias": field(lambda v: v.record.alias, "eq sw"),
    "firstname": field(lambda v: v.record.first_name, "eq sw"),
    "lastname": field(lambda v: v.record.last_name, "eq sw"),
    "email": field(lambda v: v.record.email, "eq sw"),
    "cloudStatus": field(lambda v: v.record.identity_status, "eq"),
    "processingState": field(lambda v: v.processing_state, "eq"),
    "correlated": field(lambda v: True, "eq"),
    "protected": field(lambda v: False, "eq"),
}
IDENTITY_SORTERS: Final = {
    "name": lambda v: v.record.name,
    "alias": lambda v: v.record.alias,
    "cloudStatus": lambda v: v.record.identity_status,
}


def api_routes(tenant: Tenant) -> list[ApiRoute]:
    directory, book = tenant.directory, tenant.processing

    async def list_identities(request: Request, client_id: str, version: str) -> Reply:
        params = request.query_params
        try:
            paging = read_paging(params, MAX_LIMIT)
            default_filter = params.get("defaultFilter", "CORRELATED_ONLY")
            if default_filter not in DEFAULT_FILTERS:
                raise ParameterInvalid(
                    f"defaultFilter: must be CORRELATED_ONLY or NONE, not {default_filter!r}"
                )
            filters = params.get("filters")
            predicate = compile_filters(filters, IDENTITY_FILTERS) if filters else None
            now = book.now()
            views = [IdentityView(record, book, now) for record in directory.records]
            if predicate is not None:
                views = [view for view in views if predicate(view)]
            views = sort_by(views, params.get("sorters"), IDENTITY_SORTERS)
        except (ParameterInvalid, FilterInvalid) as invalid:
            return bad_request(str(invalid))
        body = [identity_json(view, directory) for view in paging.page(views)]
        return Reply(200, body, total_header(paging, len(views)))

    async def get_identity(request: Request, client_id: str, version: str) -> Reply:
        identity_id = request.path_params["id"]
        record = directory.get(identity_id)
        if record is None:
            return not_found(f"Identity {identity_id} was not found")
        return Reply(200, identity_json(IdentityView(record, book, book.now()), directory))

    async def task_status(request: Request, client_id: str, version: str) -> Reply:
        task = book.task(request.path_params["id"]) if tenant.settings.track_tasks else None
        if task is None:
            return Reply(404, empty=True)  # declared without a body
        body: dict[str, Any] = book.status(task, book.now())
        return Reply(200, body)

    return [
        *versioned("GET", "/identities", "identities", list_identities, IDENTITY_VERSIONS,
                   "/identities/v1"),
        *versioned("GET", "/identities/{id:identity_id}", "identities", get_identity,
                   IDENTITY_VERSIONS, "/identities/v1/{id:identity_id}"),
        *versioned("GET", "/task-status/{id}", "task_status", task_status,
                   TASK_STATUS_VERSIONS, "/task-status/v1/{id}"),
    ]  # fmt: skip
