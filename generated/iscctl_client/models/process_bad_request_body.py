from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_message_dto import ErrorMessageDto


T = TypeVar("T", bound="ProcessBadRequestBody")


@_attrs_define
class ProcessBadRequestBody:
    """The body of a 400 from process: ErrorResponseDto's fields for an
    invalid body, or ErrorFieldResponse's `error` for a missing or invalid
    experimental header. Every field of both is optional, so one object
    describes either (and the generated reply type names each model once).

        Attributes:
            detail_code (str | Unset): Fine-grained error code. Example: 400.1 Bad Request Content.
            tracking_id (str | Unset): Identifies this error in SailPoint's logs. Example: e7eab60924f64aa284175b9fa3309599.
            messages (list[ErrorMessageDto] | Unset): Generic reasons for the error.
            causes (list[ErrorMessageDto] | Unset): More detailed reasons.
            error (str | Unset):  Example: JWT validation failed.
    """

    detail_code: str | Unset = UNSET
    tracking_id: str | Unset = UNSET
    messages: list[ErrorMessageDto] | Unset = UNSET
    causes: list[ErrorMessageDto] | Unset = UNSET
    error: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail_code = self.detail_code

        tracking_id = self.tracking_id

        messages: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.messages, Unset):
            messages = []
            for messages_item_data in self.messages:
                messages_item = messages_item_data.to_dict()
                messages.append(messages_item)

        causes: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.causes, Unset):
            causes = []
            for causes_item_data in self.causes:
                causes_item = causes_item_data.to_dict()
                causes.append(causes_item)

        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if detail_code is not UNSET:
            field_dict["detailCode"] = detail_code
        if tracking_id is not UNSET:
            field_dict["trackingId"] = tracking_id
        if messages is not UNSET:
            field_dict["messages"] = messages
        if causes is not UNSET:
            field_dict["causes"] = causes
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_message_dto import ErrorMessageDto  # noqa: PLC0415

        d = dict(src_dict)
        detail_code = d.pop("detailCode", UNSET)

        tracking_id = d.pop("trackingId", UNSET)

        _messages = d.pop("messages", UNSET)
        messages: list[ErrorMessageDto] | Unset = UNSET
        if _messages is not UNSET:
            messages = []
            for messages_item_data in _messages:
                messages_item = ErrorMessageDto.from_dict(messages_item_data)

                messages.append(messages_item)

        _causes = d.pop("causes", UNSET)
        causes: list[ErrorMessageDto] | Unset = UNSET
        if _causes is not UNSET:
            causes = []
            for causes_item_data in _causes:
                causes_item = ErrorMessageDto.from_dict(causes_item_data)

                causes.append(causes_item)

        error = d.pop("error", UNSET)

        process_bad_request_body = cls(
            detail_code=detail_code,
            tracking_id=tracking_id,
            messages=messages,
            causes=causes,
            error=error,
        )

        process_bad_request_body.additional_properties = d
        return process_bad_request_body

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
