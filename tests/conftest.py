"""Fixtures shared by the whole suite, and the suite-wide leak watch.

Leak watch (autouse, every test): every token any sandbox issues during the test
is recorded; when the test ends, everything it produced that a person or a
program could read is searched for those tokens and for the client secrets in
use: every log record at DEBUG (setup and call), captured stdout/stderr, the
output of every in-process click invocation, the texts a test hands to
`leak_watch.add`, and every file under its `tmp_path` except the credential
stores that hold a secret on purpose (user config, `config.json`). One
occurrence fails the test. Folders add their own secrets and texts through the
`leak_watch` fixture.

`sandbox` is a real ISC sandbox tenant on a loopback port, rate limit off,
2,000 seeded identities. One server serves the whole session and is reset
before each test (state, tokens, faults), which is as good as fresh and much
faster than starting uvicorn per test. Tests that need other settings ask
`make_sandbox(**overrides)` for their own server.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import click.testing
import pytest
from iscctl.sandbox import SandboxServer, SandboxSettings
from iscctl.sandbox.auth import TokenBook

pytest_plugins = ["tests.tenant_pair"]
"""Fixtures shared by several folders, in modules of their own."""

FIXTURE_SETTINGS = SandboxSettings(
    rate_limit=None, population_size=2000, seed=1, client_secret="fixture-s3cr3t-5d1e8b2a"
)
"""A client secret that cannot occur by chance in any output (the leak watch looks for it)."""


@pytest.fixture(scope="session")
def _shared_sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(FIXTURE_SETTINGS) as server:
        yield server


@pytest.fixture
def sandbox(_shared_sandbox: SandboxServer) -> SandboxServer:
    """A running sandbox tenant in its start-up state (reset before the test)."""
    if not _shared_sandbox.running:  # a test stopped it: serve the next one anyway
        _shared_sandbox.start()
    _shared_sandbox.reset()
    return _shared_sandbox


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., SandboxServer]]:
    """Start sandboxes with other settings: `make_sandbox(token_ttl=1, rate_limit=None)`.

    Unspecified settings are those of the `sandbox` fixture; every server
    started here is stopped after the test.
    """
    started: list[SandboxServer] = []

    def make(**overrides: Any) -> SandboxServer:
        server = SandboxServer(attrs.evolve(FIXTURE_SETTINGS, **overrides)).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture(autouse=True)
def no_system_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real keyring of the machine it runs on (a developer's
    Keychain, say): `keyring` gets its "no backend" class, in this process and, through
    PYTHON_KEYRING_BACKEND, in every subprocess. A test that needs a keyring sets its own
    backend with `keyring.set_keyring(...)` (see tests/cli/conftest.py)."""
    import keyring
    from keyring.backends import fail

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    keyring.set_keyring(fail.Keyring())


# -- the leak watch ------------------------------------------------------------------------

CREDENTIAL_STORES = {"config", "user-config", "config.json", "config.toml"}
"""Folder and file names under tmp_path that hold a secret on purpose: not output."""


class LeakWatch:
    """What a test showed to people or programs, and the values that must never be in it."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []
        self.secrets: set[str] = {FIXTURE_SETTINGS.client_secret}
        self.tokens: list[str] = []
        self.patterns: list[re.Pattern[str]] = []

    def add(self, label: str, *items: object) -> None:
        """Add texts (or objects: their str and repr) shown to a person or a program."""
        for item in items:
            text = item if isinstance(item, str) else f"{item!s}\n{item!r}"
            self.texts.append((label, text))

    def add_tree(self, root: Path) -> None:
        """Add every file under `root` but the credential stores (decoded leniently)."""
        if not root.exists():
            return
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if CREDENTIAL_STORES.intersection(path.relative_to(root).parts):
                continue
            data = path.read_bytes()
            self.texts.append((str(path.relative_to(root)), data.decode("utf-8", "replace")))
            self.texts.append((f"{path.name} (latin-1)", data.decode("latin-1")))

    def leaks(self) -> list[str]:
        """'what leaked in where' for every occurrence, without the leaked value itself."""
        needles = [("a client secret", secret) for secret in sorted(self.secrets)]
        for n, token in enumerate(self.tokens, start=1):
            # the whole token, and its random part alone (a token cut short still leaks)
            needles += [(f"token #{n}", token), (f"token #{n}", token.rsplit(".", 1)[-1][:24])]
        found = []
        for label, text in self.texts:
            found += [f"{what} in {label}" for what, value in needles if value in text]
            found += [f"a bearer token in {label}" for p in self.patterns if p.search(text)]
        return found


@pytest.fixture(autouse=True)
def leak_watch(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[LeakWatch]:
    """The suite-wide leak watch (see the module docstring)."""
    watch = LeakWatch()
    issue = TokenBook.issue

    def recording_issue(self: TokenBook, client_id: str) -> dict[str, Any]:
        reply = issue(self, client_id)
        watch.tokens.append(reply["access_token"])
        return reply

    invoke = click.testing.CliRunner.invoke

    def recording_invoke(self: click.testing.CliRunner, *args: Any, **kwargs: Any) -> Any:
        result = invoke(self, *args, **kwargs)
        watch.add("output of an in-process command", result.output)
        return result

    monkeypatch.setattr(TokenBook, "issue", recording_issue)
    monkeypatch.setattr(click.testing.CliRunner, "invoke", recording_invoke)
    caplog.set_level(logging.DEBUG)
    yield watch
    out, err = capfd.readouterr()
    watch.add("captured stdout", out)
    watch.add("captured stderr", err)
    # caplog.records holds only the current phase (teardown): ask for each phase.
    formatter = logging.Formatter()
    for phase in ("setup", "call"):
        for record in caplog.get_records(phase):
            watch.add(f"log record of {record.name} ({phase})", formatter.format(record))
    watch.add_tree(tmp_path)
    leaks = watch.leaks()
    assert not leaks, "secrets leaked: " + "; ".join(sorted(set(leaks)))


@pytest.fixture
def secret_in_url(caplog: pytest.LogCaptureFixture) -> None:
    """For tests whose own raw requests carry a secret in the URL on purpose (the query
    string form of the token request): httpx logs request URLs at INFO, which would be
    the test's leak, not the product's; keep httpx's INFO lines out of the leak watch."""
    caplog.set_level(logging.WARNING, logger="httpx")
