"""Search and list paging rules, without HTTP: when does a selection ask for the next page?"""

from __future__ import annotations

import pytest
from iscctl.processing.selection import (
    OffsetCursor,
    SearchCursor,
    Selection,
    SelectionError,
    search_body,
)


def test_the_first_search_page_has_no_search_after_and_a_total_sort_on_id() -> None:
    body = search_body('attributes.department:"Engineering"')
    assert body["indices"] == ["identities"]
    assert body["query"] == {"query": 'attributes.department:"Engineering"'}
    assert body["sort"] == ["id"]
    assert "searchAfter" not in body
    assert "id" in body["queryResultFilter"]["includes"]


def test_a_full_page_chains_the_next_one_after_its_last_id() -> None:
    cursor = SearchCursor(page_size=3)
    cursor.advance(["a", "b", "c"])
    assert not cursor.done
    assert cursor.after == "c"
    assert search_body("*", cursor.after)["searchAfter"] == ["c"]
    cursor.advance(["d"])
    assert cursor.done
    assert cursor.pages == 2


def test_an_empty_page_ends_the_selection() -> None:
    cursor = SearchCursor(page_size=3)
    cursor.advance([])
    assert cursor.done


def test_a_tenant_that_ignores_search_after_is_caught_instead_of_looping() -> None:
    cursor = SearchCursor(page_size=2)
    cursor.advance(["a", "b"])
    with pytest.raises(SelectionError, match="did not advance"):
        cursor.advance(["a", "b"])


def test_a_full_page_ending_without_an_id_cannot_be_continued() -> None:
    cursor = SearchCursor(page_size=2)
    with pytest.raises(SelectionError, match="without an id"):
        cursor.advance(["a", None])


def test_list_paging_moves_by_records_and_stops_on_a_short_page() -> None:
    cursor = OffsetCursor(page_size=250)
    cursor.advance(250)
    assert (cursor.offset, cursor.done) == (250, False)
    cursor.advance(12)
    assert (cursor.offset, cursor.done) == (262, True)


def test_a_selection_survives_its_journal_record() -> None:
    selection = Selection("query", "lifecycleState:active")
    assert Selection.from_record(selection.to_record()) == selection
    assert selection.describe() == "search: lifecycleState:active"
    with pytest.raises(ValueError):
        Selection.from_record({"kind": "sql", "text": "x"})
