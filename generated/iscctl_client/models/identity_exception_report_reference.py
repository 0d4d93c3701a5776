from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="IdentityExceptionReportReference")


@_attrs_define
class IdentityExceptionReportReference:
    """
    Attributes:
        task_result_id (UUID | Unset):
        report_name (str | Unset):  Example: My annual report.
    """

    task_result_id: UUID | Unset = UNSET
    report_name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        task_result_id: str | Unset = UNSET
        if not isinstance(self.task_result_id, Unset):
            task_result_id = str(self.task_result_id)

        report_name = self.report_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if task_result_id is not UNSET:
            field_dict["taskResultId"] = task_result_id
        if report_name is not UNSET:
            field_dict["reportName"] = report_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _task_result_id = d.pop("taskResultId", UNSET)
        task_result_id: UUID | Unset
        if isinstance(_task_result_id, Unset):
            task_result_id = UNSET
        else:
            task_result_id = UUID(_task_result_id)

        report_name = d.pop("reportName", UNSET)

        identity_exception_report_reference = cls(
            task_result_id=task_result_id,
            report_name=report_name,
        )

        identity_exception_report_reference.additional_properties = d
        return identity_exception_report_reference

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
