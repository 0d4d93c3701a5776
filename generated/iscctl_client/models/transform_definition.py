from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.transform_definition_attributes import TransformDefinitionAttributes


T = TypeVar("T", bound="TransformDefinition")


@_attrs_define
class TransformDefinition:
    """
    Attributes:
        type_ (str | Unset): The transform type, e.g. accountAttribute. Example: accountAttribute.
        attributes (TransformDefinitionAttributes | Unset): Free-form and nested; passed through untouched.
    """

    type_: str | Unset = UNSET
    attributes: TransformDefinitionAttributes | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        attributes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.attributes, Unset):
            attributes = self.attributes.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if attributes is not UNSET:
            field_dict["attributes"] = attributes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.transform_definition_attributes import (
            TransformDefinitionAttributes,  # noqa: PLC0415
        )

        d = dict(src_dict)
        type_ = d.pop("type", UNSET)

        _attributes = d.pop("attributes", UNSET)
        attributes: TransformDefinitionAttributes | Unset
        if isinstance(_attributes, Unset):
            attributes = UNSET
        else:
            attributes = TransformDefinitionAttributes.from_dict(_attributes)

        transform_definition = cls(
            type_=type_,
            attributes=attributes,
        )

        transform_definition.additional_properties = d
        return transform_definition

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
