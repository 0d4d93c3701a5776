from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.identity_profile_owner import IdentityProfileOwner


T = TypeVar("T", bound="Source")


@_attrs_define
class Source:
    """A source (only what mapping a name to an id needs; many more fields exist).

    Attributes:
        id (str | Unset):  Example: 2c9180835d191a86015d28455b4b232a.
        name (str | Unset):  Example: HR Workday.
        description (None | str | Unset):
        type_ (None | str | Unset): Free text, e.g. the kind of system.
        connector (None | str | Unset):
        connector_name (None | str | Unset):
        authoritative (bool | None | Unset):  Default: False.
        owner (IdentityProfileOwner | None | Unset):
        created (None | str | Unset):
        modified (None | str | Unset):
    """

    id: str | Unset = UNSET
    name: str | Unset = UNSET
    description: None | str | Unset = UNSET
    type_: None | str | Unset = UNSET
    connector: None | str | Unset = UNSET
    connector_name: None | str | Unset = UNSET
    authoritative: bool | None | Unset = False
    owner: IdentityProfileOwner | None | Unset = UNSET
    created: None | str | Unset = UNSET
    modified: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.identity_profile_owner import IdentityProfileOwner  # noqa: PLC0415

        id = self.id

        name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        else:
            type_ = self.type_

        connector: None | str | Unset
        if isinstance(self.connector, Unset):
            connector = UNSET
        else:
            connector = self.connector

        connector_name: None | str | Unset
        if isinstance(self.connector_name, Unset):
            connector_name = UNSET
        else:
            connector_name = self.connector_name

        authoritative: bool | None | Unset
        if isinstance(self.authoritative, Unset):
            authoritative = UNSET
        else:
            authoritative = self.authoritative

        owner: dict[str, Any] | None | Unset
        if isinstance(self.owner, Unset):
            owner = UNSET
        elif isinstance(self.owner, IdentityProfileOwner):
            owner = self.owner.to_dict()
        else:
            owner = self.owner

        created: None | str | Unset
        if isinstance(self.created, Unset):
            created = UNSET
        else:
            created = self.created

        modified: None | str | Unset
        if isinstance(self.modified, Unset):
            modified = UNSET
        else:
            modified = self.modified

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if type_ is not UNSET:
            field_dict["type"] = type_
        if connector is not UNSET:
            field_dict["connector"] = connector
        if connector_name is not UNSET:
            field_dict["connectorName"] = connector_name
        if authoritative is not UNSET:
            field_dict["authoritative"] = authoritative
        if owner is not UNSET:
            field_dict["owner"] = owner
        if created is not UNSET:
            field_dict["created"] = created
        if modified is not UNSET:
            field_dict["modified"] = modified

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.identity_profile_owner import IdentityProfileOwner  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id", UNSET)

        name = d.pop("name", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_type_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        def _parse_connector(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        connector = _parse_connector(d.pop("connector", UNSET))

        def _parse_connector_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        connector_name = _parse_connector_name(d.pop("connectorName", UNSET))

        def _parse_authoritative(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        authoritative = _parse_authoritative(d.pop("authoritative", UNSET))

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

        def _parse_created(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        created = _parse_created(d.pop("created", UNSET))

        def _parse_modified(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        modified = _parse_modified(d.pop("modified", UNSET))

        source = cls(
            id=id,
            name=name,
            description=description,
            type_=type_,
            connector=connector,
            connector_name=connector_name,
            authoritative=authoritative,
            owner=owner,
            created=created,
            modified=modified,
        )

        source.additional_properties = d
        return source

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
