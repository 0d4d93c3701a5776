"""Plain http to a host that is not loopback: refused unless opted in (#13.4, client side).

A sandbox tenant run as a CI service is reached by a name (`http://sandbox:8080`),
not by a loopback address. These tests stay on this machine: within the test
process, the name `isc-sandbox.test` resolves to 127.0.0.1 (a patched
`socket.getaddrinfo`, which both httpx transports end in), so the client sees a
non-loopback host name while the requests really go over HTTP to the sandbox.
"""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner
from iscctl import Client
from iscctl.cli.main import cli
from iscctl.errors import ConfigurationError

if TYPE_CHECKING:
    from iscctl.sandbox import SandboxServer

NAME = "isc-sandbox.test"


@pytest.fixture
def by_name(sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """The sandbox's API root under a non-loopback host name that resolves to it."""
    real = socket.getaddrinfo

    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
        # anyio (the async transport) passes the name encoded, httpcore's sync one as str
        return real("127.0.0.1" if host in (NAME, NAME.encode()) else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return sandbox.base_url.replace("127.0.0.1", NAME)


def _client(base_url: str, sandbox: SandboxServer, **kwargs: Any) -> Client:
    return Client(
        base_url=base_url,
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        rate_limit=None,
        **kwargs,
    )


def test_the_name_really_reaches_the_sandbox(by_name: str, sandbox: SandboxServer) -> None:
    """The set-up itself: without the client's refusal the name would be served."""
    import httpx

    reply = httpx.post(f"{by_name}/oauth/token", data={"grant_type": "client_credentials"})
    assert reply.status_code in (400, 401)  # the sandbox answered (credentials missing)


def test_without_the_opt_in_plain_http_to_the_name_is_refused(
    by_name: str, sandbox: SandboxServer
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        _client(by_name, sandbox)
    message = str(caught.value)
    assert f"plain http:// is refused for {NAME}" in message
    assert f"ISCCTL_ALLOW_HTTP_HOSTS={NAME}" in message
    assert sandbox.state.requests == []


def test_the_client_argument_opts_in(by_name: str, sandbox: SandboxServer) -> None:
    ids = sandbox.identity_ids[:2]
    with _client(by_name, sandbox, allow_http_hosts=[NAME.upper()]) as isc:
        isc.process_identities(ids)
    assert all(sandbox.state.process_counts.get(i) == 1 for i in ids)
    assert sandbox.state.requests, "the calls went to the sandbox over HTTP"


def test_the_environment_variable_opts_in(
    by_name: str, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ISCCTL_ALLOW_HTTP_HOSTS", f"other.test, {NAME}")
    with _client(by_name, sandbox) as isc:
        isc.process_identities(sandbox.identity_ids[:1])
    assert sum(sandbox.state.process_counts.values()) == 1


def test_an_opt_in_for_another_host_does_not_open_this_one(
    by_name: str, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ISCCTL_ALLOW_HTTP_HOSTS", "other.test")
    with pytest.raises(ConfigurationError, match=f"refused for {NAME}"):
        _client(by_name, sandbox)


def test_the_command_line_option_opts_in(by_name: str, sandbox: SandboxServer) -> None:
    common = ["--base-url", by_name, "--client-id", sandbox.client_id, "--rate-limit", "off"]
    env = {"SAIL_CLIENT_SECRET": sandbox.client_secret}
    ids = "\n".join(sandbox.identity_ids[:3]) + "\n"

    refused = CliRunner().invoke(cli, ["identities", "process", *common, "-"], input=ids, env=env)
    assert refused.exit_code == 2, refused.output
    assert f"plain http:// is refused for {NAME}" in refused.output
    assert sandbox.state.requests == []

    served = CliRunner().invoke(
        cli,
        ["identities", "process", *common, "--allow-http-host", NAME, "-"],
        input=ids,
        env=env,
    )
    assert served.exit_code == 0, served.output
    assert sum(sandbox.state.process_counts.values()) == 3


def test_config_show_reports_the_opt_in_and_its_source(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ISCCTL_ALLOW_HTTP_HOSTS", NAME)
    args = ["config", "show", "--base-url", f"http://{NAME}:8080", "--client-id", "i"]
    result = CliRunner().invoke(cli, args, env={"SAIL_CLIENT_SECRET": "s3cr3t-opt-in"})
    assert result.exit_code == 0, result.output
    assert f'"allow_http_hosts": [\n    "{NAME}"\n  ]' in result.output
    assert '"allow_http_hosts": "environment variable ISCCTL_ALLOW_HTTP_HOSTS"' in result.output
