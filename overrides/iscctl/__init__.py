"""iscctl: process identities and import identity profiles in SailPoint ISC.

The hand-written layer around the generated client (`iscctl_client`) and the
generated request models (`iscctl_models`). Kept light on import: the public
names below are loaded on first use, so `import iscctl` (and `iscctl --help`)
does not pay for httpx, attrs or pydantic.

    from iscctl import Client

    with Client(base_url="acme", client_id="...", client_secret="...") as isc:
        task = isc.process_identities(["2c9180835d191a86015d28455b4b232a"])
        print(task.id)

Any operation of the spec, through the generated client (docs/generated-client.md):

    import iscctl
    from iscctl_client.api.identities import start_identity_processing

    api = iscctl.api_client(base_url="acme", client_id="...", client_secret="...")
    task = iscctl.unwrap(start_identity_processing.sync_detailed(client=api, body=...))
"""

from __future__ import annotations

__version__ = "0.1.0"

# Not `from typing import TYPE_CHECKING`: importing typing alone would double the
# cold import time of this package. Type checkers treat this name the same way.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from iscctl.api import ApiClient, api_client, unwrap
    from iscctl.client import AsyncClient, Client, ClientStats
    from iscctl.errors import ISCError
    from iscctl.retry import RetryPolicy

__all__ = [
    "ApiClient",
    "AsyncClient",
    "Client",
    "ClientStats",
    "ISCError",
    "RetryPolicy",
    "__version__",
    "api_client",
    "unwrap",
]

_LAZY: dict[str, str] = {
    "ApiClient": "iscctl.api",
    "api_client": "iscctl.api",
    "unwrap": "iscctl.api",
    "AsyncClient": "iscctl.client",
    "Client": "iscctl.client",
    "ClientStats": "iscctl.client",
    "ISCError": "iscctl.errors",
    "RetryPolicy": "iscctl.retry",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'iscctl' has no attribute {name!r}")
    value = getattr(__import__(module, fromlist=[name]), name)  # no importlib import needed
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
