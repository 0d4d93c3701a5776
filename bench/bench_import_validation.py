"""How fast `identity-profiles import` checks a large export before sending anything.

Generates (deterministically) an SP-Config export of 1,000 identity profiles with
realistic, nested attribute transforms (about 10 MB), then times the whole local
pipeline — read, parse, pick profiles, strip read-only fields, validate — against a
baseline measured in the same run: plain ``json.loads`` of the same file. Prints the
times, the ratio, and the peak RSS of the process. Target: validation ≤ 0.5 s.

    .venv/bin/python bench/bench_import_validation.py [--profiles 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from iscctl.profiles.plan import plan_import

TARGET_SECONDS = 0.5
SOURCES = ("HR Workday", "Active Directory", "Contractors CSV", "ServiceNow", "Azure AD")
ATTRIBUTES = (
    "uid", "email", "firstname", "lastname", "displayName", "manager", "department",
    "location", "costCenter", "employeeNumber", "title", "phone", "startDate", "endDate",
    "lifecycleState", "company", "division", "country", "region", "jobCode",
)  # fmt: skip


def _hex_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def _account_attribute(rng: random.Random, source: str) -> dict[str, Any]:
    return {
        "type": "accountAttribute",
        "attributes": {
            "sourceName": source,
            "attributeName": rng.choice(ATTRIBUTES),
            "accountSortAttribute": "created",
            "accountSortDescending": rng.random() < 0.5,
        },
    }


def _transform(rng: random.Random, source: str, depth: int) -> dict[str, Any]:
    """A transform like real tenants have: lookups, concatenations, fallbacks, nested."""
    if depth <= 0:
        return _account_attribute(rng, source)
    kind = rng.choice(("firstValid", "concat", "lookup", "lower", "replace", "dateFormat"))
    inner = [_transform(rng, source, depth - 1) for _ in range(rng.randint(1, 3))]
    attributes: dict[str, Any]
    if kind == "firstValid":
        attributes = {"values": [*inner, "unknown"], "ignoreErrors": True}
    elif kind == "concat":
        attributes = {"values": [inner[0], rng.choice((" ", ".", "@acme.example")), *inner[1:]]}
    elif kind == "lookup":
        table = {f"{code:04d}": f"Department {code}" for code in rng.sample(range(9999), 12)}
        attributes = {"input": inner[0], "table": {**table, "default": "Unassigned"}}
    elif kind == "lower":
        attributes = {"input": inner[0]}
    elif kind == "replace":
        attributes = {"regex": "[^a-zA-Z0-9]", "replacement": "", "input": inner[0]}
    else:
        attributes = {
            "inputFormat": "yyyy-MM-dd",
            "outputFormat": "ISO8601",
            "input": inner[0],
            "weight": round(rng.random(), 4),
        }
    return {"type": kind, "attributes": attributes}


def make_export(count: int, seed: int = 7) -> dict[str, Any]:
    """An SP-Config export with ``count`` identity profiles plus a few other objects."""
    rng = random.Random(seed)
    objects: list[dict[str, Any]] = []
    for number in range(count):
        source = SOURCES[number % len(SOURCES)]
        name = f"Profile {number:04d} {source}"
        transforms = [
            {
                "identityAttributeName": attribute,
                "transformDefinition": _transform(rng, source, rng.randint(0, 2)),
            }
            for attribute in rng.sample(ATTRIBUTES, 10)
        ]
        profile_id = _hex_id(rng)
        objects.append(
            {
                "version": 1,
                "self": {"type": "IDENTITY_PROFILE", "id": profile_id, "name": name},
                "object": {
                    "id": profile_id,
                    "name": name,
                    "created": "2025-03-01T10:00:00.000Z",
                    "modified": "2026-01-15T08:30:00.000Z",
                    "description": f"Identities whose authoritative source is {source}",
                    "owner": {"type": "IDENTITY", "id": _hex_id(rng), "name": "Jane Admin"},
                    "priority": number,
                    "authoritativeSource": {"type": "SOURCE", "id": _hex_id(rng), "name": source},
                    "identityRefreshRequired": False,
                    "identityCount": rng.randint(0, 50_000),
                    "identityAttributeConfig": {
                        "enabled": True,
                        "attributeTransforms": transforms,
                    },
                    "identityExceptionReportReference": None,
                    "hasTimeBasedAttr": rng.random() < 0.2,
                },
            }
        )
    objects.append({"version": 1, "self": {"type": "SOURCE", "id": _hex_id(rng), "name": "HR"}})
    return {
        "version": 1,
        "timestamp": "2026-01-15T08:30:00Z",
        "tenant": "acme-sb",
        "options": {"includeTypes": ["IDENTITY_PROFILE", "SOURCE"]},
        "objects": objects,
    }


def _best_of(repeat: int, action: Any) -> tuple[float, float]:
    """Best wall and best CPU seconds: CPU does not grow when other programs load the
    machine, wall time does (by 2-5x on a shared machine)."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        action()
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best, best_cpu


def _peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _measure(path: str, what: str, repeat: int) -> None:
    """Child-process mode: time one job and print "seconds cpu_seconds peak_rss_mib"."""
    if what == "baseline":
        seconds, cpu = _best_of(repeat, lambda: json.loads(Path(path).read_bytes()))
    else:
        seconds, cpu = _best_of(repeat, lambda: plan_import(path))
    print(f"{seconds} {cpu} {_peak_rss_mib()}")


def _in_child(path: Path, what: str, repeat: int) -> tuple[float, float, float]:
    """Run one measurement in a fresh interpreter, so its peak RSS is its own."""
    command = [sys.executable, __file__, "--measure", str(path), what, "--repeat", str(repeat)]
    seconds, cpu, rss = subprocess.run(
        command, check=True, capture_output=True, text=True
    ).stdout.split()
    return float(seconds), float(cpu), float(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--measure", nargs=2, metavar=("PATH", "WHAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        _measure(args.measure[0], args.measure[1], args.repeat)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.json"
        path.write_text(json.dumps(make_export(args.profiles), indent=2), encoding="utf-8")
        size_mb = path.stat().st_size / 1e6
        plan = plan_import(str(path))
        baseline, baseline_cpu, baseline_rss = _in_child(path, "baseline", args.repeat)
        validation, validation_cpu, validation_rss = _in_child(path, "validate", args.repeat)
    verdict = "met" if validation <= TARGET_SECONDS else "MISSED"
    print(f"export: {len(plan.profiles)} profiles, {size_mb:.1f} MB, {len(plan.skipped)} skipped")
    print(
        f"baseline json.loads:           {baseline * 1000:7.1f} ms   peak RSS"
        f" {baseline_rss:.0f} MiB"
    )
    print(
        f"read + validate (plan_import): {validation * 1000:7.1f} ms   peak RSS"
        f" {validation_rss:.0f} MiB   = {validation / baseline:.1f}x baseline"
        f"  (target ≤ {TARGET_SECONDS * 1000:.0f} ms: {verdict})"
    )
    print(
        f"CPU: json.loads {baseline_cpu * 1000:.1f} ms, plan_import"
        f" {validation_cpu * 1000:.1f} ms = {validation_cpu / baseline_cpu:.1f}x baseline"
    )


if __name__ == "__main__":
    main()
