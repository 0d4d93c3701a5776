from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.identity_status import IdentityStatus
from ..models.processing_state import ProcessingState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.identity_attributes_type_0 import IdentityAttributesType0
    from ..models.identity_lifecycle_state import IdentityLifecycleState


T = TypeVar("T", bound="Identity")


@_attrs_define
class Identity:
    """An identity as the identities endpoints return it.

    Attributes:
        id (str | Unset):
        name (str | Unset):
        created (datetime.datetime | Unset):
        modified (datetime.datetime | Unset):
        alias (None | str | Unset):
        email_address (None | str | Unset):
        processing_state (None | ProcessingState | str | Unset): ERROR or OK; null when never processed; new values may
            appear.
        identity_status (IdentityStatus | None | str | Unset): New values may appear.
        is_manager (bool | Unset):
        last_refresh (datetime.datetime | None | Unset): When the system last refreshed (processed) the identity.
        attributes (IdentityAttributesType0 | None | Unset):
        lifecycle_state (IdentityLifecycleState | None | Unset):
    """

    id: str | Unset = UNSET
    name: str | Unset = UNSET
    created: datetime.datetime | Unset = UNSET
    modified: datetime.datetime | Unset = UNSET
    alias: None | str | Unset = UNSET
    email_address: None | str | Unset = UNSET
    processing_state: None | ProcessingState | str | Unset = UNSET
    identity_status: IdentityStatus | None | str | Unset = UNSET
    is_manager: bool | Unset = UNSET
    last_refresh: datetime.datetime | None | Unset = UNSET
    attributes: IdentityAttributesType0 | None | Unset = UNSET
    lifecycle_state: IdentityLifecycleState | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.identity_attributes_type_0 import IdentityAttributesType0  # noqa: PLC0415
        from ..models.identity_lifecycle_state import IdentityLifecycleState  # noqa: PLC0415

        id = self.id

        name = self.name

        created: str | Unset = UNSET
        if not isinstance(self.created, Unset):
            created = self.created.isoformat()

        modified: str | Unset = UNSET
        if not isinstance(self.modified, Unset):
            modified = self.modified.isoformat()

        alias: None | str | Unset
        if isinstance(self.alias, Unset):
            alias = UNSET
        else:
            alias = self.alias

        email_address: None | str | Unset
        if isinstance(self.email_address, Unset):
            email_address = UNSET
        else:
            email_address = self.email_address

        processing_state: None | str | Unset
        if isinstance(self.processing_state, Unset):
            processing_state = UNSET
        elif isinstance(self.processing_state, ProcessingState):
            processing_state = self.processing_state.value
        else:
            processing_state = self.processing_state

        identity_status: None | str | Unset
        if isinstance(self.identity_status, Unset):
            identity_status = UNSET
        elif isinstance(self.identity_status, IdentityStatus):
            identity_status = self.identity_status.value
        else:
            identity_status = self.identity_status

        is_manager = self.is_manager

        last_refresh: None | str | Unset
        if isinstance(self.last_refresh, Unset):
            last_refresh = UNSET
        elif isinstance(self.last_refresh, datetime.datetime):
            last_refresh = self.last_refresh.isoformat()
        else:
            last_refresh = self.last_refresh

        attributes: dict[str, Any] | None | Unset
        if isinstance(self.attributes, Unset):
            attributes = UNSET
        elif isinstance(self.attributes, IdentityAttributesType0):
            attributes = self.attributes.to_dict()
        else:
            attributes = self.attributes

        lifecycle_state: dict[str, Any] | None | Unset
        if isinstance(self.lifecycle_state, Unset):
            lifecycle_state = UNSET
        elif isinstance(self.lifecycle_state, IdentityLifecycleState):
            lifecycle_state = self.lifecycle_state.to_dict()
        else:
            lifecycle_state = self.lifecycle_state

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if created is not UNSET:
            field_dict["created"] = created
        if modified is not UNSET:
            field_dict["modified"] = modified
        if alias is not UNSET:
            field_dict["alias"] = alias
        if email_address is not UNSET:
            field_dict["emailAddress"] = email_address
        if processing_state is not UNSET:
            field_dict["processingState"] = processing_state
        if identity_status is not UNSET:
            field_dict["identityStatus"] = identity_status
        if is_manager is not UNSET:
            field_dict["isManager"] = is_manager
        if last_refresh is not UNSET:
            field_dict["lastRefresh"] = last_refresh
        if attributes is not UNSET:
            field_dict["attributes"] = attributes
        if lifecycle_state is not UNSET:
            field_dict["lifecycleState"] = lifecycle_state

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.identity_attributes_type_0 import IdentityAttributesType0  # noqa: PLC0415
        from ..models.identity_lifecycle_state import IdentityLifecycleState  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id", UNSET)

        name = d.pop("name", UNSET)

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

        def _parse_alias(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        alias = _parse_alias(d.pop("alias", UNSET))

        def _parse_email_address(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email_address = _parse_email_address(d.pop("emailAddress", UNSET))

        def _parse_processing_state(
            data: object,
        ) -> None | ProcessingState | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                processing_state_type_0 = ProcessingState(data)

                return processing_state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProcessingState | str | Unset, data)

        processing_state = _parse_processing_state(d.pop("processingState", UNSET))

        def _parse_identity_status(data: object) -> IdentityStatus | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                identity_status_type_0 = IdentityStatus(data)

                return identity_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IdentityStatus | None | str | Unset, data)

        identity_status = _parse_identity_status(d.pop("identityStatus", UNSET))

        is_manager = d.pop("isManager", UNSET)

        def _parse_last_refresh(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_refresh_type_0 = datetime.datetime.fromisoformat(data)

                return last_refresh_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_refresh = _parse_last_refresh(d.pop("lastRefresh", UNSET))

        def _parse_attributes(data: object) -> IdentityAttributesType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attributes_type_0 = IdentityAttributesType0.from_dict(data)

                return attributes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IdentityAttributesType0 | None | Unset, data)

        attributes = _parse_attributes(d.pop("attributes", UNSET))

        def _parse_lifecycle_state(
            data: object,
        ) -> IdentityLifecycleState | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                lifecycle_state_type_0 = IdentityLifecycleState.from_dict(data)

                return lifecycle_state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IdentityLifecycleState | None | Unset, data)

        lifecycle_state = _parse_lifecycle_state(d.pop("lifecycleState", UNSET))

        identity = cls(
            id=id,
            name=name,
            created=created,
            modified=modified,
            alias=alias,
            email_address=email_address,
            processing_state=processing_state,
            identity_status=identity_status,
            is_manager=is_manager,
            last_refresh=last_refresh,
            attributes=attributes,
            lifecycle_state=lifecycle_state,
        )

        identity.additional_properties = d
        return identity

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
