"""`/__sandbox__/`: look inside the tenant and steer it over HTTP, without a token.

Only loopback clients are served, so a sandbox bound to a wider address does
not hand its internals (or fault controls) to the network.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from iscctl.sandbox.faults import fault_from_mapping

if TYPE_CHECKING:
    from iscctl.sandbox.tenant import Tenant

INSPECTION_PREFIX: Final = "/__sandbox__"
DEFAULT_PAGE: Final = 1000

Handler = Callable[[Request], Awaitable[Response]]


def _problem(status: int, text: str) -> JSONResponse:
    return JSONResponse({"error": text}, status)


def _is_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _loopback_only(handler: Handler) -> Handler:
    async def guarded(request: Request) -> Response:
        if not _is_loopback(request):
            return _problem(403, "the /__sandbox__/ API answers loopback clients only")
        return await handler(request)

    return guarded


def _non_negative(request: Request, name: str, default: int) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.isdigit():
        raise ValueError(f"?{name}= must be a whole number >= 0, not {text!r}")
    return int(text)


def inspection_routes(tenant: Tenant) -> list[BaseRoute]:
    state = tenant.state

    async def summary(request: Request) -> Response:
        body = state.summary()
        body["identities"] = len(tenant.population.identity_ids)
        body["pendingFaults"] = [fault.to_json() for fault in tenant.faults.pending]
        return JSONResponse(body)

    async def processed(request: Request) -> Response:
        return JSONResponse(state.process_counts)

    async def batches(request: Request) -> Response:
        return JSONResponse(
            [
                {"taskId": b.task_id, "identityIds": list(b.identity_ids)}
                for b in state.accepted_batches
            ]
        )

    async def requests(request: Request) -> Response:
        return JSONResponse([record.to_json() for record in state.requests])

    async def profiles(request: Request) -> Response:
        return JSONResponse(state.profiles)

    async def identities(request: Request) -> Response:
        try:
            offset = _non_negative(request, "offset", 0)
            limit = _non_negative(request, "limit", DEFAULT_PAGE)
        except ValueError as error:
            return _problem(400, str(error))
        ids = tenant.population.identity_ids
        return JSONResponse(
            {
                "total": len(ids),
                "offset": offset,
                "limit": limit,
                "identityIds": list(ids[offset : offset + limit]),
                "sources": [{"id": s.id, "name": s.name} for s in tenant.population.sources],
            }
        )

    async def faults(request: Request) -> Response:
        if request.method == "DELETE":
            tenant.faults.clear()
        elif request.method == "POST":
            try:
                data: Any = json.loads(await request.body())
                planned = [
                    fault_from_mapping(item)
                    for item in (data if isinstance(data, list) else [data])
                ]
            except ValueError as error:  # JSONDecodeError is a ValueError
                return _problem(400, f"POST {INSPECTION_PREFIX}/faults: {error}")
            except RecursionError:
                return _problem(400, f"POST {INSPECTION_PREFIX}/faults: JSON nested too deeply")
            for fault in planned:
                tenant.faults.add(fault)
        return JSONResponse([fault.to_json() for fault in tenant.faults.pending])

    async def tasks(request: Request) -> Response:
        book = tenant.processing
        now = book.now()
        return JSONResponse([book.status(task, now) for task in book.tasks])

    async def processing_errors(request: Request) -> Response:
        """POST a JSON array of identity ids: their next processing ends in ERROR."""
        try:
            data: Any = json.loads(await request.body())
        except (ValueError, RecursionError):
            data = None
        if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
            return _problem(
                400, f"POST {INSPECTION_PREFIX}/processing-errors: send a JSON array of ids"
            )
        tenant.processing.fail(data)
        return JSONResponse({"failing": sorted(set(data))})

    async def reset(request: Request) -> Response:
        tenant.reset()
        return JSONResponse({"reset": True})

    def route(path: str, handler: Handler, methods: list[str]) -> Route:
        return Route(INSPECTION_PREFIX + path, _loopback_only(handler), methods=methods)

    return [
        route("/state", summary, ["GET"]),
        route("/processed", processed, ["GET"]),
        route("/batches", batches, ["GET"]),
        route("/requests", requests, ["GET"]),
        route("/profiles", profiles, ["GET"]),
        route("/identities", identities, ["GET"]),
        route("/faults", faults, ["GET", "POST", "DELETE"]),
        route("/tasks", tasks, ["GET"]),
        route("/processing-errors", processing_errors, ["POST"]),
        route("/reset", reset, ["POST"]),
    ]
