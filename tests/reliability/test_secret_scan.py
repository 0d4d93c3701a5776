"""The secret scan: representative runs of every command and every kind of error, with
debug logging on, and the objects a user may print. The leak watch (conftest.py) then
searches all of it — logs, stdout/stderr, journals, --output files, reprs, error
texts — for the client secret and every token the sandbox issued.

The scan is itself tested: `test_the_scan_finds_a_planted_secret_and_token` plants
both and expects the watch to report them.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
from pathlib import Path
from typing import Any

import httpx
import pytest
from iscctl import AsyncClient, Client
from iscctl.auth import ClientCredentialsAuth, Token
from iscctl.config import UserConfig, resolve_settings
from iscctl.errors import ISCError
from iscctl.processing import process_all_sync
from iscctl.profiles import import_profiles, plan_import
from iscctl.retry import RetryPolicy
from iscctl.sandbox import SandboxServer

SECRET = "s3cr3t-RELIABILITY-9d41c7e2b8"
"""The suite's client secret (tests/reliability/conftest.py)."""
QUICK = RetryPolicy(max_retries=1, backoff_initial=0.01, backoff_max=0.01, jitter=0)
WRONG_SECRET = "s3cr3t-WRONG-5be0c4a1f7"
"""A secret a user mistyped: refused by the tenant, and still a secret (the watch knows it)."""


def export_file(tmp_path: Path, sandbox: SandboxServer, count: int = 3) -> Path:
    exported = [
        {
            "version": 1,
            "self": {"type": "IDENTITY_PROFILE", "id": f"old-{n}", "name": f"Scan {n}"},
            "object": {
                "name": f"Scan {n}",
                "priority": n,
                "authoritativeSource": {"type": "SOURCE", "name": sandbox.source_names[0]},
            },
        }
        for n in range(count)
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    return path


def ids_file(tmp_path: Path, ids: list[str], name: str = "ids.txt") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(ids) + "\n", encoding="utf-8")
    return path


# -- the scan finds what it looks for ------------------------------------------------------------


def test_the_scan_finds_a_planted_secret_and_token(
    isc: SandboxServer, evidence: Any, tmp_path: Path
) -> None:
    planted = type(evidence)()
    planted.secrets.add(SECRET)
    token = httpx.post(
        f"{isc.base_url}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": isc.client_id,
            "client_secret": isc.client_secret,
        },
    ).json()["access_token"]
    planted.tokens.append(token)
    planted.add("a log line", f"DEBUG sending client_secret {isc.client_secret}")
    planted.add("an error", RuntimeError(f"refused {token[:-1]}"))  # a JWT-shaped fragment
    leaks = planted.leaks()
    assert "a client secret in a log line" in leaks
    assert any(leak.endswith("in an error") for leak in leaks)
    evidence.tokens.append(token)  # the real watch must not see it anywhere either


# -- the command line, as a user runs it ----------------------------------------------------------


def test_process_and_import_at_debug_level_show_no_secret(
    isc: SandboxServer, cli: Any, tmp_path: Path
) -> None:
    ids = ids_file(tmp_path, isc.identity_ids[:600])
    isc.faults.add("expire_token", times=1, after=1, operation="process")
    isc.faults.add("http_500", times=1, operation="import")
    output, journal = tmp_path / "out" / "result.json", tmp_path / "run.jsonl"

    process = cli.run(
        "identities", "process", ids, "-vv", "--batch-size", "100", "--rate-limit", "off",
        "--output", output, "--journal", journal, sandbox=isc,
    )  # fmt: skip
    imported = cli.run(
        "identity-profiles", "import", export_file(tmp_path, isc), "-vv", "--rate-limit", "off",
        sandbox=isc,
    )  # fmt: skip
    as_json = cli.run(
        "identity-profiles", "import", export_file(tmp_path, isc), "--format", "json",
        sandbox=isc,
    )  # fmt: skip

    assert (process.returncode, imported.returncode, as_json.returncode) == (0, 0, 0)
    assert "401" in process.stderr and "DEBUG" in process.stderr  # the talkative path ran
    assert isc.state.tokens_issued >= 4
    assert output.exists() and journal.exists()


def test_the_secret_given_as_an_option_is_not_echoed(
    isc: SandboxServer, cli: Any, tmp_path: Path
) -> None:
    ids = ids_file(tmp_path, isc.identity_ids[:5])
    result = cli.run(
        "identities", "process", ids, "--base-url", isc.base_url, "--client-id", isc.client_id,
        "--client-secret", isc.client_secret, "-vv",
        env={"SAIL_CLIENT_SECRET": "", "SAIL_BASE_URL": "", "SAIL_CLIENT_ID": ""},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_refused_credentials_and_refused_ids_are_reported_without_secrets(
    isc: SandboxServer, cli: Any, tmp_path: Path
) -> None:
    """The other failures (5xx, 503 HTML, drops, timeouts, 429 past the cap, nothing
    listening) run at debug level under this same watch in test_fault_matrix.py."""
    ids = ids_file(tmp_path, isc.identity_ids[:3])
    unknown = ids_file(tmp_path, ["0" * 32, isc.identity_ids[0]], "unknown.txt")
    fast = ["--max-retries", "0", "--rate-limit", "off", "-vv"]
    wrong = {"SAIL_CLIENT_SECRET": WRONG_SECRET}

    refused = cli.run("identities", "process", ids, *fast, sandbox=isc, env=wrong)
    missing = cli.run("identities", "process", ids, *fast, sandbox=isc,
                      env={"SAIL_CLIENT_SECRET": ""})  # fmt: skip
    rejected = cli.run("identities", "process", unknown, *fast, sandbox=isc)
    export = export_file(tmp_path, isc)
    refused_import = cli.run("identity-profiles", "import", export, *fast, sandbox=isc, env=wrong)

    # refused credentials: exit 3 (known before any id could be processed, #12.9)
    assert (refused.returncode, missing.returncode, rejected.returncode) == (3, 2, 1)
    assert refused_import.returncode == 3  # import stops at the first refused token (#12.9)
    assert "401" in refused.stdout + refused.stderr
    assert "missing client_secret" in missing.stderr
    assert "404" in rejected.stdout


def test_config_commands_mask_the_secret(isc: SandboxServer, cli: Any, tmp_path: Path) -> None:
    setup = cli.run(
        "config", "set", "scan", "--base-url", isc.base_url, "--client-id", isc.client_id,
        "--client-secret", isc.client_secret, sandbox=None,
    )  # fmt: skip
    assert setup.returncode == 0, setup.stderr
    shown = [
        cli.run("config", *args) for args in (["show"], ["list"], ["path"], ["show", "-e", "scan"])
    ]
    assert all(result.returncode == 0 for result in shown), [r.stderr for r in shown]
    used = cli.run("identities", "process", ids_file(tmp_path, isc.identity_ids[:2]), "-vv")
    assert used.returncode == 0, used.stderr  # the stored secret works: it was really there


def test_the_sandbox_command_prints_its_own_credentials_only_in_its_banner(
    cli: Any, tmp_path: Path, evidence: Any
) -> None:
    """`iscctl sandbox` announces the demo tenant's credentials so users can export them;
    nothing else it writes, nor a client run against it, may contain them or a token."""
    secret = SECRET
    server = cli.start(
        "sandbox", "--port", "0", "--client-secret", secret, "--rate-limit", "off",
        "--population", "300", "--fault", "expire_token:times=1",
    )  # fmt: skip
    assert server.stdout is not None
    banner: list[str] = []
    while not any(line.startswith("Press Ctrl-C") for line in banner):
        line = server.stdout.readline().decode()
        assert line, "the sandbox ended before it was ready"
        banner.append(line)
    base_url = re.search(r"listening on (http://\S+)", "".join(banner))
    assert base_url
    env = {"SAIL_BASE_URL": base_url.group(1), "SAIL_CLIENT_ID": "sandbox-client"}
    env["SAIL_CLIENT_SECRET"] = secret
    token = httpx.post(
        f"{base_url.group(1)}/oauth/token",
        data={"grant_type": "client_credentials", "client_id": "sandbox-client",
              "client_secret": secret},
    ).json()["access_token"]  # fmt: skip
    evidence.tokens.append(token)
    imported = cli.run("identity-profiles", "import", export_file_for_sources(tmp_path), "-vv",
                       "--rate-limit", "off", env=env)  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    state = httpx.get(f"{base_url.group(1)}/__sandbox__/state").json()
    assert state["profiles"] == 1 and "401" in state["requestsByStatus"]  # the fault fired
    server.send_signal(signal.SIGINT)
    rest = cli.finish(server)
    assert rest.returncode in (0, 130, -signal.SIGINT)
    shown = [line for line in banner if secret in line]
    assert len(shown) == 2 and shown[0].strip().startswith("client secret:")
    evidence.add("sandbox banner without its credential lines", *(set(banner) - set(shown)))


def export_file_for_sources(tmp_path: Path) -> Path:
    exported = [
        {
            "version": 1,
            "self": {"type": "IDENTITY_PROFILE", "id": "x", "name": "Banner"},
            "object": {
                "name": "Banner",
                "authoritativeSource": {"type": "SOURCE", "name": "HR Workday"},
            },
        }
    ]
    path = tmp_path / "banner-export.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    return path


# -- the Python API: reprs, errors, logs at DEBUG ------------------------------------------------


def test_clients_settings_errors_and_results_show_no_secret(
    isc: SandboxServer, evidence: Any, tmp_path: Path
) -> None:
    credentials: dict[str, Any] = {
        "base_url": isc.base_url,
        "client_id": isc.client_id,
        "client_secret": isc.client_secret,
    }
    with Client(**credentials, retry=QUICK, rate_limit=None) as client:
        task = client.process_identities(isc.identity_ids[:2])
        evidence.add("Client after a call", client, client.stats, task, client.generated)
        report = process_all_sync(client, isc.identity_ids[:300], batch_size=100)
        evidence.add("ProcessReport", report, report.to_dict())
        plan = plan_import(str(export_file(tmp_path, isc)))
        outcome = import_profiles(client, plan)
        evidence.add("ImportOutcome", plan, outcome)
        isc.faults.add("http_500", times=5)
        for call in (
            lambda: client.process_identities(isc.identity_ids[:1]),
            lambda: client.process_identities(["0" * 32]),
            lambda: client.process_identities([]),
            lambda: client.import_identity_profiles([{"version": "x"}]),
        ):
            with pytest.raises(ISCError) as raised:
                call()
            evidence.add(f"{type(raised.value).__name__}", raised.value, raised.value.args)
            evidence.add("its vars", vars(raised.value))
    with Client(**{**credentials, "client_secret": WRONG_SECRET}, retry=QUICK) as refused:
        evidence.add("Client with a wrong secret", refused)
        with pytest.raises(ISCError) as raised:
            refused.process_identities(isc.identity_ids[:1])
        evidence.add("401 at the token endpoint", raised.value, vars(raised.value))
    settings = resolve_settings(**credentials)
    evidence.add("Settings", settings)

    async def use_async() -> None:
        async with AsyncClient(**credentials, retry=QUICK, rate_limit=None) as client:
            await client.import_identity_profiles(plan.bodies)
            evidence.add("AsyncClient after a call", client, client.stats)

    asyncio.run(use_async())
    assert isc.state.tokens_issued >= 2  # the watch has real tokens to look for


def test_the_watch_covers_a_subprocess_crash_output(cli: Any, tmp_path: Path) -> None:
    """A run that dies on bad input still has its output scanned (and must not crash)."""
    bad = tmp_path / "export.json"
    bad.write_text('{"objects": [', encoding="utf-8")
    result = cli.run("identity-profiles", "import", bad, "--dry-run")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_auth_token_and_user_config_reprs_show_no_secret(
    isc: SandboxServer, evidence: Any, tmp_path: Path
) -> None:
    auth = ClientCredentialsAuth(f"{isc.base_url}/oauth/token", isc.client_id, isc.client_secret)
    with httpx.Client(auth=auth) as http:
        reply = http.post(
            f"{isc.base_url}/v2025/identities/process",
            json={"identityIds": isc.identity_ids[:1]},
            headers={"X-SailPoint-Experimental": "true"},
        )
    assert reply.status_code == 202 and auth.tokens_fetched == 1
    (token,) = evidence.tokens
    evidence.add("auth after a call", auth, Token(token, 0.0))
    config = UserConfig(path=tmp_path / "config" / "config.toml")
    config.set_environment("scan", {"base_url": isc.base_url, "client_secret": isc.client_secret})
    evidence.add("UserConfig", config, config.environment("scan").keys())
