from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="QueryResultFilter")


@_attrs_define
class QueryResultFilter:
    """Field projection of the hits; keep `id` and `name`.

    Attributes:
        includes (list[str] | Unset):
        excludes (list[str] | Unset):
    """

    includes: list[str] | Unset = UNSET
    excludes: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        includes: list[str] | Unset = UNSET
        if not isinstance(self.includes, Unset):
            includes = self.includes

        excludes: list[str] | Unset = UNSET
        if not isinstance(self.excludes, Unset):
            excludes = self.excludes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if includes is not UNSET:
            field_dict["includes"] = includes
        if excludes is not UNSET:
            field_dict["excludes"] = excludes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        includes = cast(list[str], d.pop("includes", UNSET))

        excludes = cast(list[str], d.pop("excludes", UNSET))

        query_result_filter = cls(
            includes=includes,
            excludes=excludes,
        )

        query_result_filter.additional_properties = d
        return query_result_filter

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
