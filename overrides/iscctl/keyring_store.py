"""Client secrets in the operating system's keyring, through the `keyring` package.

`keyring` is the well-kept, cross-platform way (macOS Keychain, Windows
Credential Locker, the Secret Service on Linux desktops) and honours the
user's own choice of backend (`PYTHON_KEYRING_BACKEND`, keyring's config
file). It is imported only when a secret is read from or written to it, so
commands that take their credentials elsewhere do not pay for it.

A machine without a usable backend (a CI runner, a container) is normal:
every function here reports that as a reason string or None, never as an
exception, so the caller can fall back to the 0600 file or other sources.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

__all__ = ["KEYRING_SERVICE", "KeyringUnavailable", "delete", "read", "write"]

KEYRING_SERVICE = "iscctl"
"""The keyring service under which `iscctl config set` keeps each environment's secret
(the user name is the environment's name)."""


class KeyringUnavailable(Exception):
    """No usable keyring backend, or the backend refused; the text says why."""


def _backend() -> KeyringBackend:
    try:
        import keyring
        from keyring.backends import fail, null
    except ImportError as error:  # pragma: no cover - keyring is a dependency
        raise KeyringUnavailable(f"the keyring package cannot be imported ({error})") from None
    backend = keyring.get_keyring()
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        raise KeyringUnavailable("no system keyring backend is available")
    return backend


def read(service: str, username: str) -> str | None:
    """The stored secret, or None when there is none. Raises KeyringUnavailable."""
    backend = _backend()
    try:
        value = backend.get_password(service, username)
    except Exception as error:  # any backend failure (D-Bus, a locked keychain) alike
        raise KeyringUnavailable(f"the system keyring refused the read ({error})") from None
    return value if isinstance(value, str) and value else None


def write(service: str, username: str, secret: str) -> None:
    """Store `secret`. Raises KeyringUnavailable when it cannot."""
    backend = _backend()
    try:
        backend.set_password(service, username, secret)
    except Exception as error:  # any backend failure (D-Bus, a locked keychain) alike
        raise KeyringUnavailable(f"the system keyring refused the secret ({error})") from None


def delete(service: str, username: str) -> bool:
    """Remove the entry; False when there was none or no keyring is usable."""
    try:
        _backend().delete_password(service, username)
    except Exception:  # no entry, no backend, or a backend failure: nothing to remove
        return False
    return True
