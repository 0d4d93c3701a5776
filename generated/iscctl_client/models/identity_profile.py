from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.identity_attribute_config import IdentityAttributeConfig
    from ..models.identity_exception_report_reference import (
        IdentityExceptionReportReference,
    )
    from ..models.identity_profile_authoritative_source import (
        IdentityProfileAuthoritativeSource,
    )
    from ..models.identity_profile_owner import IdentityProfileOwner


T = TypeVar("T", bound="IdentityProfile")


@_attrs_define
class IdentityProfile:
    """
    Attributes:
        name (None | str):  Example: HR Employees.
        authoritative_source (IdentityProfileAuthoritativeSource): The source whose accounts make the profile's
            identities.
        id (str | Unset):  Example: 2c9180835d191a86015d28455b4b232a.
        created (datetime.datetime | Unset):
        modified (datetime.datetime | Unset):
        description (None | str | Unset):
        owner (IdentityProfileOwner | None | Unset):
        priority (int | Unset):  Example: 10.
        identity_refresh_required (bool | Unset): Whether the profile's identities need a refresh. Default: False.
        identity_count (int | Unset): How many identities the profile has.
        identity_attribute_config (IdentityAttributeConfig | Unset):
        identity_exception_report_reference (IdentityExceptionReportReference | None | Unset):
        has_time_based_attr (bool | Unset): Mirrors requiresPeriodicRefresh of the attribute config. Default: False.
    """

    name: None | str
    authoritative_source: IdentityProfileAuthoritativeSource
    id: str | Unset = UNSET
    created: datetime.datetime | Unset = UNSET
    modified: datetime.datetime | Unset = UNSET
    description: None | str | Unset = UNSET
    owner: IdentityProfileOwner | None | Unset = UNSET
    priority: int | Unset = UNSET
    identity_refresh_required: bool | Unset = False
    identity_count: int | Unset = UNSET
    identity_attribute_config: IdentityAttributeConfig | Unset = UNSET
    identity_exception_report_reference: (
        IdentityExceptionReportReference | None | Unset
    ) = UNSET
    has_time_based_attr: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.identity_exception_report_reference import (
            IdentityExceptionReportReference,  # noqa: PLC0415
        )
        from ..models.identity_profile_owner import IdentityProfileOwner  # noqa: PLC0415

        name: None | str
        name = self.name

        authoritative_source = self.authoritative_source.to_dict()

        id = self.id

        created: str | Unset = UNSET
        if not isinstance(self.created, Unset):
            created = self.created.isoformat()

        modified: str | Unset = UNSET
        if not isinstance(self.modified, Unset):
            modified = self.modified.isoformat()

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        owner: dict[str, Any] | None | Unset
        if isinstance(self.owner, Unset):
            owner = UNSET
        elif isinstance(self.owner, IdentityProfileOwner):
            owner = self.owner.to_dict()
        else:
            owner = self.owner

        priority = self.priority

        identity_refresh_required = self.identity_refresh_required

        identity_count = self.identity_count

        identity_attribute_config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.identity_attribute_config, Unset):
            identity_attribute_config = self.identity_attribute_config.to_dict()

        identity_exception_report_reference: dict[str, Any] | None | Unset
        if isinstance(self.identity_exception_report_reference, Unset):
            identity_exception_report_reference = UNSET
        elif isinstance(
            self.identity_exception_report_reference, IdentityExceptionReportReference
        ):
            identity_exception_report_reference = (
                self.identity_exception_report_reference.to_dict()
            )
        else:
            identity_exception_report_reference = (
                self.identity_exception_report_reference
            )

        has_time_based_attr = self.has_time_based_attr

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "authoritativeSource": authoritative_source,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if created is not UNSET:
            field_dict["created"] = created
        if modified is not UNSET:
            field_dict["modified"] = modified
        if description is not UNSET:
            field_dict["description"] = description
        if owner is not UNSET:
            field_dict["owner"] = owner
        if priority is not UNSET:
            field_dict["priority"] = priority
        if identity_refresh_required is not UNSET:
            field_dict["identityRefreshRequired"] = identity_refresh_required
        if identity_count is not UNSET:
            field_dict["identityCount"] = identity_count
        if identity_attribute_config is not UNSET:
            field_dict["identityAttributeConfig"] = identity_attribute_config
        if identity_exception_report_reference is not UNSET:
            field_dict["identityExceptionReportReference"] = (
                identity_exception_report_reference
            )
        if has_time_based_attr is not UNSET:
            field_dict["hasTimeBasedAttr"] = has_time_based_attr

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.identity_attribute_config import IdentityAttributeConfig  # noqa: PLC0415
        from ..models.identity_exception_report_reference import (
            IdentityExceptionReportReference,  # noqa: PLC0415
        )
        from ..models.identity_profile_authoritative_source import (
            IdentityProfileAuthoritativeSource,  # noqa: PLC0415
        )
        from ..models.identity_profile_owner import IdentityProfileOwner  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        authoritative_source = IdentityProfileAuthoritativeSource.from_dict(
            d.pop("authoritativeSource")
        )

        id = d.pop("id", UNSET)

        _created = d.pop("created", UNSET)
        created: datetime.datetime | Unset
        if isinstance(_created, Unset):
            created = UNSET
        else:
            created = datetime.datetime.fromisoformat(_created)

        _modified = d.pop("modified", UNSET)
        modified: datetime.datetime | Unset
        if isinstance(_modified, Unset):
            modified = UNSET
        else:
            modified = datetime.datetime.fromisoformat(_modified)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_owner(data: object) -> IdentityProfileOwner | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                owner_type_0 = IdentityProfileOwner.from_dict(data)

                return owner_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IdentityProfileOwner | None | Unset, data)

        owner = _parse_owner(d.pop("owner", UNSET))

        priority = d.pop("priority", UNSET)

        identity_refresh_required = d.pop("identityRefreshRequired", UNSET)

        identity_count = d.pop("identityCount", UNSET)

        _identity_attribute_config = d.pop("identityAttributeConfig", UNSET)
        identity_attribute_config: IdentityAttributeConfig | Unset
        if isinstance(_identity_attribute_config, Unset):
            identity_attribute_config = UNSET
        else:
            identity_attribute_config = IdentityAttributeConfig.from_dict(
                _identity_attribute_config
            )

        def _parse_identity_exception_report_reference(
            data: object,
        ) -> IdentityExceptionReportReference | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                identity_exception_report_reference_type_0 = (
                    IdentityExceptionReportReference.from_dict(data)
                )

                return identity_exception_report_reference_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IdentityExceptionReportReference | None | Unset, data)

        identity_exception_report_reference = (
            _parse_identity_exception_report_reference(
                d.pop("identityExceptionReportReference", UNSET)
            )
        )

        has_time_based_attr = d.pop("hasTimeBasedAttr", UNSET)

        identity_profile = cls(
            name=name,
            authoritative_source=authoritative_source,
            id=id,
            created=created,
            modified=modified,
            description=description,
            owner=owner,
            priority=priority,
            identity_refresh_required=identity_refresh_required,
            identity_count=identity_count,
            identity_attribute_config=identity_attribute_config,
            identity_exception_report_reference=identity_exception_report_reference,
            has_time_based_attr=has_time_based_attr,
        )

        identity_profile.additional_properties = d
        return identity_profile

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
