"""`iscctl config`: keep named environments (tenants) in the user config, and show settings.

    iscctl config set acme --base-url acme --client-id 2c91...   # prompts for the secret
    iscctl config use acme
    iscctl config list
    iscctl config show [--env NAME]     # resolved settings and where each came from
    iscctl config remove acme
    iscctl config path

Secrets are written to a file readable by its owner only (0600) and are never
printed.
"""

from __future__ import annotations

import json
from typing import Any

import click

from iscctl.cli.connection import settings_from_options, settings_options
from iscctl.config import UserConfig, describe_sources, user_config_path
from iscctl.errors import ConfigurationError
from iscctl.versions import VERSION_NAMES

__all__ = ["config"]


def _load() -> UserConfig:
    try:
        return UserConfig.load()
    except ConfigurationError as error:
        raise click.ClickException(str(error)) from None


def _save(user: UserConfig) -> None:
    try:
        user.save()
    except (ConfigurationError, OSError) as error:
        raise click.ClickException(f"{user.path}: cannot write the user config: {error}") from None


@click.group()
def config() -> None:
    """Named environments (tenants) and where the connection settings come from."""


@config.command("set")
@click.argument("name")
@click.option("--base-url", metavar="TENANT|URL", help="Tenant name (acme) or API root.")
@click.option("--client-id", help="OAuth client id.")
@click.option(
    "--client-secret",
    help="OAuth client secret; leave it out to be prompted (keeps it out of shell history).",
)
@click.option("--api-version", type=click.Choice(VERSION_NAMES, case_sensitive=False))
@click.option("--activate/--no-activate", default=True, show_default=True)
def set_environment(
    name: str,
    base_url: str | None,
    client_id: str | None,
    client_secret: str | None,
    api_version: str | None,
    activate: bool,
) -> None:
    """Create or update environment NAME."""
    from iscctl.config import normalize_api_root

    user = _load()
    is_new = name not in user.environments
    values: dict[str, str] = {}
    if base_url is not None:
        try:
            normalize_api_root(base_url, "--base-url")
        except ConfigurationError as error:
            raise click.BadParameter(str(error), param_hint="--base-url") from None
        values["base_url"] = base_url
    if client_id is not None:
        values["client_id"] = client_id
    if api_version is not None:
        values["version"] = api_version.lower()
    if client_secret is None and (is_new or client_id is not None):
        client_secret = click.prompt("Client secret", hide_input=True)
    if client_secret is not None:
        values["client_secret"] = client_secret
    if is_new and not {"base_url", "client_id"} <= values.keys():
        raise click.UsageError(f"a new environment needs --base-url and --client-id ({name})")
    try:
        user.set_environment(name, values)
    except ConfigurationError as error:
        raise click.BadParameter(str(error), param_hint="NAME") from None
    if activate:
        user.active = name
    _save(user)
    state = "active" if user.active == name else "saved"
    click.echo(f"environment {name} {'created' if is_new else 'updated'} ({state}) in {user.path}")


@config.command("use")
@click.argument("name")
def use_environment(name: str) -> None:
    """Make NAME the active environment."""
    user = _load()
    try:
        user.environment(name)
    except ConfigurationError as error:
        raise click.ClickException(str(error)) from None
    user.active = name
    _save(user)
    click.echo(f"active environment: {name}")


@config.command("remove")
@click.argument("name")
def remove_environment(name: str) -> None:
    """Delete environment NAME."""
    user = _load()
    try:
        user.environment(name)
    except ConfigurationError as error:
        raise click.ClickException(str(error)) from None
    del user.environments[name]
    if user.active == name:
        user.active = None
    _save(user)
    click.echo(f"environment {name} removed")


@config.command("list")
def list_environments() -> None:
    """The environments, the active one marked with *."""
    user = _load()
    if not user.environments:
        click.echo(f"no environments in {user.path}; add one with `iscctl config set NAME ...`")
        return
    for name in sorted(user.environments):
        values = user.environments[name]
        marker = "*" if name == user.active else " "
        base = values.get("base_url", "?")
        click.echo(f"{marker} {name}\t{base}\tclient_id={values.get('client_id', '?')}")


@config.command("show")
@settings_options
def show(**options: Any) -> None:
    """The settings a command would use now, and where each came from (secret masked).

    Give it the same options as the command (`--env`, `--base-url`, ...): it
    resolves them exactly as the command does.
    """
    settings = settings_from_options(options)
    click.echo(json.dumps(describe_sources(settings), indent=2))


@config.command("path")
def path() -> None:
    """Where the user config file is."""
    click.echo(str(user_config_path()))
