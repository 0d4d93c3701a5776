from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.transform_attributes_type_0 import TransformAttributesType0


T = TypeVar("T", bound="Transform")


@_attrs_define
class Transform:
    """A transform; `attributes` depends on `type` and is passed through untouched.

    Attributes:
        id (str | Unset):  Example: 2cd78adghjkja34jh2b1hkjhasuecd.
        name (str | Unset):  Example: Timestamp To Date.
        type_ (None | str | Unset): One of 35 transform types (accountAttribute, reference, ...); open. Example:
            dateFormat.
        internal (bool | None | Unset):  Default: False.
        attributes (None | TransformAttributesType0 | Unset):
    """

    id: str | Unset = UNSET
    name: str | Unset = UNSET
    type_: None | str | Unset = UNSET
    internal: bool | None | Unset = False
    attributes: None | TransformAttributesType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.transform_attributes_type_0 import TransformAttributesType0  # noqa: PLC0415

        id = self.id

        name = self.name

        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        else:
            type_ = self.type_

        internal: bool | None | Unset
        if isinstance(self.internal, Unset):
            internal = UNSET
        else:
            internal = self.internal

        attributes: dict[str, Any] | None | Unset
        if isinstance(self.attributes, Unset):
            attributes = UNSET
        elif isinstance(self.attributes, TransformAttributesType0):
            attributes = self.attributes.to_dict()
        else:
            attributes = self.attributes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if type_ is not UNSET:
            field_dict["type"] = type_
        if internal is not UNSET:
            field_dict["internal"] = internal
        if attributes is not UNSET:
            field_dict["attributes"] = attributes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.transform_attributes_type_0 import TransformAttributesType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id", UNSET)

        name = d.pop("name", UNSET)

        def _parse_type_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        def _parse_internal(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        internal = _parse_internal(d.pop("internal", UNSET))

        def _parse_attributes(data: object) -> None | TransformAttributesType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attributes_type_0 = TransformAttributesType0.from_dict(data)

                return attributes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TransformAttributesType0 | Unset, data)

        attributes = _parse_attributes(d.pop("attributes", UNSET))

        transform = cls(
            id=id,
            name=name,
            type_=type_,
            internal=internal,
            attributes=attributes,
        )

        transform.additional_properties = d
        return transform

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
