"""Fixtures of the client-core tests.

Every test here runs in a clean configuration world (no SAIL_* variables, an
empty user config folder, a current folder without config.json) and under a
leak watch (the suite's, in tests/conftest.py, also looking for the secrets
these tests use): at the end of each test, every log record at DEBUG, stdout
and stderr, and the error texts and reprs the test hands to `exposed` are
searched for the client secrets and for every token the sandbox issued.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from iscctl.client import AsyncClient, Client
from iscctl.retry import RetryPolicy
from iscctl.sandbox import SandboxServer

FAST = RetryPolicy(backoff_initial=0.001, backoff_max=0.01, max_total_seconds=30)
"""Retries without noticeable waits, so fault tests stay fast."""

if TYPE_CHECKING:
    from conftest import LeakWatch  # tests/conftest.py: the suite's leak watch

KNOWN_SECRETS = ["sandbox-secret", "s3cr3t-from-args", "s3cr3t-from-env", "s3cr3t-from-json"]


class Exposure:
    """Texts a client test shows to people (error messages, reprs, CLI output)."""

    def __init__(self, watch: LeakWatch) -> None:
        self.watch = watch

    def add(self, *items: object) -> None:
        self.watch.add("shown by a client test", *items)


@pytest.fixture(autouse=True)
def clean_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No SAIL_* variables, no ISCCTL_LOG, an empty user config folder, an empty cwd."""
    for name in ("SAIL_BASE_URL", "SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET", "ISCCTL_LOG"):
        monkeypatch.delenv(name, raising=False)
    config_dir = tmp_path / "user-config"
    monkeypatch.setenv("ISCCTL_CONFIG_DIR", str(config_dir))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return config_dir


@pytest.fixture(autouse=True)
def exposed(leak_watch: LeakWatch) -> Exposure:
    """The suite's leak watch (tests/conftest.py), also looking for this folder's secrets;
    `exposed.add(error, client, ...)` adds texts to search."""
    leak_watch.secrets.update(KNOWN_SECRETS)
    return Exposure(leak_watch)


@pytest.fixture
def make_client(sandbox: SandboxServer) -> Iterator[Callable[..., Client]]:
    """`make_client(**kwargs)`: a Client on the sandbox, fast retries unless given."""
    made: list[Client] = []

    def make(server: SandboxServer | None = None, **kwargs: Any) -> Client:
        server = server or sandbox
        kwargs.setdefault("retry", FAST)
        kwargs.setdefault("rate_limit", None)
        client = Client(
            base_url=server.base_url,
            client_id=server.client_id,
            client_secret=server.client_secret,
            **kwargs,
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def make_async_client(sandbox: SandboxServer) -> Callable[..., AsyncClient]:
    """`make_async_client(**kwargs)`: an AsyncClient on the sandbox (close it with async with)."""

    def make(server: SandboxServer | None = None, **kwargs: Any) -> AsyncClient:
        server = server or sandbox
        kwargs.setdefault("retry", FAST)
        kwargs.setdefault("rate_limit", None)
        return AsyncClient(
            base_url=server.base_url,
            client_id=server.client_id,
            client_secret=server.client_secret,
            **kwargs,
        )

    return make


@pytest.fixture
def exported_profile(sandbox: SandboxServer) -> Callable[..., dict[str, Any]]:
    """`exported_profile(name)`: one identity profile as SP-Config exports it."""
    source = sandbox.sources[0]

    def make(name: str = "HR Employees", **object_fields: Any) -> dict[str, Any]:
        profile: dict[str, Any] = {
            "name": name,
            "description": "imported by a test",
            "priority": 10,
            "authoritativeSource": {"type": "SOURCE", "id": source.id, "name": source.name},
            "identityAttributeConfig": {
                "enabled": True,
                "attributeTransforms": [
                    {
                        "identityAttributeName": "email",
                        "transformDefinition": {
                            "type": "accountAttribute",
                            "attributes": {"attributeName": "mail", "sourceName": source.name},
                        },
                    }
                ],
            },
        }
        profile.update(object_fields)
        return {
            "version": 1,
            "self": {"type": "IDENTITY_PROFILE", "id": "x" * 32, "name": name},
            "object": profile,
        }

    return make
