"""What a sandbox tenant is configured with.

Frozen records: a running sandbox never changes its settings, so tests can
share one settings object and derive variants with `attrs.evolve`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal, cast

from attrs import Attribute, define, field, validators

from iscctl.sandbox.faults import Fault

UnknownIds = Literal["reject", "accept"]
HttpParser = Literal["auto", "httptools", "h11"]


@define(frozen=True)
class RateLimit:
    """At most `requests` requests per sliding `seconds` window.

    ISC counts per client id and per API version: 100 requests per 10 seconds.
    """

    requests: int = field(default=100, validator=validators.ge(1))
    seconds: float = field(default=10.0, validator=validators.gt(0))

    @classmethod
    def parse(cls, text: str) -> RateLimit | None:
        """Read `N/SECONDS` (e.g. `100/10`) or `off`; raise ValueError with the fix."""
        if text.strip().lower() in {"off", "none", "0"}:
            return None
        count, slash, seconds = text.partition("/")
        try:
            if not slash:
                raise ValueError
            return cls(requests=int(count), seconds=float(seconds))
        except ValueError:
            raise ValueError(
                f"rate limit {text!r} is not N/SECONDS with N >= 1 and SECONDS > 0 "
                "(e.g. 100/10), nor 'off'"
            ) from None


ISC_ESCALATION_TIERS = (60, 300, 600, 1200)


def _tiers(value: object) -> tuple[int, ...]:
    if not isinstance(value, (list, tuple)) or not value:
        raise ValueError("escalation tiers must be a non-empty list of seconds")
    tiers = tuple(int(item) for item in value)
    if any(tier < 1 for tier in tiers):
        raise ValueError(f"escalation tiers must be whole seconds >= 1, not {tiers}")
    return tiers


@define(frozen=True)
class RateLimitEscalation:
    """ISC's penalty for a client that keeps exceeding the limit.

    After `strikes` exceeded windows (windows of the rate limit in which a
    request got a 429) within `within` seconds, the client is blocked for the
    next tier's seconds: every request in that time gets 429 with the
    remaining time as Retry-After. Each further escalation takes the next tier
    (the last one repeats); a client that stays clean for `within` seconds
    after a block starts again at the first tier. ISC: 60, 300, 600, 1200 s
    after about 3 exceeded windows within 120 s.
    """

    tiers: tuple[int, ...] = field(default=ISC_ESCALATION_TIERS, converter=_tiers)
    strikes: int = field(default=3, validator=validators.ge(1))
    within: float = field(default=120.0, validator=validators.gt(0))

    @classmethod
    def parse(cls, text: str) -> RateLimitEscalation | None:
        """Read `off`, `on` (ISC's tiers) or `T1,T2,...[@STRIKES/SECONDS]`."""
        spec = text.strip().lower()
        if spec in {"off", "none", ""}:
            return None
        if spec in {"on", "isc"}:
            return cls()
        tiers, at, rule = spec.partition("@")
        try:
            strikes, slash, within = rule.partition("/")
            if at and not slash:
                raise ValueError
            return cls(
                tiers=tuple(int(tier) for tier in tiers.split(",")),
                strikes=int(strikes) if at else 3,
                within=float(within) if at else 120.0,
            )
        except ValueError:
            raise ValueError(
                f"rate-limit escalation {text!r} is not 'on', 'off' or "
                "TIERS[@STRIKES/SECONDS] with whole seconds, e.g. 60,300,600,1200@3/120"
            ) from None


def _optional_path(value: str | Path | None) -> Path | None:
    return None if value is None else Path(value)


def _ids(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
        raise TypeError("processing_error_ids must be a list of identity ids")
    return tuple(str(item) for item in value)


def _positive_or_none(instance: object, attribute: Attribute[int | None], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValueError(f"{attribute.name} must be a whole number >= 1 or None, not {value!r}")


def _tenant_name(instance: object, attribute: object, value: str | None) -> None:
    if value is not None and (not value.strip() or any(c.isspace() for c in value)):
        raise ValueError(f"tenant must be a name without spaces (e.g. dev, prod), not {value!r}")


def _names(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):  # one name given where a list belongs
        raise TypeError("expected a list of identity attribute names, not one string")
    return tuple(value)


def _faults(value: object) -> tuple[Fault, ...]:
    if not isinstance(value, (list, tuple)):
        raise TypeError("faults must be a list of Fault")
    return tuple(value)


@define(frozen=True)
class SandboxSettings:
    """Everything that makes one sandbox tenant behave the way a test needs."""

    host: str = "127.0.0.1"
    port: int = field(default=0, validator=[validators.ge(0), validators.le(65535)])
    client_id: str = "sandbox-client"
    client_secret: str = field(default="sandbox-secret", repr=False)
    # ISC documents 749 seconds; clients must read expires_in, never assume it.
    token_ttl: float = field(default=749.0, validator=validators.gt(0))
    # A token stops working after this many API calls (None: only the TTL counts).
    token_max_uses: int | None = field(
        default=None, validator=validators.optional(validators.ge(1))
    )
    rate_limit: RateLimit | None = field(factory=RateLimit)
    # Off by default; with it, persistent offenders get ISC's long Retry-After values.
    rate_limit_escalation: RateLimitEscalation | None = None
    population_size: int = field(default=5000, validator=validators.ge(0))
    seed: int = 1
    identity_ids_file: Path | None = field(default=None, converter=_optional_path)
    unknown_ids: UnknownIds = field(
        default="reject", validator=validators.in_(("reject", "accept"))
    )
    faults: tuple[Fault, ...] = field(factory=tuple, converter=_faults)
    # uvicorn's HTTP parser; "auto" is httptools (C) when installed, else h11.
    http_parser: HttpParser = field(
        default="auto", validator=validators.in_(("auto", "httptools", "h11"))
    )

    # -- identity processing (#15): see tasks.py ---------------------------------
    # Seconds a process task stays queued before it starts on its identities.
    processing_delay: float = field(default=0.1, validator=validators.ge(0))
    # Seconds each identity of a task takes; a task of n ids runs n times this.
    processing_time: float = field(default=0.01, validator=validators.ge(0))
    # Share (0 to 1) of identities whose processing ends in ERROR, picked by seed and id.
    processing_error_rate: float = field(
        default=0.0, validator=[validators.ge(0.0), validators.le(1.0)]
    )
    # Identities whose processing ends in ERROR, whatever the rate.
    processing_error_ids: tuple[str, ...] = field(factory=tuple, converter=_ids)
    # How many runs of a failing identity fail before one succeeds; None: every run.
    processing_failures: int | None = field(
        default=cast("int | None", 1), validator=_positive_or_none
    )
    # False: GET /task-status/{id} answers 404 for process tasks (ISC does not say
    # whether it tracks them), so clients can prove they cope.
    track_tasks: bool = True

    # -- named tenants (#16): see catalog.py, tenant_routes.py ---------------------
    # Sources, transforms, identity attributes and profiles carry ids derived from
    # this name, so `dev` and `prod` differ like real tenants. None: the sources keep
    # their seed-derived ids and no profile is seeded.
    tenant: str | None = field(default=None, validator=_tenant_name)
    # A named tenant starts with the profiles of examples/identity-profiles-export.json.
    seed_profiles: bool = True
    # Identity attribute names whose mapping import silently drops (as users report
    # ISC sometimes does), so a client's read-back can be tested.
    drop_attribute_mappings: tuple[str, ...] = field(factory=tuple, converter=_names)
