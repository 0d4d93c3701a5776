from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.identity_profile import IdentityProfile
    from ..models.self_import_export_dto import SelfImportExportDto


T = TypeVar("T", bound="IdentityProfileExportedObject")


@_attrs_define
class IdentityProfileExportedObject:
    """One identity profile as SP-Config exports it.

    Attributes:
        version (int | Unset): Version of the exported object. Example: 1.
        self_ (SelfImportExportDto | Unset): What the exported object is.
        object_ (IdentityProfile | Unset):
    """

    version: int | Unset = UNSET
    self_: SelfImportExportDto | Unset = UNSET
    object_: IdentityProfile | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        self_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.self_, Unset):
            self_ = self.self_.to_dict()

        object_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.object_, Unset):
            object_ = self.object_.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if version is not UNSET:
            field_dict["version"] = version
        if self_ is not UNSET:
            field_dict["self"] = self_
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.identity_profile import IdentityProfile  # noqa: PLC0415
        from ..models.self_import_export_dto import SelfImportExportDto  # noqa: PLC0415

        d = dict(src_dict)
        version = d.pop("version", UNSET)

        _self_ = d.pop("self", UNSET)
        self_: SelfImportExportDto | Unset
        if isinstance(_self_, Unset):
            self_ = UNSET
        else:
            self_ = SelfImportExportDto.from_dict(_self_)

        _object_ = d.pop("object", UNSET)
        object_: IdentityProfile | Unset
        if isinstance(_object_, Unset):
            object_ = UNSET
        else:
            object_ = IdentityProfile.from_dict(_object_)

        identity_profile_exported_object = cls(
            version=version,
            self_=self_,
            object_=object_,
        )

        identity_profile_exported_object.additional_properties = d
        return identity_profile_exported_object

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
