"""How `iscctl config set` takes a client secret in, and where it keeps it.

Reading: on a terminal the secret is prompted for without echo; from a pipe
(`printf %s "$SECRET" | iscctl config set ...`) it is read as one line,
without `getpass`, which would print its GetPassWarning ("Can not control
echo on the terminal") although nothing is echoed.

Keeping: in the system keyring when one is usable, with a marker in the
config file; otherwise in the config file (mode 0600) with a warning that says
why the keyring was not used.
"""

from __future__ import annotations

import sys

import click

from iscctl import keyring_store
from iscctl.config import KEYRING_MARKER, UserConfig
from iscctl.keyring_store import KEYRING_SERVICE, KeyringUnavailable

__all__ = ["read_secret", "store_secret"]


def read_secret(*, from_stdin: bool = False) -> str:
    """The client secret: prompted for on a terminal, else one line of standard input."""
    stdin = sys.stdin
    interactive = stdin is not None and not from_stdin and _isatty(stdin)
    if interactive:
        secret = str(click.prompt("Client secret", hide_input=True))
    else:
        line = stdin.readline() if stdin is not None else ""
        secret = line.rstrip("\r\n")
    if not secret.strip():
        where = "the prompt" if interactive else "standard input"
        raise click.UsageError(f"no client secret on {where}; give one, or --client-secret -")
    return secret


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):  # closed or replaced standard input
        return False


def store_secret(user: UserConfig, name: str, secret: str, *, use_keyring: bool) -> str:
    """Put the secret of environment `name` in the keyring or the file; say where."""
    table = user.environments[name]
    marker, value = KEYRING_MARKER
    if use_keyring:
        try:
            keyring_store.write(KEYRING_SERVICE, name, secret)
        except KeyringUnavailable as reason:
            click.echo(
                f"warning: {reason}; the client secret is kept in {user.path} "
                "(readable by you only) instead",
                err=True,
            )
        else:
            table.pop("client_secret", None)
            table[marker] = value
            return "; client secret in the system keyring"
    if table.pop(marker, None) == value:
        keyring_store.delete(KEYRING_SERVICE, name)  # no stale copy left behind
    table["client_secret"] = secret
    return "; client secret in the config file"
