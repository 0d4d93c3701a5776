"""What a sandbox tenant is configured with besides identities: sources, transforms,
identity attributes and the admin identities that own things.

Every tenant has the same names; the ids are derived from the tenant's name
(`SandboxSettings.tenant`), so `dev` and `prod` hold a "HR Workday" source
under different ids, the way two real tenants do, and a tenant started twice
under one name has the same ids both times. Without a tenant name the sources
keep the seed-derived ids the sandbox always had.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any, Final

from attrs import define, field

from iscctl.sandbox.population import SOURCE_NAMES, Source

# name -> (connector, type, description) of each seeded source.
SOURCE_DETAILS: Final[Mapping[str, tuple[str, str, str]]] = {
    "HR Workday": ("workday", "Workday", "Worker records from Workday"),
    "Active Directory": ("active-directory", "Active Directory - Direct", "Corporate directory"),
    "Contractors CSV": ("delimited-file", "DelimitedFile", "Daily contractors feed"),
    "ServiceNow": ("servicenow", "ServiceNow", "IT service management"),
    "Azure AD": ("azure-active-directory", "Azure Active Directory", "Cloud directory"),
}
IDN_SOURCE_NAME: Final = "IdentityNow"
"""The built-in source ISC leaves out of `GET /sources` unless `includeIDNSource=true`."""

# (name, type, internal, attributes) of each seeded transform. The customer-made
# ones are the kind users move between tenants; the internal ones ship with ISC.
TRANSFORMS: Final[tuple[tuple[str, str, bool, dict[str, Any] | None], ...]] = (
    (
        "Workday Employee Id",
        "accountAttribute",
        False,
        {"sourceName": "HR Workday", "attributeName": "employeeId"},
    ),
    (
        "Lowercase Email",
        "lower",
        False,
        {
            "input": {
                "type": "accountAttribute",
                "attributes": {"sourceName": "Active Directory", "attributeName": "mail"},
            }
        },
    ),
    (
        "Contract End Date",
        "dateFormat",
        False,
        {
            "inputFormat": "MM/dd/yyyy",
            "outputFormat": "ISO8601",
            "input": {
                "type": "accountAttribute",
                "attributes": {"sourceName": "Contractors CSV", "attributeName": "contractEnd"},
            },
        },
    ),
    (
        "Department From Cost Center",
        "lookup",
        False,
        {"table": {"0100": "Finance", "0200": "Engineering", "default": "Unassigned"}},
    ),
    ("ToLower", "lower", True, None),
    ("ToUpper", "upper", True, None),
    ("Trim", "trim", True, None),
    ("Remove Diacritical Marks", "decomposeDiacriticalMarks", True, None),
)

IDENTITY_ATTRIBUTES: Final = (
    "uid",
    "email",
    "firstname",
    "lastname",
    "displayName",
    "department",
    "manager",
    "fte",
    "endDate",
    "employeeNumber",
    "cloudLifecycleState",
)
"""The identity attributes every tenant defines (a profile maps them)."""

ADMIN_IDENTITIES: Final = ("Jane Admin", "Sam Operator", "Priya Security")
"""Named identities that own sources and profiles (an owner reference resolves to them)."""

SEEDED_PROFILE_NAMES: Final = ("Employees", "Contractors")
"""The profiles a named tenant starts with (seeding.py); the seeded identities belong to them."""

CREATED: Final = "2025-01-15T09:00:00.000Z"
MODIFIED: Final = "2025-06-02T14:30:00.000Z"


def derived_id(namespace: str, kind: str, name: str) -> str:
    """32 hex characters, like ISC's ids, fixed for one (namespace, kind, name)."""
    return hashlib.sha256(f"{namespace}\x00{kind}\x00{name}".encode()).hexdigest()[:32]


@define(frozen=True)
class Named:
    """Something a reference can point at: an id and a name."""

    id: str
    name: str


@define(frozen=True)
class CatalogTransform:
    id: str
    name: str
    type: str
    internal: bool
    attributes: dict[str, Any] | None = field(eq=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "attributes": self.attributes,
            "internal": self.internal,
        }


class _Index:
    """Look-ups by id and by name (names case-insensitively, as ISC compares them)."""

    def __init__(self, items: Iterable[Named | CatalogTransform]) -> None:
        self.by_id = {item.id: item for item in items}
        self.by_name = {item.name.casefold(): item for item in self.by_id.values()}

    def resolve(self, id_: object, name: object) -> Any:
        """The item an (id, name) reference points at: by id first, then by name."""
        if isinstance(id_, str) and id_ in self.by_id:
            return self.by_id[id_]
        if isinstance(name, str):
            return self.by_name.get(name.casefold())
        return None


@define(frozen=True)
class Catalog:
    """The tenant's sources, transforms, identity attributes and admin identities."""

    tenant: str | None
    namespace: str
    sources: tuple[Source, ...]
    idn_source: Source
    transforms: tuple[CatalogTransform, ...]
    identity_attributes: tuple[Named, ...]
    identities: tuple[Named, ...]
    _source_index: _Index = field(init=False, eq=False, repr=False)
    _transform_index: _Index = field(init=False, eq=False, repr=False)
    _identity_index: _Index = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        sources = [Named(s.id, s.name) for s in (*self.sources, self.idn_source)]
        object.__setattr__(self, "_source_index", _Index(sources))
        object.__setattr__(self, "_transform_index", _Index(self.transforms))
        object.__setattr__(self, "_identity_index", _Index(self.identities))

    @classmethod
    def build(cls, tenant: str | None, seed: int, seeded_sources: Iterable[Source]) -> Catalog:
        """The catalog of tenant `tenant`; without a name, `seeded_sources` keep their ids."""
        namespace = f"tenant:{tenant}" if tenant is not None else f"seed:{seed}"

        def make(kind: str, name: str) -> Named:
            return Named(derived_id(namespace, kind, name), name)

        if tenant is None:
            sources = tuple(seeded_sources)
        else:
            sources = tuple(Source(make("source", n).id, n) for n in SOURCE_NAMES)
        idn = make("source", IDN_SOURCE_NAME)
        transforms = tuple(
            CatalogTransform(make("transform", name).id, name, type_, internal, attributes)
            for name, type_, internal, attributes in TRANSFORMS
        )
        return cls(
            tenant=tenant,
            namespace=namespace,
            sources=sources,
            idn_source=Source(idn.id, idn.name),
            transforms=transforms,
            identity_attributes=tuple(make("identity-attribute", n) for n in IDENTITY_ATTRIBUTES),
            identities=tuple(make("identity", n) for n in ADMIN_IDENTITIES),
        )

    # -- resolving references (import) ----------------------------------------------
    def resolve_source(self, id_: object, name: object) -> Named | None:
        found: Named | None = self._source_index.resolve(id_, name)
        return found

    def resolve_transform(self, id_or_name: object) -> CatalogTransform | None:
        """A `reference` transform names another transform in `attributes.id`: its name,
        though an id is accepted too."""
        found: CatalogTransform | None = self._transform_index.resolve(id_or_name, id_or_name)
        return found

    def resolve_identity(self, id_: object, name: object) -> Named | None:
        found: Named | None = self._identity_index.resolve(id_, name)
        return found

    def derived_id(self, kind: str, name: str) -> str:
        return derived_id(self.namespace, kind, name)

    def seeded_profile_ids(self) -> dict[str, str] | None:
        """Profile name -> id of the seeded profiles of a named tenant; None without a name."""
        if self.tenant is None:
            return None
        return {name: self.derived_id("identity-profile", name) for name in SEEDED_PROFILE_NAMES}

    # -- what the list endpoints return -------------------------------------------
    def owner(self) -> dict[str, Any]:
        admin = self.identities[0]
        return {"type": "IDENTITY", "id": admin.id, "name": admin.name}

    def source_json(self, source: Source, authoritative: bool) -> dict[str, Any]:
        idn = source.id == self.idn_source.id
        connector, type_, description = SOURCE_DETAILS.get(
            source.name, ("identitynow", "IdentityNowConnector", "The tenant's own identities")
        )
        return {
            "id": source.id,
            "name": source.name,
            "description": description,
            "type": type_,
            "connector": connector,
            "connectorId": connector,
            "connectorName": type_,
            "connectionType": "direct",
            "authoritative": authoritative,
            "owner": self.owner(),
            "managementWorkgroup": None,
            "features": [] if idn else ["PROVISIONING", "SEARCH"],
            "healthy": True,
            "status": "SOURCE_STATE_HEALTHY",
            "category": None,
            "created": CREATED,
            "modified": MODIFIED,
        }

    def to_json(self) -> dict[str, Any]:
        """Everything in the catalog, for `/__sandbox__/catalog`."""
        return {
            "tenant": self.tenant,
            "sources": [{"id": s.id, "name": s.name} for s in self.sources],
            "idnSource": {"id": self.idn_source.id, "name": self.idn_source.name},
            "transforms": [t.to_json() for t in self.transforms],
            "identityAttributes": [{"id": a.id, "name": a.name} for a in self.identity_attributes],
            "identities": [{"id": i.id, "name": i.name} for i in self.identities],
        }
