"""Two named sandbox tenants, `dev` and `prod`, over real HTTP, and a small API client.

One pair serves the whole folder and is reset before each test (state, tokens,
faults; the seeded profiles are stored again), which is as good as fresh.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from iscctl.sandbox import SandboxServer, SandboxTenants

TENANT_SECRET = "tenants-s3cr3t-9c41f0e7"
"""A client secret that cannot occur by chance in any output (the leak watch looks for it)."""


class Api:
    """A plain httpx client holding a token for one sandbox tenant."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.base_url, timeout=10)
        reply = self.http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": server.client_id,
                "client_secret": server.client_secret,
            },
        )
        assert reply.status_code == 200, reply.text
        self.headers = {"Authorization": f"Bearer {reply.json()['access_token']}"}

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.http.get(path, params=params, headers=self.headers)

    def post(self, path: str, body: Any = None) -> httpx.Response:
        if body is None:
            return self.http.post(path, headers=self.headers)
        return self.http.post(path, json=body, headers=self.headers)

    def ok(self, path: str, **params: Any) -> Any:
        reply = self.get(path, **params)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def close(self) -> None:
        self.http.close()


@pytest.fixture(scope="session")
def _tenants() -> Iterator[SandboxTenants]:
    with SandboxTenants(
        "dev", "prod", rate_limit=None, population_size=200, client_secret=TENANT_SECRET
    ) as tenants:
        yield tenants


@pytest.fixture
def tenants(_tenants: SandboxTenants, leak_watch: Any) -> SandboxTenants:
    """`dev` and `prod`, running, in their start-up state."""
    leak_watch.secrets.add(TENANT_SECRET)
    for server in _tenants.values():
        if not server.running:
            server.start()
    _tenants.reset()
    return _tenants


@pytest.fixture
def dev(tenants: SandboxTenants) -> Iterator[Api]:
    api = Api(tenants["dev"])
    yield api
    api.close()


@pytest.fixture
def prod(tenants: SandboxTenants) -> Iterator[Api]:
    api = Api(tenants["prod"])
    yield api
    api.close()


def exported(profile: dict[str, Any]) -> dict[str, Any]:
    """An IdentityProfileExportedObject around a profile object."""
    reference = {"type": "IDENTITY_PROFILE", "name": profile["name"]}
    if profile.get("id") is not None:  # `self.id` may be left out, never null
        reference["id"] = profile["id"]
    return {"version": 1, "self": reference, "object": profile}


def account(source_name: str | None, attribute: str, source_id: str | None = None) -> Any:
    attributes: dict[str, Any] = {"attributeName": attribute}
    if source_name is not None:
        attributes["sourceName"] = source_name
    if source_id is not None:
        attributes["sourceId"] = source_id
    return {"type": "accountAttribute", "attributes": attributes}


def profile(
    name: str,
    source: dict[str, Any] | None = None,
    mappings: dict[str, Any] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """An IdentityProfile object with the given attribute mappings (attribute -> transform)."""
    return {
        "name": name,
        "authoritativeSource": source or {"type": "SOURCE", "name": "HR Workday"},
        "identityAttributeConfig": {
            "enabled": True,
            "attributeTransforms": [
                {"identityAttributeName": attribute, "transformDefinition": definition}
                for attribute, definition in (mappings or {}).items()
            ],
        },
        **fields,
    }
