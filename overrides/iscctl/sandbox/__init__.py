"""A local ISC tenant over real HTTP on loopback, for the demo, tests and users' CI.

Any ISC client pointed at `SandboxServer.base_url` works unchanged: same
paths, statuses, bodies, token flow and rate limit as the real API, plus
deterministic faults and an inspection API under `/__sandbox__/`.
"""

from iscctl.sandbox.faults import Fault
from iscctl.sandbox.server import SandboxServer
from iscctl.sandbox.settings import RateLimit, RateLimitEscalation, SandboxSettings
from iscctl.sandbox.state import AcceptedBatch, RequestRecord
from iscctl.sandbox.tenants import SandboxTenants

__all__ = [
    "AcceptedBatch",
    "Fault",
    "RateLimit",
    "RateLimitEscalation",
    "RequestRecord",
    "SandboxServer",
    "SandboxSettings",
    "SandboxTenants",
]
