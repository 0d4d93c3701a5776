"""Read the environments of SailPoint's `sail` CLI, so its users need no second set-up.

What `sail` keeps, as read from its public source (sailpoint-oss/sailpoint-cli,
`internal/config`) and documentation:

* the file `~/.sailpoint/config.yaml` (viper, YAML; keys are lower case):

      activeenvironment: prod
      authtype: pat
      environments:
        prod:
          baseurl: https://acme.api.identitynow.com
          tenanturl: https://acme.identitynow.com
          pat:                  # older releases kept the pair here
            clientid: ...
            clientsecret: ...

* newer releases keep the personal access token's client id and secret out of
  the file, in the system keyring (go-keyring), under the services
  `environments.pat.clientid` and `environments.pat.clientsecret` with the
  environment name (lower case) as the user name. Python's `keyring` package
  reads the same entries on macOS (Keychain) and Linux (Secret Service); where
  it cannot, the value is simply not found here and the other sources apply.

What we cannot know (a future layout, other auth types such as `oauth`) is
tolerated: unknown keys are ignored, an environment without what we need
contributes nothing, and only a file that is not YAML at all is an error. The
file is never written.

`ISCCTL_SAIL_CONFIG` names another file (an empty value turns this source off);
`iscctl.config.sail_config_path` applies that rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from attrs import define, field

from iscctl.config import ENV_SAIL_CONFIG
from iscctl.errors import ConfigurationError

__all__ = [
    "ENV_SAIL_CONFIG",
    "SAIL_KEYRING_SERVICES",
    "SailConfig",
    "SailEnvironment",
]

SAIL_KEYRING_SERVICES = {
    "client_id": "environments.pat.clientid",
    "client_secret": "environments.pat.clientsecret",
}
_PAT_KEYS = {"client_id": "clientid", "client_secret": "clientsecret"}


@define(frozen=True)
class SailEnvironment:
    """One `sail` environment: its base URL and, if the file holds them, the PAT pair."""

    name: str
    base_url: str | None
    in_file: Mapping[str, str] = field(factory=dict, repr=False)


@define(frozen=True)
class SailConfig:
    """The parts of sail's config.yaml iscctl uses."""

    path: Path
    active: str | None = None
    environments: Mapping[str, SailEnvironment] = field(factory=dict, repr=False)

    @classmethod
    def load(cls, path: Path) -> SailConfig | None:
        """The file's environments; None when it does not exist."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigurationError(f"{path}: cannot read sail's config: {error}") from None
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"line {mark.line + 1}: " if mark is not None else ""
            raise ConfigurationError(
                f"{path}: {where}not valid YAML; fix it with `sail env` or set "
                f"{ENV_SAIL_CONFIG}= (empty) to skip sail's config"
            ) from None
        if not isinstance(data, dict):
            return cls(path)
        active = _text(_get(data, "activeenvironment"))
        environments: dict[str, SailEnvironment] = {}
        tables = _get(data, "environments")
        for name, table in tables.items() if isinstance(tables, dict) else ():
            if not isinstance(table, dict):
                continue
            key = str(name).lower()
            pat = _get(table, "pat")
            in_file: dict[str, str] = {}
            for ours, theirs in _PAT_KEYS.items():
                value = _text(_get(pat, theirs)) if isinstance(pat, dict) else None
                if value:
                    in_file[ours] = value
            environments[key] = SailEnvironment(key, _text(_get(table, "baseurl")), in_file)
        return cls(path, active.lower() if active else None, environments)

    def environment(self, name: str) -> SailEnvironment | None:
        """Environment `name` (sail lower-cases the names it stores), or None."""
        return self.environments.get(name.lower())


def _get(table: Any, key: str) -> Any:
    """`table[key]`, matching the key without regard to case as viper does."""
    if not isinstance(table, dict):
        return None
    for name, value in table.items():
        if str(name).lower() == key:
            return value
    return None


def _text(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None
