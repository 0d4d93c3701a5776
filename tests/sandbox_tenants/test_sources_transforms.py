"""GET /sources and GET /transforms: the look-ups that map names to this tenant's ids."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Api

ROOTS = ["/v3", "/beta", "/v2024", "/v2025", "/v2026"]


def names(items: list[dict[str, Any]]) -> list[str]:
    return [item["name"] for item in items]


@pytest.mark.parametrize("path", [*(f"{r}/sources" for r in ROOTS), "/sources/v1"])
def test_sources_answer_on_every_version(dev: Api, path: str) -> None:
    assert "HR Workday" in names(dev.ok(path))


@pytest.mark.parametrize("path", [*(f"{r}/transforms" for r in ROOTS), "/transforms/v1"])
def test_transforms_answer_on_every_version(dev: Api, path: str) -> None:
    assert "Lowercase Email" in names(dev.ok(path))


def test_a_source_has_the_fields_a_mapping_needs(dev: Api) -> None:
    source = dev.ok("/v2025/sources", filters='name eq "HR Workday"')[0]
    assert {"id", "name", "type", "connector", "authoritative", "owner"} <= set(source)
    assert source["owner"]["type"] == "IDENTITY"
    assert source["authoritative"] is True  # Employees uses it
    other = dev.ok("/v2025/sources", filters='name eq "ServiceNow"')[0]
    assert other["authoritative"] is False


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ('name eq "hr workday"', ["HR Workday"]),
        ('name in ("Azure AD","ServiceNow")', ["ServiceNow", "Azure AD"]),
        ('name sw "a"', ["Active Directory", "Azure AD"]),
        ('name co "direct"', ["Active Directory"]),
        ('name sw "A" and not name co "azure"', ["Active Directory"]),
        ("authoritative eq true", ["HR Workday", "Contractors CSV"]),
        ('type eq "Workday"', ["HR Workday"]),
    ],
)
def test_source_filters(dev: Api, filters: str, expected: list[str]) -> None:
    assert names(dev.ok("/v2025/sources", filters=filters)) == expected


def test_source_filters_by_id(dev: Api, prod: Api) -> None:
    hr = dev.ok("/v2025/sources", filters='name eq "HR Workday"')[0]["id"]
    ad = dev.ok("/v2025/sources", filters='name eq "Active Directory"')[0]["id"]
    assert names(dev.ok("/v2025/sources", filters=f'id eq "{hr}"')) == ["HR Workday"]
    both = dev.ok("/v2025/sources", filters=f'id in ("{hr}","{ad}")')
    assert names(both) == ["HR Workday", "Active Directory"]
    assert names(dev.ok("/v2025/sources", filters=f'id sw "{hr[:8]}"')) == ["HR Workday"]
    assert prod.ok("/v2025/sources", filters=f'id eq "{hr}"') == []  # dev's id is not prod's


def test_the_identitynow_source_only_when_asked(dev: Api) -> None:
    assert "IdentityNow" not in names(dev.ok("/v2025/sources"))
    assert "IdentityNow" in names(dev.ok("/v2025/sources", includeIDNSource="true"))


def test_sources_sort_and_page(dev: Api) -> None:
    page = dev.get("/v2025/sources", sorters="-name", limit=2, offset=1, count="true")
    assert page.headers["X-Total-Count"] == "5"
    assert names(page.json()) == ["HR Workday", "Contractors CSV"]


@pytest.mark.parametrize(
    "params",
    [
        {"filters": 'name ca ("HR")'},
        {"filters": 'owner.name eq "Jane Admin"'},
        {"filters": 'authoritative sw "t"'},
        {"sorters": "owner.name"},
        {"includeIDNSource": "maybe"},
        {"limit": "1000"},
    ],
)
def test_sources_refuse_what_the_contract_does_not_allow(dev: Api, params: dict[str, str]) -> None:
    reply = dev.get("/v2025/sources", **params)
    assert reply.status_code == 400
    assert reply.json()["detailCode"] == "400.1 Bad Request Content"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"filters": 'name eq "lowercase email"'}, ["Lowercase Email"]),
        ({"filters": 'name sw "To"'}, ["ToLower", "ToUpper"]),
        (
            {"filters": "internal eq false"},
            [
                "Workday Employee Id",
                "Lowercase Email",
                "Contract End Date",
                "Department From Cost Center",
            ],
        ),
        ({"filters": 'internal eq true and name sw "t"'}, ["ToLower", "ToUpper", "Trim"]),
        ({"name": "Contract"}, ["Contract End Date"]),
        ({"name": "Trim", "filters": "internal eq true"}, ["Trim"]),
    ],
)
def test_transform_filters_and_name(dev: Api, params: dict[str, str], expected: list[str]) -> None:
    assert names(dev.ok("/v2025/transforms", **params)) == expected


def test_a_transform_carries_type_attributes_and_internal(dev: Api) -> None:
    found = dev.ok("/v2025/transforms", filters='name eq "Lowercase Email"')[0]
    assert found["type"] == "lower" and found["internal"] is False
    assert found["attributes"]["input"]["attributes"]["sourceName"] == "Active Directory"
    assert dev.ok("/v2025/transforms", filters='name eq "Trim"')[0]["attributes"] is None


@pytest.mark.parametrize(
    "filters", ['id eq "x"', 'name co "Email"', 'name in ("Trim")', "internal ne true"]
)
def test_transforms_refuse_filters_outside_the_contract(dev: Api, filters: str) -> None:
    reply = dev.get("/v2025/transforms", filters=filters)
    assert reply.status_code == 400
    assert reply.json()["detailCode"] == "400.1 Bad Request Content"


def test_transforms_page_and_count(dev: Api) -> None:
    page = dev.get("/v2025/transforms", limit=3, offset=6, count="true")
    assert page.headers["X-Total-Count"] == "8"
    assert len(page.json()) == 2
