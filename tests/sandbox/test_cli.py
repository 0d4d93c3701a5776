"""`iscctl sandbox`: starts in the foreground, says where, stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from click.testing import CliRunner
from iscctl.cli.sandbox_command import _is_loopback
from iscctl.cli.sandbox_command import sandbox as sandbox_command
from iscctl.sandbox import RateLimitEscalation, SandboxServer

LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:(\d+))")


@pytest.fixture
def running_cli() -> Iterator[tuple[subprocess.Popen[str], str, list[str]]]:
    """`iscctl sandbox --port 0` in a subprocess; yields it, its base URL and its first lines."""
    env = {**os.environ, "ISCCTL_SANDBOX_FAULTS": "http_503:operation=token"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "iscctl",
            "sandbox",
            "--port",
            "0",
            "--population",
            "10",
            "--fault",
            "rate_limit:operation=import,retry_after=4",
            "--verbose",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    lines: list[str] = []
    base_url = None
    for line in process.stdout:
        lines.append(line)
        if line.startswith("Press Ctrl-C"):
            break
        match = LISTENING.search(line)
        if match:
            base_url = match.group(1)
    try:
        assert base_url is not None, "".join(lines)
        yield process, base_url, lines
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_cli_serves_prints_how_to_connect_and_stops_on_sigint(
    running_cli: tuple[subprocess.Popen[str], str, list[str]],
    secret_in_url: None,
) -> None:
    process, base_url, lines = running_cli
    text = "".join(lines)
    assert f"export SAIL_BASE_URL={base_url} SAIL_CLIENT_ID=sandbox-client" in text
    assert "SAIL_CLIENT_SECRET=sandbox-secret" in text
    assert f"{base_url}/__sandbox__/state" in text
    with httpx.Client(base_url=base_url) as client:
        form = {
            "grant_type": "client_credentials",
            "client_id": "sandbox-client",
            "client_secret": "sandbox-secret",
        }
        assert client.post("/oauth/token", data=form).status_code == 503  # fault from the env
        token = client.post("/oauth/token", params=form).json()["access_token"]
        refused = client.post(
            "/v3/identity-profiles/import", json=[], headers={"Authorization": f"Bearer {token}"}
        )
        assert client.get("/__sandbox__/identities").json()["total"] == 10
    assert refused.status_code == 429  # fault from --fault
    assert refused.headers["retry-after"] == "4"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=15)
    assert process.returncode == 0
    assert token not in out + err + text
    assert "POST /oauth/token -> 200" in err  # --verbose logs requests...
    assert "sandbox-secret" not in err  # ...without the query string that carried the secret


def test_cli_stops_cleanly_on_sigterm(
    running_cli: tuple[subprocess.Popen[str], str, list[str]],
) -> None:
    process, _, _ = running_cli
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=15)
    assert process.returncode == 0


def test_help_teaches_with_examples() -> None:
    result = CliRunner().invoke(sandbox_command, ["--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert "--fault http_500:times=2,operation=process" in result.output
    assert "ISCCTL_SANDBOX_FAULTS" in result.output
    assert "drop_connection" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rate-limit", "lots"], "Invalid value for '--rate-limit'"),
        (["--port", "70000"], "Invalid value for '--port'"),
        (["--fault", "explode"], "unknown fault kind 'explode'"),
        (["--unknown-ids", "maybe"], "Invalid value for '--unknown-ids'"),
        (["--token-ttl", "0"], "Invalid value for '--token-ttl'"),
        (["--token-max-uses", "0"], "Invalid value for '--token-max-uses'"),
        (["--identity-ids", "/nonexistent/ids.txt"], "Invalid value for '--identity-ids'"),
        (["--processing-time", "-1"], "Invalid value for '--processing-time'"),
        (["--processing-error-rate", "1.5"], "Invalid value for '--processing-error-rate'"),
        (["--processing-failures", "0"], "nor 'always'"),
        (["--rate-limit-escalation", "soon"], "TIERS[@STRIKES/SECONDS]"),
    ],
)
def test_bad_flag_values_are_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(sandbox_command, args)
    assert result.exit_code == 2
    assert message in result.output


def test_bad_faults_in_the_environment_are_usage_errors() -> None:
    result = CliRunner().invoke(
        sandbox_command, [], env={"ISCCTL_SANDBOX_FAULTS": "http_500:times=never"}
    )
    assert result.exit_code == 2
    assert "ISCCTL_SANDBOX_FAULTS" in result.output
    assert "times must be a whole number" in result.output


def test_a_port_in_use_is_a_one_line_error() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(sandbox_command, ["--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


def test_a_server_that_dies_on_its_own_is_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SandboxServer, "wait", lambda self: None)
    result = CliRunner().invoke(sandbox_command, ["--port", "0", "--population", "1"])
    assert result.exit_code == 1
    assert "stopped unexpectedly" in result.output


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("10.1.2.3", False),
    ],
)
def test_hosts_that_are_not_loopback_are_warned_about(host: str, loopback: bool) -> None:
    assert _is_loopback(host) is loopback


def test_processing_options_reach_the_tenant(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[SandboxServer] = []

    def stop_at_once(self: SandboxServer) -> None:
        seen.append(self)
        raise KeyboardInterrupt

    monkeypatch.setattr(SandboxServer, "wait", stop_at_once)
    args = [
        "--port", "0", "--population", "3", "--processing-delay", "2",
        "--processing-time", "0.5", "--processing-error-rate", "0.25",
        "--processing-error-id", "a1", "--processing-error-id", "b2",
        "--processing-failures", "always", "--no-task-status",
        "--rate-limit-escalation", "2,4@2/30",
    ]  # fmt: skip
    result = CliRunner().invoke(sandbox_command, args)
    assert result.exit_code == 0, result.output
    settings = seen[0].settings
    assert (settings.processing_delay, settings.processing_time) == (2.0, 0.5)
    assert settings.processing_error_rate == 0.25
    assert settings.processing_error_ids == ("a1", "b2")
    assert settings.processing_failures is None
    assert settings.track_tasks is False
    assert settings.rate_limit_escalation == RateLimitEscalation((2, 4), 2, 30.0)
    assert "escalation:    Retry-After 2, 4 s after 2 exceeded windows within 30 s" in result.output
    assert "processing:    queued 2 s, then 0.5 s per identity; 25% (+2 listed)" in result.output
