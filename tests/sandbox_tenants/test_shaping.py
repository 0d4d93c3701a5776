"""Shaping faults bend the tenant's read replies the way the live API is known to."""

from __future__ import annotations

from .conftest import Api


def test_extra_fields_reach_every_exported_item_and_profile(dev: Api) -> None:
    dev.server.faults.add("extra_fields", operation="export")
    items = dev.ok("/v2025/identity-profiles/export")
    assert items and all("sandboxFutureField" in item for item in items)
    assert all("sandboxFutureField" in item["object"] for item in items)
    assert all("sandboxFutureField" in i["object"]["identityAttributeConfig"] for i in items)
    assert "sandboxFutureField" not in dev.ok("/v2025/identity-profiles/export")[0]  # once


def test_null_strings_on_a_profile(dev: Api) -> None:
    profile_id = dev.ok("/v2025/identity-profiles")[0]["id"]
    dev.server.faults.add("null_strings", operation="get-profile")
    got = dev.ok(f"/v2025/identity-profiles/{profile_id}")
    assert got["created"] is None and got["authoritativeSource"]["name"] is None
    assert got["id"] == profile_id  # the rest is as served


def test_unknown_enums_in_transforms_sources_and_export(dev: Api) -> None:
    dev.server.faults.add("unknown_enums", operation="list-transforms")
    dev.server.faults.add("unknown_enums", operation="list-sources")
    dev.server.faults.add("unknown_enums", operation="export")
    assert {t["type"] for t in dev.ok("/v2025/transforms")} == {"futureTransform"}
    assert {s["status"] for s in dev.ok("/v2025/sources")} == {"SOURCE_STATE_FUTURE"}
    assert {i["self"]["type"] for i in dev.ok("/v2025/identity-profiles/export")} == {"FUTURE_TYPE"}


def test_an_error_reply_is_bent_like_any_error(dev: Api) -> None:
    dev.server.faults.add("null_strings", operation="get-profile")
    reply = dev.get("/v2025/identity-profiles/ffffffffffffffffffffffffffffffff")
    assert reply.status_code == 404
    assert reply.json()["trackingId"] is None and reply.json()["messages"][0]["text"] is None


def test_process_identities_reply_type(dev: Api) -> None:
    profile_id = dev.ok("/v2025/identity-profiles")[0]["id"]
    dev.server.faults.add("unknown_enums", operation="process-profile")
    reply = dev.post(f"/v2025/identity-profiles/{profile_id}/process-identities")
    assert reply.status_code == 202 and reply.json()["type"] == "TASK_RESULT_V2"
