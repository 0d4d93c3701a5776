"""A selection reads only the ids of its hits, never the generated document models (#15).

The generated `Response` builds `parsed` on first read; a search page of
10,000 hits read through `IdentityDocument.from_dict` cost about 0.3 s of the
client's time, most of a page. These tests run real searches against the
sandbox and watch the generated model's `from_dict` (observed, not replaced).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from iscctl.errors import BadRequestError
from iscctl.processing.selection import Selection, SelectionProgress, select_pages
from iscctl.processing.tenant_reads import TenantReads, _hit_ids
from iscctl.sandbox import SandboxServer
from iscctl_client.models import IdentityDocument

from ..identities_cli import client


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many IdentityDocument models were built (the real from_dict still runs)."""
    count = [0]
    real = IdentityDocument.from_dict.__func__  # type: ignore[attr-defined]

    def counting(cls: type[IdentityDocument], data: object) -> IdentityDocument:
        count[0] += 1
        return real(cls, data)  # type: ignore[no-any-return]

    monkeypatch.setattr(IdentityDocument, "from_dict", classmethod(counting))
    return count


@pytest.fixture
def reads(sandbox: SandboxServer) -> Iterator[TenantReads]:
    with client(sandbox) as isc:
        yield TenantReads(isc.api, threaded=True)


async def select_all(reads: TenantReads, query: str, page_size: int) -> list[str | None]:
    progress = SelectionProgress()
    pages = select_pages(reads, Selection("query", query), progress, page_size=page_size)
    return [value async for page in pages for value in page]


def test_a_selection_over_several_pages_builds_no_document_model(
    reads: TenantReads, sandbox: SandboxServer, built: list[int]
) -> None:
    selected = asyncio.run(select_all(reads, "*", page_size=700))
    assert selected == sorted(sandbox.identity_ids)
    assert built[0] == 0


def test_extra_fields_in_hits_are_tolerated(
    reads: TenantReads, sandbox: SandboxServer, built: list[int]
) -> None:
    sandbox.faults.add("extra_fields", operation="search", times=5)
    selected = asyncio.run(select_all(reads, "*", page_size=1000))
    assert selected == sorted(sandbox.identity_ids)


def test_a_rejected_query_still_raises_the_tenants_error(reads: TenantReads) -> None:
    with pytest.raises(BadRequestError, match="names no field"):
        asyncio.run(select_all(reads, "engineering", page_size=1000))


def test_the_models_are_still_there_for_whoever_reads_parsed(
    reads: TenantReads, sandbox: SandboxServer, built: list[int]
) -> None:
    first = sorted(sandbox.identity_ids)[0]
    details = asyncio.run(reads.error_details([first]))  # reads processingDetails: models
    assert details == {first: None}
    assert built[0] == 1


@pytest.mark.parametrize(
    ("body", "ids"),
    [
        (b'[{"id": "a", "name": "A"}, {"name": "no id"}, {"id": 5}, {"id": null}]',
         ["a", None, None, None]),
        (b"[]", []),
        (b'{"id": "a"}', None),
        (b'[{"id": "a"}, "b"]', None),
        (b"<html>busy</html>", None),
        (b"", None),
    ],
)  # fmt: skip
def test_hit_ids_reads_lists_of_objects_and_leaves_anything_else_to_unwrap(
    body: bytes, ids: list[str | None] | None
) -> None:
    assert _hit_ids(body) == ids
