"""Deterministic fault injection: which of the next requests misbehave, and how.

A fault matches requests of one operation (`process`, `import`, `token`,
`identities`, `task_status`, `search`) or, with `operation=None`, of the two
writing operations (`process` and `import`; the token and the read operations
are only faulted when asked for by name, so that "fail the next call" means
the call a test is about, not a token fetch or a status poll around it). It
skips `after` matching requests, then applies to the next `times` ones. No
randomness: the same requests in the same order always meet the same faults.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any, Final, Literal

from attrs import Attribute, define, evolve, field, validators

# "identities" covers the list and get, "task_status" the task reads, "search" POST /search.
Operation = Literal[
    "process",
    "import",
    "token",
    "identities",
    "task_status",
    "search",
    # the tenant's configuration (#16, tenant_routes.py)
    "export",
    "list-profiles",
    "get-profile",
    "process-profile",
    "delete-profile",
    "list-sources",
    "list-transforms",
]
OPERATIONS: Final = (
    "process",
    "import",
    "token",
    "identities",
    "task_status",
    "search",
    "export",
    "list-profiles",
    "get-profile",
    "process-profile",
    "delete-profile",
    "list-sources",
    "list-transforms",
)

# The request is refused: nothing is processed or stored.
# `http_status` answers `status` (default 520, a status Python's HTTPStatus does not
# name, as a CDN in front of ISC sends) with a short HTML page.
# `rate_limit_escalation` answers 429 with the escalation tiers in turn (60, 300,
# 600, 1200 s, or the sandbox's configured tiers), one tier per firing.
REFUSING_KINDS: Final = frozenset(
    {
        "http_500",
        "http_503",
        "http_status",
        "drop_connection",
        "rate_limit",
        "rate_limit_escalation",
        "expire_token",
    }
)
# The request is processed normally; only its reply (or its timing) changes.
SHAPING_KINDS: Final = frozenset({"slow", "null_strings", "unknown_enums", "extra_fields"})
KINDS: Final = tuple(sorted(REFUSING_KINDS | SHAPING_KINDS))


def _whole(instance: object, attribute: Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{attribute.name} must be a whole number, not {value!r}")


def _number(instance: object, attribute: Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{attribute.name} must be a number, not {value!r}")


@define(frozen=True)
class Fault:
    """One planned misbehaviour; see the module docstring for the matching rule."""

    kind: str = field(validator=validators.in_(KINDS))
    times: int = field(default=1, validator=[_whole, validators.ge(1)])
    operation: Operation | None = field(
        default=None, validator=validators.optional(validators.in_(OPERATIONS))
    )
    after: int = field(default=0, validator=[_whole, validators.ge(0)])
    seconds: float = field(default=1.0, validator=[_number, validators.ge(0)])  # for `slow`
    retry_after: int = field(default=1, validator=[_whole, validators.ge(0)])  # `rate_limit`
    status: int = field(  # for `http_status`
        default=520, validator=[_whole, validators.ge(100), validators.le(599)]
    )

    def __attrs_post_init__(self) -> None:
        if self.kind == "expire_token" and self.operation == "token":
            raise ValueError("fault expire_token cannot apply to the token operation")

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "times": self.times,
            "operation": self.operation,
            "after": self.after,
            "seconds": self.seconds,
            "retry_after": self.retry_after,
            "status": self.status,
        }


_INT_KEYS: Final = frozenset({"times", "after", "retry_after", "status"})
_FLOAT_KEYS: Final = frozenset({"seconds"})
_KEYS: Final = ("times", "operation", "after", "seconds", "retry_after", "status")


def fault_from_mapping(data: dict[str, Any]) -> Fault:
    """Build a Fault from JSON-like data, with one-line errors naming the problem."""
    if not isinstance(data, dict):
        raise ValueError(f"a fault must be an object like {{'kind': 'http_500'}}, not {data!r}")
    unknown = sorted(set(data) - {"kind", *_KEYS})
    if unknown:
        raise ValueError(
            f"unknown fault field(s) {', '.join(unknown)}; known: kind, " + ", ".join(_KEYS)
        )
    if "kind" not in data:
        raise ValueError(f"a fault needs a kind, one of: {', '.join(KINDS)}")
    if data["kind"] not in KINDS:
        raise ValueError(f"unknown fault kind {data['kind']!r}; choose one of: {', '.join(KINDS)}")
    try:
        return Fault(**data)
    except (TypeError, ValueError) as error:
        raise ValueError(f"fault {data['kind']}: {_explain(error)}") from None


def parse_fault_spec(spec: str) -> Fault:
    """Read `KIND[:key=value,...]`, e.g. `http_500:times=2,operation=process`."""
    kind, _, options = spec.strip().partition(":")
    data: dict[str, Any] = {"kind": kind.strip()}
    for option in filter(None, (part.strip() for part in options.split(","))):
        key, equals, value = option.partition("=")
        key, value = key.strip(), value.strip()
        if not equals or key not in _KEYS:
            raise ValueError(
                f"fault {spec!r}: {option!r} is not key=value with key one of {', '.join(_KEYS)}"
            )
        try:
            if key in _INT_KEYS:
                data[key] = int(value)
            elif key in _FLOAT_KEYS:
                data[key] = float(value)
            else:
                data[key] = None if value in {"", "any", "none"} else value
        except ValueError:
            kind_of = "a whole number" if key in _INT_KEYS else "a number"
            raise ValueError(f"fault {spec!r}: {key} must be {kind_of}, not {value!r}") from None
    try:
        return fault_from_mapping(data)
    except ValueError as error:
        raise ValueError(f"{error} (in {spec!r})") from None


def parse_fault_specs(text: str) -> list[Fault]:
    """Read several specs separated by `;` (the ISCCTL_SANDBOX_FAULTS syntax)."""
    return [parse_fault_spec(part) for part in text.split(";") if part.strip()]


def _explain(error: Exception) -> str:
    # attrs validators word their errors as "'times' must be >= 1: 0".
    return str(error.args[0]) if error.args else str(error)


@define
class _Pending:
    fault: Fault
    to_skip: int
    remaining: int


class FaultPlan:
    """The faults still to come, shared between the test thread and the server thread."""

    def __init__(self, faults: Iterable[Fault] = ()) -> None:
        self._lock = threading.Lock()
        self._pending: list[_Pending] = []
        for fault in faults:
            self.add(fault)

    def add(
        self,
        kind: str | Fault,
        times: int = 1,
        operation: Operation | None = None,
        after: int = 0,
        seconds: float = 1.0,
        retry_after: int = 1,
        status: int = 520,
    ) -> Fault:
        """Plan a fault (give a Fault, or its fields); returns the Fault planned."""
        if isinstance(kind, Fault):
            fault = kind
        else:
            fault = Fault(kind, times, operation, after, seconds, retry_after, status)
        with self._lock:
            self._pending.append(_Pending(fault, fault.after, fault.times))
        return fault

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    @property
    def pending(self) -> list[Fault]:
        """What is left of each planned fault (`times` and `after` count down)."""
        with self._lock:
            return [evolve(p.fault, times=p.remaining, after=p.to_skip) for p in self._pending]

    def take(self, operation: Operation) -> list[Fault]:
        """The faults that apply to this request, in the order they were planned."""
        firing: list[Fault] = []
        with self._lock:
            for pending in self._pending:
                if not _matches(pending.fault, operation):
                    continue
                if pending.to_skip:
                    pending.to_skip -= 1
                    continue
                pending.remaining -= 1
                firing.append(pending.fault)
            self._pending = [p for p in self._pending if p.remaining > 0]
        return firing


def _matches(fault: Fault, operation: Operation) -> bool:
    if fault.operation is None:
        return operation in {"process", "import"}
    return fault.operation == operation
