"""The generated code behaves as the wire demands: strict on what we send, tolerant on replies."""

from __future__ import annotations

import httpx
import pytest
from iscctl_client.api.identities import start_identity_processing
from iscctl_client.models import (
    ErrorMessageDto,
    ImportedObjectType,
    ObjectImportResult,
    ProcessIdentitiesRequest,
    TaskResultResponse,
)
from iscctl_models import ImportIdentityProfilesRequest
from iscctl_models import ProcessIdentitiesRequest as ProcessIdentitiesBody
from pydantic import ValidationError

PROFILE = {
    "version": 1,
    "self": {"type": "IDENTITY_PROFILE", "id": "p1", "name": "HR"},
    "object": {"name": "HR", "authoritativeSource": {"type": "SOURCE", "id": "s1", "name": "HR"}},
}


def test_251_ids_are_rejected_naming_identity_ids() -> None:
    with pytest.raises(ValidationError) as raised:
        ProcessIdentitiesBody.model_validate({"identityIds": [f"{i:032x}" for i in range(251)]})
    (error,) = raised.value.errors()
    assert error["loc"] == ("identityIds",)
    assert error["type"] == "too_long"


def test_an_empty_id_list_is_rejected() -> None:
    with pytest.raises(ValidationError) as raised:
        ProcessIdentitiesBody.model_validate({"identityIds": []})
    assert raised.value.errors()[0]["loc"] == ("identityIds",)


def test_250_ids_are_accepted_and_dumped_with_the_wire_name() -> None:
    body = ProcessIdentitiesBody.model_validate({"identityIds": ["a"] * 250})
    assert body.model_dump(by_alias=True) == {"identityIds": ["a"] * 250}
    assert len(body.identity_ids) == 250


def test_import_item_without_authoritative_source_is_rejected_naming_the_path() -> None:
    broken = {**PROFILE, "object": {"name": "HR"}}
    with pytest.raises(ValidationError) as raised:
        ImportIdentityProfilesRequest.model_validate([PROFILE, broken])
    (error,) = raised.value.errors()
    assert error["loc"] == (1, "object", "authoritativeSource")
    assert error["type"] == "missing"


def test_import_profile_name_is_required_but_may_be_null() -> None:
    with_null = {**PROFILE, "object": {**PROFILE["object"], "name": None}}
    ImportIdentityProfilesRequest.model_validate([with_null])
    without = {**PROFILE, "object": {"authoritativeSource": {"id": "s1"}}}
    with pytest.raises(ValidationError) as raised:
        ImportIdentityProfilesRequest.model_validate([without])
    assert raised.value.errors()[0]["loc"] == (0, "object", "name")


def test_unknown_self_type_is_rejected_before_sending() -> None:
    wrong = {**PROFILE, "self": {"type": "NOT_A_TYPE"}}
    with pytest.raises(ValidationError) as raised:
        ImportIdentityProfilesRequest.model_validate([wrong])
    assert raised.value.errors()[0]["loc"] == (0, "self", "type")


def test_transform_attributes_and_extra_fields_pass_through_untouched() -> None:
    nested = {"input": {"type": "lower", "attributes": {"input": {"deep": [1, {"x": None}]}}}}
    profile = {
        **PROFILE,
        "futureField": {"a": 1},
        "object": {
            **PROFILE["object"],
            "identityAttributeConfig": {
                "attributeTransforms": [
                    {
                        "identityAttributeName": "email",
                        "transformDefinition": {"type": "reference", "attributes": nested},
                    }
                ]
            },
        },
    }
    parsed = ImportIdentityProfilesRequest.model_validate([profile])
    dumped = parsed.model_dump(by_alias=True, exclude_unset=True)
    assert dumped == [profile]


def test_task_reply_with_null_name_parses() -> None:
    reply = {"type": "TASK_RESULT", "id": "78733556-9ea3-4f59-bf69-e5cd92b011b4", "name": None}
    task = TaskResultResponse.from_dict(reply)
    assert task.id == reply["id"]
    assert task.name is None


def test_import_reply_with_unknown_object_type_keeps_the_raw_value() -> None:
    reply = {
        "infos": [],
        "warnings": [],
        "errors": [{"key": "K", "text": "t", "details": {"any": ["thing"]}}],
        "importedObjects": [
            {"type": "IDENTITY_PROFILE", "id": "1", "name": "HR"},
            {"type": "SOMETHING_NEW", "id": "2", "name": "X", "extra": True},
        ],
        "unexpectedTopLevel": 1,
    }
    result = ObjectImportResult.from_dict(reply)
    known, unknown = result.imported_objects
    assert known.type_ is ImportedObjectType.IDENTITY_PROFILE
    assert unknown.type_ == "SOMETHING_NEW"
    assert unknown.additional_properties == {"extra": True}
    assert result.errors[0].details.additional_properties == {"any": ["thing"]}


def test_error_message_with_unknown_or_null_locale_origin_parses() -> None:
    assert ErrorMessageDto.from_dict({"localeOrigin": "BROWSER"}).locale_origin == "BROWSER"
    assert ErrorMessageDto.from_dict({"localeOrigin": None, "locale": None}).locale is None


def test_experimental_header_goes_out_as_the_string_true() -> None:
    kwargs = start_identity_processing._get_kwargs(
        body=ProcessIdentitiesRequest(identity_ids=["a"])
    )
    request = httpx.Request(
        url="https://acme.api.identitynow.com/v2025" + kwargs["url"],
        **{k: v for k, v in kwargs.items() if k != "url"},
    )
    assert request.headers["X-SailPoint-Experimental"] == "true"
    assert request.url.path == "/v2025/identities/process"
    assert request.content == b'{"identityIds":["a"]}'


def test_no_generated_reply_type_names_a_model_twice() -> None:
    """A union that repeats a member (`A | A | B`) is a spec mistake the generator passes on."""
    import re
    from pathlib import Path

    api = Path(__file__).resolve().parents[2] / "generated" / "iscctl_client" / "api"
    for module in sorted(api.rglob("*.py")):
        for union in re.findall(r"Response\[\s*([^\]]+)\]", module.read_text()):
            members = [part.strip() for part in union.split("|")]
            assert len(members) == len(set(members)), f"{module.name}: {union}"
