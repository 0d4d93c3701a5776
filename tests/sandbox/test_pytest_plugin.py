"""The pytest plugin (#13.5): an outside suite gets the fixtures from the installed entry point.

The outside test file runs in a separate pytest process, in a folder of its
own (no conftest of ours, no `-p` option), so the fixtures can only come from
the `pytest11` entry point of the installed iscctl.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

OUTSIDE_TESTS = """
import httpx
import pytest
from iscctl import unwrap
from iscctl.sandbox import RateLimit, SandboxServer
from iscctl_client.api.identities import get_identity

SEEN_PORTS = []


def test_the_client_processes_against_a_fresh_tenant(iscctl_sandbox, iscctl_client):
    ids = iscctl_sandbox.identity_ids[:3]
    task = iscctl_client.process_identities(ids)
    assert task.id
    assert iscctl_sandbox.state.process_counts == dict.fromkeys(ids, 1)
    SEEN_PORTS.append(iscctl_sandbox.port)


def test_each_test_has_its_own_tenant(iscctl_sandbox):
    assert iscctl_sandbox.state.accepted_batches == []
    assert iscctl_sandbox.port not in SEEN_PORTS


def test_defaults_rate_limit_off_and_seeded_ids(iscctl_sandbox):
    assert isinstance(iscctl_sandbox, SandboxServer)
    assert iscctl_sandbox.settings.rate_limit is None
    assert len(iscctl_sandbox.identity_ids) == 1000
    assert iscctl_sandbox.base_url.startswith("http://127.0.0.1:")


@pytest.mark.iscctl_sandbox(population_size=7, rate_limit=RateLimit(50, 10))
def test_a_marker_changes_settings_for_one_test(iscctl_sandbox):
    assert len(iscctl_sandbox.identity_ids) == 7
    assert iscctl_sandbox.settings.rate_limit == RateLimit(50, 10)


def test_faults_are_planned_and_the_state_inspected(iscctl_sandbox, iscctl_client):
    iscctl_sandbox.faults.add("slow", seconds=0, operation="process")
    iscctl_client.process_identities(iscctl_sandbox.identity_ids[:1])
    processed = [r for r in iscctl_sandbox.state.requests if r.operation == "process"]
    assert [(r.status, r.fault) for r in processed] == [(202, "slow")]


def test_the_api_client_reaches_generated_operations(iscctl_sandbox, iscctl_api):
    identity_id = iscctl_sandbox.identity_ids[0]
    identity = unwrap(get_identity.sync_detailed(identity_id, client=iscctl_api))
    assert identity.id == identity_id


@pytest.fixture
def iscctl_sandbox_settings(iscctl_sandbox_settings):
    return iscctl_sandbox_settings  # a suite may override the settings fixture


def test_overriding_the_settings_fixture_works(iscctl_sandbox):
    assert iscctl_sandbox.running
"""


def test_the_plugin_is_registered_as_a_pytest11_entry_point() -> None:
    plugins = {point.name: point.value for point in entry_points(group="pytest11")}
    assert plugins.get("iscctl") == "iscctl.pytest_plugin"


def test_an_outside_suite_uses_the_installed_plugin(tmp_path: Path) -> None:
    (tmp_path / "test_outside.py").write_text(textwrap.dedent(OUTSIDE_TESTS), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "test_outside.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "7 passed" in result.stdout


def test_the_marker_is_declared(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--markers"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "@pytest.mark.iscctl_sandbox(**settings)" in result.stdout
