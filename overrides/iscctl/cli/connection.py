"""The connection options every command that calls ISC shares, and the client they make.

    @click.command()
    @connection_options
    def process(**options: Any) -> None:
        isc = client_from_options(options)
        ...

Options left out fall back to the environment, `config.json` and the user
config, exactly as for `AsyncClient()` (see docs/client.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from iscctl.versions import VERSION_NAMES

if TYPE_CHECKING:
    from iscctl.client import AsyncClient

__all__ = ["RATE_LIMIT_OFF", "client_from_options", "connection_options", "parse_rate_limit"]

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


_OPTIONS: list[Callable[[F], F]] = [
    click.option(
        "--base-url",
        envvar="SAIL_BASE_URL",
        metavar="TENANT|URL",
        help="Tenant name (acme) or API root (https://acme.api.identitynow.com). "
        "[env SAIL_BASE_URL]",
    ),
    click.option(
        "--client-id", envvar="SAIL_CLIENT_ID", help="OAuth client id. [env SAIL_CLIENT_ID]"
    ),
    click.option(
        "--client-secret",
        envvar="SAIL_CLIENT_SECRET",
        show_envvar=False,
        help="OAuth client secret; prefer the SAIL_CLIENT_SECRET environment variable or "
        "`iscctl config set`, so the secret stays out of shell history and process lists.",
    ),
    click.option(
        "--env",
        "-e",
        "environment",
        metavar="NAME",
        help="A named environment (tenant) of the user config; default: the active one.",
    ),
    click.option(
        "--api-version",
        type=click.Choice(VERSION_NAMES, case_sensitive=False),
        help="ISC API version. [default: v2025]",
    ),
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


def client_from_options(options: dict[str, Any]) -> AsyncClient:
    """Make the client the collected connection options describe.

    Configuration problems become a one-line usage error (exit status 2).
    """
    from iscctl.client import DEFAULT_RATE_LIMIT, AsyncClient
    from iscctl.errors import ConfigurationError
    from iscctl.logs import enable_logging
    from iscctl.retry import RetryPolicy

    verbose = int(options.get("verbose") or 0)
    if verbose:
        enable_logging("debug" if verbose > 1 else "info")
    rate_limit = options.get("rate_limit")
    retry = None
    if options.get("max_retries") is not None:
        retry = RetryPolicy(max_retries=int(options["max_retries"]))
    try:
        return AsyncClient(
            base_url=options.get("base_url"),
            client_id=options.get("client_id"),
            client_secret=options.get("client_secret"),
            version=options.get("api_version"),
            environment=options.get("environment"),
            retry=retry,
            rate_limit=(
                DEFAULT_RATE_LIMIT
                if rate_limit is None
                else None
                if rate_limit == RATE_LIMIT_OFF
                else rate_limit
            ),
            timeout=float(options.get("timeout") or 30.0),
        )
    except ConfigurationError as error:
        raise click.UsageError(str(error)) from None
