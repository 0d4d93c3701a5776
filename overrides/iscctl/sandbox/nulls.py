"""Explicit `null` where the spec does not allow it: named, field by field.

The generated pydantic models type every optional field as `X | None`, so
they take an explicit `null` for fields that `openapi/isc.yaml` does not
declare nullable (`self`, `object`, `version`, `priority`,
`identityAttributeConfig`, ...). ISC is not known to tolerate those nulls,
so the sandbox refuses them with a 400 that names each one. The walk follows
the models (field names, aliases, nested models, lists of models); which
fields may be null is the table below, which a test keeps equal to the spec.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Final

from pydantic import BaseModel

JsonPath = tuple[int | str, ...]

# (schema name, property) pairs the spec declares nullable, for every schema
# an import item reaches.
NULLABLE: Final = frozenset(
    {
        ("IdentityProfile", "name"),
        ("IdentityProfile", "description"),
        ("IdentityProfile", "owner"),
        ("IdentityProfile", "identityExceptionReportReference"),
    }
)
# Not nullable in the spec, yet tolerated: an object built for import that has never
# been exported has no id to put in `self.id` (the team's own tooling sends null
# there). Whether ISC accepts it is not known; the spec's owner decides.
TOLERATED: Final = frozenset({("SelfImportExportDto", "id")})
# Beta declares a transform's `attributes` nullable as well (contract sheet, section 10).
NULLABLE_IN_BETA: Final = frozenset({("TransformDefinition", "attributes")})


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation holds (`X | None`, `list[X]`, ...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    origin = typing.get_origin(annotation)
    if origin is not None or isinstance(annotation, types.UnionType):
        for argument in typing.get_args(annotation):
            found += _models_in(argument)
    return found


def null_fields(
    value: Any, model: type[BaseModel], beta: bool = False, path: JsonPath = ()
) -> list[JsonPath]:
    """Paths in `value` (JSON read as `model`) holding a null the spec does not allow."""
    if isinstance(value, list):
        found: list[JsonPath] = []
        for index, item in enumerate(value):
            found += null_fields(item, model, beta, (*path, index))
        return found
    if not isinstance(value, dict):
        return []
    allowed = NULLABLE | TOLERATED | (NULLABLE_IN_BETA if beta else frozenset())
    found = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key not in value:
            continue
        item = value[key]
        if item is None:
            if (model.__name__, key) not in allowed:
                found.append((*path, key))
            continue
        for inner in _models_in(info.annotation):
            found += null_fields(item, inner, beta, (*path, key))
    return found
