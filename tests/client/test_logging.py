"""Logging is off by default, on by ISCCTL_LOG, and never shows a secret or a token."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
from iscctl.logs import LOGGER_NAME, redact, register_secret
from iscctl.sandbox import SandboxServer

if TYPE_CHECKING:
    from .conftest import Exposure

SCRIPT = """
import sys
from iscctl import Client
with Client(rate_limit=None) as isc:
    isc.process_identities(sys.argv[1:])
    print(repr(isc))
"""


def _run_script(
    sandbox: SandboxServer, ids: list[str], **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SAIL_", "ISCCTL_LOG"))
    }
    environment.update(
        SAIL_BASE_URL=sandbox.base_url,
        SAIL_CLIENT_ID=sandbox.client_id,
        SAIL_CLIENT_SECRET=sandbox.client_secret,
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, *ids],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


def test_a_library_user_sees_no_log_output_by_default(
    sandbox: SandboxServer, exposed: Exposure
) -> None:
    sandbox.faults.add("http_500")  # a retry, which is logged at info when logging is on
    done = _run_script(sandbox, sandbox.identity_ids[:1])
    exposed.add(done.stdout, done.stderr)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_iscctl_log_turns_logging_on_with_secrets_redacted(
    sandbox: SandboxServer, exposed: Exposure
) -> None:
    sandbox.faults.add("http_500")
    sandbox.faults.add("expire_token", after=1)
    done = _run_script(sandbox, sandbox.identity_ids[:1], ISCCTL_LOG="debug")
    exposed.add(done.stdout, done.stderr)
    assert done.returncode == 0, done.stderr
    assert "DEBUG iscctl: got a token for client_id sandbox-client" in done.stderr
    assert "INFO iscctl: retrying in" in done.stderr
    assert "/v2025/identities/process -> 202" in done.stderr
    assert "client_secret='***'" in done.stdout
    assert sandbox.client_secret not in done.stderr + done.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer abc.def.ghi", "Authorization: ***"),
        ("{'authorization': 'Bearer abc.def'}", "{'authorization': '***'}"),
        ("sent bearer eyJhbGciOi.x.y now", "sent bearer *** now"),
        ("grant_type=client_credentials&client_id=a&client_secret=hunter22", "client_secret=***"),
        ('{"access_token": "eyJ.abc.def", "expires_in": 749}', '"access_token": "***"'),
    ],
)
def test_credentials_are_redacted_wherever_they_appear(text: str, expected: str) -> None:
    cleaned = redact(text)
    assert expected in cleaned
    for secret in ("abc.def", "eyJ", "hunter22"):
        assert secret not in cleaned


def test_a_registered_secret_is_redacted_even_in_plain_words() -> None:
    register_secret("plain-words-secret-value")
    assert redact("the value plain-words-secret-value appeared") == "the value *** appeared"


def test_the_filter_redacts_arguments_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    register_secret("tb-secret-123456")
    logger = logging.getLogger(LOGGER_NAME)
    try:
        raise RuntimeError("failed with tb-secret-123456")
    except RuntimeError:
        logger.exception("call with %s", "Bearer tok.en.value")
    record = caplog.records[-1]
    assert record.getMessage() == "call with Bearer ***"
    assert "tb-secret-123456" not in caplog.text
    assert "failed with ***" in caplog.text


def test_the_leak_watch_finds_a_planted_leak(exposed: Any) -> None:
    probe = type(exposed.watch)()  # a watch of its own: the planted values must not fail this test
    probe.secrets = {"s3cr3t"}
    probe.tokens = ["header.payload.signature-0123456789abcdefghij"]
    probe.add("a log line", "a log line with s3cr3t inside")
    probe.add("an error", "bearer ...signature-0123456789abcdefg")  # a token cut short
    probe.add("clean output", "nothing to see")
    assert probe.leaks() == ["a client secret in a log line", "token #1 in an error"]
