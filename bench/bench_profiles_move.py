"""How long moving 500 identity profiles between two tenants takes, against what its calls need.

Two sandbox tenants, `dev` and `prod`, enforce ISC's limit shape (100 requests per
10 s sliding window, per client). `dev` holds 500 generated profiles (10 nested
transforms each); `prod` starts empty. Each step of the move runs through iscctl's
Python API, then the same HTTP calls run as a bare httpx loop (one token, the same
URLs, pages and bodies, nothing else) against the same state, in the same run:

- export: every profile of `dev` (GET /identity-profiles/export, 250 per page);
- plan, calls: what the plan reads from `prod` (sources, transforms, profiles,
  identities for the owners); the plan's local work is measured apart, below;
- import: backup export, the import requests (chunks of 50), the read-back list.

Target: each step ≤ 1.1x its bare calls. And the local part of a plan, resolving
every reference and diffing 1,000 profiles against a target that holds them all
(after validation, which bench_import_validation.py measures): ≤ 0.5 s.

    .venv/bin/python bench/bench_profiles_move.py [--profiles 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_import_validation import make_export
from iscctl import Client
from iscctl.profiles.catalog import Catalog, Reference
from iscctl.profiles.diffing import plan_changes
from iscctl.profiles.moving import apply_move_sync, export_named_sync, plan_move_sync
from iscctl.profiles.plan import plan_import
from iscctl.profiles.references import resolve
from iscctl.profiles.runner import import_profiles
from iscctl.profiles.tenant import read_catalog_sync
from iscctl.sandbox import SandboxServer, SandboxSettings

TARGET_RATIO = 1.1
TARGET_LOCAL_SECONDS = 0.5
PAGE = 250
CHUNK = 50


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
            page = self.http.get(path, params={"limit": PAGE, "offset": offset, **params}).json()
            found.extend(page)
            if len(page) < PAGE:
                return found
            offset += PAGE

    def post(self, path: str, body: Any) -> None:
        reply = self.http.post(path, json=body)
        reply.raise_for_status()

    def close(self) -> None:
        self.http.close()


def best(repeat: int, before: Callable[[], None], action: Callable[[], Any]) -> float:
    fastest = float("inf")
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        action()
        fastest = min(fastest, time.perf_counter() - started)
    return fastest


def local_plan_seconds(count: int) -> float:
    """Resolve and diff ``count`` profiles against a catalog that holds them all."""
    plan = plan_import(profiles(count))
    sources = {p.source.name for p in plan.profiles}
    catalog = Catalog(
        sources=[Reference(f"target-{i:028d}", name) for i, name in enumerate(sorted(sources))],
        identities=[Reference("target-admin", "Jane Admin")],
        profiles=[{**p.body["object"], "priority": 1} for p in plan.profiles],
    )
    started = time.perf_counter()
    resolution = resolve(plan.profiles, catalog)
    plan_changes(resolution.profiles, catalog.profiles)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    exported = profiles(args.profiles)
    dev = SandboxServer(SandboxSettings(tenant="dev", population_size=200, seed_profiles=False))
    prod = SandboxServer(SandboxSettings(tenant="prod", population_size=200, seed_profiles=False))
    rows: list[tuple[str, int, float, float]] = []
    with dev, prod, tempfile.TemporaryDirectory() as folder:
        with client(dev) as isc:
            import_profiles(isc, exported, chunk_size=CHUNK)  # the source tenant's profiles

        def count(server: SandboxServer) -> Callable[[], int]:
            start = len(server.state.requests)
            return lambda: len(server.state.requests) - start

        # export
        calls = count(dev)
        with client(dev) as isc:
            export_named_sync(isc)
        export_calls = calls()

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
                export_calls,
                best(args.repeat, lambda: None, iscctl_export),
                best(args.repeat, lambda: None, bare_export),
            )
        )
        with client(dev) as isc:
            objects = export_named_sync(isc)

        # plan: the reads (the local work is measured below)
        calls = count(prod)
        with client(prod) as isc:
            read_catalog_sync(isc, with_identities=True)
        plan_calls = calls()

        def iscctl_reads() -> None:
            with client(prod) as isc:
                read_catalog_sync(isc, with_identities=True)

        def bare_reads() -> None:
            bare = Bare(prod)
            for path in ("/v2025/sources", "/v2025/transforms", "/v2025/identity-profiles"):
                bare.pages(path)
            bare.pages("/v2025/identities")
            bare.close()

        rows.append(
            (
                "plan (reads)",
                plan_calls,
                best(args.repeat, lambda: None, iscctl_reads),
                best(args.repeat, lambda: None, bare_reads),
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
        rows.append(
            (
                "import (backup, import, read-back)",
                import_calls,
                best(args.repeat, prod.reset, iscctl_import),
                best(args.repeat, prod.reset, bare_import),
            )
        )
    print(f"{args.profiles} profiles, dev -> prod, each tenant limited to 100 requests / 10 s")
    for step, calls_made, ours, bare in rows:
        ratio = ours / bare
        verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
        print(
            f"{step:36s} {calls_made:3d} calls  iscctl {ours * 1000:7.1f} ms   bare calls"
            f" {bare * 1000:7.1f} ms   = {ratio:.2f}x  (target ≤ {TARGET_RATIO}x: {verdict})"
        )
    local = min(local_plan_seconds(1000) for _ in range(args.repeat))
    verdict = "met" if local <= TARGET_LOCAL_SECONDS else "MISSED"
    print(
        f"{'resolve + diff 1,000 profiles (local)':36s}            {local * 1000:7.1f} ms"
        f"   (target ≤ {TARGET_LOCAL_SECONDS * 1000:.0f} ms: {verdict})"
    )


if __name__ == "__main__":
    main()
