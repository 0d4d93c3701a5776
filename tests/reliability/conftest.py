"""Fixtures of the reliability suite: its own sandbox, the CLI as a real process, the
leak watch and the fault matrix.

Leak watch: the suite's (tests/conftest.py), which records every token any sandbox
issues and searches everything a test produced (logs at DEBUG, stdout/stderr, files
under tmp_path). Here every sandbox's client secret is `SECRET`, the output of every
`iscctl` process a test starts is added to it, and anything shaped like a bearer
token counts as a leak too.

Fault matrix: scenario tests call `matrix.record(...)`; the rows are printed as a
table at the end of the run, and written as Markdown to the file named by
$ISCCTL_RELIABILITY_MATRIX when that is set (docs/reliability.md is made from it).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
from iscctl.sandbox import SandboxServer, SandboxSettings

SECRET = "s3cr3t-RELIABILITY-9d41c7e2b8"
"""A client secret that cannot occur by chance in any output."""
OTHER_SECRETS = ("s3cr3t-WRONG-5be0c4a1f7",)
"""Secrets tests hand to the CLI that the tenant refuses: still secrets."""
JWT_SHAPE = re.compile(r"eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}")
"""A bearer token seen anywhere, also one issued in another process (sandbox tokens are JWTs)."""

OWN_SETTINGS: dict[str, Any] = {
    "rate_limit": None,
    "population_size": 3000,
    "seed": 8,
    "client_secret": SECRET,
    "client_id": "rel-client",
}
"""How this suite's sandboxes differ from the start-up settings of any other sandbox."""
SETTINGS = SandboxSettings(**OWN_SETTINGS)

CLI_TIMEOUT = 120.0


# -- the leak watch ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def evidence(leak_watch: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The suite's leak watch (tests/conftest.py), also looking for this suite's secrets and
    for anything shaped like a bearer token; `evidence.add(label, text_or_object)`.

    Every test here also runs in a clean world: no SAIL_* or ISCCTL_LOG variables, state and
    user config under tmp_path."""
    leak_watch.secrets.update({SECRET, *OTHER_SECRETS})
    leak_watch.patterns.append(JWT_SHAPE)
    monkeypatch.delenv("ISCCTL_LOG", raising=False)
    for name in ("SAIL_BASE_URL", "SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ISCCTL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("ISCCTL_STATE_DIR", str(tmp_path / "state"))
    return leak_watch


# -- sandboxes -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _reliability_server() -> Iterator[SandboxServer]:
    with SandboxServer(SETTINGS) as server:
        yield server


@pytest.fixture
def isc(_reliability_server: SandboxServer) -> SandboxServer:
    """The suite's sandbox tenant (secret `SECRET`, no rate limit), reset for this test."""
    _reliability_server.reset()
    return _reliability_server


@pytest.fixture
def start_sandbox(make_sandbox: Callable[..., SandboxServer]) -> Callable[..., SandboxServer]:
    """`start_sandbox(**overrides)`: a sandbox with this suite's settings and the overrides,
    stopped after the test (by tests/conftest.py's `make_sandbox`)."""

    def start(**overrides: Any) -> SandboxServer:
        return make_sandbox(**{**OWN_SETTINGS, **overrides})

    return start


# -- the command line as a real process ------------------------------------------------------


def cli_environment(sandbox: SandboxServer | None, tmp_path: Path) -> dict[str, str]:
    """A clean environment: the sandbox's SAIL_* variables, state and config under tmp_path,
    debug logging on (so the leak watch sees the most talkative output)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAIL_", "ISCCTL_"))}
    env.update(
        ISCCTL_STATE_DIR=str(tmp_path / "state"),
        ISCCTL_CONFIG_DIR=str(tmp_path / "config"),
        ISCCTL_LOG="debug",
        PYTHONUNBUFFERED="1",
    )
    if sandbox is not None:
        env.update(
            SAIL_BASE_URL=sandbox.base_url,
            SAIL_CLIENT_ID=sandbox.client_id,
            SAIL_CLIENT_SECRET=sandbox.client_secret,
        )
    return env


class CliRunner:
    """Runs `python -m iscctl ARGS` in tmp_path; every output goes to the leak watch."""

    def __init__(self, tmp_path: Path, evidence: Any) -> None:
        self.tmp_path = tmp_path
        self.evidence = evidence
        self.runs = 0

    def run(
        self,
        *args: str | Path,
        sandbox: SandboxServer | None = None,
        stdin: bytes | None = None,
        env: dict[str, str] | None = None,
        python: str = sys.executable,
    ) -> subprocess.CompletedProcess[str]:
        command = [python, "-m", "iscctl", *map(str, args)]
        completed = subprocess.run(
            command,
            input=stdin,
            capture_output=True,
            env={**cli_environment(sandbox, self.tmp_path), **(env or {})},
            cwd=self.tmp_path,
            timeout=CLI_TIMEOUT,
            check=False,
        )
        return self._record(command, completed.returncode, completed.stdout, completed.stderr)

    def start(
        self, *args: str | Path, sandbox: SandboxServer | None = None
    ) -> subprocess.Popen[bytes]:
        """Start without waiting; pass the process to `finish` to collect its output."""
        return subprocess.Popen(
            [sys.executable, "-m", "iscctl", *map(str, args)],
            env=cli_environment(sandbox, self.tmp_path),
            cwd=self.tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def finish(self, process: subprocess.Popen[bytes]) -> subprocess.CompletedProcess[str]:
        out, err = process.communicate(timeout=CLI_TIMEOUT)
        return self._record(list(map(str, process.args)), process.returncode, out, err)  # type: ignore[arg-type]

    def _record(
        self, command: Sequence[str], code: int, out: bytes, err: bytes
    ) -> subprocess.CompletedProcess[str]:
        self.runs += 1
        stdout, stderr = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
        self.evidence.add(f"stdout of run {self.runs} ({' '.join(command[2:5])})", stdout)
        self.evidence.add(f"stderr of run {self.runs} ({' '.join(command[2:5])})", stderr)
        return subprocess.CompletedProcess(command, code, stdout, stderr)


@pytest.fixture
def cli(tmp_path: Path, evidence: Any) -> CliRunner:
    return CliRunner(tmp_path, evidence)


# -- the fault matrix --------------------------------------------------------------------------


@attrs.define(frozen=True)
class MatrixRow:
    operation: str
    scenario: str
    requests: int
    retries: int
    ids_lost: int
    duplicates: int
    exit_codes: str

    HEADER = ("operation", "scenario", "requests", "retries", "ids lost", "duplicates", "exit")

    def cells(self) -> tuple[str, ...]:
        return (
            self.operation,
            self.scenario,
            str(self.requests),
            str(self.retries),
            str(self.ids_lost),
            str(self.duplicates),
            self.exit_codes,
        )


MATRIX = pytest.StashKey[list[MatrixRow]]()


class Matrix:
    def __init__(self, rows: list[MatrixRow]) -> None:
        self.rows = rows

    def record(self, **fields: Any) -> None:
        self.rows.append(MatrixRow(**fields))


@pytest.fixture
def matrix(request: pytest.FixtureRequest) -> Matrix:
    return Matrix(request.config.stash.setdefault(MATRIX, []))


def _text_table(rows: list[MatrixRow]) -> list[str]:
    table = [MatrixRow.HEADER, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(MatrixRow.HEADER))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in table
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


def markdown_table(rows: list[MatrixRow]) -> str:
    lines = ["| " + " | ".join(MatrixRow.HEADER) + " |"]
    lines.append("|" + "|".join("---" for _ in MatrixRow.HEADER) + "|")
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    recorded = config.stash.setdefault(MATRIX, [])
    rows = sorted(recorded, key=lambda r: (r.operation, r.scenario))
    if not rows:
        return
    terminalreporter.section("fault matrix (tests/reliability)")
    for line in _text_table(rows):
        terminalreporter.write_line(line)
    target = os.environ.get("ISCCTL_RELIABILITY_MATRIX")
    if target:
        Path(target).write_text(markdown_table(rows), encoding="utf-8")
        terminalreporter.write_line(f"(also written to {target})")
