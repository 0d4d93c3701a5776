"""What a sandbox tenant is configured with.

Frozen records: a running sandbox never changes its settings, so tests can
share one settings object and derive variants with `attrs.evolve`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from attrs import define, field, validators

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


def _optional_path(value: str | Path | None) -> Path | None:
    return None if value is None else Path(value)


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
