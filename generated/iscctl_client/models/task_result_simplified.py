from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_result_completion_status import TaskResultCompletionStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskResultSimplified")


@_attrs_define
class TaskResultSimplified:
    """A reference to the task a delete started (SailPoint's TaskResultSimplified).
    Nothing is declared required; the task may still be running, so the
    completion fields are read as nullable.

        Attributes:
            id (str | Unset): The task's id. Example: ff8081814d977c21014da056804a0af3.
            name (None | str | Unset): The task's name.
            description (None | str | Unset): What the task does.
            launcher (None | str | Unset): The user or process that launched the task.
            completed (datetime.datetime | None | Unset): When the task completed.
            launched (datetime.datetime | None | Unset): When the task was launched.
            completion_status (None | str | TaskResultCompletionStatus | Unset): How the task ended (open enum; null while
                it runs).
    """

    id: str | Unset = UNSET
    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    launcher: None | str | Unset = UNSET
    completed: datetime.datetime | None | Unset = UNSET
    launched: datetime.datetime | None | Unset = UNSET
    completion_status: None | str | TaskResultCompletionStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        launcher: None | str | Unset
        if isinstance(self.launcher, Unset):
            launcher = UNSET
        else:
            launcher = self.launcher

        completed: None | str | Unset
        if isinstance(self.completed, Unset):
            completed = UNSET
        elif isinstance(self.completed, datetime.datetime):
            completed = self.completed.isoformat()
        else:
            completed = self.completed

        launched: None | str | Unset
        if isinstance(self.launched, Unset):
            launched = UNSET
        elif isinstance(self.launched, datetime.datetime):
            launched = self.launched.isoformat()
        else:
            launched = self.launched

        completion_status: None | str | Unset
        if isinstance(self.completion_status, Unset):
            completion_status = UNSET
        elif isinstance(self.completion_status, TaskResultCompletionStatus):
            completion_status = self.completion_status.value
        else:
            completion_status = self.completion_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if launcher is not UNSET:
            field_dict["launcher"] = launcher
        if completed is not UNSET:
            field_dict["completed"] = completed
        if launched is not UNSET:
            field_dict["launched"] = launched
        if completion_status is not UNSET:
            field_dict["completionStatus"] = completion_status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_launcher(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        launcher = _parse_launcher(d.pop("launcher", UNSET))

        def _parse_completed(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_type_0 = datetime.datetime.fromisoformat(data)

                return completed_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        completed = _parse_completed(d.pop("completed", UNSET))

        def _parse_launched(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                launched_type_0 = datetime.datetime.fromisoformat(data)

                return launched_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        launched = _parse_launched(d.pop("launched", UNSET))

        def _parse_completion_status(
            data: object,
        ) -> None | str | TaskResultCompletionStatus | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completion_status_type_0 = TaskResultCompletionStatus(data)

                return completion_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | str | TaskResultCompletionStatus | Unset, data)

        completion_status = _parse_completion_status(d.pop("completionStatus", UNSET))

        task_result_simplified = cls(
            id=id,
            name=name,
            description=description,
            launcher=launcher,
            completed=completed,
            launched=launched,
            completion_status=completion_status,
        )

        task_result_simplified.additional_properties = d
        return task_result_simplified

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
