from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.import_object import ImportObject
    from ..models.sp_config_message import SpConfigMessage


T = TypeVar("T", bound="ObjectImportResult")


@_attrs_define
class ObjectImportResult:
    """The verdict of an import.

    Attributes:
        infos (list[SpConfigMessage]):
        warnings (list[SpConfigMessage]):
        errors (list[SpConfigMessage]):
        imported_objects (list[ImportObject]):
    """

    infos: list[SpConfigMessage]
    warnings: list[SpConfigMessage]
    errors: list[SpConfigMessage]
    imported_objects: list[ImportObject]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        infos = []
        for infos_item_data in self.infos:
            infos_item = infos_item_data.to_dict()
            infos.append(infos_item)

        warnings = []
        for warnings_item_data in self.warnings:
            warnings_item = warnings_item_data.to_dict()
            warnings.append(warnings_item)

        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)

        imported_objects = []
        for imported_objects_item_data in self.imported_objects:
            imported_objects_item = imported_objects_item_data.to_dict()
            imported_objects.append(imported_objects_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "infos": infos,
                "warnings": warnings,
                "errors": errors,
                "importedObjects": imported_objects,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.import_object import ImportObject  # noqa: PLC0415
        from ..models.sp_config_message import SpConfigMessage  # noqa: PLC0415

        d = dict(src_dict)
        infos = []
        _infos = d.pop("infos")
        for infos_item_data in _infos:
            infos_item = SpConfigMessage.from_dict(infos_item_data)

            infos.append(infos_item)

        warnings = []
        _warnings = d.pop("warnings")
        for warnings_item_data in _warnings:
            warnings_item = SpConfigMessage.from_dict(warnings_item_data)

            warnings.append(warnings_item)

        errors = []
        _errors = d.pop("errors")
        for errors_item_data in _errors:
            errors_item = SpConfigMessage.from_dict(errors_item_data)

            errors.append(errors_item)

        imported_objects = []
        _imported_objects = d.pop("importedObjects")
        for imported_objects_item_data in _imported_objects:
            imported_objects_item = ImportObject.from_dict(imported_objects_item_data)

            imported_objects.append(imported_objects_item)

        object_import_result = cls(
            infos=infos,
            warnings=warnings,
            errors=errors,
            imported_objects=imported_objects,
        )

        object_import_result.additional_properties = d
        return object_import_result

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
