from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="IdentityLifecycleState")


@_attrs_define
class IdentityLifecycleState:
    """
    Attributes:
        state_name (str | Unset):
        manually_updated (bool | Unset):
    """

    state_name: str | Unset = UNSET
    manually_updated: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        state_name = self.state_name

        manually_updated = self.manually_updated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if state_name is not UNSET:
            field_dict["stateName"] = state_name
        if manually_updated is not UNSET:
            field_dict["manuallyUpdated"] = manually_updated

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        state_name = d.pop("stateName", UNSET)

        manually_updated = d.pop("manuallyUpdated", UNSET)

        identity_lifecycle_state = cls(
            state_name=state_name,
            manually_updated=manually_updated,
        )

        identity_lifecycle_state.additional_properties = d
        return identity_lifecycle_state

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
