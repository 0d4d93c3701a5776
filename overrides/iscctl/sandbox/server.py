"""Run a sandbox tenant on uvicorn in a background thread, on a real loopback port.

The socket is bound before the thread starts, so `base_url` is known at once
(also for port 0) and start-up is only uvicorn's own (well under a second).
"""

from __future__ import annotations

import asyncio
import importlib.util
import socket
import threading
import time
from types import TracebackType
from typing import Any, Self

import uvicorn

from iscctl.sandbox.app import build_app
from iscctl.sandbox.catalog import Catalog
from iscctl.sandbox.directory import Directory
from iscctl.sandbox.faults import FaultPlan
from iscctl.sandbox.population import Source
from iscctl.sandbox.profile_directory import ProfileDirectory
from iscctl.sandbox.settings import SandboxSettings
from iscctl.sandbox.state import SandboxState
from iscctl.sandbox.tasks import ProcessingBook
from iscctl.sandbox.tenant import ConnectionDropper, Tenant

START_TIMEOUT = 10.0  # seconds, for start-up and for the thread to end on stop()


def http_parser(choice: str = "auto") -> str:
    """uvicorn's HTTP implementation: httptools (C) when installed, else pure-Python h11."""
    installed = importlib.util.find_spec("httptools") is not None
    if choice == "httptools" and not installed:
        raise RuntimeError(
            "http_parser='httptools' needs the httptools package (pip install httptools)"
        )
    if choice != "auto":
        return choice
    return "httptools" if installed else "h11"


class SandboxServer:
    """A running (or startable) sandbox tenant; see docs/sandbox.md."""

    def __init__(self, settings: SandboxSettings | None = None) -> None:
        self.settings = settings or SandboxSettings()
        self.tenant = Tenant(self.settings)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    # -- lifecycle --------------------------------------------------------------
    def start(self) -> Self:
        if self.running:
            raise RuntimeError("this sandbox is already running")
        self.stop()  # tidy up after a server thread that died on its own
        parser = http_parser(self.settings.http_parser)
        family = socket.AF_INET6 if ":" in self.settings.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on the accepted
        # connections of a socket that says it is TCP, and without it every
        # keep-alive reply waits ~40 ms for a delayed ACK.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.settings.host, self.settings.port))
        except OSError:
            sock.close()
            raise
        sock.listen(2048)
        sock.setblocking(False)
        config = uvicorn.Config(
            build_app(self.tenant),
            http=parser,
            ws="none",
            lifespan="off",
            log_config=None,
            log_level="warning",
            access_log=False,  # the token endpoint takes secrets in its query string
            server_header=False,
            timeout_graceful_shutdown=2,
        )
        server = uvicorn.Server(config)
        self.tenant.drop_connection = self._dropper(server)
        thread = threading.Thread(
            target=lambda: asyncio.run(server.serve(sockets=[sock])),
            name=f"iscctl-sandbox-{sock.getsockname()[1]}",
            daemon=True,
        )
        self._server, self._thread, self._socket = server, thread, sock
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.002)
        if not server.started:
            self.stop()
            raise RuntimeError("the sandbox server did not start (see the log for why)")
        return self

    def stop(self) -> None:
        server, thread, sock = self._server, self._thread, self._socket
        self._server = self._thread = self._socket = None
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(START_TIMEOUT)
        if sock is not None:
            sock.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def wait(self) -> None:
        """Block until the server stops (it stops when `stop()` is called elsewhere)."""
        if self._thread is not None:
            self._thread.join()

    @staticmethod
    def _dropper(server: uvicorn.Server) -> ConnectionDropper:
        def drop(scope: dict[str, Any]) -> bool:
            client = scope.get("client")
            if client is None:
                return False
            for connection in list(server.server_state.connections):
                transport = getattr(connection, "transport", None)
                if transport is None:
                    continue
                peer = transport.get_extra_info("peername")
                if peer is not None and tuple(peer[:2]) == tuple(client[:2]):
                    transport.abort()  # no reply, not even a status line
                    return True
            return False

        return drop

    # -- what tests and users look at --------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def port(self) -> int:
        if self._socket is None:
            raise RuntimeError("the sandbox is not running; call start() or use `with`")
        port: int = self._socket.getsockname()[1]
        return port

    @property
    def base_url(self) -> str:
        """The API root without a version, as SAIL_BASE_URL wants it."""
        host = self.settings.host
        if host in {"0.0.0.0", "::", ""}:
            host = "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    @property
    def inspection_url(self) -> str:
        return f"{self.base_url}/__sandbox__"

    @property
    def client_id(self) -> str:
        return self.settings.client_id

    @property
    def client_secret(self) -> str:
        return self.settings.client_secret

    @property
    def identity_ids(self) -> list[str]:
        return list(self.tenant.population.identity_ids)

    @property
    def sources(self) -> list[Source]:
        return list(self.tenant.population.sources)

    @property
    def source_names(self) -> list[str]:
        return [source.name for source in self.tenant.population.sources]

    @property
    def tenant_name(self) -> str | None:
        """The tenant's name (`SandboxSettings.tenant`), None for the unnamed sandbox."""
        return self.settings.tenant

    @property
    def catalog(self) -> Catalog:
        """Sources, transforms, identity attributes and admin identities, with their ids."""
        return self.tenant.catalog

    @property
    def profile_directory(self) -> ProfileDirectory:
        """Profiles as the read endpoints serve them, their identities, per-profile
        processing and the mappings dropped on import."""
        return self.tenant.profiles

    @property
    def faults(self) -> FaultPlan:
        return self.tenant.faults

    @property
    def state(self) -> SandboxState:
        return self.tenant.state

    @property
    def processing(self) -> ProcessingBook:
        """Process tasks and per-identity outcomes; `processing.fail(ids)` plans errors."""
        return self.tenant.processing

    @property
    def directory(self) -> Directory:
        """The seeded identities as records (names, attributes, profile, manager)."""
        return self.tenant.directory

    def expire_tokens(self) -> None:
        """Every token issued so far is now expired (new ones can still be had)."""
        self.tenant.tokens.expire_all()

    def reset(self) -> None:
        """Forget state, tokens, rate-limit history and faults."""
        self.tenant.reset()

    def __repr__(self) -> str:
        where = self.base_url if self._socket is not None else "stopped"
        return f"<SandboxServer {where} client_id={self.client_id!r}>"
