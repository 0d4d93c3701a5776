"""Logging: off by default, on with `ISCCTL_LOG=debug|info` or `--verbose`, never a secret.

Everything iscctl logs goes through the one logger `iscctl`, which carries
`RedactingFilter`. The filter runs before any handler sees a record, so
whatever is attached (our stderr handler, pytest's caplog, an application's
own logging set-up) receives the redacted text only. It removes
`Authorization` header values, bearer tokens, `client_secret=` and
`access_token` values, and every secret value registered with
`register_secret` (each client registers its client secret and every token
it receives).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
from typing import Any

__all__ = [
    "LOGGER_NAME",
    "REDACTED",
    "RedactingFilter",
    "disable_logging",
    "enable_logging",
    "logger",
    "redact",
    "redact_url",
    "register_secret",
]

LOGGER_NAME = "iscctl"
REDACTED = "***"
ENV_VAR = "ISCCTL_LOG"

_PATTERNS = [
    # Authorization: Bearer abc / 'authorization': 'Basic abc'
    re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(?:bearer\s+|basic\s+)?[^\s'\",}]+"),
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    # client_secret=abc (form), "client_secret": "abc" (JSON), access_token likewise
    re.compile(
        r"(?i)((?:client_secret|clientsecret|access_token|refresh_token)['\"]?\s*[:=]\s*['\"]?)"
        r"[^\s'\"&,}]+"
    ),
]

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_MIN_SECRET_LENGTH = 4


def register_secret(value: str | None) -> None:
    """Redact this exact value from every log record from now on (short values are ignored)."""
    if value and len(value) >= _MIN_SECRET_LENGTH:
        with _secrets_lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """`text` with credentials and registered secrets replaced by `***`."""
    for pattern in _PATTERNS:
        text = pattern.sub(rf"\g<1>{REDACTED}", text)
    if _secrets:
        with _secrets_lock:
            values = sorted(_secrets, key=len, reverse=True)
        for value in values:
            if value in text:
                text = text.replace(value, REDACTED)
    return text


def redact_url(url: object) -> str:
    """`url` fit to print or log: userinfo replaced and every query value hidden.

    A secret can ride in a URL (`https://id:secret@host`, `?client_secret=...`),
    and URLs end up in error messages, logs and `config show`. Keys of the query
    stay (they help to recognise the URL), values become `***`; the result also
    goes through `redact`.

    >>> redact_url("https://me:pw@acme.api.identitynow.com/oauth/token?client_secret=x&a=1")
    'https://***@acme.api.identitynow.com/oauth/token?client_secret=***&a=***'
    """
    from urllib.parse import urlsplit, urlunsplit

    text = str(url)
    try:
        parts = urlsplit(text)
    except ValueError:  # not a URL at all: hide what looks like userinfo and a query
        text = re.sub(r"//[^/@\s]*@", f"//{REDACTED}@", text)
        return redact(text.split("?", 1)[0] + (f"?{REDACTED}" if "?" in text else ""))
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rpartition('@')[2]}"
    query = "&".join(
        f"{item.partition('=')[0]}={REDACTED}" if item else item for item in parts.query.split("&")
    )
    fragment = REDACTED if parts.fragment else ""
    return redact(urlunsplit((parts.scheme, netloc, parts.path, query, fragment)))


class RedactingFilter(logging.Filter):
    """Replaces each record's message by its redacted, fully formatted text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg = cleaned
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


logger = logging.getLogger(LOGGER_NAME)
logger.addFilter(RedactingFilter())
# A library stays silent unless asked: no "No handlers could be found", no
# lastResort output to stderr.
logger.addHandler(logging.NullHandler())


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is at the moment of writing (it may be replaced,
    e.g. by a test runner), instead of the stream current when logging was switched on."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


_handler: logging.Handler | None = None


def enable_logging(level: str | int | None = None) -> None:
    """Send iscctl's log to stderr at `level` (`"debug"`, `"info"`; default: `$ISCCTL_LOG`).

    Calling it again changes the level; it never adds a second handler.
    """
    global _handler
    if level is None:
        level = os.environ.get(ENV_VAR, "")
    if isinstance(level, str):
        if not level.strip():
            return
        numeric = logging.getLevelName(level.strip().upper())
        if not isinstance(numeric, int):
            raise ValueError(f"{ENV_VAR}={level!r}: use debug, info, warning or error")
        level = numeric
    if _handler is None:
        _handler = _StderrHandler()
        _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        _handler.addFilter(RedactingFilter())
        logger.addHandler(_handler)
    logger.setLevel(level)
    _handler.setLevel(level)


def disable_logging() -> None:
    """Undo `enable_logging`: no stderr handler, the logger's level back to unset."""
    global _handler
    if _handler is not None:
        logger.removeHandler(_handler)
        _handler = None
    logger.setLevel(logging.NOTSET)


def enable_logging_from_environment() -> None:
    """Honour `ISCCTL_LOG` unless logging was switched on explicitly (`--verbose`);
    a bad value is ignored with a warning rather than breaking a call."""
    if _handler is not None:
        return
    try:
        enable_logging(None)
    except ValueError:
        logger.warning("ignoring %s=%r: use debug or info", ENV_VAR, os.environ.get(ENV_VAR))
