"""Where the API root and the credentials come from.

Each setting is taken from the first place that has it:

1. explicit arguments (`Client(base_url=...)`, `--base-url`);
2. the named environment, when one is asked for explicitly (`environment=`, `--env`);
3. the process environment: `SAIL_BASE_URL`, `SAIL_CLIENT_ID`, `SAIL_CLIENT_SECRET`
   (SailPoint's own names);
4. a SailPoint `config.json` in the current folder (`BaseURL`, `ClientId`, `ClientSecret`);
5. the active environment of our user config, `config.toml` in
   `platformdirs.user_config_dir("iscctl")` (or `$ISCCTL_CONFIG_DIR`):

       active = "acme"
       [environments.acme]
       base_url = "acme"                 # a tenant name or a full API root
       client_id = "..."
       client_secret = "..."
       version = "v2025"                 # optional

A base is a tenant name (`acme` -> `https://acme.api.identitynow.com`) or a
full API root for vanity domains. Plain `http://` is accepted for loopback
hosts only. Every problem is a `ConfigurationError` of one line that names the
file or variable, the field and the fix.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from attrs import define, field

from iscctl.errors import ConfigurationError
from iscctl.versions import DEFAULT_VERSION, VERSIONS

__all__ = [
    "ENV_BASE_URL",
    "ENV_CLIENT_ID",
    "ENV_CLIENT_SECRET",
    "ENV_CONFIG_DIR",
    "Settings",
    "UserConfig",
    "normalize_api_root",
    "resolve_settings",
    "user_config_path",
]

ENV_BASE_URL = "SAIL_BASE_URL"
ENV_CLIENT_ID = "SAIL_CLIENT_ID"
ENV_CLIENT_SECRET = "SAIL_CLIENT_SECRET"
ENV_CONFIG_DIR = "ISCCTL_CONFIG_DIR"
SAILPOINT_CONFIG_JSON = "config.json"

_TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")
_ENV_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_FIELDS = ("base_url", "client_id", "client_secret")
_ENV_VARS = {
    "base_url": ENV_BASE_URL,
    "client_id": ENV_CLIENT_ID,
    "client_secret": ENV_CLIENT_SECRET,
}
_JSON_KEYS = {"base_url": "BaseURL", "client_id": "ClientId", "client_secret": "ClientSecret"}
_OPTIONS = {
    "base_url": "--base-url",
    "client_id": "--client-id",
    "client_secret": "--client-secret",
}


def _masked(_value: object) -> str:
    return "'***'"


@define(frozen=True)
class Settings:
    """Resolved connection settings; `sources` says where each value came from."""

    api_root: str
    client_id: str
    client_secret: str = field(repr=_masked)
    version: str | None = None
    sources: Mapping[str, str] = field(factory=dict)


def user_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """`$ISCCTL_CONFIG_DIR/config.toml`, else the platform's config folder for iscctl."""
    environ = os.environ if environ is None else environ
    folder = environ.get(ENV_CONFIG_DIR)
    if not folder:
        from platformdirs import user_config_dir

        folder = user_config_dir("iscctl")
    return Path(folder) / "config.toml"


def normalize_api_root(value: str, source: str) -> str:
    """The API root for a tenant name or URL, without trailing slash; `source` names the input."""
    text = value.strip().rstrip("/")
    if not text:
        raise ConfigurationError(f"{source}: the base URL is empty; give a tenant name or API root")
    if "://" not in text:
        if _TENANT.match(text):
            return f"https://{text.lower()}.api.identitynow.com"
        text = f"https://{text}"
    parts = urlsplit(text)
    hint = "give a tenant name (acme) or an API root (https://acme.api.identitynow.com)"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        shown = _without_userinfo(value)
        raise ConfigurationError(f"{source}: {shown!r} is not a tenant name or URL; {hint}")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ConfigurationError(
            f"{source}: {_without_userinfo(value)!r} has credentials, a query or a fragment; {hint}"
        )
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigurationError(
            f"{source}: plain http:// is refused for {parts.hostname} (credentials would travel "
            "unencrypted); use https://, or http:// only for 127.0.0.1, ::1 or localhost"
        )
    last = parts.path.rsplit("/", 1)[-1]
    if last in VERSIONS and last != "v1":
        raise ConfigurationError(
            f"{source}: {value!r} ends with the API version {last!r}; give the API root "
            f"without it ({text[: -len(last) - 1]}) and choose the version with --api-version"
        )
    return text


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _without_userinfo(value: str) -> str:
    return re.sub(r"://[^@/]*@", "://***@", value)


@define
class UserConfig:
    """Our config file: named environments (tenants), one of them active."""

    path: Path
    active: str | None = None
    environments: dict[str, dict[str, str]] = field(factory=dict, repr=False)

    @classmethod
    def load(cls, path: Path | None = None) -> UserConfig:
        """Read the file; a missing file is an empty config, a malformed one an error."""
        path = user_config_path() if path is None else path
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigurationError(f"{path}: cannot read the user config: {error}") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigurationError(
                f"{path}: not valid TOML ({error}); fix it or re-create it with `iscctl config set`"
            ) from None
        active = data.get("active")
        if active is not None and not isinstance(active, str):
            raise ConfigurationError(f'{path}: active must be a string such as active = "acme"')
        environments: dict[str, dict[str, str]] = {}
        tables = data.get("environments", {})
        if not isinstance(tables, dict):
            raise ConfigurationError(f"{path}: environments must be tables [environments.NAME]")
        for name, table in tables.items():
            if not isinstance(table, dict):
                raise ConfigurationError(f"{path}: environments.{name} must be a table")
            for key, item in table.items():
                if not isinstance(item, str):
                    raise ConfigurationError(
                        f'{path}: environments.{name}.{key} must be a string, as {key} = "..."'
                    )
            environments[name] = dict(table)
        return cls(path, active, environments)

    def environment(self, name: str) -> dict[str, str]:
        """The settings of environment `name`; an unknown name is a ConfigurationError."""
        try:
            return self.environments[name]
        except KeyError:
            known = ", ".join(sorted(self.environments)) or "none yet"
            raise ConfigurationError(
                f"{self.path}: no environment named {name!r} (known: {known}); add it with "
                f"`iscctl config set {name} --base-url TENANT --client-id ID`"
            ) from None

    def set_environment(self, name: str, values: Mapping[str, str]) -> None:
        if not _ENV_NAME.match(name):
            raise ConfigurationError(
                f"environment name {name!r}: use letters, digits, '-' and '_' only"
            )
        self.environments.setdefault(name, {}).update(values)

    def save(self) -> None:
        """Write the file with mode 0600 (it holds client secrets), atomically."""
        lines = []
        if self.active is not None:
            lines.append(f"active = {_toml_string(self.active)}")
        for name in sorted(self.environments):
            lines.append(f"\n[environments.{name}]")
            for key, value in sorted(self.environments[name].items()):
                lines.append(f"{key} = {_toml_string(value)}")
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = self.path.with_name(self.path.name + ".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write("\n".join(lines) + "\n")
        os.chmod(temporary, 0o600)
        os.replace(temporary, self.path)


def _toml_string(value: str) -> str:
    """A TOML basic string; JSON's escapes are a subset of TOML's."""
    return json.dumps(value, ensure_ascii=False)


def _read_sailpoint_config_json(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigurationError(f"{path}: cannot read it: {error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigurationError(
            f"{path}: line {error.lineno} column {error.colno}: {error.msg}; fix the JSON "
            "or remove the file"
        ) from None
    if not isinstance(data, dict):
        raise ConfigurationError(f"{path}: expected a JSON object with BaseURL, ClientId, ...")
    values = {}
    for name, key in _JSON_KEYS.items():
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise ConfigurationError(f'{path}: {key} must be a string, as "{key}": "..."')
        values[name] = value
    return values


def resolve_settings(
    base_url: str | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
    environment: str | None = None,
    *,
    version: str | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Resolve the connection settings from every source, in the documented order.

    A source is read only while a setting is still missing, so a broken file
    that is not needed (a stray config.json, say) does not stop a client whose
    settings were all given.
    """
    environ = os.environ if environ is None else environ
    json_path = (Path.cwd() if cwd is None else cwd) / SAILPOINT_CONFIG_JSON
    user_path = user_config_path(environ)
    user: UserConfig | None = None

    def user_config() -> UserConfig:
        nonlocal user
        user = user or UserConfig.load(user_path)
        return user

    def active_environment() -> tuple[str, Mapping[str, str]]:
        if environment:  # named explicitly: it replaces the active one
            return f"{user_path} [environments.{environment}]", {}
        active = user_config().active
        if not active:
            return f"{user_path} (no active environment)", {}
        return f"{user_path} [environments.{active}]", user_config().environment(active)

    explicit = {"base_url": base_url, "client_id": client_id, "client_secret": client_secret}
    layers: list[Callable[[], tuple[str, Mapping[str, str | None]]]] = [
        lambda: ("argument", explicit),
        lambda: (
            f"{user_path} [environments.{environment}]",
            user_config().environment(environment) if environment else {},
        ),
        lambda: ("environment", {name: environ.get(var) for name, var in _ENV_VARS.items()}),
        lambda: (str(json_path), _read_sailpoint_config_json(json_path)),
        active_environment,
    ]

    values: dict[str, str] = {}
    sources: dict[str, str] = {}
    active_label = f"{user_path} (not read)"
    for layer in layers:
        if all(name in values for name in _FIELDS):
            break
        label, found = layer()
        active_label = label if layer is active_environment else active_label
        for name in (*_FIELDS, "version"):
            value = found.get(name)
            if name not in values and value is not None and value.strip():
                values[name] = value.strip()
                sources[name] = _describe(label, name)

    missing = [name for name in _FIELDS if name not in values]
    if missing:
        raise ConfigurationError(_missing_message(missing, json_path, active_label))
    return Settings(
        api_root=normalize_api_root(values["base_url"], sources["base_url"]),
        client_id=values["client_id"],
        client_secret=values["client_secret"],
        version=version or values.get("version"),
        sources=sources,
    )


def _describe(label: str, name: str) -> str:
    if label == "argument":
        return f"argument {name} ({_OPTIONS.get(name, name)})"
    if label == "environment":
        return f"environment variable {_ENV_VARS[name]}"
    if label.endswith(SAILPOINT_CONFIG_JSON):
        return f"{label} {_JSON_KEYS[name]}"
    return f"{label} {name}"


def _missing_message(missing: list[str], json_path: Path, active_label: str) -> str:
    names = ", ".join(missing)
    options = " ".join(f"{_OPTIONS[name]} ..." for name in missing)
    exports = " ".join(f"{_ENV_VARS[name]}=..." for name in missing)
    keys = ", ".join(_JSON_KEYS[name] for name in missing)
    return (
        f"missing {names}; looked in: arguments ({options}), environment ({exports}), "
        f"{json_path} ({keys}), {active_label}; set them with `export {exports}` or "
        "`iscctl config set NAME --base-url TENANT --client-id ID` (prompts for the secret)"
    )


def describe_sources(settings: Settings) -> dict[str, Any]:
    """What `iscctl config show` prints: every value (secret masked) and where it came from."""
    return {
        "api_root": settings.api_root,
        "client_id": settings.client_id,
        "client_secret": "***",
        "version": settings.version or f"{DEFAULT_VERSION} (default)",
        "sources": dict(settings.sources),
    }
