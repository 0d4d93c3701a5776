"""Helpers for the `identity-profiles import` tests: exported profiles, files, the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from iscctl.cli.main import cli
from iscctl.client import AsyncClient, Client
from iscctl.retry import RetryPolicy
from iscctl.sandbox import SandboxServer, SandboxTenants

from ..tenant_pair import TENANT_SECRET

FAST_RETRIES = RetryPolicy(max_retries=2, backoff_initial=0.01, backoff_max=0.02, jitter=0)

Profile = dict[str, Any]


def exported_profile(
    name: str, source: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    """An exported identity profile as SP-Config writes it, read-only fields included."""
    profile: dict[str, Any] = {
        "id": f"id-of-{name}",
        "name": name,
        "created": "2025-03-01T10:00:00.000Z",
        "modified": "2026-01-15T08:30:00.000Z",
        "priority": 10,
        "authoritativeSource": source or {"type": "SOURCE", "name": "HR Workday"},
        "identityAttributeConfig": {
            "enabled": True,
            "attributeTransforms": [
                {
                    "identityAttributeName": "email",
                    "transformDefinition": {
                        "type": "accountAttribute",
                        "attributes": {"sourceName": "HR Workday", "attributeName": "mail"},
                    },
                }
            ],
        },
        **fields,
    }
    return {
        "version": 1,
        "self": {"type": "IDENTITY_PROFILE", "id": f"id-of-{name}", "name": name},
        "object": profile,
    }


@pytest.fixture
def make_profile() -> Callable[..., Profile]:
    return exported_profile


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[..., Path]:
    """Write a value as JSON to a file in tmp_path; returns its path."""

    def write(data: Any, name: str = "export.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        return path

    return write


@pytest.fixture
def run_import(
    sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Result]:
    """Run `iscctl identity-profiles import ARGS...` in-process against the sandbox."""
    monkeypatch.chdir(tmp_path)
    env = {
        "SAIL_BASE_URL": sandbox.base_url,
        "SAIL_CLIENT_ID": sandbox.client_id,
        "SAIL_CLIENT_SECRET": sandbox.client_secret,
        "ISCCTL_CONFIG_DIR": str(tmp_path / "config"),
    }

    def run(*args: str | Path, stdin: bytes | None = None) -> Result:
        """Send references as written, no backup: these tests are about the import and
        the tenant's verdicts (resolution, plan, backup and read-back: test_move.py)."""
        command = ["identity-profiles", "import", *map(str, args)]
        if "--help" not in command:
            command += ["--rate-limit", "off", "--max-retries", "1", "--no-resolve", "--no-backup"]
        return CliRunner().invoke(cli, command, env=env, input=stdin, catch_exceptions=False)

    return run


@pytest.fixture
def sync_client(sandbox: SandboxServer) -> Callable[[], Client]:
    def make() -> Client:
        return Client(
            base_url=sandbox.base_url,
            client_id=sandbox.client_id,
            client_secret=sandbox.client_secret,
            rate_limit=None,
            retry=FAST_RETRIES,
        )

    return make


@pytest.fixture
def async_client(sandbox: SandboxServer) -> Callable[[], AsyncClient]:
    def make() -> AsyncClient:
        return AsyncClient(
            base_url=sandbox.base_url,
            client_id=sandbox.client_id,
            client_secret=sandbox.client_secret,
            rate_limit=None,
            retry=FAST_RETRIES,
        )

    return make


@pytest.fixture
def import_requests(sandbox: SandboxServer) -> Callable[[], int]:
    """How many import requests have reached the sandbox so far."""

    def count() -> int:
        return sum(1 for record in sandbox.state.requests if record.operation == "import")

    return count


# -- two tenants, dev and prod, for the moves (test_move.py, test_restore.py) ----------
# The `tenants` fixture (one pair for the session, reset before each test) comes from
# tests/tenant_pair.py.
Run = Callable[..., Result]


@pytest.fixture
def iscctl(tenants: SandboxTenants, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """`iscctl identity-profiles ARGS... --tenant dev|prod`, in-process, in tmp_path."""
    monkeypatch.chdir(tmp_path)

    def run(*args: str | Path, tenant: str, secret: str = TENANT_SECRET) -> Result:
        server = tenants[tenant]
        env = {
            "SAIL_BASE_URL": server.base_url,
            "SAIL_CLIENT_ID": server.client_id,
            "SAIL_CLIENT_SECRET": secret,
            "ISCCTL_CONFIG_DIR": str(tmp_path / "config"),
            "COLUMNS": "80",
        }
        command = [
            "identity-profiles",
            *map(str, args),
            "--rate-limit",
            "off",
            "--max-retries",
            "0",
        ]
        return CliRunner().invoke(cli, command, env=env, catch_exceptions=False)

    return run
