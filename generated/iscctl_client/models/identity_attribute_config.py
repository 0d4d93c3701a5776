from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.identity_attribute_transform import IdentityAttributeTransform


T = TypeVar("T", bound="IdentityAttributeConfig")


@_attrs_define
class IdentityAttributeConfig:
    """
    Attributes:
        enabled (bool | Unset):  Default: False.
        attribute_transforms (list[IdentityAttributeTransform] | Unset):
    """

    enabled: bool | Unset = False
    attribute_transforms: list[IdentityAttributeTransform] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        attribute_transforms: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.attribute_transforms, Unset):
            attribute_transforms = []
            for attribute_transforms_item_data in self.attribute_transforms:
                attribute_transforms_item = attribute_transforms_item_data.to_dict()
                attribute_transforms.append(attribute_transforms_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if attribute_transforms is not UNSET:
            field_dict["attributeTransforms"] = attribute_transforms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.identity_attribute_transform import IdentityAttributeTransform  # noqa: PLC0415

        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        _attribute_transforms = d.pop("attributeTransforms", UNSET)
        attribute_transforms: list[IdentityAttributeTransform] | Unset = UNSET
        if _attribute_transforms is not UNSET:
            attribute_transforms = []
            for attribute_transforms_item_data in _attribute_transforms:
                attribute_transforms_item = IdentityAttributeTransform.from_dict(
                    attribute_transforms_item_data
                )

                attribute_transforms.append(attribute_transforms_item)

        identity_attribute_config = cls(
            enabled=enabled,
            attribute_transforms=attribute_transforms,
        )

        identity_attribute_config.additional_properties = d
        return identity_attribute_config

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
