"""How long moving 500 identity profiles between two tenants takes, against what its calls need.

Two sandbox tenants, `dev` and `prod`, enforce ISC's limit shape (100 requests per
10 s sliding window, per client). `dev` holds 500 generated profiles (10 nested
transforms each); `prod` starts empty. Each step of the move runs through iscctl's
Python API, then the same HTTP calls run as a bare httpx loop (one token, the same
URLs, pages and bodies, nothing else) against the same state, in the same run:

- export: every profile of `dev` (GET /identity-profiles/export, 250 per page);
- plan, calls: what the plan reads from `prod` (sources, transforms, profiles, and
  one search of the identities index per 200 owner ids and names); the plan's local
  work is measured apart, below;
- import: backup export, the import requests (chunks of 50), the read-back list.

Both sides' calls are counted from the sandbox's records and printed: a ratio means
something only when they make the same calls. Target: each step ≤ 1.1x its bare
calls. And the local part of a plan, resolving every reference and diffing 1,000
profiles against a target that holds them all (after validation, which
bench_import_validation.py measures): ≤ 0.5 s.

    .venv/bin/python bench/bench_profiles_move.py [--profiles 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_import_validation import make_export
from iscctl import Client
from iscctl.profiles.catalog import Catalog, Reference
from iscctl.profiles.diffing import plan_changes
from iscctl.profiles.moving import apply_move_sync, export_named_sync, plan_move_sync
from iscctl.profiles.owners import find_owners_sync, wanted
from iscctl.profiles.plan import plan_import
from iscctl.profiles.references import resolve
from iscctl.profiles.runner import import_profiles
from iscctl.profiles.tenant import read_catalog_sync
from iscctl.sandbox import SandboxServer, SandboxSettings

TARGET_RATIO = 1.1
TARGET_LOCAL_SECONDS = 0.5
PAGE = 250
CHUNK = 50
OWNERS_PER_SEARCH = 200  # each owner adds two terms (id, name); ISC takes about 800


def owner_searches(values: list[str]) -> list[dict[str, Any]]:
    """The search bodies that look up the owners' ids and names, as plain JSON."""

    def quoted(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    bodies = []
    for start in range(0, len(values), OWNERS_PER_SEARCH):
        chunk = values[start : start + OWNERS_PER_SEARCH]
        query = " OR ".join(f"id:{quoted(v)} OR name:{quoted(v)}" for v in chunk)
        bodies.append(
            {
                "indices": ["identities"],
                "queryType": "SAILPOINT",
                "query": {"query": query},
                "sort": ["id"],
                "includeNested": False,
                "queryResultFilter": {"includes": ["id", "name"]},
            }
        )
    return bodies


def profiles(count: int) -> list[dict[str, Any]]:
    objects = make_export(count)["objects"]
    return [o for o in objects if o["self"]["type"] == "IDENTITY_PROFILE"]


def client(server: SandboxServer) -> Client:
    return Client(
        base_url=server.base_url, client_id=server.client_id, client_secret=server.client_secret
    )


class Bare:
    """The same calls with nothing around them: one token, then plain httpx requests."""

    def __init__(self, server: SandboxServer) -> None:
        self.http = httpx.Client(base_url=server.base_url, timeout=60)
        reply = self.http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": server.client_id,
                "client_secret": server.client_secret,
            },
        )
        self.http.headers["Authorization"] = f"Bearer {reply.json()['access_token']}"

    def pages(self, path: str, **params: Any) -> list[Any]:
        found: list[Any] = []
        offset = 0
        while True:
            reply = self.http.get(path, params={"limit": PAGE, "offset": offset, **params})
            reply.raise_for_status()  # a 429 read as a short page would end early, faster
            page = reply.json()
            found.extend(page)
            if len(page) < PAGE:
                return found
            offset += PAGE

    def post(self, path: str, body: Any, **params: Any) -> Any:
        reply = self.http.post(path, json=body, params=params)
        reply.raise_for_status()
        return reply.json()

    def close(self) -> None:
        self.http.close()


@dataclass
class Timing:
    """Best wall and best CPU seconds of each side. CPU is the whole process's (the
    sandbox serves from a thread of this process, so it includes the tenant's work,
    the same for the same calls): unlike wall time, it does not grow when other
    programs load the machine."""

    ours: float = float("inf")
    bare: float = float("inf")
    ours_cpu: float = float("inf")
    bare_cpu: float = float("inf")


def best(
    repeat: int, before: Callable[[], None], ours: Callable[[], Any], bare: Callable[[], Any]
) -> Timing:
    """Each side ``repeat`` times, alternating, so that both meet the same load."""
    timing = Timing()
    for _ in range(repeat):
        for side, action in (("ours", ours), ("bare", bare)):
            before()
            wall, cpu = time.perf_counter(), time.process_time()
            action()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            setattr(timing, side, min(getattr(timing, side), wall))
            setattr(timing, f"{side}_cpu", min(getattr(timing, f"{side}_cpu"), cpu))
    return timing


def local_plan_seconds(count: int) -> tuple[float, float]:
    """Resolve and diff ``count`` profiles against a catalog that holds them all: wall
    and CPU seconds."""
    plan = plan_import(profiles(count))
    sources = sorted({p.source.name for p in plan.profiles if p.source.name is not None})
    catalog = Catalog(
        sources=[Reference(f"target-{i:028d}", name) for i, name in enumerate(sources)],
        identities=[Reference("target-admin", "Jane Admin")],
        profiles=[{**p.body["object"], "priority": 1} for p in plan.profiles],
    )
    started, cpu = time.perf_counter(), time.process_time()
    resolution = resolve(plan.profiles, catalog)
    plan_changes(resolution.profiles, catalog.profiles)
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    exported = profiles(args.profiles)
    dev = SandboxServer(SandboxSettings(tenant="dev", population_size=200, seed_profiles=False))
    prod = SandboxServer(SandboxSettings(tenant="prod", population_size=200, seed_profiles=False))
    rows: list[tuple[str, int, int, Timing]] = []
    with dev, prod, tempfile.TemporaryDirectory() as folder:
        with client(dev) as isc:
            import_profiles(isc, exported, chunk_size=CHUNK)  # the source tenant's profiles

        def count(server: SandboxServer) -> Callable[[], int]:
            start = len(server.state.requests)
            return lambda: len(server.state.requests) - start

        def calls_of(server: SandboxServer, action: Callable[[], Any]) -> int:
            start = count(server)
            action()
            return start()

        # export

        def iscctl_export() -> None:
            with client(dev) as isc:
                export_named_sync(isc)

        def bare_export() -> None:
            bare = Bare(dev)
            bare.pages("/v2025/identity-profiles/export", sorters="name")
            bare.close()

        rows.append(
            (
                "export",
                calls_of(dev, iscctl_export),
                calls_of(dev, bare_export),
                best(args.repeat, lambda: None, iscctl_export, bare_export),
            )
        )
        with client(dev) as isc:
            objects = export_named_sync(isc)

        # plan: the reads plan_move makes (the local work is measured below)
        owners = wanted(plan_import(objects))
        searches = owner_searches(owners)

        def iscctl_reads() -> None:
            with client(prod) as isc:
                read_catalog_sync(isc)
                find_owners_sync(isc, owners)

        def bare_reads() -> None:
            bare = Bare(prod)
            for path in ("/v2025/sources", "/v2025/transforms", "/v2025/identity-profiles"):
                bare.pages(path)
            for body in searches:
                bare.post("/v2025/search", body, limit=10000)
            bare.close()

        rows.append(
            (
                "plan (reads)",
                calls_of(prod, iscctl_reads),
                calls_of(prod, bare_reads),
                best(args.repeat, lambda: None, iscctl_reads, bare_reads),
            )
        )
        with client(prod) as isc:
            move = plan_move_sync(isc, objects)
        bodies = [p.body for p in move.plan.profiles]
        backup = Path(folder) / "backup.json"

        def iscctl_import() -> None:
            with client(prod) as isc:
                apply_move_sync(isc, move, backup=backup, chunk_size=CHUNK)

        def bare_import() -> None:
            bare = Bare(prod)
            bare.pages("/v2025/identity-profiles/export", sorters="name")
            for start in range(0, len(bodies), CHUNK):
                bare.post("/v2025/identity-profiles/import", bodies[start : start + CHUNK])
            bare.pages("/v2025/identity-profiles")
            bare.close()

        prod.reset()
        iscctl_import()
        import_calls = len(prod.state.requests)
        prod.reset()
        bare_import()
        bare_import_calls = len(prod.state.requests)
        rows.append(
            (
                "import (backup, import, read-back)",
                import_calls,
                bare_import_calls,
                best(args.repeat, prod.reset, iscctl_import, bare_import),
            )
        )
    print(f"{args.profiles} profiles, dev -> prod, each tenant limited to 100 requests / 10 s")
    for step, calls_made, bare_calls, timing in rows:
        ratio = timing.ours / timing.bare
        verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
        print(
            f"{step:36s} {calls_made:3d} calls  iscctl {timing.ours * 1000:7.1f} ms"
            f"   {bare_calls:3d} bare calls {timing.bare * 1000:7.1f} ms   = {ratio:.2f}x"
            f"  (target ≤ {TARGET_RATIO}x: {verdict})"
        )
        print(
            f"{'':36s} CPU:   iscctl {timing.ours_cpu * 1000:7.1f} ms   bare calls"
            f" {timing.bare_cpu * 1000:7.1f} ms   = {timing.ours_cpu / timing.bare_cpu:.2f}x"
        )
    measured = [local_plan_seconds(1000) for _ in range(args.repeat)]
    local, local_cpu = min(wall for wall, _ in measured), min(cpu for _, cpu in measured)
    verdict = "met" if local <= TARGET_LOCAL_SECONDS else "MISSED"
    print(
        f"{'resolve + diff 1,000 profiles (local)':36s}            {local * 1000:7.1f} ms"
        f"   (CPU {local_cpu * 1000:.1f} ms; target ≤ {TARGET_LOCAL_SECONDS * 1000:.0f} ms:"
        f" {verdict})"
    )


if __name__ == "__main__":
    main()
