"""How the sandbox's profile, source and transform reads scale with the profiles it holds.

Moving 500 profiles between two sandbox tenants (the #16 bench) reads them with
export pages, filtered lists and one get per profile. Those reads must cost
what their page costs, not what the whole store costs. This prints, per read,
the time of one call against a tenant holding 500 profiles, as a ratio of the
same call against a tenant holding the 2 seeded ones (same run, same machine),
and as a share of the 100 ms per call that ISC's rate limit (100 requests per
10 s) gives a client anyway.

The ratio compares pages of the same size: an export page of `limit=2` holds two
profiles in both tenants. A full page (`limit=250`) holds 250 profiles against the
small tenant's 2, so its ratio would measure the page, not the store; it is shown
with its share of the 100 ms only.

    .venv/bin/python bench/bench_sandbox_tenants.py [--profiles 500] [--calls 30]
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time
from collections.abc import Callable
from typing import Any

import httpx
from iscctl.sandbox import SandboxServer, SandboxSettings

RATE_LIMIT_BUDGET = 10.0 / 100  # seconds per call at 100 requests per 10 s
FULL_PAGE = "export page (limit 250)"  # 250 profiles against 2: no store ratio


def token_headers(http: httpx.Client, server: SandboxServer) -> dict[str, str]:
    reply = http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": server.client_id,
            "client_secret": server.client_secret,
        },
    )
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def fill(http: httpx.Client, headers: dict[str, str], count: int) -> None:
    """Import `count` copies of the seeded Employees profile under new names."""
    seed = http.get("/v2025/identity-profiles/export", headers=headers).json()[0]
    items = []
    for n in range(count):
        item = copy.deepcopy(seed)
        item["object"]["name"] = item["self"]["name"] = f"Profile {n:04d}"
        items.append(item)
    for start in range(0, count, 50):
        reply = http.post(
            "/v2025/identity-profiles/import", json=items[start : start + 50], headers=headers
        )
        assert reply.status_code == 200 and not reply.json()["errors"], reply.text


def median_seconds(call: Callable[[], Any], calls: int) -> float:
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(profiles: int, calls: int) -> dict[str, float]:
    settings = SandboxSettings(tenant="dev", rate_limit=None, population_size=1000)
    with SandboxServer(settings) as server, httpx.Client(base_url=server.base_url) as http:
        headers = token_headers(http, server)
        fill(http, headers, profiles)
        some_id = http.get("/v2025/identity-profiles", headers=headers).json()[-1]["id"]
        reads: dict[str, Callable[[], Any]] = {
            "export page (limit 2)": lambda: http.get(
                "/v2025/identity-profiles/export", params={"limit": 2}, headers=headers
            ),
            FULL_PAGE: lambda: http.get(
                "/v2025/identity-profiles/export", params={"limit": 250}, headers=headers
            ),
            "list, name eq filter": lambda: http.get(
                "/v2025/identity-profiles",
                params={"filters": 'name eq "Employees"'},
                headers=headers,
            ),
            "get one profile": lambda: http.get(
                f"/v2025/identity-profiles/{some_id}", headers=headers
            ),
            "sources, name in filter": lambda: http.get(
                "/v2025/sources",
                params={"filters": 'name in ("HR Workday","Azure AD")'},
                headers=headers,
            ),
        }
        return {name: median_seconds(read, calls) for name, read in reads.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=500)
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    baseline = measure(0, args.calls)
    loaded = measure(args.profiles, args.calls)
    print(f"{'read':<26} {'x with 2 profiles':>18} {'share of 100 ms':>16}")
    for name, seconds in loaded.items():
        ratio = "-" if name == FULL_PAGE else f"{seconds / baseline[name]:.1f}x"
        print(f"{name:<26} {ratio:>18} {seconds / RATE_LIMIT_BUDGET:>15.0%}")
    print(f"({args.profiles + 2} profiles against the 2 seeded ones; median of {args.calls} calls)")


if __name__ == "__main__":
    main()
