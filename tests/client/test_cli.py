"""The shared connection options and `iscctl config`."""

from __future__ import annotations

import asyncio
import json
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import pytest
from click.testing import CliRunner
from iscctl.cli.connection import client_from_options, connection_options, parse_rate_limit
from iscctl.cli.main import cli
from iscctl.logs import disable_logging
from iscctl.sandbox import SandboxServer

if TYPE_CHECKING:
    from .conftest import Exposure


@click.command()
@connection_options
def probe(**options: Any) -> None:
    """A command that makes a client and makes one call, as real commands do."""
    isc = client_from_options(options)

    async def run() -> str:
        async with isc:
            task = await isc.process_identities(ids)
            return str(task.id)

    ids = json.loads(sys.stdin.read() or "[]")
    click.echo(f"{isc.version} {isc.base_url} {isc._core.pacer} {isc._core.retry.max_retries}")
    if ids:
        click.echo(asyncio.run(run()))


def _invoke(args: list[str], exposed: Exposure, **kwargs: Any) -> Any:
    result = CliRunner().invoke(probe, args, catch_exceptions=False, **kwargs)
    exposed.add(result.output)
    return result


def test_options_make_a_working_client(sandbox: SandboxServer, exposed: Exposure) -> None:
    args = ["--base-url", sandbox.base_url, "--client-id", sandbox.client_id]
    args += ["--api-version", "beta", "--rate-limit", "50/5", "--max-retries", "2"]
    result = _invoke(
        args,
        exposed,
        env={"SAIL_CLIENT_SECRET": sandbox.client_secret},
        input=json.dumps(sandbox.identity_ids[:2]),
    )
    assert result.exit_code == 0, result.output
    first, task_id = result.output.splitlines()
    assert first == f"beta {sandbox.base_url} Pacer(50, 5.0) 2"
    assert task_id
    assert [r.path for r in sandbox.state.requests if r.operation == "process"] == [
        "/beta/identities/process"
    ]


def test_environment_variables_feed_the_options(exposed: Exposure) -> None:
    env = {
        "SAIL_BASE_URL": "acme",
        "SAIL_CLIENT_ID": "id",
        "SAIL_CLIENT_SECRET": "s3cr3t-from-env",
    }
    result = _invoke(["--rate-limit", "off"], exposed, env=env)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "v2025 https://acme.api.identitynow.com None 4"


def test_a_configuration_error_is_a_one_line_usage_error(exposed: Exposure) -> None:
    args = ["--base-url", "http://example.com", "--client-id", "i", "--client-secret", "x" * 8]
    result = CliRunner().invoke(probe, args)
    exposed.add(result.output)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(lines) == 1
    assert "plain http:// is refused" in lines[0]


def test_a_bad_rate_limit_option_names_the_format(exposed: Exposure) -> None:
    result = CliRunner().invoke(probe, ["--rate-limit", "fast"])
    exposed.add(result.output)
    assert result.exit_code == 2
    assert "give REQUESTS/SECONDS such as 100/10, or off" in result.output


@pytest.mark.parametrize(
    ("text", "parsed"), [("100/10", (100, 10.0)), ("5/0.5", (5, 0.5)), ("OFF", None)]
)
def test_rate_limits_are_parsed(text: str, parsed: tuple[int, float] | None) -> None:
    assert parse_rate_limit(text) == parsed


def test_the_secret_option_tells_to_prefer_the_environment() -> None:
    result = CliRunner().invoke(probe, ["--help"])
    assert "prefer the SAIL_CLIENT_SECRET environment" in " ".join(result.output.split())


# -- iscctl config --------------------------------------------------------------------


def _config(args: list[str], exposed: Exposure, **kwargs: Any) -> Any:
    result = CliRunner().invoke(cli, ["config", *args], catch_exceptions=False, **kwargs)
    exposed.add(result.output)
    return result


def test_config_set_prompts_for_the_secret_and_writes_a_private_file(
    clean_configuration: Path, exposed: Exposure
) -> None:
    result = _config(
        ["set", "acme", "--base-url", "acme", "--client-id", "id-acme"],
        exposed,
        input="s3cr3t-from-args\n",
    )
    assert result.exit_code == 0, result.output
    path = clean_configuration / "config.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert 'client_secret = "s3cr3t-from-args"' in path.read_text()
    listed = _config(["list"], exposed)
    assert listed.output == "* acme\tacme\tclient_id=id-acme\n"


def test_config_show_names_each_source_and_masks_the_secret(
    sandbox: SandboxServer, exposed: Exposure
) -> None:
    _config(
        ["set", "local", "--base-url", sandbox.base_url, "--client-id", sandbox.client_id],
        exposed,
        input=f"{sandbox.client_secret}\n",
    )
    shown = json.loads(_config(["show"], exposed, env={"SAIL_CLIENT_ID": "other-id"}).output)
    assert shown["client_secret"] == "***"
    assert shown["version"] == "v2025 (default)"
    assert shown["client_id"] == "other-id"
    assert shown["sources"]["client_id"] == "environment variable SAIL_CLIENT_ID"
    assert shown["sources"]["base_url"].endswith("[environments.local] base_url")


def test_config_use_and_remove(exposed: Exposure) -> None:
    for name in ("one", "two"):
        _config(["set", name, "--base-url", name, "--client-id", "i"], exposed, input="secret-x\n")
    assert _config(["use", "one"], exposed).output.strip() == "active environment: one"
    assert _config(["remove", "one"], exposed).exit_code == 0
    missing = CliRunner().invoke(cli, ["config", "use", "one"])
    assert missing.exit_code == 1
    assert "no environment named 'one' (known: two)" in missing.output


def test_config_set_refuses_a_non_loopback_http_base(exposed: Exposure) -> None:
    result = CliRunner().invoke(
        cli, ["config", "set", "x", "--base-url", "http://example.com", "--client-id", "i"]
    )
    exposed.add(result.output)
    assert result.exit_code == 2
    assert "plain http:// is refused" in result.output


@pytest.fixture
def logging_reset() -> Iterator[None]:
    yield
    disable_logging()


def test_verbose_logs_to_stderr_with_secrets_redacted(
    sandbox: SandboxServer, exposed: Exposure, logging_reset: None
) -> None:
    args = ["--base-url", sandbox.base_url, "--client-id", sandbox.client_id, "-vv"]
    result = CliRunner().invoke(
        probe,
        args,
        env={"SAIL_CLIENT_SECRET": sandbox.client_secret},
        input=json.dumps(sandbox.identity_ids[:1]),
        catch_exceptions=False,
    )
    exposed.add(result.stdout, result.stderr)
    assert result.exit_code == 0, result.output
    assert "DEBUG iscctl: got a token for client_id sandbox-client" in result.stderr
    assert sandbox.client_secret not in result.stderr
