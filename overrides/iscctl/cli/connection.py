"""The connection options every command that calls ISC shares, and the client they make.

    @click.command()
    @connection_options
    def process(**options: Any) -> None:
        isc = client_from_options(options)
        ...

Options left out fall back to the named or active environment, the process
environment, `config.json` and the user config, resolved once by
`iscctl.config.resolve_settings` (docs/configuration.md): exactly what
`iscctl config show` reports for the same options. The options do not read
environment variables themselves (click's `envvar=` would turn them into
explicit arguments that beat `--env`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from iscctl.versions import VERSION_NAMES

if TYPE_CHECKING:
    from iscctl.client import AsyncClient
    from iscctl.config import Settings

__all__ = [
    "ENVIRONMENT_KEY",
    "RATE_LIMIT_OFF",
    "ConfigurationProblem",
    "client_from_options",
    "connection_options",
    "environment_option",
    "parse_rate_limit",
    "settings_from_options",
    "settings_options",
]

F = TypeVar("F", bound=Callable[..., Any])

RATE_LIMIT_OFF = "off"
_RATE_LIMIT = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*s?\s*$")


def parse_rate_limit(text: str) -> tuple[int, float] | None:
    """`"100/10"` -> `(100, 10.0)`; `"off"` -> None. Raises ValueError otherwise."""
    if text.strip().lower() == RATE_LIMIT_OFF:
        return None
    match = _RATE_LIMIT.match(text)
    if not match or int(match.group(1)) < 1 or float(match.group(2)) <= 0:
        raise ValueError(
            f"{text!r} is not a rate limit: give REQUESTS/SECONDS such as 100/10, or off"
        )
    return int(match.group(1)), float(match.group(2))


def _rate_limit_callback(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> tuple[int, float] | str | None:
    if value is None:
        return None
    try:
        parsed = parse_rate_limit(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    return RATE_LIMIT_OFF if parsed is None else parsed


ENVIRONMENT_KEY = "iscctl.environment"
"""Where the group-level `iscctl -e NAME` leaves its value for the commands (`ctx.meta`)."""

OPTION_NAMES = {
    "base_url": "option --base-url",
    "client_id": "option --client-id",
    "client_secret": "option --client-secret",
    "version": "option --api-version",
    "allow_http_hosts": "option --allow-http-host",
}
"""How `config show` and configuration errors name a value given on the command line."""


def _environment_callback(ctx: click.Context, _param: click.Parameter, value: str | None) -> Any:
    """A command's own `--env` wins; otherwise the one given before the command."""
    return value if value is not None else ctx.meta.get(ENVIRONMENT_KEY)


def environment_option(help_text: str) -> Callable[[F], F]:
    """`--env/-e NAME`, falling back to the group-level `iscctl -e NAME`."""
    return click.option(
        "--env",
        "-e",
        "environment",
        metavar="NAME",
        callback=_environment_callback,
        help=help_text,
    )


_SETTINGS_OPTIONS: list[Callable[[F], F]] = [
    # No envvar= here: the environment is a source of its own, below --env in
    # precedence; iscctl.config reads it (and names it when it is wrong).
    click.option(
        "--base-url",
        metavar="TENANT|URL",
        help="Tenant name (acme) or API root (https://acme.api.identitynow.com). "
        "[env SAIL_BASE_URL]",
    ),
    click.option("--client-id", help="OAuth client id. [env SAIL_CLIENT_ID]"),
    click.option(
        "--client-secret",
        help="OAuth client secret; prefer the SAIL_CLIENT_SECRET environment variable or "
        "`iscctl config set`, so the secret stays out of shell history and process lists.",
    ),
    environment_option(
        "A named environment (tenant): ours (`iscctl config`) or the sail CLI's; "
        "default: the active one. Also accepted before the command: iscctl -e NAME ..."
    ),
    click.option(
        "--api-version",
        type=click.Choice(VERSION_NAMES, case_sensitive=False),
        help="ISC API version. [default: v2025]",
    ),
    click.option(
        "--allow-http-host",
        "allow_http_hosts",
        metavar="HOST",
        multiple=True,
        help="Allow plain http:// to HOST (a sandbox service in CI); repeatable. "
        "[env ISCCTL_ALLOW_HTTP_HOSTS, comma-separated]",
    ),
]

_OPTIONS: list[Callable[[F], F]] = [
    *_SETTINGS_OPTIONS,
    click.option(
        "--max-retries",
        type=click.IntRange(min=0),
        help="Retries after 408, 5xx, timeouts and dropped connections. [default: 4]",
    ),
    click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=30.0,
        show_default=True,
        help="Seconds to wait for each reply.",
    ),
    click.option(
        "--rate-limit",
        metavar="N/SECONDS|off",
        callback=_rate_limit_callback,
        help="Client-side pacing to stay under the tenant's limit. [default: 100/10]",
    ),
    click.option(
        "-v",
        "--verbose",
        count=True,
        help="Log to stderr (-v info, -vv debug); secrets are redacted. [env ISCCTL_LOG]",
    ),
]


def connection_options(command: F) -> F:
    """Add the connection options (`--base-url`, `--client-id`, ... `-v`) to a click command."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


def settings_options(command: F) -> F:
    """Add only the options that choose the tenant and credentials (for `config show`)."""
    for option in reversed(_SETTINGS_OPTIONS):
        command = option(command)
    return command


def settings_from_options(options: dict[str, Any]) -> Settings:
    """The settings a command with these options uses, resolved by `iscctl.config`.

    Configuration problems become a one-line error (exit status 2) that names
    the option, variable or file the bad value came from.
    """
    from iscctl.config import resolve_settings
    from iscctl.errors import ConfigurationError

    hosts = options.get("allow_http_hosts") or None
    try:
        return resolve_settings(
            base_url=options.get("base_url"),
            client_id=options.get("client_id"),
            client_secret=options.get("client_secret"),
            environment=options.get("environment"),
            version=(options.get("api_version") or "").lower() or None,
            allow_http_hosts=list(hosts) if hosts else None,
            given_as=OPTION_NAMES,
        )
    except ConfigurationError as error:
        raise ConfigurationProblem(str(error)) from None


class ConfigurationProblem(click.ClickException):
    """A configuration error: one line, exit status 2 (nothing was sent), without the
    usage text (the problem is in a setting, usually not in how the command was typed)."""

    exit_code = 2


def client_from_options(options: dict[str, Any]) -> AsyncClient:
    """Make the client the collected connection options describe.

    The settings are resolved once, by `settings_from_options` (what `iscctl
    config show` reports), and handed to the client as explicit values.
    Configuration problems become a one-line usage error (exit status 2).
    """
    from iscctl.client import DEFAULT_RATE_LIMIT, AsyncClient
    from iscctl.errors import ConfigurationError
    from iscctl.logs import enable_logging
    from iscctl.retry import RetryPolicy

    verbose = int(options.get("verbose") or 0)
    if verbose:
        enable_logging("debug" if verbose > 1 else "info")
    settings = settings_from_options(options)
    rate_limit = options.get("rate_limit")
    retry_settings: dict[str, Any] = {}
    if options.get("max_retries") is not None:
        retry_settings["max_retries"] = int(options["max_retries"])
    if options.get("max_wait") is not None:  # commands with --max-wait (TEAM.md contract 4)
        retry_settings["max_wait"] = float(options["max_wait"])
    retry = RetryPolicy(**retry_settings) if retry_settings else None
    try:
        return AsyncClient(
            base_url=settings.api_root,
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            version=settings.version,
            allow_http_hosts=settings.allow_http_hosts,
            retry=retry,
            rate_limit=(
                DEFAULT_RATE_LIMIT
                if rate_limit is None
                else None
                if rate_limit == RATE_LIMIT_OFF
                else rate_limit
            ),
            timeout=float(options.get("timeout") or 30.0),
            on_wait=options.get("on_wait"),  # a command's display of waits (contract 3)
        )
    except ConfigurationError as error:
        raise ConfigurationProblem(str(error)) from None
