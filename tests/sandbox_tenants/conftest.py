"""A small API client for each of the two named sandbox tenants, `dev` and `prod`, over
real HTTP. The tenants themselves (the `tenants` fixture: one pair for the session,
reset before each test) come from tests/tenant_pair.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from iscctl.sandbox import SandboxServer, SandboxTenants


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
