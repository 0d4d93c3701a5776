"""Where settings come from, in which order, and the one-line errors when they are wrong."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from iscctl import Client
from iscctl.config import (
    Settings,
    UserConfig,
    normalize_api_root,
    parse_http_hosts,
    resolve_settings,
)
from iscctl.errors import ConfigurationError

if TYPE_CHECKING:
    from .conftest import Exposure

ENV = {
    "SAIL_BASE_URL": "env-tenant",
    "SAIL_CLIENT_ID": "id-from-env",
    "SAIL_CLIENT_SECRET": "s3cr3t-from-env",
}


def _write_config_json(folder: Path, **values: object) -> Path:
    path = folder / "config.json"
    path.write_text(json.dumps(values))
    return path


def _user_config(config_dir: Path, active: str | None = "acme") -> UserConfig:
    user = UserConfig(config_dir / "config.toml", active=active)
    user.set_environment(
        "acme",
        {"base_url": "acme", "client_id": "id-acme", "client_secret": "s3cr3t-from-args"},
    )
    user.set_environment(
        "local",
        {
            "base_url": "http://127.0.0.1:9",
            "client_id": "id-local",
            "client_secret": "s3cr3t-from-args",
            "version": "beta",
        },
    )
    user.save()
    return user


@pytest.mark.parametrize(
    ("given", "root"),
    [
        ("acme", "https://acme.api.identitynow.com"),
        ("ACME", "https://acme.api.identitynow.com"),
        ("https://acme.api.identitynow.com/", "https://acme.api.identitynow.com"),
        ("https://api.example.com/isc", "https://api.example.com/isc"),
        ("acme.api.identitynow.com", "https://acme.api.identitynow.com"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://localhost:8080/", "http://localhost:8080"),
        ("http://[::1]:8080", "http://[::1]:8080"),
    ],
)
def test_a_base_is_a_tenant_name_or_an_api_root(given: str, root: str) -> None:
    assert normalize_api_root(given, "test") == root


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("http://acme.api.identitynow.com", "plain http:// is refused for acme.api.identitynow"),
        ("http://10.0.0.5", "plain http:// is refused"),
        ("ftp://acme", "is not a tenant name or URL"),
        ("https://acme.api.identitynow.com/v2025", "ends with the API version 'v2025'"),
        ("https://user:pw@acme.example.com", "has credentials, a query or a fragment"),
        ("  ", "the base URL is empty"),
    ],
)
def test_a_bad_base_is_refused_with_the_fix(given: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as caught:
        normalize_api_root(given, "SAIL_BASE_URL")
    assert str(caught.value).startswith("SAIL_BASE_URL: ")
    assert "pw" not in str(caught.value)


def test_the_environment_is_used_when_nothing_is_given() -> None:
    settings = resolve_settings(environ=ENV)
    assert settings.api_root == "https://env-tenant.api.identitynow.com"
    assert settings.client_id == "id-from-env"
    assert settings.sources["client_secret"] == "environment variable SAIL_CLIENT_SECRET"


def test_arguments_win_over_the_environment() -> None:
    settings = resolve_settings(client_id="id-from-args", environ=ENV)
    assert settings.client_id == "id-from-args"
    assert settings.client_secret == "s3cr3t-from-env"


def test_the_environment_wins_over_config_json(tmp_path: Path) -> None:
    _write_config_json(tmp_path, BaseURL="json-tenant", ClientId="id-json", ClientSecret="x" * 8)
    settings = resolve_settings(environ=ENV, cwd=tmp_path)
    assert settings.client_id == "id-from-env"


def test_config_json_wins_over_the_user_config(tmp_path: Path, clean_configuration: Path) -> None:
    _user_config(clean_configuration)
    _write_config_json(
        tmp_path, BaseURL="json-tenant", ClientId="id-json", ClientSecret="s3cr3t-from-json"
    )
    environ = {"ISCCTL_CONFIG_DIR": str(clean_configuration)}
    settings = resolve_settings(environ=environ, cwd=tmp_path)
    assert settings.api_root == "https://json-tenant.api.identitynow.com"
    assert settings.sources["client_id"] == f"{tmp_path / 'config.json'} ClientId"


def test_the_active_user_environment_is_the_last_resort(clean_configuration: Path) -> None:
    _user_config(clean_configuration)
    settings = resolve_settings(environ={"ISCCTL_CONFIG_DIR": str(clean_configuration)})
    assert settings.client_id == "id-acme"
    assert settings.api_root == "https://acme.api.identitynow.com"


def test_a_named_environment_wins_over_the_process_environment(clean_configuration: Path) -> None:
    _user_config(clean_configuration)
    environ = {**ENV, "ISCCTL_CONFIG_DIR": str(clean_configuration)}
    settings = resolve_settings(environment="local", environ=environ)
    assert settings.client_id == "id-local"
    assert settings.version == "beta"


def test_an_unknown_environment_name_lists_the_known_ones(clean_configuration: Path) -> None:
    _user_config(clean_configuration)
    with pytest.raises(
        ConfigurationError, match=r"no environment named 'prod' \(known: acme, local"
    ):
        resolve_settings(
            environment="prod", environ={"ISCCTL_CONFIG_DIR": str(clean_configuration)}
        )


def test_missing_settings_list_every_place_looked_and_how_to_set_each(
    tmp_path: Path, exposed: Exposure
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        resolve_settings(
            client_id="id-only", environ={"ISCCTL_CONFIG_DIR": str(tmp_path)}, cwd=tmp_path
        )
    message = str(caught.value)
    exposed.add(message)
    assert message.startswith("missing base_url, client_secret; looked in: ")
    for place in ("--base-url", "SAIL_BASE_URL=", "SAIL_CLIENT_SECRET=", "BaseURL, ClientSecret"):
        assert place in message
    assert str(tmp_path / "config.json") in message
    assert str(tmp_path / "config.toml") in message
    assert "iscctl config set" in message
    assert "\n" not in message


def test_malformed_config_json_names_the_file_line_and_fix(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text('{\n  "BaseURL": "acme",\n  "ClientId" "x"\n}')
    with pytest.raises(ConfigurationError) as caught:
        resolve_settings(environ={}, cwd=tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / 'config.json'}: line 3 column 14: ")
    assert "fix the JSON or remove the file" in str(caught.value)


def test_a_config_json_field_of_the_wrong_type_is_named(tmp_path: Path) -> None:
    _write_config_json(tmp_path, BaseURL="acme", ClientId=42)
    with pytest.raises(ConfigurationError, match=r"config.json: ClientId must be a string"):
        resolve_settings(environ={}, cwd=tmp_path)


def test_a_malformed_user_config_names_the_file(clean_configuration: Path) -> None:
    clean_configuration.mkdir()
    (clean_configuration / "config.toml").write_text("active = \n")
    with pytest.raises(ConfigurationError, match=r"config.toml: not valid TOML \(.*line 1"):
        resolve_settings(environ={"ISCCTL_CONFIG_DIR": str(clean_configuration)})


def test_the_user_config_is_written_readable_by_its_owner_only(clean_configuration: Path) -> None:
    user = _user_config(clean_configuration)
    mode = stat.S_IMODE(user.path.stat().st_mode)
    assert mode == 0o600
    again = UserConfig.load(user.path)
    assert again.active == "acme"
    assert again.environments["local"]["version"] == "beta"


def test_awkward_values_survive_a_round_trip(clean_configuration: Path) -> None:
    user = UserConfig(clean_configuration / "config.toml")
    odd = 'quote " backslash \\ tab \t unicode é newline \n'
    user.set_environment("odd", {"client_secret": odd})
    user.save()
    assert UserConfig.load(user.path).environments["odd"]["client_secret"] == odd


def test_settings_repr_hides_the_secret(exposed: Exposure) -> None:
    settings = Settings("https://acme", "id", "s3cr3t-from-args")
    exposed.add(settings)
    assert "'***'" in repr(settings)


def test_the_client_resolves_its_settings_the_same_way(
    monkeypatch: pytest.MonkeyPatch, exposed: Exposure
) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    with Client.from_environment(version="v2026") as client:
        exposed.add(client)
        assert client.base_url == "https://env-tenant.api.identitynow.com"
        assert client.version == "v2026"


def test_an_http_base_outside_loopback_fails_the_client(exposed: Exposure) -> None:
    with pytest.raises(ConfigurationError, match="plain http:// is refused") as caught:
        Client(base_url="http://example.com", client_id="i", client_secret="s3cr3t-from-args")
    exposed.add(caught.value)


def test_a_bad_rate_limit_or_timeout_is_a_configuration_error() -> None:
    common = {"base_url": "acme", "client_id": "i", "client_secret": "s3cr3t-from-args"}
    with pytest.raises(ConfigurationError, match="rate_limit must be"):
        Client(**common, rate_limit=(0, 10.0))  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="timeout must be"):
        Client(**common, timeout=0)  # type: ignore[arg-type]


def test_a_password_in_a_bad_url_is_not_repeated() -> None:
    with pytest.raises(ConfigurationError) as caught:
        normalize_api_root("ftp://user:hunter22@acme", "--base-url")
    assert "hunter22" not in str(caught.value)
    assert "ftp://***@acme" in str(caught.value)


def test_a_broken_file_that_is_not_needed_does_not_stop_a_configured_client(
    tmp_path: Path, clean_configuration: Path
) -> None:
    (tmp_path / "config.json").write_text("{broken")
    clean_configuration.mkdir()
    (clean_configuration / "config.toml").write_text("[broken")
    environ = {**ENV, "ISCCTL_CONFIG_DIR": str(clean_configuration)}
    assert resolve_settings(environ=environ, cwd=tmp_path).client_id == "id-from-env"
    with pytest.raises(ConfigurationError, match=r"config\.json: line 1"):
        resolve_settings(environ={"ISCCTL_CONFIG_DIR": str(clean_configuration)}, cwd=tmp_path)


# -- the plain-http opt-in (#13.4) -----------------------------------------------------


@pytest.mark.parametrize(
    ("given", "hosts"),
    [
        ("sandbox", ("sandbox",)),
        (" Sandbox , ci-tenant.internal,,", ("sandbox", "ci-tenant.internal")),
        (["sandbox", "10.0.0.5", "sandbox"], ("sandbox", "10.0.0.5")),
        ("[fd00::5]", ("fd00::5",)),
        ("", ()),
    ],
)
def test_opt_in_hosts_are_bare_names(given: str | list[str], hosts: tuple[str, ...]) -> None:
    assert parse_http_hosts(given, "test") == hosts


@pytest.mark.parametrize("given", ["http://sandbox", "sandbox:8080", "*", "*.internal", "a b"])
def test_an_opt_in_that_is_not_a_bare_host_is_refused(given: str) -> None:
    with pytest.raises(ConfigurationError, match=r"^ISCCTL_ALLOW_HTTP_HOSTS: .* not a host name"):
        parse_http_hosts(given, "ISCCTL_ALLOW_HTTP_HOSTS")


def test_the_opt_in_opens_only_the_named_hosts() -> None:
    root = normalize_api_root("http://sandbox:8080", "x", allow_http_hosts=["sandbox"])
    assert root == "http://sandbox:8080"
    with pytest.raises(ConfigurationError, match="refused for other"):
        normalize_api_root("http://other:8080", "x", allow_http_hosts=["sandbox"])


def test_the_opt_in_follows_the_precedence(clean_configuration: Path) -> None:
    user = UserConfig(clean_configuration / "config.toml", active="ci")
    user.set_environment(
        "ci",
        {
            "base_url": "http://sandbox:8080",
            "client_id": "i",
            "client_secret": "s3cr3t-from-args",
            "allow_http_hosts": "sandbox",
        },
    )
    user.save()
    environ = {"ISCCTL_CONFIG_DIR": str(clean_configuration)}
    settings = resolve_settings(environ=environ)
    assert settings.allow_http_hosts == ("sandbox",)
    assert settings.sources["allow_http_hosts"].endswith("[environments.ci] allow_http_hosts")
    # the variable comes before the active environment; an explicit empty list before both
    with pytest.raises(ConfigurationError, match="refused for sandbox"):
        resolve_settings(environ={**environ, "ISCCTL_ALLOW_HTTP_HOSTS": "other"})
    with pytest.raises(ConfigurationError, match="refused for sandbox"):
        resolve_settings(environ=environ, allow_http_hosts=[])


def test_the_opt_in_variable_applies_to_explicit_arguments_too() -> None:
    settings = resolve_settings(
        "http://sandbox:8080",
        "i",
        "s3cr3t-from-args",
        environ={"ISCCTL_ALLOW_HTTP_HOSTS": "sandbox"},
    )
    assert settings.api_root == "http://sandbox:8080"
    assert settings.sources["allow_http_hosts"] == "environment variable ISCCTL_ALLOW_HTTP_HOSTS"


def test_a_list_of_hosts_in_the_user_config_is_read(clean_configuration: Path) -> None:
    clean_configuration.mkdir()
    path = clean_configuration / "config.toml"
    path.write_text('[environments.ci]\nallow_http_hosts = ["a", "b"]\n')
    assert UserConfig.load(path).environments["ci"]["allow_http_hosts"] == "a,b"


def test_explicit_values_are_named_as_the_caller_says() -> None:
    settings = resolve_settings(
        "acme",
        "i",
        "s3cr3t-from-args",
        version="beta",
        environ={},
        given_as={"base_url": "option --base-url"},
    )
    assert settings.sources["base_url"] == "option --base-url"
    assert settings.sources["version"] == "argument version"


def test_a_query_string_in_a_bad_url_is_not_repeated() -> None:
    url = "https://acme.api.identitynow.com/oauth/token?client_secret=s3cr3t-from-env"
    with pytest.raises(ConfigurationError) as caught:
        normalize_api_root(url, "SAIL_BASE_URL")
    assert "s3cr3t-from-env" not in str(caught.value)
    assert str(caught.value).startswith("SAIL_BASE_URL: ")
