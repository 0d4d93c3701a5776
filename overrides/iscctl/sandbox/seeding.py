"""The identity profiles a named sandbox tenant starts with.

They are the profiles of `examples/identity-profiles-export.json` (same names,
priorities, sources, owners and attribute mappings), pointing at this tenant's
own source and owner ids, so an export of the `dev` tenant and that file
describe the same configuration and can be moved to `prod` the same way.
A test keeps the two in step.
"""

from __future__ import annotations

import copy
from typing import Any, Final

from iscctl.sandbox.catalog import Catalog


def _account(source: str, attribute: str) -> dict[str, Any]:
    return {
        "type": "accountAttribute",
        "attributes": {"sourceName": source, "attributeName": attribute},
    }


def _lower(source: str, attribute: str) -> dict[str, Any]:
    return {"type": "lower", "attributes": {"input": _account(source, attribute)}}


_EMPLOYEE_MAPPINGS: Final[list[dict[str, Any]]] = [
    {
        "identityAttributeName": "uid",
        "transformDefinition": _account("HR Workday", "employeeId"),
    },
    {
        "identityAttributeName": "email",
        "transformDefinition": {
            "type": "firstValid",
            "attributes": {
                "values": [
                    _account("Active Directory", "mail"),
                    {
                        "type": "concat",
                        "attributes": {
                            "values": [
                                _lower("HR Workday", "firstName"),
                                ".",
                                _lower("HR Workday", "lastName"),
                                "@acme.example",
                            ]
                        },
                    },
                ],
                "ignoreErrors": True,
            },
        },
    },
    {
        "identityAttributeName": "department",
        "transformDefinition": {
            "type": "lookup",
            "attributes": {
                "input": _account("HR Workday", "costCenter"),
                "table": {
                    "0100": "Finance",
                    "0200": "Engineering",
                    "0300": "Sales",
                    "default": "Unassigned",
                },
            },
        },
    },
    {
        "identityAttributeName": "fte",
        "transformDefinition": {
            "type": "static",
            "attributes": {
                "value": "1.0",
                "weight": 0.75,
                "employeeNumberOffset": 90071992547409930,
            },
        },
    },
]

_CONTRACTOR_MAPPINGS: Final[list[dict[str, Any]]] = [
    {
        "identityAttributeName": "uid",
        "transformDefinition": _account("Contractors CSV", "contractorId"),
    },
    {
        "identityAttributeName": "endDate",
        "transformDefinition": {
            "type": "dateFormat",
            "attributes": {
                "inputFormat": "MM/dd/yyyy",
                "outputFormat": "ISO8601",
                "input": _account("Contractors CSV", "contractEnd"),
            },
        },
    },
]


def _reference(kind: str, catalog: Catalog, name: str) -> dict[str, Any]:
    if kind == "SOURCE":
        found = catalog.resolve_source(None, name)
    else:
        found = catalog.resolve_identity(None, name)
    assert found is not None, f"the catalog has no {kind} named {name!r}"
    return {"type": kind, "id": found.id, "name": found.name}


def seeded_profiles(catalog: Catalog) -> list[dict[str, Any]]:
    """The IdentityProfile JSON of each seeded profile, ids from `catalog`."""
    employees = {
        "id": catalog.derived_id("identity-profile", "Employees"),  # as in seeded_profile_ids
        "name": "Employees",
        "created": "2025-03-01T10:00:00.000Z",
        "modified": "2026-01-12T16:45:12.345Z",
        "description": "Everyone with a worker record in Workday",
        "owner": _reference("IDENTITY", catalog, "Jane Admin"),
        "priority": 10,
        "authoritativeSource": _reference("SOURCE", catalog, "HR Workday"),
        "identityRefreshRequired": False,
        "identityAttributeConfig": {
            "enabled": True,
            "attributeTransforms": copy.deepcopy(_EMPLOYEE_MAPPINGS),
        },
        "identityExceptionReportReference": None,
        "hasTimeBasedAttr": False,
    }
    contractors = {
        "id": catalog.derived_id("identity-profile", "Contractors"),
        "name": "Contractors",
        "created": "2025-04-11T09:12:00.000Z",
        "modified": "2025-11-30T07:00:00.000Z",
        "description": "External workers from the contractors feed",
        "owner": None,
        "priority": 20,
        "authoritativeSource": _reference("SOURCE", catalog, "Contractors CSV"),
        "identityRefreshRequired": False,
        "identityAttributeConfig": {
            "enabled": True,
            "attributeTransforms": copy.deepcopy(_CONTRACTOR_MAPPINGS),
        },
        "hasTimeBasedAttr": True,
    }
    return [employees, contractors]
