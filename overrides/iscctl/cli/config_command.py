"""`iscctl config`: keep named environments (tenants) in the user config, and show settings.

    iscctl config set acme --base-url acme --client-id 2c91...   # prompts for the secret
    iscctl config use acme
    iscctl config list
    iscctl config show [--env NAME]     # resolved settings and where each came from
    iscctl config remove acme
    iscctl config path

Client secrets go to the system keyring when one is usable (`keyring`), else
to the config file, readable by its owner only (0600); they are never printed.
"""

from __future__ import annotations

import json
from typing import Any

import click

from iscctl import keyring_store
from iscctl.cli.connection import settings_from_options, settings_options
from iscctl.cli.secrets import read_secret, store_secret
from iscctl.config import KEYRING_MARKER, UserConfig, describe_sources, user_config_path
from iscctl.errors import ConfigurationError
from iscctl.keyring_store import KEYRING_SERVICE
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
    help="OAuth client secret, or - to read it from standard input; leave it out to be "
    "prompted (keeps it out of shell history and process lists).",
)
@click.option("--api-version", type=click.Choice(VERSION_NAMES, case_sensitive=False))
@click.option(
    "--allow-http-host",
    "allow_http_hosts",
    metavar="HOST",
    multiple=True,
    help="Allow plain http:// to HOST for this environment (a sandbox service); repeatable.",
)
@click.option(
    "--keyring/--no-keyring",
    "use_keyring",
    default=True,
    show_default=True,
    help="Keep the client secret in the system keyring when one is available "
    "(else in the config file, readable by you only).",
)
@click.option("--activate/--no-activate", default=True, show_default=True)
def set_environment(
    name: str,
    base_url: str | None,
    client_id: str | None,
    client_secret: str | None,
    api_version: str | None,
    allow_http_hosts: tuple[str, ...],
    use_keyring: bool,
    activate: bool,
) -> None:
    """Create or update environment NAME."""
    from iscctl.config import normalize_api_root, parse_http_hosts

    user = _load()
    is_new = name not in user.environments
    values: dict[str, str] = {}
    try:
        hosts = parse_http_hosts(allow_http_hosts, "--allow-http-host")
    except ConfigurationError as error:
        raise click.BadParameter(str(error), param_hint="--allow-http-host") from None
    if hosts:
        values["allow_http_hosts"] = ",".join(hosts)
    if base_url is not None:
        known = hosts or parse_http_hosts(
            user.environments.get(name, {}).get("allow_http_hosts"), "config"
        )
        try:
            normalize_api_root(base_url, "--base-url", allow_http_hosts=known)
        except ConfigurationError as error:
            raise click.BadParameter(str(error), param_hint="--base-url") from None
        values["base_url"] = base_url
    if client_id is not None:
        values["client_id"] = client_id
    if api_version is not None:
        values["version"] = api_version.lower()
    if is_new and not {"base_url", "client_id"} <= values.keys():
        raise click.UsageError(f"a new environment needs --base-url and --client-id ({name})")
    if client_secret == "-" or (client_secret is None and (is_new or client_id is not None)):
        client_secret = read_secret(from_stdin=client_secret == "-")
    try:
        user.set_environment(name, values)
    except ConfigurationError as error:
        raise click.BadParameter(str(error), param_hint="NAME") from None
    where = ""
    if client_secret is not None:
        where = store_secret(user, name, client_secret, use_keyring=use_keyring)
    if activate:
        user.active = name
    _save(user)
    state = "active" if user.active == name else "saved"
    done = "created" if is_new else "updated"
    click.echo(f"environment {name} {done} ({state}) in {user.path}{where}")


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
    if user.environments[name].get(KEYRING_MARKER[0]) == KEYRING_MARKER[1]:
        keyring_store.delete(KEYRING_SERVICE, name)
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
