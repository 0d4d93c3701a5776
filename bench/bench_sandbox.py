"""How fast the sandbox answers 250-id process calls, against the bare HTTP stack.

Prints requests per second for POST /v2025/identities/process with 250 known
ids, sent one after another over one keep-alive httpx connection (rate limit
off), and the server's CPU time per request. Baseline, measured in the same
run: a bare ASGI app on the same uvicorn settings that answers 202 without
reading anything, so "x base" is the share of the cost that is the sandbox's
own work (auth, faults, validation with the generated pydantic model, state).

Every server runs in its own process (as `iscctl sandbox` does), so the client
does not compete with it for the GIL; each is measured with uvicorn's C parser
(httptools, when installed) and its pure-Python one (h11). Rounds alternate between servers
and the best round of each is kept, which damps noise from other work.

    .venv/bin/python bench/bench_sandbox.py [--requests 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from iscctl.sandbox import SandboxServer, SandboxSettings
from iscctl.sandbox.app import build_app
from iscctl.sandbox.tenant import Tenant
from iscctl.sandbox.validation import parse_process_request

# Run as `python -c SERVER kind parser`: starts one server, prints its URL, serves until killed.
SERVER = """
import socket, sys, uvicorn
from iscctl.sandbox import SandboxServer, SandboxSettings
from iscctl.sandbox.app import build_app
from iscctl.sandbox.tenant import Tenant
from iscctl.sandbox.validation import parse_process_request

kind, parser = sys.argv[1], sys.argv[2]
BODY = b'{"type":"TASK_RESULT","id":"00000000-0000-4000-8000-000000000000","name":null}'

async def bare(scope, receive, send):
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 202, "headers": [
        (b"content-type", b"application/json"), (b"content-length", b"%d" % len(BODY))]})
    await send({"type": "http.response.body", "body": BODY})

if kind == "sandbox":
    server = SandboxServer(SandboxSettings(rate_limit=None, http_parser=parser)).start()
    print("listening on", server.base_url, flush=True)
    server.wait()
else:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    print("listening on http://127.0.0.1:%d" % sock.getsockname()[1], flush=True)
    uvicorn.Server(uvicorn.Config(bare, http=parser, ws="none", lifespan="off", log_config=None,
                                  access_log=False, server_header=False)).run(sockets=[sock])
"""
LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")


@dataclass
class Run:
    per_second: float
    server_cpu_ms: float  # server CPU time per request


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def server_process(kind: str, parser: str) -> Iterator[tuple[str, int]]:
    command = [sys.executable, "-c", SERVER, kind, parser]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        match = LISTENING.search(process.stdout.readline())
        if match is None:
            raise RuntimeError(f"the {kind} server ({parser}) did not start")
        yield match.group(1), process.pid
    finally:
        process.kill()
        process.wait(10)


def measure(base_url: str, pid: int, bodies: list[bytes], count: int) -> Run:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        form = {
            "grant_type": "client_credentials",
            "client_id": "sandbox-client",
            "client_secret": "sandbox-secret",
        }
        token = client.post("/oauth/token", data=form).json().get("access_token", "none")
        headers = {
            "Authorization": f"Bearer {token}",
            "X-SailPoint-Experimental": "true",
            "Content-Type": "application/json",
        }

        def send(n: int) -> None:
            reply = client.post(
                "/v2025/identities/process", content=bodies[n % len(bodies)], headers=headers
            )
            if reply.status_code != 202:
                raise RuntimeError(f"expected 202, got {reply.status_code}: {reply.text[:200]}")

        for n in range(min(200, count)):  # warm up the connection, caches, allocator
            send(n)
        cpu_before = cpu_seconds(pid)
        started = time.perf_counter()
        for n in range(count):
            send(n)
        elapsed = time.perf_counter() - started
        return Run(count / elapsed, 1000 * (cpu_seconds(pid) - cpu_before) / count)


def app_costs(bodies: list[bytes], count: int) -> dict[str, float]:
    """Microseconds per 250-id process call spent in the sandbox's own code, by step.

    Measured in-process on the ASGI app (no network, no uvicorn), so the parts
    add up to the "sandbox minus baseline" share of the server CPU above.
    """
    tenant = Tenant(SandboxSettings(rate_limit=None))
    app = build_app(tenant)
    token = tenant.tokens.issue(tenant.settings.client_id)["access_token"]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v2025/identities/process",
        "raw_path": b"/v2025/identities/process",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"authorization", f"Bearer {token}".encode()),
            (b"x-sailpoint-experimental", b"true"),
            (b"content-type", b"application/json"),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8080),
    }

    async def call(body: bytes) -> None:
        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            pass

        await app(dict(scope), receive, send)

    async def calls() -> None:
        for n in range(count):
            await call(bodies[n % len(bodies)])

    id_lists = [json.loads(body)["identityIds"] for body in bodies]

    def timed(step: Callable[[int], object]) -> float:
        started = time.perf_counter()
        for n in range(count):
            step(n)
        return 1e6 * (time.perf_counter() - started) / count

    asyncio.run(calls())  # warm up
    started = time.perf_counter()
    asyncio.run(calls())
    whole = 1e6 * (time.perf_counter() - started) / count
    return {
        "validate the body (generated pydantic model)": timed(
            lambda n: parse_process_request(bodies[n % len(bodies)])
        ),
        "check the ids are known": timed(
            lambda n: tenant.population.unknown(id_lists[n % len(id_lists)])
        ),
        "record the batch": timed(
            lambda n: tenant.state.record_batch("task", id_lists[n % len(id_lists)])
        ),
        "whole ASGI app call (Starlette, auth, faults, all of the above)": whole,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    ids = SandboxServer(SandboxSettings(population_size=5000, seed=1)).identity_ids
    # Bodies are encoded once, so the client spends its time on HTTP, not on JSON.
    bodies = [json.dumps({"identityIds": ids[i : i + 250]}).encode() for i in range(0, 5000, 250)]

    parsers = ["httptools", "h11"] if importlib.util.find_spec("httptools") else ["h11"]
    configs = [(kind, http) for http in parsers for kind in ("baseline", "sandbox")]
    best: dict[tuple[str, str], Run] = {}
    for _ in range(options.rounds):
        for config in configs:
            with server_process(*config) as (url, pid):
                run = measure(url, pid, bodies, options.requests)
            if config not in best or run.per_second > best[config].per_second:
                best[config] = run

    print(
        f"POST /v2025/identities/process, 250 ids, {options.requests} requests over one "
        f"keep-alive httpx connection, rate limit off; best of {options.rounds} rounds"
    )
    print(f"{'server':30} {'req/s':>7} {'x base':>7} {'server CPU ms/req':>18} {'x base':>7}")
    for kind, http in configs:
        run, base = best[(kind, http)], best[("baseline", http)]
        print(
            f"{kind + ' (' + http + ')':30} {run.per_second:7.0f} "
            f"{run.per_second / base.per_second:7.2f} {run.server_cpu_ms:18.3f} "
            f"{run.server_cpu_ms / base.server_cpu_ms:7.2f}"
        )
    print("where the sandbox's own time goes, per call (in-process, microseconds):")
    for step, micros in app_costs(bodies, options.requests).items():
        print(f"  {step:66} {micros:7.1f}")
    if len(parsers) == 1:
        print("httptools is not installed: h11 only (pip install httptools to compare)")
        return
    fast, slow = best[("sandbox", "httptools")], best[("sandbox", "h11")]
    print(
        f"sandbox with httptools vs h11: {fast.per_second / slow.per_second:.2f} x the req/s, "
        f"{fast.server_cpu_ms / slow.server_cpu_ms:.2f} x the server CPU per request"
    )


if __name__ == "__main__":
    main()
