"""Start-up of the `iscctl` command, each figure against a baseline measured in the same run.

Run: .venv/bin/python bench/bench_startup.py              (about a minute; the first run
                                                           also installs SailPoint's SDK)
     .venv/bin/python bench/bench_startup.py --quick      (a smoke run)
     .venv/bin/python bench/bench_startup.py --no-sdk     (leave out SailPoint's SDK)

Every sample is a fresh process, timed as `startup_timing.py` says (wall and CPU,
samples of a figure and of its baseline alternating after a warm-up, medians of
--repeat).

1. `iscctl --help` against `python -c "import click"` (target: <= 0.2 s median).
2. `iscctl identities process` of 10 ids against a running sandbox tenant (a child
   process, rate limit off), against a minimal script making the same call with
   SailPoint's official Python SDK 2.x (`sailpoint` on PyPI, the per-service
   `/identities/v1/process` operation). The SDK is not a dependency: the bench
   installs it into a scratch venv of its own (kept under --sdk-venv for later
   runs); when it cannot be installed the row says so and is skipped.
   Target: ratio <= 1.0.
3. `from iscctl import Client` against `import httpx, attrs, pydantic`
   (target: ratio <= 1.15; bench_client_overhead.py prints it too, measured by the
   same code: `startup_timing.cold_import`).
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from startup_timing import (
    IMPORT_BASELINE,
    IMPORT_SUBJECT,
    Sample,
    cold_import,
    import_verdict,
    median,
    paired_medians,
    quiet_environment,
    run_once,
)

CLIENT_ID, CLIENT_SECRET = "bench-client", "bench-startup-secret"
SDK_REQUIREMENT = "sailpoint>=2,<3"
DEFAULT_SDK_VENV = Path.home() / ".cache" / "iscctl-bench" / "sailpoint-sdk-2"
BIN = Path(sys.executable).parent
ISCCTL = BIN / "iscctl"

SDK_SCRIPT = '''\
"""Reprocess the identities listed in a file, with SailPoint's Python SDK."""
import os
import sys

from sailpoint.configuration import Configuration, ConfigurationParams
from sailpoint.identities import ApiClient, IdentitiesApi
from sailpoint.identities.models.process_identities_request import ProcessIdentitiesRequest

params = ConfigurationParams()
params.base_url = os.environ["SAIL_BASE_URL"]
params.client_id = os.environ["SAIL_CLIENT_ID"]
params.client_secret = os.environ["SAIL_CLIENT_SECRET"]
configuration = Configuration(params)  # fetches the token
configuration.experimental = True
configuration.suppress_experimental_warnings = True
with open(sys.argv[1], encoding="utf-8") as file:
    ids = [line.strip() for line in file if line.strip()]
with ApiClient(configuration) as client:
    task = IdentitiesApi(client).start_identity_processing_v1(
        ProcessIdentitiesRequest(identity_ids=ids), x_sail_point_experimental="true"
    )
print(task.id)
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def sandbox_process() -> Iterator[str]:
    """A sandbox tenant in a child process, rate limit off; yields its API root."""
    port = free_port()
    command = [str(ISCCTL), "sandbox", "--port", str(port), "--rate-limit", "off"]
    command += ["--population", "100", "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{root}/__sandbox__/state", timeout=1.0)
                break
            except httpx.TransportError:
                if child.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the sandbox tenant did not start") from None
                time.sleep(0.1)
        yield root
    finally:
        child.terminate()
        child.wait(timeout=30)


def sdk_python(venv: Path) -> tuple[Path | None, str]:
    """The scratch venv's interpreter with SailPoint's SDK, installing it if needed;
    (None, why) when it cannot be had."""
    python = venv / "bin" / "python"
    probe = "import importlib.metadata as m, sailpoint.identities; print(m.version('sailpoint'))"

    def version() -> str | None:
        if not python.exists():
            return None
        found = subprocess.run([python, "-c", probe], capture_output=True, text=True)
        return found.stdout.strip() if found.returncode == 0 else None

    installed = version()
    if installed is not None:
        return python, installed
    print(f"installing {SDK_REQUIREMENT} into {venv} (once; a minute or two) ...", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", venv], check=True)
        pip: list[str | Path] = [python, "-m", "pip", "install", "--quiet"]
        result = subprocess.run(
            [*pip, SDK_REQUIREMENT], capture_output=True, text=True, timeout=900
        )
    except (OSError, subprocess.SubprocessError) as error:
        return None, f"cannot make the scratch venv: {error}"
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"pip install {SDK_REQUIREMENT} failed: {last}"
    installed = version()
    if installed is None:
        return None, "the SDK installed but `import sailpoint.identities` fails"
    return python, installed


def row(what: str, subject: Sample, base_name: str, base: Sample, target: str) -> str:
    return (
        f"{what:<36} {subject.wall:6.3f} s {subject.cpu:6.3f} s   "
        f"{base_name:<34} {base.wall:6.3f} s {base.cpu:6.3f} s   "
        f"{subject.wall / base.wall:5.2f}x {subject.cpu / base.cpu:5.2f}x   {target}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="samples per figure")
    parser.add_argument("--quick", action="store_true", help="3 samples per figure")
    parser.add_argument("--no-sdk", action="store_true", help="skip SailPoint's SDK")
    parser.add_argument("--sdk-venv", type=Path, default=DEFAULT_SDK_VENV)
    args = parser.parse_args()
    repeat = 3 if args.quick else args.repeat
    python = sys.executable

    with tempfile.TemporaryDirectory(prefix="iscctl-bench-startup-") as scratch:
        work = Path(scratch)
        env = quiet_environment(work)  # no user configuration of any tool (sail's included)
        print(
            f"== start-up of fresh processes, medians of {repeat} (alternating with the baseline)"
        )
        print(
            f"{'what':<36} {'wall':>8} {'CPU':>8}   {'baseline, same run':<34} {'wall':>8}"
            f" {'CPU':>8}   {'ratio wall, CPU':<14} target"
        )

        # 1. --help
        help_, click_ = paired_medians(
            [ISCCTL, "--help"], [python, "-c", "import click"], repeat, env, work
        )
        verdict = "met" if help_.wall <= 0.2 else "NOT met"
        print(row("iscctl --help", help_, 'python -c "import click"', click_,
                  f"<= 0.2 s median: {verdict}"))  # fmt: skip

        # 3. the library import
        client_, stack_ = cold_import(repeat, env, work)
        print(row(IMPORT_SUBJECT, client_, IMPORT_BASELINE, stack_,
                  import_verdict(client_, stack_)))  # fmt: skip

        # 2. a real call, against SailPoint's SDK
        sdk, why = (None, "--no-sdk") if args.no_sdk else sdk_python(args.sdk_venv)
        with sandbox_process() as root:
            ids = httpx.get(f"{root}/__sandbox__/identities", params={"limit": 10}).json()
            (work / "ids.txt").write_text("\n".join(ids["identityIds"]) + "\n", encoding="utf-8")
            call_env = {
                **env,
                "SAIL_BASE_URL": root,
                "SAIL_CLIENT_ID": CLIENT_ID,
                "SAIL_CLIENT_SECRET": CLIENT_SECRET,
            }
            process: list[str | Path] = [ISCCTL, "identities", "process", "ids.txt"]
            process += ["--rate-limit", "off"]
            if sdk is None:
                alone = median([run_once(process, call_env, work) for _ in range(repeat)])
                print(f"{'iscctl identities process (10 ids)':<36} {alone.wall:6.3f} s "
                      f"{alone.cpu:6.3f} s   SailPoint SDK row skipped: {why}")  # fmt: skip
            else:
                (work / "sdk_process.py").write_text(SDK_SCRIPT, encoding="utf-8")
                ours, theirs = paired_medians(
                    process, [sdk, "sdk_process.py", "ids.txt"], repeat, call_env, work
                )
                met = "met" if ours.wall <= theirs.wall else "NOT met"
                print(row("iscctl identities process (10 ids)", ours,
                          f"sailpoint {why} SDK, same call", theirs,
                          f"ratio <= 1.0: {met}"))  # fmt: skip
        bare = median([run_once([python, "-c", "pass"], env, work) for _ in range(repeat)])
        print(
            f"(for scale: a bare `python -c pass` takes {bare.wall:.3f} s wall, {bare.cpu:.3f} s"
            " CPU here; on a loaded machine wall times grow, CPU times much less)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
