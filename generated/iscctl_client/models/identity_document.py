from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.document_reference import DocumentReference
    from ..models.identity_document_attributes_type_0 import (
        IdentityDocumentAttributesType0,
    )
    from ..models.processing_details import ProcessingDetails


T = TypeVar("T", bound="IdentityDocument")


@_attrs_define
class IdentityDocument:
    """An identity as the search index holds it.

    Attributes:
        id (str | Unset):
        name (str | Unset):
        display_name (None | str | Unset):
        email (None | str | Unset):
        created (datetime.datetime | None | Unset):
        modified (datetime.datetime | None | Unset):
        synced (None | str | Unset): When the document was queued into search (no format declared).
        status (None | str | Unset):
        processing_state (None | str | Unset): No enum is declared; `ERROR` when processing failed.
        processing_details (None | ProcessingDetails | Unset):
        identity_profile (DocumentReference | None | Unset):
        source (DocumentReference | None | Unset):
        attributes (IdentityDocumentAttributesType0 | None | Unset):
    """

    id: str | Unset = UNSET
    name: str | Unset = UNSET
    display_name: None | str | Unset = UNSET
    email: None | str | Unset = UNSET
    created: datetime.datetime | None | Unset = UNSET
    modified: datetime.datetime | None | Unset = UNSET
    synced: None | str | Unset = UNSET
    status: None | str | Unset = UNSET
    processing_state: None | str | Unset = UNSET
    processing_details: None | ProcessingDetails | Unset = UNSET
    identity_profile: DocumentReference | None | Unset = UNSET
    source: DocumentReference | None | Unset = UNSET
    attributes: IdentityDocumentAttributesType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.document_reference import DocumentReference  # noqa: PLC0415
        from ..models.identity_document_attributes_type_0 import (
            IdentityDocumentAttributesType0,  # noqa: PLC0415
        )
        from ..models.processing_details import ProcessingDetails  # noqa: PLC0415

        id = self.id

        name = self.name

        display_name: None | str | Unset
        if isinstance(self.display_name, Unset):
            display_name = UNSET
        else:
            display_name = self.display_name

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

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

        synced: None | str | Unset
        if isinstance(self.synced, Unset):
            synced = UNSET
        else:
            synced = self.synced

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        else:
            status = self.status

        processing_state: None | str | Unset
        if isinstance(self.processing_state, Unset):
            processing_state = UNSET
        else:
            processing_state = self.processing_state

        processing_details: dict[str, Any] | None | Unset
        if isinstance(self.processing_details, Unset):
            processing_details = UNSET
        elif isinstance(self.processing_details, ProcessingDetails):
            processing_details = self.processing_details.to_dict()
        else:
            processing_details = self.processing_details

        identity_profile: dict[str, Any] | None | Unset
        if isinstance(self.identity_profile, Unset):
            identity_profile = UNSET
        elif isinstance(self.identity_profile, DocumentReference):
            identity_profile = self.identity_profile.to_dict()
        else:
            identity_profile = self.identity_profile

        source: dict[str, Any] | None | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        elif isinstance(self.source, DocumentReference):
            source = self.source.to_dict()
        else:
            source = self.source

        attributes: dict[str, Any] | None | Unset
        if isinstance(self.attributes, Unset):
            attributes = UNSET
        elif isinstance(self.attributes, IdentityDocumentAttributesType0):
            attributes = self.attributes.to_dict()
        else:
            attributes = self.attributes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if display_name is not UNSET:
            field_dict["displayName"] = display_name
        if email is not UNSET:
            field_dict["email"] = email
        if created is not UNSET:
            field_dict["created"] = created
        if modified is not UNSET:
            field_dict["modified"] = modified
        if synced is not UNSET:
            field_dict["synced"] = synced
        if status is not UNSET:
            field_dict["status"] = status
        if processing_state is not UNSET:
            field_dict["processingState"] = processing_state
        if processing_details is not UNSET:
            field_dict["processingDetails"] = processing_details
        if identity_profile is not UNSET:
            field_dict["identityProfile"] = identity_profile
        if source is not UNSET:
            field_dict["source"] = source
        if attributes is not UNSET:
            field_dict["attributes"] = attributes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.document_reference import DocumentReference  # noqa: PLC0415
        from ..models.identity_document_attributes_type_0 import (
            IdentityDocumentAttributesType0,  # noqa: PLC0415
        )
        from ..models.processing_details import ProcessingDetails  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id", UNSET)

        name = d.pop("name", UNSET)

        def _parse_display_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        display_name = _parse_display_name(d.pop("displayName", UNSET))

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

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

        def _parse_synced(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        synced = _parse_synced(d.pop("synced", UNSET))

        def _parse_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        def _parse_processing_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        processing_state = _parse_processing_state(d.pop("processingState", UNSET))

        def _parse_processing_details(data: object) -> None | ProcessingDetails | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                processing_details_type_0 = ProcessingDetails.from_dict(data)

                return processing_details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProcessingDetails | Unset, data)

        processing_details = _parse_processing_details(
            d.pop("processingDetails", UNSET)
        )

        def _parse_identity_profile(data: object) -> DocumentReference | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                identity_profile_type_0 = DocumentReference.from_dict(data)

                return identity_profile_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DocumentReference | None | Unset, data)

        identity_profile = _parse_identity_profile(d.pop("identityProfile", UNSET))

        def _parse_source(data: object) -> DocumentReference | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                source_type_0 = DocumentReference.from_dict(data)

                return source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DocumentReference | None | Unset, data)

        source = _parse_source(d.pop("source", UNSET))

        def _parse_attributes(
            data: object,
        ) -> IdentityDocumentAttributesType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attributes_type_0 = IdentityDocumentAttributesType0.from_dict(data)

                return attributes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IdentityDocumentAttributesType0 | None | Unset, data)

        attributes = _parse_attributes(d.pop("attributes", UNSET))

        identity_document = cls(
            id=id,
            name=name,
            display_name=display_name,
            email=email,
            created=created,
            modified=modified,
            synced=synced,
            status=status,
            processing_state=processing_state,
            processing_details=processing_details,
            identity_profile=identity_profile,
            source=source,
            attributes=attributes,
        )

        identity_document.additional_properties = d
        return identity_document

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
