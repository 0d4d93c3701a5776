"""The JSON shapes of an identity: `Identity` (identities list/get) and the search document.

Both are built from a seeded record (`directory.py`) and what processing made
of it by now (`tasks.py`). Field names and enums are those of the contract
sheet (isc-workflow-contract.md, sections 7 and 8). The search document also
carries `lifecycleState` (a plain string, the same as
`attributes.cloudLifecycleState`), which SailPoint's definitions do not
declare, so that queries written as `lifecycleState:active` have something to
match.

`Identity` views pair a record with its outcome; the field tables below say
how each filterable or searchable field reads from one.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, Final

from iscctl.sandbox.auth import POD
from iscctl.sandbox.directory import Directory, IdentityRecord
from iscctl.sandbox.tasks import Outcome, ProcessingBook


class IdentityView:
    """A record and, read only when a field needs it, its processing outcome as of `now`."""

    __slots__ = ("_book", "_now", "_outcome", "_read", "record")

    def __init__(self, record: IdentityRecord, book: ProcessingBook, now: float) -> None:
        self.record = record
        self._book = book
        self._now = now
        self._outcome: Outcome | None = None
        self._read = False

    @property
    def outcome(self) -> Outcome | None:
        if not self._read:
            self._outcome = self._book.outcome(self.record.id, self._now)
            self._read = True
        return self._outcome

    @property
    def processing_state(self) -> str | None:
        return self.outcome.processing_state if self.outcome else None

    @property
    def last_refresh(self) -> str:
        refreshed = self.outcome.last_refresh if self.outcome else None
        return refreshed or self.record.last_refresh

    @property
    def modified(self) -> str:
        changed = self.outcome.modified if self.outcome else None
        return max(changed or "", self.record.modified)

    @property
    def details(self) -> dict[str, Any] | None:
        return self.outcome.details if self.outcome else None


def attributes(record: IdentityRecord) -> dict[str, Any]:
    return {
        "uid": record.alias,
        "firstname": record.first_name,
        "lastname": record.last_name,
        "displayName": record.display_name,
        "email": record.email,
        "employeeNumber": record.employee_number,
        "department": record.department,
        "location": record.location,
        "cloudLifecycleState": record.lifecycle_state,
        "identityProfile": record.profile.name,
    }


def identity_json(view: IdentityView, directory: Directory) -> dict[str, Any]:
    """The `Identity` of GET /identities and GET /identities/{id}."""
    record = view.record
    manager = directory.manager_of(record)
    return {
        "id": record.id,
        "name": record.name,
        "created": record.created,
        "modified": view.modified,
        "alias": record.alias,
        "emailAddress": record.email,
        "processingState": view.processing_state,
        "identityStatus": record.identity_status,
        "managerRef": (
            None
            if manager is None
            else {"type": "IDENTITY", "id": manager.id, "name": manager.name}
        ),
        "isManager": record.is_manager,
        "lastRefresh": view.last_refresh,
        "attributes": attributes(record),
        "lifecycleState": {"stateName": record.lifecycle_state, "manuallyUpdated": False},
    }


def _manager_document(view: IdentityView, directory: Directory) -> dict[str, Any] | None:
    manager = directory.manager_of(view.record)
    if manager is None:
        return None
    return {"id": manager.id, "name": manager.name, "displayName": manager.display_name}


DocumentPart = Callable[[IdentityView, Directory], Any]

# The identity document of POST /search (index `identities`), one builder per top-level
# key in the order ISC writes them, so that a `queryResultFilter` naming a few keys
# (a selection asks for `id` and `name` of 100,000 hits) builds only those.
SEARCH_DOCUMENT: Final[dict[str, DocumentPart]] = {
    "id": lambda v, d: v.record.id,
    "name": lambda v, d: v.record.name,
    "_type": lambda v, d: "identity",
    "type": lambda v, d: "identity",
    "_version": lambda v, d: "v1",
    "displayName": lambda v, d: v.record.display_name,
    "firstName": lambda v, d: v.record.first_name,
    "lastName": lambda v, d: v.record.last_name,
    "email": lambda v, d: v.record.email,
    "phone": lambda v, d: None,
    "employeeNumber": lambda v, d: v.record.employee_number,
    "created": lambda v, d: v.record.created,
    "modified": lambda v, d: v.modified,
    "synced": lambda v, d: v.modified,
    "status": lambda v, d: v.record.identity_status,
    "inactive": lambda v, d: v.record.lifecycle_state != "active",
    "protected": lambda v, d: False,
    "disabled": lambda v, d: v.record.identity_status == "DISABLED",
    "locked": lambda v, d: False,
    "isManager": lambda v, d: v.record.is_manager,
    "lifecycleState": lambda v, d: v.record.lifecycle_state,
    "processingState": lambda v, d: v.processing_state,
    "processingDetails": lambda v, d: v.details,
    "identityProfile": lambda v, d: {"id": v.record.profile.id, "name": v.record.profile.name},
    "source": lambda v, d: {"id": v.record.profile.source.id, "name": v.record.profile.source.name},
    "manager": _manager_document,
    "attributes": lambda v, d: attributes(v.record),
    "pod": lambda v, d: POD,
    "org": lambda v, d: "sandbox",
    "accountCount": lambda v, d: 0,
    "appCount": lambda v, d: 0,
    "accessCount": lambda v, d: 0,
    "tags": lambda v, d: [],
}


def document_parts(keys: Collection[str] | None = None) -> list[tuple[str, DocumentPart]]:
    """The builders of the document's keys (all, or those in `keys`), in document order;
    worked out once per search, then applied to every hit."""
    if keys is None:
        return list(SEARCH_DOCUMENT.items())
    wanted = set(keys)
    return [(key, build) for key, build in SEARCH_DOCUMENT.items() if key in wanted]


def search_document(
    view: IdentityView, directory: Directory, parts: list[tuple[str, DocumentPart]] | None = None
) -> dict[str, Any]:
    """The identity document of POST /search (index `identities`), or just its `parts`."""
    chosen = SEARCH_DOCUMENT.items() if parts is None else parts
    return {key: build(view, directory) for key, build in chosen}


ViewGetter = Callable[[IdentityView], Any]


def _detail(key: str) -> ViewGetter:
    def get(view: IdentityView) -> Any:
        details = view.details
        return None if details is None else details.get(key)

    return get


def _attribute(key: str) -> ViewGetter:
    return lambda view: attributes(view.record)[key]


# Fields of the search document a query can name, and how to read each.
SEARCH_FIELDS: Final[dict[str, ViewGetter]] = {
    "id": lambda v: v.record.id,
    "name": lambda v: v.record.name,
    "displayName": lambda v: v.record.display_name,
    "firstName": lambda v: v.record.first_name,
    "lastName": lambda v: v.record.last_name,
    "email": lambda v: v.record.email,
    "employeeNumber": lambda v: v.record.employee_number,
    "created": lambda v: v.record.created,
    "modified": lambda v: v.modified,
    "synced": lambda v: v.modified,
    "status": lambda v: v.record.identity_status,
    "inactive": lambda v: v.record.lifecycle_state != "active",
    "disabled": lambda v: v.record.identity_status == "DISABLED",
    "protected": lambda v: False,
    "locked": lambda v: False,
    "isManager": lambda v: v.record.is_manager,
    "lifecycleState": lambda v: v.record.lifecycle_state,
    "processingState": lambda v: v.processing_state,
    "processingDetails.date": _detail("date"),
    "processingDetails.stage": _detail("stage"),
    "processingDetails.retryCount": _detail("retryCount"),
    "processingDetails.message": _detail("message"),
    "identityProfile.id": lambda v: v.record.profile.id,
    "identityProfile.name": lambda v: v.record.profile.name,
    "source.id": lambda v: v.record.profile.source.id,
    "source.name": lambda v: v.record.profile.source.name,
    "manager.id": lambda v: None,  # replaced per directory in `search_fields`
    "manager.name": lambda v: None,
    **{
        f"attributes.{key}": _attribute(key)
        for key in (
            "uid",
            "firstname",
            "lastname",
            "displayName",
            "email",
            "employeeNumber",
            "department",
            "location",
            "cloudLifecycleState",
            "identityProfile",
        )
    },
}
DATE_FIELDS: Final = frozenset({"created", "modified", "synced", "processingDetails.date"})
# Fields whose value processing changes (over time, as tasks finish): a search sorted on
# one of these is sorted when it is asked, never from a kept order.
OUTCOME_FIELDS: Final = frozenset(
    {"modified", "synced", "processingState"}
    | {name for name in SEARCH_FIELDS if name.startswith("processingDetails.")}
)
NUMBER_FIELDS: Final = frozenset({"processingDetails.retryCount"})
BOOLEAN_FIELDS: Final = frozenset({"inactive", "disabled", "protected", "locked", "isManager"})


def search_fields(directory: Directory) -> dict[str, ViewGetter]:
    """SEARCH_FIELDS with the manager fields bound to `directory`."""

    def manager(key: str) -> ViewGetter:
        def get(view: IdentityView) -> Any:
            boss = directory.manager_of(view.record)
            return None if boss is None else getattr(boss, key)

        return get

    return {**SEARCH_FIELDS, "manager.id": manager("id"), "manager.name": manager("name")}
