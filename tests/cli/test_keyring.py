"""Client secrets in the system keyring (#14.3): `config set` stores them there when a
keyring is usable, falls back to the 0600 file with a warning, and every command reads
from either. The keyring here is `MemoryKeyring`, a real `keyring` backend class set
with `keyring.set_keyring`; without it the suite runs with keyring's "no backend"."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from typing import TYPE_CHECKING, Any

from click.testing import CliRunner
from iscctl.cli.main import cli
from iscctl.config import UserConfig

if TYPE_CHECKING:
    from conftest import LeakWatch  # tests/conftest.py
    from iscctl.sandbox import SandboxServer

    from .conftest import MemoryKeyring, World

SECRET = "s3cr3t-kept-in-keyring"


def _iscctl(args: list[str], **kwargs: Any) -> Any:
    return CliRunner().invoke(cli, args, catch_exceptions=False, **kwargs)


def _set(server: SandboxServer, *extra: str, secret: str | None = None) -> Any:
    args = ["config", "set", "acme", "--base-url", server.base_url]
    args += ["--client-id", server.client_id, *extra]
    return _iscctl(args, input=f"{secret or server.client_secret}\n")


def _file(world: World) -> str:
    return (world.config_dir / "config.toml").read_text()


def test_config_set_keeps_the_secret_in_the_keyring_and_commands_read_it(
    sandbox: SandboxServer, memory_keyring: MemoryKeyring, world: World
) -> None:
    stored = _set(sandbox)
    assert stored.exit_code == 0, stored.output
    assert "client secret in the system keyring" in stored.output
    assert memory_keyring.entries == {("iscctl", "acme"): sandbox.client_secret}
    assert sandbox.client_secret not in _file(world)
    assert 'client_secret_store = "keyring"' in _file(world)

    shown = json.loads(_iscctl(["config", "show"]).output)
    assert shown["sources"]["client_secret"] == "system keyring (service 'iscctl', user 'acme')"
    ran = _iscctl(
        ["identities", "process", "--rate-limit", "off", "-"],
        input="\n".join(sandbox.identity_ids[:2]) + "\n",
    )
    assert ran.exit_code == 0, ran.output
    assert sum(sandbox.state.process_counts.values()) == 2


def test_without_a_keyring_the_secret_goes_to_the_private_file_with_a_warning(
    sandbox: SandboxServer, world: World
) -> None:
    stored = _set(sandbox)
    assert stored.exit_code == 0, stored.output
    assert "warning: no system keyring backend is available" in stored.stderr
    assert "client secret in the config file" in stored.stdout
    path = world.config_dir / "config.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert UserConfig.load(path).environments["acme"]["client_secret"] == sandbox.client_secret
    shown = json.loads(_iscctl(["config", "show"]).stdout)
    assert shown["sources"]["client_secret"].endswith("[environments.acme] client_secret")


def test_no_keyring_keeps_the_file_and_moving_back_leaves_no_copy(
    sandbox: SandboxServer, memory_keyring: MemoryKeyring, world: World
) -> None:
    assert _set(sandbox).exit_code == 0
    assert memory_keyring.entries
    moved = _set(sandbox, "--no-keyring")
    assert moved.exit_code == 0, moved.output
    assert "warning" not in moved.output
    assert memory_keyring.entries == {}, "the keyring copy is removed"
    assert "client_secret_store" not in _file(world)
    shown = json.loads(_iscctl(["config", "show"]).output)
    assert shown["sources"]["client_secret"].endswith("[environments.acme] client_secret")


def test_a_secret_missing_from_the_keyring_is_one_line_with_the_fix(
    sandbox: SandboxServer, memory_keyring: MemoryKeyring
) -> None:
    assert _set(sandbox).exit_code == 0
    memory_keyring.entries.clear()  # removed with the OS's own keychain tool, say
    result = CliRunner().invoke(cli, ["config", "show"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1, result.output
    assert "the system keyring has no client secret for it" in result.output
    assert "iscctl config set acme" in result.output


def test_a_keyring_that_went_away_is_one_line_with_the_fix(
    sandbox: SandboxServer, memory_keyring: MemoryKeyring
) -> None:
    import keyring
    from keyring.backends import fail

    assert _set(sandbox).exit_code == 0
    keyring.set_keyring(fail.Keyring())  # the session's keyring is locked or gone
    result = CliRunner().invoke(cli, ["config", "show"])
    assert result.exit_code == 2
    assert "kept in the system keyring, but no system keyring backend" in result.output
    assert "SAIL_CLIENT_SECRET" in result.output


def test_remove_deletes_the_keyring_entry(
    sandbox: SandboxServer, memory_keyring: MemoryKeyring
) -> None:
    assert _set(sandbox).exit_code == 0
    assert _iscctl(["config", "remove", "acme"]).exit_code == 0
    assert memory_keyring.entries == {}


def test_a_piped_secret_gets_no_getpass_warning(world: World, leak_watch: LeakWatch) -> None:
    """A real process with a pipe for standard input, as `printf ... | iscctl config set`."""
    leak_watch.secrets.add(SECRET)
    command = ["config", "set", "acme", "--base-url", "acme", "--client-id", "id-acme"]
    result = subprocess.run(
        [sys.executable, "-m", "iscctl", *command],
        input=f"{SECRET}\n",
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )
    leak_watch.add("config set in a subprocess", result.stdout, result.stderr)
    assert result.returncode == 0, result.stderr
    assert "GetPassWarning" not in result.stderr
    assert "may be echoed" not in result.stderr
    # the suite's keyring is "none": one warning line about that, and the file holds it
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("warning: no system keyring backend is available")
    saved = UserConfig.load(world.config_dir / "config.toml").environments["acme"]
    assert saved["client_secret"] == SECRET


def test_an_empty_pipe_is_a_one_line_error(world: World) -> None:
    result = CliRunner().invoke(
        cli, ["config", "set", "acme", "--base-url", "acme", "--client-id", "i"], input=""
    )
    assert result.exit_code == 2
    assert "no client secret on standard input" in result.output
    assert not (world.config_dir / "config.toml").exists()


def test_client_secret_dash_reads_standard_input(
    sandbox: SandboxServer, memory_keyring: MemoryKeyring
) -> None:
    assert _set(sandbox).exit_code == 0
    result = _iscctl(["config", "set", "acme", "--client-secret", "-"], input="rotated-s3cr3t\n")
    assert result.exit_code == 0, result.output
    assert memory_keyring.entries[("iscctl", "acme")] == "rotated-s3cr3t"
