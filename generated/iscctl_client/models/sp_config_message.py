from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.sp_config_message_details import SpConfigMessageDetails


T = TypeVar("T", bound="SpConfigMessage")


@_attrs_define
class SpConfigMessage:
    """One message of an import, about one object or the whole.

    Attributes:
        key (str):  Example: UNKNOWN_REFERENCE_RESOLVER.
        text (str):
        details (SpConfigMessageDetails):
    """

    key: str
    text: str
    details: SpConfigMessageDetails
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        text = self.text

        details = self.details.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "text": text,
                "details": details,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sp_config_message_details import SpConfigMessageDetails  # noqa: PLC0415

        d = dict(src_dict)
        key = d.pop("key")

        text = d.pop("text")

        details = SpConfigMessageDetails.from_dict(d.pop("details"))

        sp_config_message = cls(
            key=key,
            text=text,
            details=details,
        )

        sp_config_message.additional_properties = d
        return sp_config_message

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
