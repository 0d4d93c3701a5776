"""GET /identity-profiles/export, GET /identity-profiles, GET /identity-profiles/{id}."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from iscctl.sandbox import SandboxServer

from .conftest import Api, exported, profile

VERSION_ROOTS = [
    ("/v3/identity-profiles", "v3"),
    ("/beta/identity-profiles", "beta"),
    ("/v2024/identity-profiles", "v2024"),
    ("/v2025/identity-profiles", "v2025"),
    ("/v2026/identity-profiles", "v2026"),
    ("/identity-profiles/v1", "v1"),
]


def add_profiles(api: Api, count: int, start: int = 0) -> None:
    items = [
        exported(profile(f"Bulk {n:04d}", priority=n % 7, owner=None))
        for n in range(start, start + count)
    ]
    reply = api.post("/v2025/identity-profiles/import", items)
    assert reply.status_code == 200 and reply.json()["errors"] == [], reply.text


def names(items: list[dict[str, Any]]) -> list[str]:
    return [item["object"]["name"] if "object" in item else item["name"] for item in items]


def assert_illegal(reply: httpx.Response, parameter: str, cause: str) -> None:
    """ISC's 400 ErrorResponseDto, its cause naming the parameter and what is wrong."""
    assert reply.status_code == 400, reply.text
    body = reply.json()
    assert body["detailCode"] == "400.1 Bad Request Content"
    assert body["causes"][0]["text"].startswith(f"{parameter}: ")
    assert cause in body["causes"][0]["text"]


@pytest.mark.parametrize(("root", "version"), VERSION_ROOTS)
def test_export_list_and_get_answer_on_every_version(dev: Api, root: str, version: str) -> None:
    exported_items = dev.ok(f"{root}/export")
    listed = dev.ok(root)
    one = dev.ok(f"{root}/{listed[0]['id']}")
    assert names(exported_items) == names(listed) == ["Employees", "Contractors"]
    assert one == listed[0]
    versions = {r.version for r in dev.server.state.requests if r.path.startswith(root)}
    assert versions == {version}


def test_export_items_are_what_import_takes(dev: Api) -> None:
    item = dev.ok("/v2025/identity-profiles/export")[0]
    assert set(item) == {"version", "self", "object"}
    assert item["self"] == {
        "type": "IDENTITY_PROFILE",
        "id": item["object"]["id"],
        "name": item["object"]["name"],
    }
    members = dev.server.profile_directory.members(item["object"]["name"])
    assert item["object"]["identityCount"] == len(members) > 0


def test_export_pages_at_most_250_and_counts_the_total(dev: Api) -> None:
    add_profiles(dev, 300)
    first = dev.get("/v2025/identity-profiles/export", count="true", sorters="name")
    rest = dev.get("/v2025/identity-profiles/export", offset=250, sorters="name")
    assert first.headers["X-Total-Count"] == "302"
    assert len(first.json()) == 250 and len(rest.json()) == 52
    every = names(first.json()) + names(rest.json())
    assert every == sorted(every, key=str.casefold) and len(set(every)) == 302


def test_no_total_count_header_unless_asked(dev: Api) -> None:
    assert "X-Total-Count" not in dev.get("/v2025/identity-profiles/export").headers


@pytest.mark.parametrize(
    ("params", "parameter", "cause"),
    [
        ({"limit": "251"}, "limit", "at most 250"),
        ({"limit": "-1"}, "limit", "0 or more"),
        ({"offset": "x"}, "offset", "whole number"),
        ({"count": "yes"}, "count", "true or false"),
    ],
)
def test_export_refuses_bad_paging(
    dev: Api, params: dict[str, str], parameter: str, cause: str
) -> None:
    assert_illegal(dev.get("/v2025/identity-profiles/export", **params), parameter, cause)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ('name eq "employees"', ["Employees"]),
        ('name ne "Employees"', ["Contractors"]),
        ("priority eq 20", ["Contractors"]),
        ("priority ne 20", ["Employees"]),
        ('name eq "Employees" or priority eq 20', ["Employees", "Contractors"]),
        ('not name eq "Employees"', ["Contractors"]),
        ('name eq "Nobody"', []),
    ],
)
def test_export_filters(dev: Api, filters: str, expected: list[str]) -> None:
    assert names(dev.ok("/v2025/identity-profiles/export", filters=filters)) == expected


def test_export_filters_by_id(dev: Api) -> None:
    employees = dev.ok("/v2025/identity-profiles", filters='name eq "Employees"')[0]
    found = dev.ok("/v2025/identity-profiles/export", filters=f'id eq "{employees["id"]}"')
    assert names(found) == ["Employees"]


@pytest.mark.parametrize(
    ("filters", "cause"),
    [
        ('name in ("Employees")', "name does not take the in operator; use eq, ne"),
        ('name sw "Emp"', "name does not take the sw operator"),
        ('description eq "x"', "field description cannot be filtered here"),
        ('name EQ "Employees"', "operators are lowercase"),
        ('name eq "Employees', "unexpected character"),
        ("name eq", "the expression is incomplete"),
    ],
)
def test_export_refuses_filters_it_does_not_support(dev: Api, filters: str, cause: str) -> None:
    assert_illegal(dev.get("/v2025/identity-profiles/export", filters=filters), "filters", cause)


def test_export_sorts_by_priority_descending(dev: Api) -> None:
    found = dev.ok("/v2025/identity-profiles/export", sorters="-priority")
    assert names(found) == ["Contractors", "Employees"]


def test_export_refuses_a_sorter_it_does_not_support(dev: Api) -> None:
    reply = dev.get("/v2025/identity-profiles/export", sorters="created")
    assert_illegal(reply, "sorters", "cannot sort by 'created'; use id, name, priority")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ('name in ("Employees","contractors")', ["Employees", "Contractors"]),
        ('name sw "emp"', ["Employees"]),
        ('name ge "D"', ["Employees"]),
        ('name le "D"', ["Contractors"]),
        ('name gt "Contractors"', ["Employees"]),
        ('name sw "C" and priority eq 20', ["Contractors"]),
    ],
)
def test_list_filters(dev: Api, filters: str, expected: list[str]) -> None:
    assert names(dev.ok("/v2025/identity-profiles", filters=filters)) == expected


def test_list_filters_by_ids_in_a_list(dev: Api) -> None:
    ids = [p["id"] for p in dev.ok("/v2025/identity-profiles")]
    quoted = ",".join(f'"{i}"' for i in ids)
    assert len(dev.ok("/v2025/identity-profiles", filters=f"id in ({quoted})")) == 2
    assert names(dev.ok("/v2025/identity-profiles", filters=f'id sw "{ids[1][:6]}"')) == [
        "Contractors"
    ]


def test_list_refuses_operators_outside_the_contract(dev: Api) -> None:
    reply = dev.get("/v2025/identity-profiles", filters="priority in (10, 20)")
    assert_illegal(reply, "filters", "priority does not take the in operator")


@pytest.mark.parametrize(
    ("sorters", "expected"),
    [
        ("name", ["Contractors", "Employees"]),
        ("-name", ["Employees", "Contractors"]),
        ("priority", ["Employees", "Contractors"]),
        ("-created", ["Contractors", "Employees"]),
        ("owner.name,name", ["Employees", "Contractors"]),  # no owner sorts last
    ],
)
def test_list_sorters(dev: Api, sorters: str, expected: list[str]) -> None:
    assert names(dev.ok("/v2025/identity-profiles", sorters=sorters)) == expected


def test_list_pages_with_limit_and_offset(dev: Api) -> None:
    add_profiles(dev, 10)
    page = dev.get("/v2025/identity-profiles", limit=3, offset=4, sorters="name", count="true")
    assert page.headers["X-Total-Count"] == "12"
    assert names(page.json()) == ["Bulk 0004", "Bulk 0005", "Bulk 0006"]
    assert dev.ok("/v2025/identity-profiles", offset=12) == []
    assert dev.ok("/v2025/identity-profiles", limit=0) == []


def test_get_of_an_unknown_profile_is_404_error_response(dev: Api) -> None:
    reply = dev.get("/v2025/identity-profiles/2c9180867d0a1b2c017d0a4e5f6affff")
    body = reply.json()
    assert reply.status_code == 404
    assert body["detailCode"] == "404 Not found"
    assert body["trackingId"] and body["messages"][0]["text"]


def test_get_of_another_tenants_profile_id_is_404(dev: Api, prod: Api) -> None:
    prod_id = prod.ok("/v2025/identity-profiles")[0]["id"]
    assert dev.get(f"/v2025/identity-profiles/{prod_id}").status_code == 404


def test_get_on_the_import_path_is_a_wrong_method(dev: Api) -> None:
    assert dev.get("/v2025/identity-profiles/import").status_code == 405


def test_imported_profiles_are_what_list_get_and_export_return(dev: Api) -> None:
    sent = profile("Interns", priority=30, description="Summer interns")
    reply = dev.post("/v2025/identity-profiles/import", [exported(sent)]).json()
    new_id = reply["importedObjects"][0]["id"]
    got = dev.ok(f"/v2025/identity-profiles/{new_id}")
    assert {k: got[k] for k in sent} == sent
    assert got["identityCount"] == 0 and got["identityRefreshRequired"] is False
    assert "Interns" in names(dev.ok("/v2025/identity-profiles/export"))


def test_reads_need_a_token(dev: Api) -> None:
    for path in ("/v2025/identity-profiles/export", "/v2025/identity-profiles", "/v3/sources"):
        reply = httpx.get(dev.server.base_url + path, timeout=10)
        assert reply.status_code == 401 and "error" in reply.json()


def test_reads_count_against_the_rate_limit(make_sandbox: Any) -> None:
    from iscctl.sandbox import RateLimit

    server: SandboxServer = make_sandbox(tenant="dev", rate_limit=RateLimit(3, 60))
    api = Api(server)
    statuses = [api.get("/v2025/identity-profiles").status_code for _ in range(3)]
    limited = api.get("/v2025/identity-profiles/export")
    api.close()
    assert statuses == [200, 200, 200]
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.json() == {"message": " Rate Limit Exceeded "}


def test_a_planned_fault_reaches_the_named_read_operation(dev: Api) -> None:
    dev.server.faults.add("http_500", operation="export")
    assert dev.get("/v2025/identity-profiles").status_code == 200  # not the export
    assert dev.get("/v2025/identity-profiles/export").status_code == 500
    assert dev.get("/v2025/identity-profiles/export").status_code == 200


def test_a_fault_without_operation_still_only_hits_process_and_import(dev: Api) -> None:
    dev.server.faults.add("http_500")
    assert dev.get("/v2025/identity-profiles/export").status_code == 200
    assert dev.server.faults.pending  # still waiting for a process or import call


def test_serving_profiles_leaves_the_stored_ones_unchanged(dev: Api) -> None:
    dev.post("/v2025/identity-profiles/import", [exported(profile("Plain"))])
    before = dev.server.state.profiles["Plain"]
    served = dev.ok("/v2025/identity-profiles", filters='name eq "Plain"')[0]
    dev.ok("/v2025/identity-profiles/export")
    dev.ok(f"/v2025/identity-profiles/{served['id']}")
    assert served["identityCount"] == 0 and served["identityRefreshRequired"] is False
    assert dev.server.state.profiles["Plain"] == before
    assert "identityCount" not in before
