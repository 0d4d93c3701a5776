"""Fixtures of the client-core tests.

Every test here runs in a clean configuration world (no SAIL_* variables, an
empty user config folder, a current folder without config.json) and under a
leak watch: at the end of each test, everything it produced that a person
could read — every log record at DEBUG from every logger, stdout and stderr,
and the error texts and reprs the test hands to `exposed` — is searched for
the client secrets in use and for every token the sandbox issued. One
occurrence fails the test.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from iscctl.client import AsyncClient, Client
from iscctl.retry import RetryPolicy
from iscctl.sandbox import SandboxServer
from iscctl.sandbox.auth import TokenBook

FAST = RetryPolicy(backoff_initial=0.001, backoff_max=0.01, max_total_seconds=30)
"""Retries without noticeable waits, so fault tests stay fast."""

KNOWN_SECRETS = ["sandbox-secret", "s3cr3t-from-args", "s3cr3t-from-env", "s3cr3t-from-json"]


class Exposure:
    """Texts a test shows to people (error messages, reprs, CLI output)."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.secrets: set[str] = set(KNOWN_SECRETS)
        self.tokens: list[str] = []

    def add(self, *items: object) -> None:
        for item in items:
            self.texts.append(item if isinstance(item, str) else f"{item!s} {item!r}")


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
def exposed(
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Exposure]:
    """The leak watch; `exposed.add(error, client, ...)` adds texts to search."""
    exposure = Exposure()
    issue = TokenBook.issue

    def recording_issue(self: TokenBook, client_id: str) -> dict[str, Any]:
        reply = issue(self, client_id)
        exposure.tokens.append(reply["access_token"])
        return reply

    monkeypatch.setattr(TokenBook, "issue", recording_issue)
    caplog.set_level(logging.DEBUG)
    yield exposure
    out, err = capfd.readouterr()
    logged = [caplog.text]
    for record in [*caplog.get_records("setup"), *caplog.get_records("call"), *caplog.records]:
        logged.append(record.getMessage())
        if record.exc_text:
            logged.append(record.exc_text)
    leaks = find_leaks([*logged, out, err, *exposure.texts], [*exposure.secrets, *exposure.tokens])
    assert not leaks, f"{len(leaks)} client secret(s) or token(s) leaked into output"


def find_leaks(texts: list[str], values: list[str]) -> list[str]:
    """The values that occur in any of the texts."""
    everything = "\n".join(texts)
    return [value for value in values if value in everything]


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
