"""The ASGI app: ISC's token, process and import endpoints on their real paths.

Checks run in ISC's order: planned faults, then the bearer token (401), the
rate limit (429), the experimental header (400), the body (400), and only then
the operation. Every request to an ISC path is recorded, without its query
string (the token endpoint accepts credentials there).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Final

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from iscctl.sandbox import bodies, identities_api, search_api, tenant_routes
from iscctl.sandbox.api_routes import ApiRoute
from iscctl.sandbox.auth import (
    EXPIRED_TOKEN_MESSAGE,
    TokenRejected,
    credentials_match,
    token_request_parameters,
)
from iscctl.sandbox.faults import REFUSING_KINDS, Fault, Operation
from iscctl.sandbox.importing import import_profiles
from iscctl.sandbox.inspection import INSPECTION_PREFIX, inspection_routes
from iscctl.sandbox.reply import Handler, Reply, error_field
from iscctl.sandbox.shaping import SHAPERS
from iscctl.sandbox.state import RequestRecord
from iscctl.sandbox.tenant import Tenant
from iscctl.sandbox.token_form import TokenFormUnreadable, token_form
from iscctl.sandbox.validation import BodyInvalid, parse_import_request, parse_process_request

logger = logging.getLogger("iscctl.sandbox")

PROCESS_VERSIONS: Final = ("beta", "v2024", "v2025", "v2026")
IMPORT_VERSIONS: Final = ("v3", "beta", "v2024", "v2025", "v2026")
# Versions whose process operation needs `X-SailPoint-Experimental: true`;
# "v1" stands for the per-service paths, which count as their own version.
EXPERIMENTAL_PROCESS_VERSIONS: Final = frozenset({"v2024", "v2025", "v2026", "v1"})

# Modules that serve further ISC operations; each gives its routes for a tenant.
# Order matters only where paths overlap: earlier sources are matched first.
ROUTE_SOURCES: Final[list[Callable[[Tenant], list[ApiRoute]]]] = [
    identities_api.api_routes,
    search_api.api_routes,
    tenant_routes.api_routes,  # export, profiles, sources, transforms (#16)
]


def _is_json(content_type: str | None) -> bool:
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class IscEndpoints:
    """The request handlers; one instance per app, bound to one tenant."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant

    def routes(self) -> list[BaseRoute]:
        routes: list[BaseRoute] = [Route("/oauth/token", self.token, methods=["POST"])]
        for version in PROCESS_VERSIONS:
            routes.append(self._route(f"/{version}/identities/process", "process", version))
        routes.append(self._route("/identities/v1/process", "process", "v1"))
        for version in IMPORT_VERSIONS:
            routes.append(self._route(f"/{version}/identity-profiles/import", "import", version))
        routes.append(self._route("/identity-profiles/v1/import", "import", "v1"))
        # One Route per path, whatever its methods: Starlette answers a wrong method with
        # the Allow header of the first route whose path matches, so a path served by two
        # routes (GET and DELETE /identity-profiles/{id}) would list only one of them.
        by_path: dict[str, list[ApiRoute]] = {}
        for source in ROUTE_SOURCES:
            for api_route in source(self.tenant):
                by_path.setdefault(api_route.path, []).append(api_route)
        for path, same_path in by_path.items():
            endpoints = {
                r.method: self._endpoint(r.operation, r.version, r.handler) for r in same_path
            }
            name = "+".join(f"{r.operation}-{r.method}-{r.version}" for r in same_path)
            routes.append(Route(path, _by_method(endpoints), methods=list(endpoints), name=name))
        return routes

    def _route(self, path: str, operation: Operation, version: str) -> Route:
        handler = self.process if operation == "process" else self.import_
        endpoint = self._endpoint(operation, version, handler)
        return Route(path, endpoint, methods=["POST"], name=f"{operation}-{version}")

    def _endpoint(
        self,
        operation: Operation,
        version: str | None,
        handler: Handler,
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            return await self._serve(request, operation, version, handler)

        return endpoint

    async def token(self, request: Request) -> Response:
        return await self._serve(request, "token", None, self._token)

    # -- the pipeline shared by every ISC operation ------------------------------
    async def _serve(
        self,
        request: Request,
        operation: Operation,
        version: str | None,
        handler: Handler,
    ) -> Response:
        try:
            # Read the whole request first: what happens next (a slow fault, a
            # client that gives up) must not depend on a half-read body.
            await request.body()
        except ClientDisconnect:
            return Response(status_code=400)  # never sent: the client left mid-request
        generation = self.tenant.generation
        faults = self.tenant.faults.take(operation)
        for fault in faults:
            if fault.kind == "slow":
                await asyncio.sleep(fault.seconds)
        if self.tenant.generation != generation:
            # The tenant was reset while this request slept: its client belongs to
            # the past (typically a test that gave up waiting), so it changes nothing.
            return Reply(503, html=bodies.SERVICE_UNAVAILABLE_HTML).encode()
        refusing = next((f for f in faults if f.kind in REFUSING_KINDS), None)
        if refusing is not None and refusing.kind == "drop_connection":
            self._record(request, None, None, version, operation, refusing)
            return await self._drop(request)
        if refusing is not None:
            reply = self._refusal(refusing)
        else:
            reply = await self._authorized(request, operation, version, handler)
        for fault in faults:
            shaper = SHAPERS.get(fault.kind)
            if shaper is not None and reply.html is None:
                reply.body = shaper(operation, reply.body)
        fault_names = ",".join(f.kind for f in faults) or None
        self._record(request, reply.status, reply.client_id, version, operation, fault_names)
        return reply.encode()

    async def _authorized(
        self,
        request: Request,
        operation: Operation,
        version: str | None,
        handler: Handler,
    ) -> Reply:
        if version is None:  # the token endpoint needs no token
            return await handler(request, "", "")
        try:
            client_id = self.tenant.tokens.use(request.headers.get("authorization"))
        except TokenRejected as rejected:
            return error_field(401, rejected.reason, **{"WWW-Authenticate": "Bearer"})
        reply = self._admit(client_id, version) or await handler(request, client_id, version)
        reply.client_id = client_id
        return reply

    def _admit(self, client_id: str, version: str) -> Reply | None:
        limiter = self.tenant.limiter
        wait = limiter.admit((client_id, version)) if limiter is not None else None
        if wait is None:
            return None
        return Reply(429, {"message": bodies.RATE_LIMIT_MESSAGE}, {"Retry-After": str(wait)})

    def _refusal(self, fault: Fault) -> Reply:
        if fault.kind == "http_500":
            body = bodies.error_response(bodies.SERVER_ERROR_CODE, bodies.SERVER_ERROR_TEXT)
            return Reply(500, body)
        if fault.kind == "http_503":
            return Reply(503, html=bodies.SERVICE_UNAVAILABLE_HTML)
        if fault.kind == "http_status":
            code = fault.status
            return Reply(
                code, html=f"<html><body><h1>Error {code}</h1>error code: {code}</body></html>"
            )
        if fault.kind == "rate_limit":
            headers = {"Retry-After": str(fault.retry_after)}
            return Reply(429, {"message": bodies.RATE_LIMIT_MESSAGE}, headers)
        if fault.kind == "rate_limit_escalation":
            headers = {"Retry-After": str(self.tenant.next_escalation_tier())}
            return Reply(429, {"message": bodies.RATE_LIMIT_MESSAGE}, headers)
        assert fault.kind == "expire_token", fault.kind
        return error_field(401, EXPIRED_TOKEN_MESSAGE, **{"WWW-Authenticate": "Bearer"})

    async def _drop(self, request: Request) -> Response:
        """Abort the TCP connection before any byte of a reply is sent."""
        dropper = self.tenant.drop_connection
        if dropper is None or not dropper(dict(request.scope)):
            raise RuntimeError("drop_connection needs the sandbox's own server (SandboxServer)")
        # Wait until the server notices, so it does not try to answer on a dead connection.
        async with asyncio.timeout(10):
            while (await request.receive())["type"] != "http.disconnect":
                pass
        return Response(status_code=500)  # never sent: the client is gone

    def _record(
        self,
        request: Request,
        status: int | None,
        client_id: str | None,
        version: str | None,
        operation: str | None,
        fault: Fault | str | None,
    ) -> None:
        fault_name = fault.kind if isinstance(fault, Fault) else fault
        # The path only: the token endpoint accepts client secrets in the query string.
        # (scope["path"] rather than request.url.path, which parses a whole URL.)
        path = request.scope["path"]
        logger.debug("%s %s -> %s", request.method, path, status or "dropped")
        self.tenant.state.record_request(
            RequestRecord(request.method, path, status, client_id, version, operation, fault_name)
        )

    # -- the operations ------------------------------------------------------------
    async def _token(self, request: Request, _client_id: str, _version: str) -> Reply:
        try:
            form = await token_form(request)
        except TokenFormUnreadable as unreadable:
            body_ = {"error": "invalid_request", "error_description": str(unreadable)}
            return Reply(400, body_)
        params = token_request_parameters(
            request.url.query, form, request.headers.get("authorization")
        )
        grant_type = params.get("grant_type")
        if grant_type != "client_credentials":
            found = "missing" if grant_type is None else f"{grant_type!r} is not supported"
            description = (
                f"grant_type {found}; send grant_type=client_credentials as a form field "
                "(urlencoded or multipart) or a query parameter"
            )
            body_ = {"error": "unsupported_grant_type", "error_description": description}
            return Reply(400, body_)
        missing = [name for name in ("client_id", "client_secret") if not params.get(name)]
        if missing:
            description = (
                f"{' and '.join(missing)} missing; send client_id and client_secret as form "
                "fields (urlencoded or multipart), query parameters or HTTP Basic credentials"
            )
            body_ = {"error": "invalid_client", "error_description": description}
            return Reply(401, body_, {"WWW-Authenticate": "Basic"})
        settings = self.tenant.settings
        if not (
            credentials_match(params.get("client_id"), settings.client_id)
            and credentials_match(params.get("client_secret"), settings.client_secret)
        ):
            body_ = {"error": "invalid_client", "error_description": "Bad credentials"}
            return Reply(401, body_, {"WWW-Authenticate": "Basic"})
        self.tenant.state.record_token()
        token = self.tenant.tokens.issue(settings.client_id)
        return Reply(200, token, {"Cache-Control": "no-store", "Pragma": "no-cache"})

    async def _json_body(self, request: Request) -> bytes:
        if not _is_json(request.headers.get("content-type")):
            found = request.headers.get("content-type") or "no Content-Type"
            raise BodyInvalid([f"Content-Type: expected application/json, found {found}"])
        return await request.body()

    async def process(self, request: Request, client_id: str, version: str) -> Reply:
        if version in EXPERIMENTAL_PROCESS_VERSIONS:
            header = request.headers.get("x-sailpoint-experimental", "")
            if header.strip().lower() != "true":
                return error_field(400, bodies.EXPERIMENTAL_HEADER_MESSAGE)
        try:
            identity_ids = parse_process_request(await self._json_body(request))
        except BodyInvalid as invalid:
            return Reply(400, bodies.bad_request(invalid.causes))
        if self.tenant.settings.unknown_ids == "reject":
            unknown = self.tenant.population.unknown(identity_ids)
            if unknown:
                text = f"Identity ids not found: {','.join(unknown)}"
                body = bodies.error_response(bodies.NOT_FOUND_CODE, text, [text])
                return Reply(404, body)
        task_id = str(uuid.uuid4())
        self.tenant.state.record_batch(task_id, identity_ids)
        self.tenant.processing.start(task_id, client_id, identity_ids)
        return Reply(202, bodies.task_result(task_id))

    async def import_(self, request: Request, client_id: str, version: str) -> Reply:
        try:
            items = parse_import_request(await self._json_body(request), beta=version == "beta")
        except BodyInvalid as invalid:
            return Reply(400, bodies.bad_request(invalid.causes))
        tenant = self.tenant
        result = import_profiles(items, tenant)
        return Reply(200, result)

    # -- paths and methods ISC does not have -------------------------------------
    async def not_found(self, request: Request, exc: Exception) -> Response:
        return self._http_error(request, exc, bodies.NOT_FOUND_CODE, bodies.NOT_FOUND_TEXT)

    async def method_not_allowed(self, request: Request, exc: Exception) -> Response:
        allowed = (exc.headers or {}).get("Allow", "") if isinstance(exc, HTTPException) else ""
        allowed = allowed or "another method"
        text = f"{request.method} is not supported on {request.url.path}; use {allowed}"
        return self._http_error(request, exc, bodies.METHOD_CODE, text)

    def _http_error(self, request: Request, exc: Exception, code: str, text: str) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 404
        headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
        if not request.url.path.startswith(INSPECTION_PREFIX):
            self._record(request, status, None, None, None, None)
        return Reply(status, bodies.error_response(code, text), headers).encode()


def _by_method(
    endpoints: dict[str, Callable[[Request], Awaitable[Response]]],
) -> Callable[[Request], Awaitable[Response]]:
    """One endpoint for the methods of a path (HEAD is answered as GET, as Starlette does)."""
    if len(endpoints) == 1:
        return next(iter(endpoints.values()))

    async def endpoint(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await endpoints[method](request)

    return endpoint


def build_app(tenant: Tenant) -> Starlette:
    endpoints = IscEndpoints(tenant)
    app = Starlette(
        routes=[
            *endpoints.routes(),
            *inspection_routes(tenant),
            *tenant_routes.inspection_routes(tenant),
        ],
        exception_handlers={
            404: endpoints.not_found,
            405: endpoints.method_not_allowed,
        },
    )
    # ISC answers a trailing slash with 404, not with a redirect.
    app.router.redirect_slashes = False
    return app
