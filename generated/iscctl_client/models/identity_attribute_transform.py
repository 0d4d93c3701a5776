from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.transform_definition import TransformDefinition


T = TypeVar("T", bound="IdentityAttributeTransform")


@_attrs_define
class IdentityAttributeTransform:
    """How one identity attribute is computed.

    Attributes:
        identity_attribute_name (str | Unset):  Example: email.
        transform_definition (TransformDefinition | Unset):
    """

    identity_attribute_name: str | Unset = UNSET
    transform_definition: TransformDefinition | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        identity_attribute_name = self.identity_attribute_name

        transform_definition: dict[str, Any] | Unset = UNSET
        if not isinstance(self.transform_definition, Unset):
            transform_definition = self.transform_definition.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if identity_attribute_name is not UNSET:
            field_dict["identityAttributeName"] = identity_attribute_name
        if transform_definition is not UNSET:
            field_dict["transformDefinition"] = transform_definition

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.transform_definition import TransformDefinition  # noqa: PLC0415

        d = dict(src_dict)
        identity_attribute_name = d.pop("identityAttributeName", UNSET)

        _transform_definition = d.pop("transformDefinition", UNSET)
        transform_definition: TransformDefinition | Unset
        if isinstance(_transform_definition, Unset):
            transform_definition = UNSET
        else:
            transform_definition = TransformDefinition.from_dict(_transform_definition)

        identity_attribute_transform = cls(
            identity_attribute_name=identity_attribute_name,
            transform_definition=transform_definition,
        )

        identity_attribute_transform.additional_properties = d
        return identity_attribute_transform

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
