"""`iscctl sandbox`: run a local ISC tenant in the foreground until Ctrl-C."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import click

from iscctl.sandbox import Fault, RateLimit, RateLimitEscalation, SandboxServer, SandboxSettings
from iscctl.sandbox.faults import KINDS, parse_fault_spec, parse_fault_specs
from iscctl.sandbox.inspection import INSPECTION_PREFIX

FAULTS_ENV = "ISCCTL_SANDBOX_FAULTS"
# Addresses that mean "every interface": the announcement then names this host.
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})


class RateLimitType(click.ParamType[RateLimit | None, Any]):
    name = "N/SECONDS|off"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> RateLimit | None:
        if isinstance(value, RateLimit) or value is None:
            return value
        try:
            return RateLimit.parse(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


class EscalationType(click.ParamType[RateLimitEscalation | None, Any]):
    name = "off|on|TIERS[@STRIKES/SECONDS]"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> RateLimitEscalation | None:
        if isinstance(value, RateLimitEscalation) or value is None:
            return value
        try:
            return RateLimitEscalation.parse(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


class FaultType(click.ParamType[Fault, Any]):
    name = "KIND[:key=value,...]"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Fault:
        if isinstance(value, Fault):
            return value
        try:
            return parse_fault_spec(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


class ProcessingFailuresType(click.ParamType[int | None, Any]):
    name = "N|always"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> int | None:
        if value is None or isinstance(value, int):
            return value
        text = str(value).strip().lower()
        if text == "always":
            return None
        if text.isdigit() and int(text) >= 1:
            return int(text)
        self.fail(f"{value!r} is not a whole number >= 1 nor 'always'", param, ctx)


EPILOG = f"""\b
Examples:
  iscctl sandbox                         # port 8080, demo credentials, ISC's rate limit
  iscctl sandbox --port 0                # any free port (printed on start)
  iscctl sandbox --rate-limit off --population 100000
  iscctl sandbox --token-ttl 30 --token-max-uses 50
  iscctl sandbox --tenant dev --port 8080 & iscctl sandbox --tenant prod --port 8081
  iscctl sandbox --processing-time 2 --processing-error-rate 0.05
  iscctl sandbox --fault http_500:times=2,operation=process --fault slow:seconds=2
  iscctl sandbox --fault http_status:status=599,times=3
  {FAULTS_ENV}='rate_limit:retry_after=3;drop_connection:after=5' iscctl sandbox

\b
Fault kinds: {", ".join(KINDS[:4])},
  {", ".join(KINDS[4:8])},
  {", ".join(KINDS[8:])}.
Fault keys: times (default 1), operation (process, import, token, identities,
task_status, search; default: process and import), after (matching requests to
let through first), seconds (slow), retry_after (rate_limit), status (http_status,
default 520).

\b
Inspect and steer a running sandbox without a token:
  curl http://127.0.0.1:8080/__sandbox__/state
  curl -X POST http://127.0.0.1:8080/__sandbox__/faults -d '{{"kind": "http_503"}}'
  curl -X POST http://127.0.0.1:8080/__sandbox__/reset
See docs/sandbox.md for every endpoint.
"""


@click.command(epilog=EPILOG)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 to serve other machines and containers (CI services).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--client-id", default="sandbox-client", show_default=True, help="The API client's id."
)
@click.option(
    "--client-secret",
    default="sandbox-secret",
    show_default=True,
    help="The API client's secret (a demo value: the sandbox prints it).",
)
@click.option(
    "--token-ttl",
    type=click.FloatRange(min=0, min_open=True),
    default=749.0,
    show_default=True,
    help="Token lifetime in seconds (expires_in).",
)
@click.option(
    "--token-max-uses",
    type=click.IntRange(min=1),
    default=None,
    help="A token expires after this many API calls.",
)
@click.option(
    "--rate-limit",
    type=RateLimitType(),
    default="100/10",
    show_default=True,
    help="At most N requests per SECONDS, per client and API version; 'off' to disable.",
)
@click.option(
    "--rate-limit-escalation",
    type=EscalationType(),
    default="off",
    show_default=True,
    help=(
        "Block clients that keep exceeding the limit: 'on' is ISC's 60,300,600,1200 s after "
        "3 exceeded windows within 120 s; e.g. 2,4@2/30 for short tests."
    ),
)
@click.option(
    "--population",
    type=click.IntRange(min=0),
    default=5000,
    show_default=True,
    help="How many seeded identities exist.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the identity ids.")
@click.option(
    "--identity-ids",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A file of extra known identity ids, one per line.",
)
@click.option(
    "--unknown-ids",
    type=click.Choice(["reject", "accept"]),
    default="reject",
    show_default=True,
    help="Answer 404 for unknown identity ids (reject), or process them (accept).",
)
@click.option(
    "--fault",
    "faults",
    type=FaultType(),
    multiple=True,
    help=f"Plan a fault (repeatable); also read from ${FAULTS_ENV}, ';'-separated.",
)
@click.option(
    "--processing-delay",
    type=click.FloatRange(min=0),
    default=0.1,
    show_default=True,
    help="Seconds a process task stays queued before it starts.",
)
@click.option(
    "--processing-time",
    type=click.FloatRange(min=0),
    default=0.01,
    show_default=True,
    help="Seconds each identity of a process task takes (e.g. 2 for a realistic pace).",
)
@click.option(
    "--processing-error-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Share of identities whose processing ends in ERROR (0 to 1, picked by seed).",
)
@click.option(
    "--processing-error-id",
    "processing_error_ids",
    multiple=True,
    metavar="ID",
    help="An identity whose processing ends in ERROR (repeatable).",
)
@click.option(
    "--processing-failures",
    type=ProcessingFailuresType(),
    default="1",
    show_default=True,
    help="How many runs of a failing identity fail before one succeeds; 'always' to never recover.",
)
@click.option(
    "--task-status/--no-task-status",
    "track_tasks",
    default=True,
    show_default=True,
    help="Whether GET /task-status/{id} knows process tasks (--no-task-status: 404 for all).",
)
@click.option(
    "--tenant",
    default=None,
    metavar="NAME",
    help="Play the tenant NAME (e.g. dev, prod): its sources, transforms and identity"
    " profiles get ids derived from NAME, and it starts with the example profiles.",
)
@click.option(
    "--no-seed-profiles",
    is_flag=True,
    help="With --tenant: start without identity profiles.",
)
@click.option(
    "--drop-attribute-mapping",
    "drop_attribute_mappings",
    multiple=True,
    metavar="ATTRIBUTE",
    help="Import silently drops the mapping of this identity attribute (repeatable), as"
    " ISC is reported to do; for testing a client's read-back.",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Print one line per request to stderr (method, path, status; never a query string).",
)
def sandbox(
    verbose: bool,
    host: str,
    port: int,
    client_id: str,
    client_secret: str,
    token_ttl: float,
    token_max_uses: int | None,
    rate_limit: RateLimit | None,
    rate_limit_escalation: RateLimitEscalation | None,
    population: int,
    seed: int,
    identity_ids: Path | None,
    unknown_ids: str,
    faults: tuple[Fault, ...],
    processing_delay: float,
    processing_time: float,
    processing_error_rate: float,
    processing_error_ids: tuple[str, ...],
    processing_failures: int | None,
    track_tasks: bool,
    tenant: str | None,
    no_seed_profiles: bool,
    drop_attribute_mappings: tuple[str, ...],
) -> None:
    """Run a local SailPoint ISC tenant for demos, tests and CI.

    It answers POST /oauth/token, the identities process operation (beta,
    v2024, v2025, v2026 and /identities/v1/process), the identity profiles
    import (v3, beta, v2024, v2025, v2026 and /identity-profiles/v1/import),
    the identities list and get, task status and search, identity profile
    export, list, get and process-identities, sources and transforms (named
    tenants: --tenant), with ISC's statuses
    and bodies, over seeded identities and sources. Processing takes time
    (--processing-delay, --processing-time) and can end in ERROR. Point
    any ISC client at it with the printed SAIL_* variables. Ctrl-C stops it.
    """
    if verbose:
        _log_requests()
    try:
        env_faults = parse_fault_specs(os.environ.get(FAULTS_ENV, ""))
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint=f"${FAULTS_ENV}") from None
    if tenant is not None and (not tenant.strip() or any(c.isspace() for c in tenant)):
        raise click.BadParameter("a name without spaces, e.g. dev", param_hint="--tenant")
    settings = SandboxSettings(
        host=host,
        port=port,
        client_id=client_id,
        client_secret=client_secret,
        token_ttl=token_ttl,
        token_max_uses=token_max_uses,
        rate_limit=rate_limit,
        rate_limit_escalation=rate_limit_escalation,
        population_size=population,
        seed=seed,
        identity_ids_file=identity_ids,
        unknown_ids=unknown_ids,  # type: ignore[arg-type]  # click.Choice checked it
        faults=[*env_faults, *faults],
        processing_delay=processing_delay,
        processing_time=processing_time,
        processing_error_rate=processing_error_rate,
        processing_error_ids=processing_error_ids,
        processing_failures=processing_failures,
        track_tasks=track_tasks,
        tenant=tenant,
        seed_profiles=not no_seed_profiles,
        drop_attribute_mappings=drop_attribute_mappings,
    )
    server = SandboxServer(settings)
    # Installed before anything is printed: a supervisor may act on the output.
    with _signals_as_interrupt():
        try:
            server.start()
        except OSError as error:
            raise click.ClickException(
                f"cannot listen on {host}:{port}: {error.strerror}"
            ) from None
        try:
            _announce(server)
            server.wait()
        except KeyboardInterrupt:
            pass
        else:  # the server thread ended without being asked to
            raise click.ClickException("the sandbox server stopped unexpectedly")
        finally:
            server.stop()
    click.echo("sandbox stopped", err=True)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _announce(server: SandboxServer) -> None:
    settings = server.settings
    limit = settings.rate_limit
    lines = [
        f"ISC sandbox listening on {server.base_url} (port {server.port})",
        f"  client id:     {server.client_id}",
        f"  client secret: {server.client_secret}",
        f"  identities:    {len(server.identity_ids)} (seed {settings.seed})",
        f"  sources:       {', '.join(server.source_names)}",
        *_tenant_lines(server),
        "  rate limit:    " + (f"{limit.requests} per {limit.seconds:g} s" if limit else "off"),
        "  escalation:    " + _escalation_text(settings.rate_limit_escalation),
        f"  processing:    queued {settings.processing_delay:g} s, then "
        f"{settings.processing_time:g} s per identity; "
        f"{settings.processing_error_rate:.0%} (+{len(settings.processing_error_ids)} listed) "
        "end in ERROR",
        f"  inspection:    {server.inspection_url}/state",
    ]
    for fault in server.faults.pending:
        lines.append(
            f"  fault planned: {fault.kind} x{fault.times} "
            f"({fault.operation or 'process+import'}, after {fault.after})"
        )
    lines += _network_lines(server)
    lines += [
        "",
        "Use it from a shell:",
        f"  export SAIL_BASE_URL={server.base_url} SAIL_CLIENT_ID={server.client_id} "
        f"SAIL_CLIENT_SECRET={server.client_secret}",
        "",
        "Press Ctrl-C to stop.",
    ]
    click.echo("\n".join(lines))
    sys.stdout.flush()


def _network_lines(server: SandboxServer) -> list[str]:
    """For a sandbox other machines can reach: which address they use, and the http opt-in."""
    host = server.settings.host
    if _is_loopback(host):
        return []
    name = socket.gethostname() if host in WILDCARD_HOSTS else host
    name = name if ":" not in name else f"[{name}]"
    port = server.port
    return [
        f"  network:       listening on {host or '0.0.0.0'} port {port}; from this machine use "
        f"{server.base_url}, from other machines or containers http://<this host>:{port}, "
        f"e.g. http://{name}:{port} (in docker compose or CI services: the service name, "
        f"e.g. http://sandbox:{port})",
        f"  plain http:    iscctl refuses http:// to a host that is not loopback unless it is "
        f"listed: ISCCTL_ALLOW_HTTP_HOSTS={name.strip('[]')} (or --allow-http-host)",
        f"  warning:       the ISC paths can be reached from the network; "
        f"{INSPECTION_PREFIX}/ still answers loopback clients only",
    ]


def _escalation_text(rule: RateLimitEscalation | None) -> str:
    if rule is None:
        return "off"
    tiers = ", ".join(str(tier) for tier in rule.tiers)
    return f"Retry-After {tiers} s after {rule.strikes} exceeded windows within {rule.within:g} s"


def _tenant_lines(server: SandboxServer) -> list[str]:
    settings = server.settings
    lines = []
    if settings.tenant is not None:
        profiles = ", ".join(p["name"] for p in server.profile_directory.profiles()) or "none"
        lines += [f"  tenant:        {settings.tenant}", f"  profiles:      {profiles}"]
    if settings.drop_attribute_mappings:
        dropped = ", ".join(settings.drop_attribute_mappings)
        lines.append(f"  import drops:  the mappings of {dropped}")
    return lines


def _log_requests() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logger = logging.getLogger("iscctl.sandbox")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


@contextlib.contextmanager
def _signals_as_interrupt() -> Iterator[None]:
    """Let SIGINT and SIGTERM stop the sandbox cleanly (exit 0).

    SIGINT is set explicitly because a shell starts background jobs with it
    ignored, and `iscctl sandbox & ... kill -INT $!` should still work.
    """

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, interrupt) for number in _STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
