"""The proof that spec-first pays (#11.6): an operation added to the spec is callable through
the factory — authenticated, retried, paced, typed, sync and async — with no new code.

A copy of openapi/isc.yaml gains a small operation in a temporary folder, the client is
regenerated from it there (same generator, configuration and custom templates as
`make generate`), and a user's script — which only calls the new generated functions with
`iscctl.api_client(...)` — runs in a child interpreter that imports that regenerated
`iscctl_client`. The tenant is a minimal ASGI app on loopback that knows the new operation.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
import yaml

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "proof-token-3f9a"
SECRET = "proof-secret-77c1"

NEW_OPERATION = {
    "/proof/ping": {
        "get": {
            "operationId": "getProofPing",
            "summary": "Answer a ping (added by the spec-first proof test)",
            "tags": ["Proof"],
            "security": [{"userAuth": ["sp:scopes:all"]}],
            "parameters": [
                {"name": "name", "in": "query", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": {
                    "description": "The pong.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Pong"}}
                    },
                },
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "429": {"$ref": "#/components/responses/TooManyRequests"},
                "500": {"$ref": "#/components/responses/InternalServerError"},
            },
        }
    },
    "/proof/v1/ping": {
        "servers": [{"url": "{apiRoot}", "variables": {"apiRoot": {"default": "http://x"}}}],
        "get": {
            "operationId": "getProofPingV1",
            "summary": "The same on a per-service path",
            "tags": ["Proof"],
            "security": [{"userAuth": ["sp:scopes:all"]}],
            "parameters": [
                {"name": "name", "in": "query", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": {
                    "description": "The pong.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Pong"}}
                    },
                },
                "401": {"$ref": "#/components/responses/Unauthorized"},
            },
        },
    },
}
PONG = {
    "type": "object",
    "required": ["message"],
    "properties": {"message": {"type": "string"}, "served": {"type": "integer"}},
}

USER_SCRIPT = '''
"""Only generated functions and the factory: no request is built here."""
import asyncio
import os

import iscctl
from iscctl_client.api.proof import get_proof_ping, get_proof_ping_v1
from iscctl_client.models import Pong

waits: list[tuple[float, str]] = []
api = iscctl.api_client(
    base_url=os.environ["PROOF_ROOT"],
    client_id="proof-client",
    client_secret=os.environ["PROOF_SECRET"],
    version="v2026",
    rate_limit=(2, 0.5),
    on_wait=lambda s, why: waits.append((s, why)),
    retry=iscctl.RetryPolicy(backoff_initial=0.01, backoff_max=0.05),
)
pongs: list[Pong] = [
    iscctl.unwrap(get_proof_ping.sync_detailed(client=api, name=f"s{n}")) for n in range(3)
]
pongs.append(iscctl.unwrap(get_proof_ping_v1.sync_detailed(client=api, name="v1")))

async def more() -> list[Pong]:
    calls = (get_proof_ping.asyncio_detailed(client=api, name=f"a{n}") for n in range(2))
    replies = await asyncio.gather(*calls)
    await api.aclose()
    return [iscctl.unwrap(reply) for reply in replies]

pongs += asyncio.run(more())
api.close()
assert all(isinstance(pong, Pong) for pong in pongs)
print(";".join(pong.message for pong in pongs))
print(",".join(sorted({why for _, why in waits})))
print(api.stats.retries, api.stats.requests)
'''


class ProofTenant:
    """A tenant that knows only the token endpoint and the new operation; its first call
    of the versioned path answers 503 (to be retried), every call needs the token."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[float, str]] = []
        self.tokens = 0
        self._first = True

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        path, query = scope["path"], scope["query_string"].decode()
        headers = dict(scope["headers"])
        if path == "/oauth/token":
            self.tokens += 1
            await _reply(send, 200, {"access_token": TOKEN, "expires_in": 600})
            return
        if headers.get(b"authorization") != f"Bearer {TOKEN}".encode():
            await _reply(send, 401, {"error": "JWT validation failed"})
            return
        if path not in ("/v2026/proof/ping", "/proof/v1/ping"):
            await _reply(send, 404, {"detailCode": "404.0 Not found", "messages": []})
            return
        self.arrivals.append((time.monotonic(), path))
        if path == "/v2026/proof/ping" and self._first:
            self._first = False
            await _reply(send, 503, {"detailCode": "503", "messages": [{"text": "busy"}]})
            return
        name = query.removeprefix("name=")
        await _reply(send, 200, {"message": f"pong {name}", "served": len(self.arrivals)})


async def _reply(send: Any, status: int, body: dict[str, Any]) -> None:
    content = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": content})


@pytest.fixture
def tenant() -> Iterator[tuple[ProofTenant, str]]:
    app = ProofTenant()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield app, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def regenerate(spec: dict[str, Any], folder: Path) -> Path:
    """The client package generated from `spec` the way `make generate` does it."""
    spec_path = folder / "isc.yaml"
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    output = folder / "out" / "iscctl_client"
    command = [
        str(Path(sys.executable).parent / "openapi-python-client"),
        "generate",
        "--path",
        str(spec_path),
        "--config",
        str(ROOT / "openapi" / "openapi-python-client.yaml"),
        "--custom-template-path",
        str(ROOT / "openapi" / "templates"),
        "--meta",
        "none",
        "--output-path",
        str(output),
        "--fail-on-warning",
    ]
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    done = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "PATH": path}, cwd=folder
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return output.parent


def test_an_operation_added_to_the_spec_works_through_the_factory(
    tmp_path: Path, tenant: tuple[ProofTenant, str]
) -> None:
    app, root = tenant
    spec = yaml.safe_load((ROOT / "openapi" / "isc.yaml").read_text())
    spec["paths"].update(NEW_OPERATION)
    spec["components"]["schemas"]["Pong"] = PONG
    spec["tags"].append({"name": "Proof"})
    packages = regenerate(spec, tmp_path)
    assert (packages / "iscctl_client" / "api" / "proof" / "get_proof_ping.py").exists()

    script = tmp_path / "user_script.py"
    script.write_text(textwrap.dedent(USER_SCRIPT))
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(packages), os.environ.get("PYTHONPATH", "")]),
        "PROOF_ROOT": root,
        "PROOF_SECRET": SECRET,
    }
    for name in ("SAIL_BASE_URL", "SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET", "ISCCTL_LOG"):
        environment.pop(name, None)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=environment, timeout=120
    )
    assert done.returncode == 0, done.stderr
    messages, reasons, counters = done.stdout.strip().splitlines()

    # typed and answered, sync and async, versioned and per-service, from one API root
    assert sorted(messages.split(";")) == sorted(
        ["pong s0", "pong s1", "pong s2", "pong v1", "pong a0", "pong a1"]
    )
    assert [path for _, path in app.arrivals].count("/proof/v1/ping") == 1
    # authenticated: one token, fetched once, serves the sync and the async calls
    assert app.tokens == 1
    # retried: the first call's 503 was sent again; counted as one retry
    retries, requests = (int(value) for value in counters.split())
    assert retries == 1 and requests == len(app.arrivals) == 7
    # paced: never more than 2 calls of a version in any 0.5 s window; waits announced
    times = sorted(at for at, path in app.arrivals if path == "/v2026/proof/ping")
    assert all(later - earlier >= 0.45 for earlier, later in zip(times, times[2:], strict=False))
    assert "rate limit" in reasons.split(",") and "backoff" in reasons.split(",")
    assert SECRET not in done.stdout + done.stderr

    # typed: the user's script passes mypy --strict against the regenerated package
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / "mypy"),
            str(script),
        ],
        capture_output=True,
        text=True,
        env={**environment, "MYPYPATH": str(packages)},
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
