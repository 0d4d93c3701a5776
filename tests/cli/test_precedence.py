"""The command line resolves its connection settings exactly as `iscctl.config` documents.

Regression tests for #14.1: options used to declare `envvar=SAIL_*`, so click
turned exported variables into explicit arguments that beat `--env`, while
`iscctl config show` (which had no such options) reported the named
environment. Each test runs the real `iscctl` command group against sandbox
tenants over real HTTP.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner
from iscctl.cli.main import cli
from iscctl.config import UserConfig
from iscctl.sandbox import SandboxServer

if TYPE_CHECKING:
    from collections.abc import Callable

    from .conftest import World


def _save_environment(world: World, name: str, server: SandboxServer, **extra: str) -> None:
    user = UserConfig.load(world.config_dir / "config.toml")
    user.set_environment(
        name,
        {
            "base_url": server.base_url,
            "client_id": server.client_id,
            "client_secret": server.client_secret,
            **extra,
        },
    )
    user.save()


def _export(monkeypatch: pytest.MonkeyPatch, server: SandboxServer | None, **values: str) -> None:
    if server is not None:
        values = {
            "SAIL_BASE_URL": server.base_url,
            "SAIL_CLIENT_ID": server.client_id,
            "SAIL_CLIENT_SECRET": server.client_secret,
            **values,
        }
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def _iscctl(args: list[str], **kwargs: Any) -> Any:
    return CliRunner().invoke(cli, args, catch_exceptions=False, **kwargs)


def _processed(server: SandboxServer) -> int:
    return sum(server.state.process_counts.values())


@pytest.fixture
def decoy(make_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    """A second tenant the exported SAIL_* variables point at."""
    return make_sandbox()


def _show(args: list[str]) -> dict[str, Any]:
    result = _iscctl([*args])
    assert result.exit_code == 0, result.output
    shown: dict[str, Any] = json.loads(result.output)
    return shown


def test_env_option_beats_exported_sail_variables(
    sandbox: SandboxServer,
    decoy: SandboxServer,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _save_environment(world, "prod", sandbox)
    _export(monkeypatch, decoy)
    ids = sandbox.identity_ids[:3]

    result = _iscctl(
        ["identities", "process", "--env", "prod", "--rate-limit", "off", "-"],
        input="\n".join(ids) + "\n",
    )

    assert result.exit_code == 0, result.output
    assert _processed(sandbox) == 3, "the named environment's tenant got the ids"
    assert _processed(decoy) == 0, "the exported variables' tenant got nothing"
    shown = _show(["config", "show", "--env", "prod"])
    assert shown["api_root"] == sandbox.base_url
    assert shown["sources"]["base_url"].endswith("[environments.prod] base_url")


def test_config_show_takes_the_same_options_as_a_command(
    sandbox: SandboxServer, decoy: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _export(monkeypatch, decoy)
    shown = _show(["config", "show", "--base-url", sandbox.base_url, "--api-version", "beta"])
    assert shown["api_root"] == sandbox.base_url
    assert shown["sources"]["base_url"] == "option --base-url"
    assert shown["version"] == "beta"
    assert shown["sources"]["version"] == "option --api-version"
    assert shown["sources"]["client_id"] == "environment variable SAIL_CLIENT_ID"


def test_a_bad_base_url_in_the_environment_is_blamed_on_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _export(
        monkeypatch,
        None,
        SAIL_BASE_URL="http://tenant.example.com",
        SAIL_CLIENT_ID="id",
        SAIL_CLIENT_SECRET="s3cr3t-cli-env",
    )
    result = _iscctl(["identities", "process", "-"], input="2c9180835d2e5168015d32f890ca1581\n")
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if "Error" in line or "error" in line]
    assert len(errors) == 1, result.output
    assert "SAIL_BASE_URL" in errors[0]
    assert "--base-url" not in errors[0].split("plain http")[0]
    assert "s3cr3t-cli-env" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["-e", "prod", "identities", "process"],
        ["--env", "prod", "identities", "process"],
        ["identities", "process", "-e", "prod"],
        ["-e", "decoy", "identities", "process", "--env", "prod"],  # the command's own wins
    ],
    ids=["short-before", "long-before", "on-the-command", "command-beats-global"],
)
def test_env_is_a_global_option_as_in_sail(
    args: list[str],
    sandbox: SandboxServer,
    decoy: SandboxServer,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _save_environment(world, "prod", sandbox)
    _save_environment(world, "decoy", decoy)
    _export(monkeypatch, decoy)
    result = _iscctl(
        [*args, "--rate-limit", "off", "-"], input="\n".join(sandbox.identity_ids[:2]) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert (_processed(sandbox), _processed(decoy)) == (2, 0)


def test_config_show_follows_the_global_env_option(
    sandbox: SandboxServer, decoy: SandboxServer, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _save_environment(world, "prod", sandbox, version="beta")
    _export(monkeypatch, decoy)
    shown = _show(["-e", "prod", "config", "show"])
    assert shown["api_root"] == sandbox.base_url
    assert shown["version"] == "beta"
    assert shown["sources"]["version"].endswith("[environments.prod] version")


def test_an_unknown_global_env_is_one_line_naming_the_known_ones(
    sandbox: SandboxServer, world: World
) -> None:
    _save_environment(world, "prod", sandbox)
    result = CliRunner().invoke(cli, ["-e", "qa", "identities", "process", "-"], input="x\n")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1, result.output
    assert "no environment named 'qa' (known: prod)" in result.output
