from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.locale_origin import LocaleOrigin
from ..types import UNSET, Unset

T = TypeVar("T", bound="ErrorMessageDto")


@_attrs_define
class ErrorMessageDto:
    """
    Attributes:
        locale (None | str | Unset): A BCP 47 language tag. Example: en-US.
        locale_origin (LocaleOrigin | None | str | Unset): How the locale was chosen; new values may appear.
        text (str | Unset): The message in that locale.
    """

    locale: None | str | Unset = UNSET
    locale_origin: LocaleOrigin | None | str | Unset = UNSET
    text: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        locale: None | str | Unset
        if isinstance(self.locale, Unset):
            locale = UNSET
        else:
            locale = self.locale

        locale_origin: None | str | Unset
        if isinstance(self.locale_origin, Unset):
            locale_origin = UNSET
        elif isinstance(self.locale_origin, LocaleOrigin):
            locale_origin = self.locale_origin.value
        else:
            locale_origin = self.locale_origin

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if locale is not UNSET:
            field_dict["locale"] = locale
        if locale_origin is not UNSET:
            field_dict["localeOrigin"] = locale_origin
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_locale(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        locale = _parse_locale(d.pop("locale", UNSET))

        def _parse_locale_origin(data: object) -> LocaleOrigin | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                locale_origin_type_0 = LocaleOrigin(data)

                return locale_origin_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LocaleOrigin | None | str | Unset, data)

        locale_origin = _parse_locale_origin(d.pop("localeOrigin", UNSET))

        text = d.pop("text", UNSET)

        error_message_dto = cls(
            locale=locale,
            locale_origin=locale_origin,
            text=text,
        )

        error_message_dto.additional_properties = d
        return error_message_dto

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
