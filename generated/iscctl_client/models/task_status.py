from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.completion_status import CompletionStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_status_attributes_type_0 import TaskStatusAttributesType0
    from ..models.task_status_messages_type_0_item import TaskStatusMessagesType0Item


T = TypeVar("T", bound="TaskStatus")


@_attrs_define
class TaskStatus:
    """A task's status. SailPoint declares nearly every field required and
    several nullable; all are optional here.

        Attributes:
            id (str | Unset):
            type_ (None | str | Unset): QUARTZ, QPOC or QUEUED_TASK; any string is accepted.
            unique_name (None | str | Unset):
            description (None | str | Unset):
            parent_name (None | str | Unset):
            launcher (None | str | Unset):
            created (datetime.datetime | None | Unset):
            modified (datetime.datetime | None | Unset):
            launched (datetime.datetime | None | Unset):
            completed (datetime.datetime | None | Unset):
            completion_status (CompletionStatus | None | str | Unset): Null while the task runs; new values may appear.
            progress (None | str | Unset):
            percent_complete (int | None | Unset):
            messages (list[TaskStatusMessagesType0Item] | None | Unset):
            attributes (None | TaskStatusAttributesType0 | Unset):
    """

    id: str | Unset = UNSET
    type_: None | str | Unset = UNSET
    unique_name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    parent_name: None | str | Unset = UNSET
    launcher: None | str | Unset = UNSET
    created: datetime.datetime | None | Unset = UNSET
    modified: datetime.datetime | None | Unset = UNSET
    launched: datetime.datetime | None | Unset = UNSET
    completed: datetime.datetime | None | Unset = UNSET
    completion_status: CompletionStatus | None | str | Unset = UNSET
    progress: None | str | Unset = UNSET
    percent_complete: int | None | Unset = UNSET
    messages: list[TaskStatusMessagesType0Item] | None | Unset = UNSET
    attributes: None | TaskStatusAttributesType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.task_status_attributes_type_0 import TaskStatusAttributesType0  # noqa: PLC0415

        id = self.id

        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        else:
            type_ = self.type_

        unique_name: None | str | Unset
        if isinstance(self.unique_name, Unset):
            unique_name = UNSET
        else:
            unique_name = self.unique_name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        parent_name: None | str | Unset
        if isinstance(self.parent_name, Unset):
            parent_name = UNSET
        else:
            parent_name = self.parent_name

        launcher: None | str | Unset
        if isinstance(self.launcher, Unset):
            launcher = UNSET
        else:
            launcher = self.launcher

        created: None | str | Unset
        if isinstance(self.created, Unset):
            created = UNSET
        elif isinstance(self.created, datetime.datetime):
            created = self.created.isoformat()
        else:
            created = self.created

        modified: None | str | Unset
        if isinstance(self.modified, Unset):
            modified = UNSET
        elif isinstance(self.modified, datetime.datetime):
            modified = self.modified.isoformat()
        else:
            modified = self.modified

        launched: None | str | Unset
        if isinstance(self.launched, Unset):
            launched = UNSET
        elif isinstance(self.launched, datetime.datetime):
            launched = self.launched.isoformat()
        else:
            launched = self.launched

        completed: None | str | Unset
        if isinstance(self.completed, Unset):
            completed = UNSET
        elif isinstance(self.completed, datetime.datetime):
            completed = self.completed.isoformat()
        else:
            completed = self.completed

        completion_status: None | str | Unset
        if isinstance(self.completion_status, Unset):
            completion_status = UNSET
        elif isinstance(self.completion_status, CompletionStatus):
            completion_status = self.completion_status.value
        else:
            completion_status = self.completion_status

        progress: None | str | Unset
        if isinstance(self.progress, Unset):
            progress = UNSET
        else:
            progress = self.progress

        percent_complete: int | None | Unset
        if isinstance(self.percent_complete, Unset):
            percent_complete = UNSET
        else:
            percent_complete = self.percent_complete

        messages: list[dict[str, Any]] | None | Unset
        if isinstance(self.messages, Unset):
            messages = UNSET
        elif isinstance(self.messages, list):
            messages = []
            for messages_type_0_item_data in self.messages:
                messages_type_0_item = messages_type_0_item_data.to_dict()
                messages.append(messages_type_0_item)

        else:
            messages = self.messages

        attributes: dict[str, Any] | None | Unset
        if isinstance(self.attributes, Unset):
            attributes = UNSET
        elif isinstance(self.attributes, TaskStatusAttributesType0):
            attributes = self.attributes.to_dict()
        else:
            attributes = self.attributes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if type_ is not UNSET:
            field_dict["type"] = type_
        if unique_name is not UNSET:
            field_dict["uniqueName"] = unique_name
        if description is not UNSET:
            field_dict["description"] = description
        if parent_name is not UNSET:
            field_dict["parentName"] = parent_name
        if launcher is not UNSET:
            field_dict["launcher"] = launcher
        if created is not UNSET:
            field_dict["created"] = created
        if modified is not UNSET:
            field_dict["modified"] = modified
        if launched is not UNSET:
            field_dict["launched"] = launched
        if completed is not UNSET:
            field_dict["completed"] = completed
        if completion_status is not UNSET:
            field_dict["completionStatus"] = completion_status
        if progress is not UNSET:
            field_dict["progress"] = progress
        if percent_complete is not UNSET:
            field_dict["percentComplete"] = percent_complete
        if messages is not UNSET:
            field_dict["messages"] = messages
        if attributes is not UNSET:
            field_dict["attributes"] = attributes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_status_attributes_type_0 import TaskStatusAttributesType0  # noqa: PLC0415
        from ..models.task_status_messages_type_0_item import (
            TaskStatusMessagesType0Item,  # noqa: PLC0415
        )

        d = dict(src_dict)
        id = d.pop("id", UNSET)

        def _parse_type_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        def _parse_unique_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        unique_name = _parse_unique_name(d.pop("uniqueName", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_parent_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        parent_name = _parse_parent_name(d.pop("parentName", UNSET))

        def _parse_launcher(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        launcher = _parse_launcher(d.pop("launcher", UNSET))

        def _parse_created(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_type_0 = datetime.datetime.fromisoformat(data)

                return created_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        created = _parse_created(d.pop("created", UNSET))

        def _parse_modified(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                modified_type_0 = datetime.datetime.fromisoformat(data)

                return modified_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        modified = _parse_modified(d.pop("modified", UNSET))

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

        def _parse_completion_status(
            data: object,
        ) -> CompletionStatus | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completion_status_type_0 = CompletionStatus(data)

                return completion_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CompletionStatus | None | str | Unset, data)

        completion_status = _parse_completion_status(d.pop("completionStatus", UNSET))

        def _parse_progress(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        progress = _parse_progress(d.pop("progress", UNSET))

        def _parse_percent_complete(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        percent_complete = _parse_percent_complete(d.pop("percentComplete", UNSET))

        def _parse_messages(
            data: object,
        ) -> list[TaskStatusMessagesType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                messages_type_0 = []
                _messages_type_0 = data
                for messages_type_0_item_data in _messages_type_0:
                    messages_type_0_item = TaskStatusMessagesType0Item.from_dict(
                        messages_type_0_item_data
                    )

                    messages_type_0.append(messages_type_0_item)

                return messages_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[TaskStatusMessagesType0Item] | None | Unset, data)

        messages = _parse_messages(d.pop("messages", UNSET))

        def _parse_attributes(data: object) -> None | TaskStatusAttributesType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attributes_type_0 = TaskStatusAttributesType0.from_dict(data)

                return attributes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskStatusAttributesType0 | Unset, data)

        attributes = _parse_attributes(d.pop("attributes", UNSET))

        task_status = cls(
            id=id,
            type_=type_,
            unique_name=unique_name,
            description=description,
            parent_name=parent_name,
            launcher=launcher,
            created=created,
            modified=modified,
            launched=launched,
            completed=completed,
            completion_status=completion_status,
            progress=progress,
            percent_complete=percent_complete,
            messages=messages,
            attributes=attributes,
        )

        task_status.additional_properties = d
        return task_status

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
