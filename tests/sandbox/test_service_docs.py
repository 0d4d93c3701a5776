"""The CI and service examples of docs/sandbox.md are valid; `--host 0.0.0.0` names its address."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from iscctl.cli.sandbox_command import sandbox as sandbox_command

DOC = Path(__file__).resolve().parents[2] / "docs" / "sandbox.md"
HTTP_OPT_IN = "ISCCTL_ALLOW_HTTP_HOSTS"  # TEAM contract 7: the client reads this name


def _section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    following = re.search(r"^## ", text[start + 3 :], flags=re.M)
    return text[start : start + 3 + following.start()] if following else text[start:]


def _blocks(language: str) -> list[str]:
    section = _section("In CI and as a service")
    return re.findall(rf"```{language}\n(.*?)```", section, flags=re.S)


def _sandbox_args(command: str) -> list[str]:
    """The arguments after `iscctl sandbox` in a shell command line."""
    command = command.split("exec ", 1)[-1]
    words = shlex.split(re.split(r"[>&]", command, maxsplit=1)[0])
    start = words.index("sandbox")
    return words[start + 1 :]


def _check_sandbox_command(command: str) -> list[str]:
    args = _sandbox_args(command)
    with sandbox_command.make_context("sandbox", list(args)) as context:  # click parses it
        assert context.params["host"] == "0.0.0.0"
        assert context.params["port"] == 8080
    return args


def test_the_docs_have_a_compose_file_and_a_ci_services_example() -> None:
    compose, ci = (yaml.safe_load(block) for block in _blocks("yaml"))
    assert set(compose["services"]) == {"sandbox", "tests"}
    assert "reprocess-against-sandbox" in ci


def test_the_compose_file_runs_a_sandbox_other_containers_can_reach() -> None:
    compose: dict[str, Any] = yaml.safe_load(_blocks("yaml")[0])
    sandbox, tests = compose["services"]["sandbox"], compose["services"]["tests"]
    _check_sandbox_command(sandbox["command"][-1])
    assert sandbox["ports"] == ["8080:8080"]
    assert tests["depends_on"]["sandbox"]["condition"] == "service_healthy"
    environment = tests["environment"]
    assert environment["SAIL_BASE_URL"] == "http://sandbox:8080"
    assert environment[HTTP_OPT_IN] == "sandbox"
    assert {"SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET"} <= set(environment)
    assert "iscctl identities process" in tests["command"][-1]


def test_the_ci_services_example_runs_the_same_sandbox() -> None:
    job: dict[str, Any] = yaml.safe_load(_blocks("yaml")[1])["reprocess-against-sandbox"]
    (service,) = job["services"]
    assert service["alias"] == "sandbox"
    assert service["entrypoint"] == ["sh", "-c"]
    _check_sandbox_command(service["command"][0])
    assert job["variables"]["SAIL_BASE_URL"] == "http://sandbox:8080"
    assert job["variables"][HTTP_OPT_IN] == "sandbox"
    assert any("iscctl identities process" in line for line in job["script"])


def test_the_process_example_is_valid_shell_with_a_valid_sandbox_command() -> None:
    (script,) = _blocks("sh")
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    checked = subprocess.run([bash, "-n"], input=script, text=True, capture_output=True)
    assert checked.returncode == 0, checked.stderr
    line = next(line for line in script.splitlines() if line.startswith("iscctl sandbox"))
    args = _sandbox_args(line)
    with sandbox_command.make_context("sandbox", list(args)) as context:
        assert context.params["port"] == 8080


def test_host_0000_serves_and_says_which_address_to_use() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "iscctl", "sandbox", "--host", "0.0.0.0", "--port", "0",
         "--population", "3"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    lines: list[str] = []
    try:
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        output = "".join(lines)
        match = re.search(r"listening on (http://127\.0\.0\.1:(\d+))", output)
        assert match, output
        base_url, port = match.group(1), match.group(2)
        assert f"listening on 0.0.0.0 port {port}" in output
        assert f"http://sandbox:{port}" in output  # how a container names it
        assert f"{HTTP_OPT_IN}=" in output
        # Reached here through loopback only: tests never leave this machine.
        reply = httpx.post(
            f"{base_url}/oauth/token",
            data={"grant_type": "client_credentials", "client_id": "sandbox-client",
                  "client_secret": "sandbox-secret"},
            timeout=10,
        )  # fmt: skip
        assert reply.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert process.returncode == 0
