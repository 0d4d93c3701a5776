"""The `sail` CLI's environments as one more source (#14.2).

`~/.sailpoint/config.yaml` as sail writes it (see iscctl/sail_config.py for what
was read from sail's source): older releases keep the PAT pair in the file,
newer ones in the system keyring under `environments.pat.clientid` /
`environments.pat.clientsecret` with the environment's name as the user.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner
from iscctl.cli.main import cli
from iscctl.config import UserConfig, resolve_settings
from iscctl.errors import ConfigurationError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from iscctl.sandbox import SandboxServer

    from .conftest import MemoryKeyring, World


def _sail_yaml(world: World, text: str) -> Path:
    path = world.home / ".sailpoint" / "config.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _environment(name: str, server: SandboxServer, *, pat_in_file: bool) -> str:
    text = f"""\
  {name}:
    baseurl: {server.base_url}
    tenanturl: https://{name}.identitynow.com
"""
    if pat_in_file:
        text += f"""\
    pat:
      clientid: {server.client_id}
      clientsecret: {server.client_secret}
      accesstoken: ""
      expiry: 0001-01-01T00:00:00Z
"""
    return text


def _iscctl(args: list[str], **kwargs: Any) -> Any:
    return CliRunner().invoke(cli, args, catch_exceptions=False, **kwargs)


def _process(args: list[str], server: SandboxServer, count: int = 2) -> Any:
    ids = "\n".join(server.identity_ids[:count]) + "\n"
    return _iscctl([*args, "identities", "process", "--rate-limit", "off", "-"], input=ids)


@pytest.fixture
def decoy(make_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    return make_sandbox()


def test_iscctl_e_uses_a_sail_environment_with_the_pat_in_the_file(
    sandbox: SandboxServer, decoy: SandboxServer, world: World
) -> None:
    path = _sail_yaml(
        world,
        "activeenvironment: other\nauthtype: pat\ndebug: false\nenvironments:\n"
        + _environment("prod", sandbox, pat_in_file=True)
        + _environment("other", decoy, pat_in_file=True),
    )
    result = _process(["-e", "prod"], sandbox)
    assert result.exit_code == 0, result.output
    assert sum(sandbox.state.process_counts.values()) == 2
    assert decoy.state.process_counts == {}

    shown = json.loads(_iscctl(["-e", "prod", "config", "show"]).output)
    assert shown["api_root"] == sandbox.base_url
    assert shown["sources"] == {
        "base_url": f"{path} environments.prod.baseurl",
        "client_id": f"{path} environments.prod.pat.clientid",
        "client_secret": f"{path} environments.prod.pat.clientsecret",
        "version": "default",
    }


def test_the_active_sail_environment_with_its_pat_in_the_keyring(
    sandbox: SandboxServer, world: World, memory_keyring: MemoryKeyring
) -> None:
    _sail_yaml(
        world,
        "activeenvironment: Prod\nenvironments:\n"
        + _environment("prod", sandbox, pat_in_file=False),
    )
    memory_keyring.set_password("environments.pat.clientid", "prod", sandbox.client_id)
    memory_keyring.set_password("environments.pat.clientsecret", "prod", sandbox.client_secret)

    result = _process([], sandbox)
    assert result.exit_code == 0, result.output
    assert sum(sandbox.state.process_counts.values()) == 2
    shown = json.loads(_iscctl(["config", "show"]).output)
    assert shown["sources"]["client_secret"] == (
        "system keyring (sail's 'environments.pat.clientsecret', user 'prod')"
    )


def test_our_environment_of_the_same_name_comes_first(
    sandbox: SandboxServer, decoy: SandboxServer, world: World
) -> None:
    _sail_yaml(world, "environments:\n" + _environment("prod", decoy, pat_in_file=True))
    user = UserConfig.load(world.config_dir / "config.toml")
    user.set_environment(
        "prod",
        {
            "base_url": sandbox.base_url,
            "client_id": sandbox.client_id,
            "client_secret": sandbox.client_secret,
        },
    )
    user.save()
    assert _process(["-e", "prod"], sandbox).exit_code == 0
    assert decoy.state.process_counts == {}


def test_our_active_environment_comes_before_sails(
    sandbox: SandboxServer, decoy: SandboxServer, world: World
) -> None:
    _sail_yaml(
        world,
        "activeenvironment: prod\nenvironments:\n" + _environment("prod", decoy, pat_in_file=True),
    )
    user = UserConfig(world.config_dir / "config.toml", active="mine")
    user.set_environment(
        "mine",
        {
            "base_url": sandbox.base_url,
            "client_id": sandbox.client_id,
            "client_secret": sandbox.client_secret,
        },
    )
    user.save()
    shown = json.loads(_iscctl(["config", "show"]).output)
    assert shown["api_root"] == sandbox.base_url


def test_an_unknown_name_lists_both_configs(sandbox: SandboxServer, world: World) -> None:
    path = _sail_yaml(world, "environments:\n" + _environment("prod", sandbox, pat_in_file=True))
    result = CliRunner().invoke(cli, ["-e", "qa", "config", "show"])
    assert result.exit_code == 2
    assert f"no environment named 'qa' (known: none yet; in {path}: prod)" in result.output


def test_a_sail_environment_without_credentials_says_what_is_missing(
    sandbox: SandboxServer, world: World
) -> None:
    """No keyring here (the suite's default) and no PAT in the file."""
    path = _sail_yaml(world, "environments:\n" + _environment("prod", sandbox, pat_in_file=False))
    result = CliRunner().invoke(cli, ["-e", "prod", "config", "show"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: missing client_id, client_secret; looked in: ")
    assert f"{path} environments.prod" in result.output
    assert result.output.count("\n") == 1


def test_a_broken_sail_file_is_named_only_when_it_is_needed(
    sandbox: SandboxServer, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _sail_yaml(world, "environments:\n  prod: [unclosed\n")
    result = CliRunner().invoke(cli, ["config", "show"])
    assert result.exit_code == 2
    assert f"{path}: line 3: not valid YAML" in result.output
    monkeypatch.setenv("SAIL_BASE_URL", sandbox.base_url)
    monkeypatch.setenv("SAIL_CLIENT_ID", sandbox.client_id)
    monkeypatch.setenv("SAIL_CLIENT_SECRET", sandbox.client_secret)
    assert _iscctl(["config", "show"]).exit_code == 0


def test_unknown_layouts_are_tolerated(world: World) -> None:
    _sail_yaml(
        world,
        "activeenvironment: 42\nenvironments:\n  odd: just-a-string\n"
        "  oauth-only:\n    tenanturl: https://x.identitynow.com\n    oauth: {}\n",
    )
    with pytest.raises(ConfigurationError, match=r"^missing base_url, client_id, client_secret"):
        resolve_settings(environ={"HOME": str(world.home)}, cwd=world.work)


def test_the_source_can_be_turned_off_or_moved(sandbox: SandboxServer, world: World) -> None:
    path = _sail_yaml(world, "activeenvironment: prod\nenvironments:\n")
    moved = world.home / "elsewhere.yaml"
    moved.write_text(
        "activeenvironment: prod\nenvironments:\n" + _environment("prod", sandbox, pat_in_file=True)
    )
    environ = {"HOME": str(world.home), "ISCCTL_CONFIG_DIR": str(world.config_dir)}
    settings = resolve_settings(environ={**environ, "ISCCTL_SAIL_CONFIG": str(moved)})
    assert settings.api_root == sandbox.base_url
    with pytest.raises(ConfigurationError, match="missing base_url"):
        resolve_settings(environ={**environ, "ISCCTL_SAIL_CONFIG": ""})
    assert path.exists()
