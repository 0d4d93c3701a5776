"""A tenant told to drop an attribute mapping on import does so silently."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from iscctl.sandbox import SandboxServer, SandboxSettings

from .conftest import Api, account, exported, profile

IMPORT = "/v2025/identity-profiles/import"


def mapped(api: Api, name: str) -> list[str]:
    found = api.ok("/v2025/identity-profiles", filters=f'name eq "{name}"')[0]
    return [
        m["identityAttributeName"] for m in found["identityAttributeConfig"]["attributeTransforms"]
    ]


def two_mappings() -> dict[str, Any]:
    return profile(
        "P",
        mappings={"uid": account("HR Workday", "id"), "email": account("Active Directory", "mail")},
    )


def test_the_setting_drops_the_mapping_and_reports_success(make_sandbox: Any) -> None:
    server: SandboxServer = make_sandbox(tenant="prod", drop_attribute_mappings=["email"])
    api = Api(server)
    body = api.post(IMPORT, [exported(two_mappings())]).json()
    kept = mapped(api, "P")
    api.close()
    assert body["errors"] == body["warnings"] == [] and len(body["importedObjects"]) == 1
    assert kept == ["uid"]


def test_without_the_setting_nothing_is_dropped(prod: Api) -> None:
    prod.post(IMPORT, [exported(two_mappings())])
    assert mapped(prod, "P") == ["uid", "email"]


def test_the_inspection_api_switches_dropping_on_and_reset_switches_it_off(prod: Api) -> None:
    url = f"{prod.server.inspection_url}/dropped-mappings"
    reply = httpx.post(url, json={"attributes": ["uid"]}, timeout=10)
    assert reply.json() == {"attributes": ["uid"]}
    prod.post(IMPORT, [exported(two_mappings())])
    assert mapped(prod, "P") == ["email"]
    prod.server.reset()
    assert httpx.get(url, timeout=10).json() == {"attributes": []}


@pytest.mark.parametrize("body", [{"attributes": "uid"}, ["uid"], {"names": []}, "{"])
def test_the_inspection_api_refuses_a_malformed_request(prod: Api, body: Any) -> None:
    url = f"{prod.server.inspection_url}/dropped-mappings"
    content = body if isinstance(body, str) else None
    reply = (
        httpx.post(url, content=content, timeout=10)
        if content
        else httpx.post(url, json=body, timeout=10)
    )
    assert reply.status_code == 400 and "dropped-mappings" in reply.json()["error"]


def test_a_single_string_is_not_a_list_of_names() -> None:
    with pytest.raises(TypeError, match="not one string"):
        SandboxSettings(drop_attribute_mappings="email")  # type: ignore[arg-type]


def test_the_cli_passes_tenant_and_dropped_mappings(monkeypatch: pytest.MonkeyPatch) -> None:
    from iscctl.cli import sandbox_command

    seen: list[SandboxSettings] = []

    class Stop(Exception):
        pass

    def capture(settings: SandboxSettings) -> Any:
        seen.append(settings)
        raise Stop

    monkeypatch.setattr(sandbox_command, "SandboxServer", capture)
    arguments = ["--tenant", "dev", "--no-seed-profiles", "--drop-attribute-mapping", "email"]
    result = CliRunner().invoke(
        sandbox_command.sandbox, [*arguments, "--drop-attribute-mapping", "uid"]
    )
    assert isinstance(result.exception, Stop)
    (settings,) = seen
    assert settings.tenant == "dev" and settings.seed_profiles is False
    assert settings.drop_attribute_mappings == ("email", "uid")


def test_the_cli_refuses_a_tenant_name_with_spaces() -> None:
    from iscctl.cli import sandbox_command

    result = CliRunner().invoke(sandbox_command.sandbox, ["--tenant", "my tenant"])
    assert result.exit_code == 2 and "--tenant" in result.output
