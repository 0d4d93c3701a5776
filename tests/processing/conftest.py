"""Helpers for the `identities process` tests: clients pointed at the sandbox, input files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from iscctl.client import AsyncClient, Client
from iscctl.retry import RetryPolicy
from iscctl.sandbox import SandboxServer

FAST_RETRIES = RetryPolicy(max_retries=6, backoff_initial=0.01, backoff_max=0.05, jitter=0)
"""Real retries with short waits, so fault tests stay fast."""


def async_client(sandbox: SandboxServer, **overrides: Any) -> AsyncClient:
    settings: dict[str, Any] = {
        "base_url": sandbox.base_url,
        "client_id": sandbox.client_id,
        "client_secret": sandbox.client_secret,
        "rate_limit": None,
        "retry": FAST_RETRIES,
    }
    return AsyncClient(**{**settings, **overrides})


def sync_client(sandbox: SandboxServer, **overrides: Any) -> Client:
    settings: dict[str, Any] = {
        "base_url": sandbox.base_url,
        "client_id": sandbox.client_id,
        "client_secret": sandbox.client_secret,
        "rate_limit": None,
        "retry": FAST_RETRIES,
    }
    return Client(**{**settings, **overrides})


@pytest.fixture
def write_ids(tmp_path: Path) -> Callable[..., Path]:
    """Write ids (or any lines) to a file in tmp_path; returns its path."""

    def write(lines: list[str], name: str = "ids.txt") -> Path:
        path = tmp_path / name
        path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def _state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Default journals go to the test's own folder, never the user's state dir."""
    state = tmp_path / "state"
    monkeypatch.setenv("ISCCTL_STATE_DIR", str(state))
    return state
