"""How the start-up benches time fresh processes: one way, shared, so their figures agree.

Imported by `bench_startup.py` and `bench_client_overhead.py` (not a bench itself:
`make bench` runs only `bench/bench_*.py`).

Every sample is a fresh process run from start to exit: its wall time, as a user
waits, and its CPU time (user + system), which a loaded machine disturbs far less.
A figure and its baseline are sampled alternately after one unmeasured warm-up each
(byte code compiled, files in the page cache), so load on a shared machine hits both
alike; each figure is the median of its samples. Both run with the same interpreter,
the same flags, the same environment and the same working directory.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

IMPORT_SUBJECT = "from iscctl import Client"
IMPORT_BASELINE = "import httpx, attrs, pydantic"
IMPORT_TARGET = 1.15
"""#11 / #14.12: the cold import of the client may cost at most 1.15x the libraries it
stands on, measured in the same run."""


class Sample(NamedTuple):
    wall: float
    """seconds from start to exit, as a user waits"""
    cpu: float
    """user + system seconds of the process: less disturbed by a loaded machine"""


def quiet_environment(home: Path) -> dict[str, str]:
    """This process's environment without any user configuration: no `SAIL_*` or
    `ISCCTL_*` variables, and `home` as HOME and iscctl's state and config folders, so
    no tool (sail's included) reads the user's files.

    Without `PYTHONDONTWRITEBYTECODE` too: an installed package has its byte code
    cached (pip compiles a wheel on install; an editable install writes `__pycache__`
    on first import), so a user's start-up reads .pyc files. With the variable set,
    the editable iscctl would be compiled from source in every sample while the
    libraries of the baseline read the .pyc files pip wrote: not the same footing."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAIL_", "ISCCTL_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        HOME=str(home),
        ISCCTL_STATE_DIR=str(home / "state"),
        ISCCTL_CONFIG_DIR=str(home / "config"),
    )
    return env


def run_once(command: Sequence[str | Path], env: Mapping[str, str], cwd: Path) -> Sample:
    """One fresh process; a failure stops the bench with its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [str(part) for part in command], env=dict(env), cwd=cwd, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(map(str, command))} failed (exit {result.returncode}):\n"
            f"{result.stdout[-800:]}{result.stderr[-800:]}"
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Sample(elapsed, cpu)


def median(samples: Sequence[Sample]) -> Sample:
    return Sample(
        statistics.median(s.wall for s in samples), statistics.median(s.cpu for s in samples)
    )


def paired_medians(
    subject: Sequence[str | Path],
    baseline: Sequence[str | Path],
    repeat: int,
    env: Mapping[str, str],
    cwd: Path,
) -> tuple[Sample, Sample]:
    """Medians of each command over `repeat` alternating samples, after a warm-up of each."""
    run_once(subject, env, cwd)
    run_once(baseline, env, cwd)
    subject_samples, baseline_samples = [], []
    for _ in range(repeat):
        subject_samples.append(run_once(subject, env, cwd))
        baseline_samples.append(run_once(baseline, env, cwd))
    return median(subject_samples), median(baseline_samples)


def python_code(code: str) -> list[str]:
    """A fresh interpreter, this bench's own (the project's venv), running `code`."""
    return [sys.executable, "-c", code]


def cold_import(repeat: int, env: Mapping[str, str], cwd: Path) -> tuple[Sample, Sample]:
    """`from iscctl import Client` and `import httpx, attrs, pydantic`: the medians."""
    return paired_medians(
        python_code(IMPORT_SUBJECT), python_code(IMPORT_BASELINE), repeat, env, cwd
    )


def import_verdict(subject: Sample, baseline: Sample) -> str:
    ratio = subject.wall / baseline.wall
    met = "met" if ratio <= IMPORT_TARGET else "NOT met"
    return f"ratio <= {IMPORT_TARGET}: {met}"
