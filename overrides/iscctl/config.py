"""Where the API root, the credentials and the plain-http opt-in come from.

This module is the one implementation of the precedence: `Client`,
`AsyncClient`, every command's options and `iscctl config show` all resolve
through `resolve_settings`. Each setting is taken from the first place that
has it:

1. explicit arguments (`Client(base_url=...)`) or command options (`--base-url`);
2. the named environment, when one is asked for explicitly (`environment=`,
   `--env`/`-e` on a command or before it): ours of that name, else the `sail`
   CLI's (`~/.sailpoint/config.yaml`, see `iscctl.sail_config`);
3. the process environment: `SAIL_BASE_URL`, `SAIL_CLIENT_ID`, `SAIL_CLIENT_SECRET`
   (SailPoint's own names) and `ISCCTL_ALLOW_HTTP_HOSTS`;
4. a SailPoint `config.json` in the current folder (`BaseURL`, `ClientId`, `ClientSecret`);
5. the active environment: ours, else sail's `activeenvironment`. Ours lives in
   `config.toml` in `platformdirs.user_config_dir("iscctl")` (or `$ISCCTL_CONFIG_DIR`):

       active = "acme"
       [environments.acme]
       base_url = "acme"                 # a tenant name or a full API root
       client_id = "..."
       client_secret = "..."             # or, after `iscctl config set` stored it
       client_secret_store = "keyring"   #   in the system keyring, this marker
       version = "v2025"                 # optional
       allow_http_hosts = "sandbox"      # optional, comma-separated

A base is a tenant name (`acme` -> `https://acme.api.identitynow.com`) or a
full API root for vanity domains. Plain `http://` is accepted for loopback
hosts, and for the hosts named by the `allow_http_hosts` opt-in (a sandbox
tenant reached as a CI service, `http://sandbox:8080`); nothing else. Every
problem is a `ConfigurationError` of one line that names the file or
variable, the field and the fix, and never shows a secret.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from attrs import define, field

from iscctl.errors import ConfigurationError
from iscctl.keyring_store import KEYRING_SERVICE
from iscctl.logs import redact_url
from iscctl.versions import DEFAULT_VERSION, VERSIONS

if TYPE_CHECKING:  # iscctl.sail_config is imported only when sail's file is consulted
    from iscctl.sail_config import SailConfig, SailEnvironment

__all__ = [
    "ENV_ALLOW_HTTP_HOSTS",
    "ENV_BASE_URL",
    "ENV_CLIENT_ID",
    "ENV_CLIENT_SECRET",
    "ENV_CONFIG_DIR",
    "ENV_SAIL_CONFIG",
    "KEYRING_MARKER",
    "Settings",
    "UserConfig",
    "describe_sources",
    "normalize_api_root",
    "parse_http_hosts",
    "resolve_settings",
    "sail_config_path",
    "user_config_path",
]

ENV_BASE_URL = "SAIL_BASE_URL"
ENV_CLIENT_ID = "SAIL_CLIENT_ID"
ENV_CLIENT_SECRET = "SAIL_CLIENT_SECRET"
ENV_CONFIG_DIR = "ISCCTL_CONFIG_DIR"
ENV_ALLOW_HTTP_HOSTS = "ISCCTL_ALLOW_HTTP_HOSTS"
ENV_SAIL_CONFIG = "ISCCTL_SAIL_CONFIG"
SAILPOINT_CONFIG_JSON = "config.json"
KEYRING_MARKER = ("client_secret_store", "keyring")
"""The key and value in an environment table that say its secret is in the system keyring."""

_TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")
_ENV_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_HOST = re.compile(r"^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\[[0-9A-Fa-f:.]+\])$")
_FIELDS = ("base_url", "client_id", "client_secret")
_OPTIONAL = ("version", "allow_http_hosts")
_ENV_VARS = {
    "base_url": ENV_BASE_URL,
    "client_id": ENV_CLIENT_ID,
    "client_secret": ENV_CLIENT_SECRET,
    "allow_http_hosts": ENV_ALLOW_HTTP_HOSTS,
}
_JSON_KEYS = {"base_url": "BaseURL", "client_id": "ClientId", "client_secret": "ClientSecret"}
_OPTIONS = {
    "base_url": "--base-url",
    "client_id": "--client-id",
    "client_secret": "--client-secret",
    "version": "--api-version",
    "allow_http_hosts": "--allow-http-host",
}
_SAIL_KEYS = {
    "base_url": "baseurl",
    "client_id": "pat.clientid",
    "client_secret": "pat.clientsecret",
}
_LOOPBACK_HINT = "127.0.0.1, ::1 or localhost"


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
    allow_http_hosts: tuple[str, ...] = ()


def user_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """`$ISCCTL_CONFIG_DIR/config.toml`, else the platform's config folder for iscctl."""
    environ = os.environ if environ is None else environ
    folder = environ.get(ENV_CONFIG_DIR)
    if not folder:
        from platformdirs import user_config_dir

        folder = user_config_dir("iscctl")
    return Path(folder) / "config.toml"


def parse_http_hosts(value: str | Iterable[str] | None, source: str) -> tuple[str, ...]:
    """Host names for the plain-http opt-in: `"a, b"` or `["a", "b"]` -> `("a", "b")`.

    Only bare host names (or IP addresses) are accepted, so a URL, a port or a
    wildcard cannot widen the opt-in by accident.
    """
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    hosts: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise ConfigurationError(f"{source}: host names must be strings, got {item!r}")
        host = item.strip().lower()
        if not host:
            continue
        if not _HOST.match(host):
            raise ConfigurationError(
                f"{source}: {host!r} is not a host name; give bare names such as sandbox or "
                "10.0.0.5 (no scheme, port, path or wildcard)"
            )
        hosts.append(host.strip("[]"))
    return tuple(dict.fromkeys(hosts))


def normalize_api_root(value: str, source: str, *, allow_http_hosts: Iterable[str] = ()) -> str:
    """The API root for a tenant name or URL, without trailing slash; `source` names the input.

    Plain http is refused unless the host is loopback or named in `allow_http_hosts`.
    """
    text = value.strip().rstrip("/")
    if not text:
        raise ConfigurationError(f"{source}: the base URL is empty; give a tenant name or API root")
    if "://" not in text:
        if _TENANT.match(text):
            return f"https://{text.lower()}.api.identitynow.com"
        text = f"https://{text}"
    hint = "give a tenant name (acme) or an API root (https://acme.api.identitynow.com)"
    try:
        parts = urlsplit(text)
        hostname = parts.hostname
    except ValueError:
        hostname = None
    if hostname is None or parts.scheme not in ("http", "https"):
        raise ConfigurationError(f"{source}: {_shown(value)!r} is not a tenant name or URL; {hint}")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ConfigurationError(
            f"{source}: {_shown(value)!r} has credentials, a query or a fragment; {hint}"
        )
    allowed = {host.lower() for host in allow_http_hosts}
    if parts.scheme == "http" and not _is_loopback(hostname) and hostname.lower() not in allowed:
        raise ConfigurationError(
            f"{source}: plain http:// is refused for {hostname} (credentials would travel "
            f"unencrypted); use https://, or http:// only for {_LOOPBACK_HINT}; for a host you "
            f"trust (a sandbox service in CI) opt in with {ENV_ALLOW_HTTP_HOSTS}={hostname} "
            f"or --allow-http-host {hostname}"
        )
    last = parts.path.rsplit("/", 1)[-1]
    if last in VERSIONS and last != "v1":
        raise ConfigurationError(
            f"{source}: {_shown(value)!r} ends with the API version {last!r}; give the API root "
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


def _shown(value: str) -> str:
    """A URL as it may be printed: no user info, no query string values (#12.10)."""
    return redact_url(value)


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
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigurationError(f"{path}: cannot read the user config: {error}") from None
        import tomllib  # only when there is a file: a command without one does not pay for it

        try:
            data = tomllib.loads(text)
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
            environments[name] = {key: _table_value(path, name, key, v) for key, v in table.items()}
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
        """Write the file with mode 0600 (it may hold client secrets), atomically."""
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


def _table_value(path: Path, name: str, key: str, value: object) -> str:
    """A string; a list of strings only for allow_http_hosts (kept comma-separated)."""
    if isinstance(value, str):
        return value
    items = value if isinstance(value, list) else [None]
    if key == "allow_http_hosts" and all(isinstance(item, str) for item in items):
        return ",".join(str(item) for item in items)
    raise ConfigurationError(
        f'{path}: environments.{name}.{key} must be a string, as {key} = "..."'
    )


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


class _Layer(NamedTuple):
    """What one source holds, and how to say where each of its values came from."""

    label: str
    values: Mapping[str, str | None]
    describe: Callable[[str], str]


def _nothing(label: str) -> _Layer:
    return _Layer(label, {}, lambda name: label)


class _Sources:
    """The places settings are read from, each read at most once and only when needed."""

    def __init__(self, environ: Mapping[str, str], cwd: Path) -> None:
        self.environ = environ
        self.json_path = cwd / SAILPOINT_CONFIG_JSON
        self.user_path = user_config_path(environ)
        self.sail_path = sail_config_path(environ)
        self._user: UserConfig | None = None
        self._sail: SailConfig | None = None
        self._sail_read = False

    def user(self) -> UserConfig:
        self._user = self._user or UserConfig.load(self.user_path)
        return self._user

    def sail(self) -> SailConfig | None:
        if not self._sail_read and self.sail_path is not None:
            from iscctl.sail_config import SailConfig

            self._sail = SailConfig.load(self.sail_path)
        self._sail_read = True
        return self._sail

    def ours(self, name: str, missing: set[str]) -> _Layer:
        label = f"{self.user_path} [environments.{name}]"
        table: dict[str, str | None] = dict(self.user().environment(name))
        in_keyring = table.get(KEYRING_MARKER[0]) == KEYRING_MARKER[1]
        if in_keyring and "client_secret" in missing and "client_secret" not in table:
            table["client_secret"] = _from_keyring(KEYRING_SERVICE, name, label)
        keyring_label = f"system keyring (service {KEYRING_SERVICE!r}, user {name!r})"

        def describe(key: str) -> str:
            if key == "client_secret" and "client_secret" not in self.user().environments[name]:
                return keyring_label
            return f"{label} {key}"

        return _Layer(label, table, describe)

    def theirs(self, environment: SailEnvironment, missing: set[str]) -> _Layer:
        from iscctl.sail_config import SAIL_KEYRING_SERVICES

        sail = self.sail()
        assert sail is not None
        label = f"{sail.path} environments.{environment.name}"
        values: dict[str, str | None] = {"base_url": environment.base_url, **environment.in_file}
        for key, service in SAIL_KEYRING_SERVICES.items():
            if key in missing and not values.get(key):
                values[key] = _from_keyring(service, environment.name, None)

        def describe(key: str) -> str:
            if key in environment.in_file or key == "base_url":
                return f"{label}.{_SAIL_KEYS[key]}"
            service = SAIL_KEYRING_SERVICES[key]
            return f"system keyring (sail's {service!r}, user {environment.name!r})"

        return _Layer(label, values, describe)

    def named(self, name: str, missing: set[str]) -> _Layer:
        """Environment `name`: ours, else sail's; unknown in both is an error."""
        if name in self.user().environments:
            return self.ours(name, missing)
        sail = self.sail()
        found = sail.environment(name) if sail is not None else None
        if found is not None:
            return self.theirs(found, missing)
        known = ", ".join(sorted(self.user().environments)) or "none yet"
        also = ""
        if sail is not None:
            also = f"; in {sail.path}: {', '.join(sorted(sail.environments)) or 'none'}"
        raise ConfigurationError(
            f"{self.user_path}: no environment named {name!r} (known: {known}{also}); add it "
            f"with `iscctl config set {name} --base-url TENANT --client-id ID`"
        )

    def active(self, missing: set[str]) -> _Layer:
        """Our active environment, else sail's."""
        user = self.user()
        if user.active:
            return self.ours(user.active, missing)
        sail = self.sail()
        if sail is not None and sail.active:
            found = sail.environment(sail.active)
            if found is not None:
                return self.theirs(found, missing)
        where = f"{self.user_path} (no active environment)"
        if self.sail_path is not None:
            state = "not found" if sail is None else "no usable active environment"
            where += f", {self.sail_path} ({state})"
        return _nothing(where)

    def process_environment(self) -> _Layer:
        values = {name: self.environ.get(var) for name, var in _ENV_VARS.items()}
        return _Layer("environment", values, lambda name: f"environment variable {_ENV_VARS[name]}")

    def config_json(self) -> _Layer:
        label = str(self.json_path)
        values = _read_sailpoint_config_json(self.json_path)
        return _Layer(label, values, lambda name: f"{label} {_JSON_KEYS[name]}")


def sail_config_path(environ: Mapping[str, str]) -> Path | None:
    """`$ISCCTL_SAIL_CONFIG`, else `~/.sailpoint/config.yaml` of the home that `environ`
    names (HOME, or USERPROFILE on Windows); None when the source is off or no home is
    known. Kept here so that iscctl.sail_config is imported only when the file is read."""
    if ENV_SAIL_CONFIG in environ:
        chosen = environ[ENV_SAIL_CONFIG].strip()
        return Path(chosen).expanduser() if chosen else None
    home = environ.get("HOME") or environ.get("USERPROFILE")
    return Path(home) / ".sailpoint" / "config.yaml" if home else None


def _from_keyring(service: str, username: str, label: str | None) -> str | None:
    """A secret from the system keyring; None when it is not there (or, for sail's entries,
    when no keyring is usable). Our own marked entries must be readable: `label` names them."""
    from iscctl.keyring_store import KeyringUnavailable, read

    try:
        value = read(service, username)
    except KeyringUnavailable as error:
        if label is None:
            return None
        raise ConfigurationError(
            f"{label}: the client secret is kept in the system keyring, but {error}; set "
            f"{ENV_CLIENT_SECRET}, or store it again with `iscctl config set {username} "
            "--no-keyring`"
        ) from None
    if value is None and label is not None:
        raise ConfigurationError(
            f"{label}: the system keyring has no client secret for it (service {service!r}, "
            f"user {username!r}); store it again with `iscctl config set {username} "
            "--client-secret -`"
        )
    return value


def resolve_settings(
    base_url: str | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
    environment: str | None = None,
    *,
    version: str | None = None,
    allow_http_hosts: str | Iterable[str] | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    given_as: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve the connection settings from every source, in the documented order.

    A source is read only while a setting is still missing, so a broken file
    that is not needed (a stray config.json, say) does not stop a client whose
    settings were all given. `given_as` names the explicit values for messages
    (the CLI passes its option names); by default they are "argument NAME".
    """
    sources = _Sources(
        os.environ if environ is None else environ, Path.cwd() if cwd is None else cwd
    )
    explicit: dict[str, str | None] = {
        "base_url": base_url,
        "client_id": client_id,
        "client_secret": client_secret,
        "version": version,
        "allow_http_hosts": None if allow_http_hosts is None else _joined(allow_http_hosts),
    }
    named = {} if given_as is None else dict(given_as)

    def argument(name: str) -> str:
        return named.get(name, f"argument {name}")

    layers: list[Callable[[set[str]], _Layer]] = [
        lambda _missing: _Layer("argument", explicit, argument),
        lambda missing: sources.named(environment, missing) if environment else _nothing(""),
        lambda _missing: sources.process_environment(),
        lambda _missing: sources.config_json(),
        lambda missing: _nothing("") if environment else sources.active(missing),
    ]

    values: dict[str, str] = {}
    where: dict[str, str] = {}
    looked: list[str] = []
    for layer in layers:
        missing = {name for name in _FIELDS if name not in values}
        if not missing:
            break
        found = layer(missing)
        looked.append(found.label)
        _take(found, values, where)
    if "allow_http_hosts" not in values:  # the opt-in variable applies to any source
        _take(sources.process_environment(), values, where, only="allow_http_hosts")

    missing_names = [name for name in _FIELDS if name not in values]
    if missing_names:
        environments = [label for label in (looked[1], looked[-1]) if label]
        raise ConfigurationError(_missing_message(missing_names, sources, environments))
    hosts = parse_http_hosts(values.get("allow_http_hosts"), where.get("allow_http_hosts", ""))
    return Settings(
        api_root=normalize_api_root(values["base_url"], where["base_url"], allow_http_hosts=hosts),
        client_id=values["client_id"],
        client_secret=values["client_secret"],
        version=values.get("version"),
        sources=where,
        allow_http_hosts=hosts,
    )


def _joined(hosts: str | Iterable[str]) -> str:
    if isinstance(hosts, str):
        return hosts
    return ",".join(str(host) for host in hosts) or ","


def _take(
    found: _Layer, values: dict[str, str], where: dict[str, str], only: str | None = None
) -> None:
    for name in (only,) if only else (*_FIELDS, *_OPTIONAL):
        value = found.values.get(name)
        if name not in values and value is not None and value.strip():
            values[name] = value.strip()
            where[name] = found.describe(name)


def _missing_message(missing: list[str], sources: _Sources, environments: list[str]) -> str:
    names = ", ".join(missing)
    options = " ".join(f"{_OPTIONS[name]} ..." for name in missing)
    exports = " ".join(f"{_ENV_VARS[name]}=..." for name in missing)
    keys = ", ".join(_JSON_KEYS[name] for name in missing)
    places = f"arguments ({options}), environment ({exports}), {sources.json_path} ({keys}), "
    return (
        f"missing {names}; looked in: {places}{', '.join(environments)}; set them "
        f"with `export {exports}` or `iscctl config set NAME --base-url TENANT --client-id ID` "
        "(prompts for the secret)"
    )


def describe_sources(settings: Settings) -> dict[str, Any]:
    """What `iscctl config show` prints: every value (secret masked) and where it came from."""
    sources = dict(settings.sources)
    sources.setdefault("version", "default")
    return {
        "api_root": _shown(settings.api_root),
        "client_id": settings.client_id,
        "client_secret": "***",
        "version": settings.version or f"{DEFAULT_VERSION} (default)",
        "allow_http_hosts": list(settings.allow_http_hosts),
        "sources": sources,
    }
