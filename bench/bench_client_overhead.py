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
2. Cold import: a fresh interpreter per sample, median of --imports samples:
   `from iscctl import Client` against `import httpx, attrs, pydantic` (the
   libraries it stands on) measured the same way, ratio target <= 1.15 (#11);
   and `import iscctl` against a bare `python -c pass`.
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
from iscctl import Client

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


def import_time_of_iscctl(samples: int) -> float:
    """Median cumulative microseconds of `import iscctl` per `python -X importtime`."""
    values = []
    for _ in range(samples):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import iscctl"],
            capture_output=True,
            text=True,
            check=True,
        )
        for line in done.stderr.splitlines():
            parts = [part.strip() for part in line.removeprefix("import time:").split("|")]
            if len(parts) == 3 and parts[2] == "iscctl":
                values.append(float(parts[1]))
    return statistics.median(values)


def median_start_time(code: str, samples: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of a fresh interpreter running
    `code`; the CPU time is the steadier figure on a shared machine."""
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    walls, cpus = [], []
    for _ in range(samples):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=environment)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


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

    baseline, _ = median_start_time("pass", args.imports)
    cold, _ = median_start_time("import iscctl", args.imports)
    libraries, libraries_cpu = median_start_time("import httpx, attrs, pydantic", args.imports)
    full, full_cpu = median_start_time("from iscctl import Client", args.imports)
    print(f"cold import, median of {args.imports} fresh interpreters (wall; CPU):")
    print(f"  python -c pass                          {baseline * 1000:7.1f} ms")
    print(
        f"  python -c 'import iscctl'               {cold * 1000:7.1f} ms  "
        f"(+{(cold - baseline) * 1000:.1f} ms over bare python)"
    )
    print(
        f"  python -c 'import httpx, attrs, pydantic' {libraries * 1000:5.1f} ms; "
        f"{libraries_cpu * 1000:.1f} ms CPU"
    )
    print(
        f"  python -c 'from iscctl import Client'   {full * 1000:7.1f} ms; "
        f"{full_cpu * 1000:.1f} ms CPU"
    )
    print(
        f"  ratio to the libraries: wall {full / libraries:.3f}, "
        f"CPU {full_cpu / libraries_cpu:.3f}  (target <= 1.15)"
    )
    own = import_time_of_iscctl(args.imports)
    print(f"  -X importtime, cumulative for iscctl  {own / 1000:5.1f} ms")


if __name__ == "__main__":
    main()
