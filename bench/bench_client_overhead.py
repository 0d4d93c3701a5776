"""The per-call overhead of iscctl's Client against a bare httpx loop, and cold import time.

Run: .venv/bin/python bench/bench_client_overhead.py            (about 20 s)
     .venv/bin/python bench/bench_client_overhead.py --quick    (a smoke run)

1. Overhead. A sandbox tenant with the rate limit off runs in a child
   process (so it does not share this process's GIL). In the same run, in
   alternating blocks, the same process call (the same 250 ids, one keep-alive
   connection) is made --calls times by

   - a bare `httpx.Client` loop: a token fetched once, a fixed
     `Authorization: Bearer` header and `client.post(..., json=...)`;
   - `iscctl.Client`: validation, the generated endpoint function
     (`sync_detailed`), the OAuth auth flow, the retrying transport, the
     routing of the path, reading the reply into the attrs model (pacing off,
     as the rate limit is off);
   - for reference, `iscctl.Client` with its pacer on at a limit never reached.

   Each prints req/s (wall) and the CPU time of this process per call (less
   noisy on a shared machine); ratio = bare req/s / iscctl req/s
   (target <= 1.05, #11).
2. Cold import: `from iscctl import Client` against `import httpx, attrs, pydantic`
   (the libraries it stands on), ratio target <= 1.15 (#11); and `import iscctl`
   against a bare `python -c pass`. Timed by `startup_timing.py`, the same code
   bench_startup.py uses, so the two benches print the same figure.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from iscctl import Client
from startup_timing import (
    IMPORT_BASELINE,
    IMPORT_SUBJECT,
    cold_import,
    import_verdict,
    paired_medians,
    python_code,
    quiet_environment,
)

CLIENT_ID, CLIENT_SECRET = "bench-client", "bench-secret"
IDS = [f"{n:032x}" for n in range(250)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def sandbox_process() -> Iterator[str]:
    """A sandbox tenant in a child process, rate limit off; yields its API root."""
    port = free_port()
    command = [sys.executable, "-m", "iscctl", "sandbox", "--port", str(port)]
    command += ["--rate-limit", "off", "--unknown-ids", "accept", "--population", "10"]
    command += ["--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.post(f"{root}/oauth/token", data={}, timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or child.poll() is not None:
                    raise SystemExit("the sandbox did not start") from None
                time.sleep(0.1)
        yield root
    finally:
        child.terminate()
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:  # a loaded machine: do not lose the figures
            child.kill()
            child.wait()


def fetch_token(root: str) -> str:
    form = {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }
    token: str = httpx.post(f"{root}/oauth/token", data=form).json()["access_token"]
    return token


def bare_block(http: httpx.Client, calls: int) -> None:
    for _ in range(calls):
        reply = http.post("/identities/process", json={"identityIds": IDS})
        assert reply.status_code == 202, reply.text
        reply.json()


def iscctl_block(isc: Client, calls: int) -> None:
    for _ in range(calls):
        assert isc.process_identities(IDS).id


class Meter:
    """Wall time and this process's CPU time, summed over blocks."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0
        self.calls = 0

    def run(self, block: Callable[[], None], calls: int) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        block()
        self.wall += time.perf_counter() - wall
        self.cpu += time.process_time() - cpu
        self.calls += calls

    @property
    def rate(self) -> float:
        return self.calls / self.wall

    @property
    def cpu_us(self) -> float:
        return self.cpu / self.calls * 1e6


def measure(root: str, calls: int, blocks: int) -> tuple[Meter, Meter, Meter]:
    """Alternate blocks of bare and iscctl calls on two warm clients, so drift hits both."""
    headers = {"Authorization": f"Bearer {fetch_token(root)}", "X-SailPoint-Experimental": "true"}
    bare, ours, paced = Meter(), Meter(), Meter()
    with (
        httpx.Client(base_url=f"{root}/v2025", headers=headers) as http,
        Client(root, CLIENT_ID, CLIENT_SECRET, rate_limit=None) as isc,
        Client(root, CLIENT_ID, CLIENT_SECRET, rate_limit=(1_000_000, 1.0)) as isc_paced,
    ):
        bare_block(http, 20)  # warm up: connection, token, caches
        iscctl_block(isc, 20)
        iscctl_block(isc_paced, 20)
        per_block = max(1, calls // blocks)
        for _ in range(blocks):
            bare.run(lambda: bare_block(http, per_block), per_block)
            ours.run(lambda: iscctl_block(isc, per_block), per_block)
            paced.run(lambda: iscctl_block(isc_paced, per_block), per_block)
    return bare, ours, paced


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=3000, help="calls per loop")
    parser.add_argument("--blocks", type=int, default=30, help="alternating blocks")
    parser.add_argument("--imports", type=int, default=9, help="cold-import samples")
    parser.add_argument("--quick", action="store_true", help="300 calls, 6 blocks, 3 imports")
    args = parser.parse_args()
    if args.quick:
        args.calls, args.blocks, args.imports = 300, 6, 3

    with sandbox_process() as root:
        bare, ours, paced = measure(root, args.calls, args.blocks)
    print(f"overhead: {bare.calls} process calls each, in {args.blocks} alternating blocks")
    print(f"  bare httpx.Client loop  {bare.rate:7.0f} req/s  {bare.cpu_us:6.0f} us CPU/call")
    print(f"  iscctl.Client           {ours.rate:7.0f} req/s  {ours.cpu_us:6.0f} us CPU/call")
    print(f"  iscctl.Client, pacer on {paced.rate:7.0f} req/s  {paced.cpu_us:6.0f} us CPU/call")
    print(
        f"  ratio bare/iscctl req/s {bare.rate / ours.rate:7.3f}  (target <= 1.05); "
        f"CPU ratio {ours.cpu_us / bare.cpu_us:.3f}"
    )

    with tempfile.TemporaryDirectory(prefix="iscctl-bench-import-") as scratch:
        work = Path(scratch)
        env = quiet_environment(work)
        package, bare_python = paired_medians(
            python_code("import iscctl"), python_code("pass"), args.imports, env, work
        )
        client, libraries = cold_import(args.imports, env, work)
    print(f"cold import, fresh interpreters, medians of {args.imports} alternating (wall; CPU):")
    extra = package.wall - bare_python.wall
    print(
        f"  python -c 'import iscctl'                 {package.wall * 1000:6.1f} ms; "
        f"{package.cpu * 1000:6.1f} ms CPU  (+{extra * 1000:.1f} ms over "
        f"python -c pass, {bare_python.wall * 1000:.1f} ms)"
    )
    print(
        f"  python -c '{IMPORT_SUBJECT}'     {client.wall * 1000:6.1f} ms; "
        f"{client.cpu * 1000:6.1f} ms CPU"
    )
    print(
        f"  python -c '{IMPORT_BASELINE}' {libraries.wall * 1000:6.1f} ms; "
        f"{libraries.cpu * 1000:6.1f} ms CPU"
    )
    print(
        f"  ratio to the libraries: wall {client.wall / libraries.wall:.3f}, "
        f"CPU {client.cpu / libraries.cpu:.3f}  ({import_verdict(client, libraries)})"
    )


if __name__ == "__main__":
    main()
