"""Fixtures of the reliability suite: its own sandbox, the CLI as a real process, the
leak watch and the fault matrix.

Leak watch (autouse): every test here runs against sandboxes whose client secret is
`SECRET`, and every token any sandbox issues during the test is recorded. When the
test ends, everything it produced that a person or a program could read is searched
for the secret and those tokens: every log record at DEBUG, captured stdout/stderr,
the output of every `iscctl` process it started, the texts it hands to `evidence`
(error messages, reprs), and every file under its `tmp_path` (journals, `--output`
files, state and config folders). One occurrence fails the test.

Fault matrix: scenario tests call `matrix.record(...)`; the rows are printed as a
table at the end of the run, and written as Markdown to the file named by
$ISCCTL_RELIABILITY_MATRIX when that is set (docs/reliability.md is made from it).
"""

from __future__ import annotations

import logging
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
from iscctl.sandbox.auth import TokenBook

SECRET = "s3cr3t-RELIABILITY-9d41c7e2b8"
"""A client secret that cannot occur by chance in any output."""
OTHER_SECRETS = ("s3cr3t-WRONG-5be0c4a1f7",)
"""Secrets tests hand to the CLI that the tenant refuses: still secrets."""
JWT_SHAPE = re.compile(r"eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}")
"""A bearer token seen anywhere, also one issued in another process (sandbox tokens are JWTs)."""
CREDENTIAL_STORES = ("config",)
"""Folders under tmp_path that hold secrets on purpose (the user config); not output."""

SETTINGS = SandboxSettings(
    rate_limit=None, population_size=3000, seed=8, client_secret=SECRET, client_id="rel-client"
)

CLI_TIMEOUT = 120.0


# -- the leak watch ------------------------------------------------------------------------


class Evidence:
    """Everything a test produced, by where it came from, and the values that must not leak."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []
        self.tokens: list[str] = []

    def add(self, label: str, *items: object) -> None:
        """Add texts (or objects: their str and repr) shown to a person or a program."""
        for item in items:
            text = item if isinstance(item, str) else f"{item!s}\n{item!r}"
            self.texts.append((label, text))

    def add_tree(self, root: Path) -> None:
        """Add every file under `root` but the credential stores (decoded leniently)."""
        if not root.exists():
            return
        stores = [root / name for name in CREDENTIAL_STORES]
        files = [p for p in root.rglob("*") if p.is_file()]
        for path in sorted(p for p in files if not any(p.is_relative_to(s) for s in stores)):
            data = path.read_bytes()
            self.texts.append((str(path.relative_to(root)), data.decode("utf-8", "replace")))
            self.texts.append((f"{path.name} (latin-1)", data.decode("latin-1")))

    def leaks(self) -> list[str]:
        """'what leaked in where' for every occurrence, without the leaked value itself."""
        needles = [("the client secret", SECRET)]
        needles += [("a refused client secret", secret) for secret in OTHER_SECRETS]
        for n, token in enumerate(self.tokens, start=1):
            # the whole token, and its random part alone (a token cut short still leaks)
            needles += [(f"token #{n}", token), (f"token #{n}", token.rsplit(".", 1)[-1][:24])]
        found = []
        for label, text in self.texts:
            for what, value in needles:
                if value in text:
                    found.append(f"{what} in {label}")
            if JWT_SHAPE.search(text):
                found.append(f"a bearer token in {label}")
        return found


@pytest.fixture(autouse=True)
def evidence(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Evidence]:
    """The leak watch (see the module docstring); `evidence.add(label, text_or_object)`."""
    collected = Evidence()
    issue = TokenBook.issue

    def recording_issue(self: TokenBook, client_id: str) -> dict[str, Any]:
        reply = issue(self, client_id)
        collected.tokens.append(reply["access_token"])
        return reply

    monkeypatch.setattr(TokenBook, "issue", recording_issue)
    monkeypatch.delenv("ISCCTL_LOG", raising=False)
    for name in ("SAIL_BASE_URL", "SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ISCCTL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("ISCCTL_STATE_DIR", str(tmp_path / "state"))
    caplog.set_level(logging.DEBUG)
    yield collected
    out, err = capfd.readouterr()
    collected.add("captured stdout", out)
    collected.add("captured stderr", err)
    # caplog.text/records hold only the current phase (teardown): ask for each phase.
    formatter = logging.Formatter()
    for phase in ("setup", "call"):
        for record in caplog.get_records(phase):
            collected.add(f"log record of {record.name} ({phase})", formatter.format(record))
    collected.add_tree(tmp_path)
    leaks = collected.leaks()
    assert not leaks, "secrets leaked: " + "; ".join(sorted(set(leaks)))


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
def start_sandbox() -> Iterator[Callable[..., SandboxServer]]:
    """`start_sandbox(**overrides)`: a sandbox with other settings, stopped after the test."""
    started: list[SandboxServer] = []

    def start(**overrides: Any) -> SandboxServer:
        server = SandboxServer(attrs.evolve(SETTINGS, **overrides)).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


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

    def __init__(self, tmp_path: Path, evidence: Evidence) -> None:
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
def cli(tmp_path: Path, evidence: Evidence) -> CliRunner:
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
