"""The identities index in a search's sort order, sorted once and kept.

A selection pages through 100,000 hits with `searchAfter`, ten pages of
10,000; sorting the whole index again for each page made every page cost a
full sort. The records never change after start-up (`directory.py`), so an
order on fields that only depend on the record (id, name, email, created, ...)
is worked out once per sort and kept; a `searchAfter` position is then found
by binary search, and a page reads forward from there.

Sorts on fields that processing changes (`OUTCOME_FIELDS`: modified, synced,
processingState) are not kept: their order moves as tasks finish, so such a
search sorts at the moment it is asked, as before.

Order rules (the same for a kept order and one sorted on the spot): each
value compares as its `sort_text`, fields from most to least significant,
each ascending or (`-`) descending, ties in directory order. `searchAfter`
keeps the hits strictly after the given values in that order.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Final

from attrs import frozen

from iscctl.sandbox.directory import IdentityRecord
from iscctl.sandbox.documents import OUTCOME_FIELDS, IdentityView, ViewGetter
from iscctl.sandbox.tasks import ProcessingBook

KEPT_ORDERS: Final = 8
"""Sorts kept at once (each holds one key per identity); the least recently used goes."""


def sort_text(value: Any) -> str:
    """One comparable text per field value: search sorts and `searchAfter` compare these."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).casefold()


@frozen
class SortField:
    name: str
    getter: ViewGetter
    descending: bool


def is_after(keys: Sequence[str], after: Sequence[str], sort: Sequence[SortField]) -> bool:
    """Whether a hit with sort texts `keys` comes strictly after `after`."""
    for value, wanted, field in zip(keys, after, sort, strict=True):
        if value != wanted:
            return value < wanted if field.descending else value > wanted
    return False


def sort_views(views: list[IdentityView], sort: Sequence[SortField]) -> list[IdentityView]:
    """Stable sorts from the least significant field up: ties keep directory order."""
    for field in reversed(sort):
        get = field.getter
        views.sort(key=lambda view: sort_text(get(view)), reverse=field.descending)
    return views


@frozen(eq=False)
class KeptOrder:
    """The records in one sort's order, with each record's sort texts for `searchAfter`."""

    source: tuple[IdentityRecord, ...]
    """The directory's records it was sorted from."""
    records: tuple[IdentityRecord, ...]
    keys: tuple[tuple[str, ...], ...]
    sort: tuple[SortField, ...]

    def start_after(self, after: Sequence[str]) -> int:
        """The position of the first record strictly after `after` (binary search: the
        order is sorted, so `is_after` is False up to some position and True from it)."""
        low, high = 0, len(self.keys)
        while low < high:
            middle = (low + high) // 2
            if is_after(self.keys[middle], after, self.sort):
                high = middle
            else:
                low = middle + 1
        return low


class SearchOrders:
    """Kept orders of one directory's records, by sort; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple[tuple[str, bool], ...], KeptOrder] = OrderedDict()

    @staticmethod
    def keepable(sort: Sequence[SortField]) -> bool:
        return not any(field.name in OUTCOME_FIELDS for field in sort)

    def order(
        self,
        records: tuple[IdentityRecord, ...],
        sort: Sequence[SortField],
        book: ProcessingBook,
    ) -> KeptOrder:
        """The kept order of `records` for `sort` (fields that processing does not change),
        sorted now if it is not kept yet."""
        name = tuple((field.name, field.descending) for field in sort)
        with self._lock:
            kept = self._kept.get(name)
            if kept is not None and kept.source is not records:
                kept = None  # sorted from other records: never kept across a directory change
            if kept is not None:
                self._kept.move_to_end(name)
                return kept
        now = book.now()
        views = sort_views([IdentityView(record, book, now) for record in records], sort)
        kept = KeptOrder(
            records,
            tuple(view.record for view in views),
            tuple(tuple(sort_text(field.getter(view)) for field in sort) for view in views),
            tuple(sort),
        )
        with self._lock:
            self._kept[name] = kept
            self._kept.move_to_end(name)
            while len(self._kept) > KEPT_ORDERS:
                self._kept.popitem(last=False)
        return kept
