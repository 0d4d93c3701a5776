"""Helpers for the tests of `identities process --query/--filters/--wait` and `identities
status` (tests/selection, tests/verify): the CLI and clients against a sandbox, the JSON
schemas, and default journals kept in the test's own folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from iscctl.cli.main import cli
from iscctl.client import AsyncClient, Client
from iscctl.sandbox import SandboxServer


def connection(sandbox: SandboxServer) -> list[str]:
    return ["--base-url", sandbox.base_url, "--client-id", sandbox.client_id, "--rate-limit", "off"]


def run_cli(sandbox: SandboxServer, *args: str) -> Result:
    """`iscctl identities <args>` against `sandbox` (the secret from the environment)."""
    runner = CliRunner(env={"SAIL_CLIENT_SECRET": sandbox.client_secret})
    return runner.invoke(cli, ["identities", *args, *connection(sandbox)])


def client(sandbox: SandboxServer, **options: Any) -> Client:
    """A client of `sandbox` that does not pace itself (the sandbox enforces no limit)."""
    return Client(**_credentials(sandbox), rate_limit=None, **options)


def async_client(sandbox: SandboxServer, **options: Any) -> AsyncClient:
    """`client`, for the async API."""
    return AsyncClient(**_credentials(sandbox), rate_limit=None, **options)


def _credentials(sandbox: SandboxServer) -> dict[str, str]:
    return {
        "base_url": sandbox.base_url,
        "client_id": sandbox.client_id,
        "client_secret": sandbox.client_secret,
    }


def searches(sandbox: SandboxServer) -> int:
    """POST /search calls the sandbox answered."""
    return sum(1 for r in sandbox.state.requests if r.path.endswith("/search"))


@pytest.fixture(autouse=True)
def state_dir_in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Default journals go to the test's own folder, never the user's state dir (autouse
    where a conftest imports it)."""
    state = tmp_path / "state"
    monkeypatch.setenv("ISCCTL_STATE_DIR", str(state))
    return state


SCHEMAS = Path(__file__).parents[1] / "docs" / "schemas"


def validate(document: object, schema_name: str) -> None:
    """Check `document` against docs/schemas/<schema_name>, resolving references between the
    schema files by their $id."""
    import json

    import jsonschema
    from referencing import Registry, Resource

    resources = [
        Resource.from_contents(json.loads(path.read_text())) for path in SCHEMAS.glob("*.json")
    ]
    registry = Registry().with_resources((r.id(), r) for r in resources if r.id())
    schema = json.loads((SCHEMAS / schema_name).read_text())
    jsonschema.Draft202012Validator(schema, registry=registry).validate(document)
