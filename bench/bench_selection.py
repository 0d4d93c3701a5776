"""Performance of choosing identities by query and waiting for their processing (#15).

Run: .venv/bin/python bench/bench_selection.py            (about two and a half minutes)
     .venv/bin/python bench/bench_selection.py --quick    (30,000 identities, 2 s windows)

1. Select and process. A sandbox tenant holding --identities identities and
   enforcing the tenant's limit shape (100 requests per sliding --window
   seconds, counted per client and API version) is asked, from the real
   command line in a child process, to process every identity a search query
   matches (`--query '*'`): the search pages (10,000 hits each, chained with
   searchAfter) and the process calls (250 ids each) share one pacer. The
   limit lets n calls start no sooner than

       allowed = floor((n - 1) / 100) x window        (the first 100 start at once)

   after the first; the run's time (the first search to the last 202, from the
   command's own JSON result, `selection.runSeconds`: the pages are sent while
   the next is searched, so selection and sending overlap) is compared with it
   (target <= 1.05). Lost ids, ids processed twice and 429s are read
   from the sandbox's own records (targets 0, 0, <= 1 %).
2. The wait's share of the rate budget. `iscctl identities status JOURNAL
   --wait --wait-timeout T` (5 % budget, the default of --wait) then waits on
   the same identities while the sandbox processes them slowly
   (--processing-time per identity); the reads it made during T seconds, from
   the sandbox's records, are compared with what the limit allows in T
   (target <= 5 %).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from iscctl import Client
from iscctl.processing.tenant_reads import TenantReads
from iscctl.sandbox import RateLimit, SandboxServer, SandboxSettings

REQUESTS_PER_WINDOW = 100


def iscctl(sandbox: SandboxServer, window: float, *arguments: str) -> tuple[int, dict[str, Any]]:
    """Run the command line in a child process; its exit status and its JSON result."""
    command = [
        sys.executable, "-m", "iscctl", "identities", *arguments,
        "--base-url", sandbox.base_url, "--client-id", sandbox.client_id,
        "--rate-limit", f"{REQUESTS_PER_WINDOW}/{window:g}", "--format", "json",
    ]  # fmt: skip
    env = {**os.environ, "SAIL_CLIENT_SECRET": sandbox.client_secret}
    child = subprocess.run(command, env=env, capture_output=True, text=True)
    if child.returncode not in (0, 1, 4):
        raise SystemExit(f"iscctl exited {child.returncode}: {child.stderr[-2000:]}")
    return child.returncode, json.loads(child.stdout)


def warm_up(sandbox: SandboxServer) -> float:
    """One search before the clock starts: the sandbox builds its identity records on first
    use (tens of seconds for 100,000), which is the sandbox's start-up, not the client's."""
    started = time.perf_counter()
    with Client(
        base_url=sandbox.base_url,
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        rate_limit=None,
    ) as isc:
        reads = TenantReads(isc.api, threaded=True)
        asyncio.run(reads.search_page("*", after=None, limit=1, count=False))
    return time.perf_counter() - started


def select_and_process(sandbox: SandboxServer, window: float, journal: Path) -> dict[str, Any]:
    print(f"(sandbox warm-up: its identity records built in {warm_up(sandbox):.1f} s, untimed)")
    time.sleep(window)  # the warm-up call leaves the limiter's window
    before = len(sandbox.state.requests)
    code, result = iscctl(sandbox, window, "process", "--query", "*", "--journal", str(journal))
    calls = [r for r in sandbox.state.requests[before:] if r.status is not None]
    statuses = Counter(r.status for r in calls)
    searches = sum(1 for r in calls if r.path.endswith("/search"))
    processes = sum(1 for r in calls if r.path.endswith("/identities/process"))
    limited = Counter(r.path.rsplit("/", 1)[-1] for r in calls if r.status == 429)
    made = searches + processes
    allowed = math.floor((made - 1) / REQUESTS_PER_WINDOW) * window
    selecting = result["selection"]["seconds"]
    sending = result["elapsedSeconds"]
    took = result["selection"]["runSeconds"]
    counts = sandbox.state.process_counts
    ids = sandbox.identity_ids
    lost = sum(1 for identity in ids if counts.get(identity, 0) == 0)
    twice = sum(1 for n in counts.values() if n > 1)
    print(
        f"select + process: {len(ids):,} identities by --query '*', limit "
        f"{REQUESTS_PER_WINDOW} requests / {window:g} s, exit {code}"
    )
    print(
        f"  {made} calls ({searches} searches, {processes} process calls), "
        f"{statuses.get(429, 0)} answered 429 ({statuses.get(429, 0) / max(1, made):.2%}, "
        f"target <= 1 %; by operation: {dict(limited) or 'none'})"
    )
    print(
        f"  selection {selecting:.2f} s ({selecting / max(1, searches):.2f} s per search page), "
        f"sending {sending:.2f} s meanwhile and after: {took:.2f} s from the first search"
    )
    print(
        f"  whole run: the limit allows {allowed:.1f} s for {made} calls: "
        f"ratio {took / allowed:.3f} (target <= 1.05)"
    )
    print(f"  ids lost {lost} (target 0); processed twice {twice}")
    return {"ratio": took / allowed, "lost": lost}


def wait_share(sandbox: SandboxServer, window: float, journal: Path, seconds: float) -> float:
    sandbox.state.process_counts  # noqa: B018 - the records below start after processing
    before = len(sandbox.state.requests)
    started = time.perf_counter()
    code, report = iscctl(
        sandbox, window, "status", str(journal), "--wait", "--wait-timeout", f"{seconds:g}"
    )
    elapsed = time.perf_counter() - started
    reads = [
        r
        for r in sandbox.state.requests[before:]
        if r.status is not None and not r.path.endswith("/oauth/token")  # not rate-limited
    ]
    waited = float(report["waited"]["seconds"])
    allowed = REQUESTS_PER_WINDOW * waited / window
    share = len(reads) / allowed
    by_kind = Counter(r.path.rsplit("/", 1)[-1] if "task-status" not in r.path else "task-status"
                      for r in reads)  # fmt: skip
    print(
        f"wait: {report['counts']['identities']:,} identities, --wait-timeout {seconds:g} s, "
        f"exit {code} ({report['counts']['finished']:,} finished, "
        f"{report['counts']['pending']:,} pending when it stopped; {elapsed:.1f} s in all)"
    )
    print(
        f"  {len(reads)} reads in {waited:.1f} s ({dict(by_kind)}); the limit allows "
        f"{allowed:,.0f}: {share:.2%} of the rate budget (target <= 5 %)"
    )
    return share


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--identities", type=int, default=100_000)
    parser.add_argument("--window", type=float, default=10.0, help="seconds per 100 requests")
    parser.add_argument("--wait-seconds", type=float, default=60.0)
    parser.add_argument("--processing-time", type=float, default=0.05, help="s per identity")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.identities, args.window, args.wait_seconds = 30_000, 2.0, 10.0
    settings = SandboxSettings(
        rate_limit=RateLimit(REQUESTS_PER_WINDOW, args.window),
        population_size=args.identities,
        processing_time=args.processing_time,
    )
    with SandboxServer(settings) as sandbox, tempfile.TemporaryDirectory() as folder:
        journal = Path(folder) / "run.jsonl"
        first = select_and_process(sandbox, args.window, journal)
        share = wait_share(sandbox, args.window, journal, args.wait_seconds)
    print(
        "targets: whole run <= 1.05 "
        + ("met" if first["ratio"] <= 1.05 else "NOT met")
        + f"; ids lost 0 {'met' if first['lost'] == 0 else 'NOT met'}"
        + f"; wait <= 5 % {'met' if share <= 0.05 else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
