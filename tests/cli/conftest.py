"""Fixtures of the command-line configuration tests.

Every test here runs in a clean configuration world, so what a developer has
exported or configured on this machine cannot change an outcome: no SAIL_* or
ISCCTL_* connection variables, an empty user config folder, an empty home
(no `~/.sailpoint`), a current folder without `config.json`, and the journal
state folder under the test's own temporary folder.

Secrets written on purpose live under a folder named `config` (the suite's
leak watch skips the credential stores, and scans everything else).
"""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

CLEARED = (
    "SAIL_BASE_URL",
    "SAIL_CLIENT_ID",
    "SAIL_CLIENT_SECRET",
    "ISCCTL_LOG",
    "ISCCTL_ALLOW_HTTP_HOSTS",
    "ISCCTL_SAIL_CONFIG",
)


class World:
    """Where a test's configuration lives: the user config folder, home and cwd."""

    def __init__(self, root: Path) -> None:
        self.config_dir = root / "config" / "iscctl"
        self.home = root / "config" / "home"
        self.work = root / "work"
        self.state = root / "state"


@pytest.fixture(autouse=True)
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    """A clean configuration world (see the module docstring)."""
    place = World(tmp_path)
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)
    for folder in (place.home, place.work, place.state):
        folder.mkdir(parents=True)
    monkeypatch.setenv("ISCCTL_CONFIG_DIR", str(place.config_dir))
    monkeypatch.setenv("HOME", str(place.home))
    monkeypatch.setenv("ISCCTL_STATE_DIR", str(place.state))
    monkeypatch.chdir(place.work)
    return place


class MemoryKeyring(KeyringBackend):
    """A keyring backend (keyring's own interface) that keeps entries in memory: the
    keyring a test configures with `keyring.set_keyring`, instead of the machine's."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(f"no entry for {service} / {username}")


@pytest.fixture
def memory_keyring(no_system_keyring: None) -> MemoryKeyring:
    """A usable keyring for this test (the suite's default is none)."""
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend
