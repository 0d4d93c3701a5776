"""Reading id files: one minified JSON line against one id per line, same ids, same run.

Run: .venv/bin/python bench/bench_id_reading.py            (1,000,000 ids; a few minutes)
     .venv/bin/python bench/bench_id_reading.py --ids 200000

The same ids are written three ways: one per line, a pretty-printed JSON array
(one per line) and a minified JSON array on one line. Each is measured

1. by the reader alone (`iscctl.processing.read_ids`, in a fresh interpreter,
   best of --repeat), and
2. by the whole command, `iscctl identities process FILE --dry-run` (reading,
   validation, dedupe and spooling; nothing is sent), in a child process that
   reports its own peak RSS.

Targets (issue #12.12): minified JSON <= 1.3x the time of one id per line, both
measured here; peak RSS <= 80 MB for any layout. The times are printed too, but
only the ratios travel between machines.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

READER = """
import sys, time
from iscctl.processing import read_ids
started = time.perf_counter()
count = sum(1 for _ in read_ids([sys.argv[1]]))
print(count, time.perf_counter() - started)
"""

COMMAND = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
took = time.perf_counter() - started
assert done.returncode == 0, done.stderr.decode()
print(took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def write_files(folder: Path, count: int) -> dict[str, Path]:
    ids = [f"{n:032x}" for n in range(count)]
    files = {
        "one id per line": folder / "ids.txt",
        "JSON, one id per line": folder / "pretty.json",
        "JSON, one minified line": folder / "minified.json",
    }
    files["one id per line"].write_text("".join(f"{i}\n" for i in ids), encoding="utf-8")
    files["JSON, one id per line"].write_text(json.dumps(ids, indent=1), encoding="utf-8")
    files["JSON, one minified line"].write_text(
        json.dumps(ids, separators=(",", ":")), encoding="utf-8"
    )
    return files


def reader_seconds(path: Path, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", READER, str(path)], capture_output=True, text=True, check=True
        )
        best = min(best, float(done.stdout.split()[1]))
    return best


def command_figures(path: Path, folder: Path) -> tuple[float, float]:
    env = {**os.environ, "ISCCTL_STATE_DIR": str(folder / "state")}
    command = [sys.executable, "-m", "iscctl", "identities", "process", str(path), "--dry-run"]
    command += ["--base-url", "http://127.0.0.1:9", "--client-id", "bench"]
    done = subprocess.run(
        [sys.executable, "-c", COMMAND, *command], capture_output=True, text=True, env=env,
        check=True,
    )  # fmt: skip
    took, peak = done.stdout.split()
    return float(took), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="reader runs, best kept")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="iscctl-bench-") as name:
        folder = Path(name)
        files = write_files(folder, options.ids)
        reader = {label: reader_seconds(path, options.repeat) for label, path in files.items()}
        command = {label: command_figures(path, folder) for label, path in files.items()}
    base_reader, (base_command, _) = reader["one id per line"], command["one id per line"]
    print(f"{options.ids:,} ids; ratios against one id per line, same run")
    for label in files:
        took, peak = command[label]
        print(
            f"  {label:<24} reader {reader[label]:6.2f} s ({reader[label] / base_reader:4.2f}x)"
            f"   command --dry-run {took:6.2f} s ({took / base_command:4.2f}x), "
            f"peak RSS {peak:5.1f} MB"
        )
    minified = "JSON, one minified line"
    print(
        f"minified JSON / one per line: reader {reader[minified] / base_reader:.2f}x, "
        f"command {command[minified][0] / base_command:.2f}x (target <= 1.3x); "
        f"peak RSS at most {max(peak for _, peak in command.values()):.1f} MB (target <= 80 MB)"
    )


if __name__ == "__main__":
    main()
