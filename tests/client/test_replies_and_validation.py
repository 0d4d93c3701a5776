"""Tolerant in what we accept (2xx replies), strict in what we send (request bodies)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import pytest
from iscctl.api import unwrap
from iscctl.client import AsyncClient, Client
from iscctl.errors import ReplyValidationError, RequestValidationError
from iscctl.replies import read_import_result, read_task_result
from iscctl.sandbox import SandboxServer
from iscctl.transport import REQUEST_HEADER
from iscctl_client.models import ImportedObjectType
from iscctl_client.types import Response

if TYPE_CHECKING:
    from .conftest import Exposure

SHAPING = ["null_strings", "unknown_enums", "extra_fields"]


@pytest.mark.parametrize("kind", SHAPING)
def test_an_odd_process_reply_is_returned_successfully(
    kind: str, sandbox: SandboxServer, make_client: Callable[..., Client]
) -> None:
    sandbox.faults.add(kind, operation="process")
    task = make_client().process_identities(sandbox.identity_ids[:1])
    assert task.id
    if kind == "null_strings":
        assert task.type_ is None
    if kind == "unknown_enums":
        assert task.type_ == "TASK_RESULT_V2"
    if kind == "extra_fields":
        assert "sandboxFutureField" in task.additional_properties


@pytest.mark.parametrize("kind", SHAPING)
def test_an_odd_import_reply_is_returned_successfully(
    kind: str,
    sandbox: SandboxServer,
    make_client: Callable[..., Client],
    exported_profile: Callable[..., dict[str, Any]],
) -> None:
    unresolvable = exported_profile("Contractors")
    unresolvable["object"]["authoritativeSource"] = {"type": "SOURCE", "name": "No such source"}
    sandbox.faults.add(kind, operation="import")
    result = make_client().import_identity_profiles([exported_profile(), unresolvable])
    assert len(result.imported_objects) == 1
    assert len(result.errors) == 1
    imported, error = result.imported_objects[0], result.errors[0]
    if kind == "null_strings":
        assert imported.name is None
        assert error.text is None
    if kind == "unknown_enums":
        assert imported.type_ == "FUTURE_TYPE"
        assert not isinstance(imported.type_, ImportedObjectType)
    if kind == "extra_fields":
        assert "sandboxFutureField" in result.additional_properties
        assert "sandboxFutureField" in imported.additional_properties


def test_odd_replies_are_tolerated_by_the_async_client_too(
    sandbox: SandboxServer, make_async_client: Callable[..., AsyncClient]
) -> None:
    for kind in SHAPING:
        sandbox.faults.add(kind, operation="process")

    async def run() -> str:
        async with make_async_client() as isc:
            task = await isc.process_identities(sandbox.identity_ids[:1])
            return str(task.type_)

    assert asyncio.run(run()) == "TASK_RESULT_V2"


def _reply(status: int, content: bytes, path: str = "/v2025/identities/process") -> Response[Any]:
    """A reply the sandbox cannot be made to send, as the generated endpoint function returns
    it when its parser gives up on the body (parsed=None; see openapi/templates/)."""
    headers = {REQUEST_HEADER: f"POST http://127.0.0.1:1{path}"}
    return Response(status_code=HTTPStatus(status), content=content, headers=headers, parsed=None)


def test_import_lists_that_are_null_or_missing_read_as_empty() -> None:
    body = b'{"infos": null, "errors": [{"key": "K", "text": null, "details": null}, 3]}'
    result = read_import_result(_reply(200, body, "/v2025/identity-profiles/import"))
    assert result.infos == [] and result.warnings == [] and result.imported_objects == []
    assert result.errors[0].key == "K"
    assert result.errors[0].text is None


def test_a_2xx_that_is_not_json_is_a_reply_validation_error(exposed: Exposure) -> None:
    with pytest.raises(ReplyValidationError, match="202 reply is not JSON") as caught:
        read_task_result(_reply(202, b"<html>accepted</html>"))
    exposed.add(caught.value)
    assert caught.value.method == "POST"


def test_a_2xx_that_is_a_json_list_is_a_reply_validation_error() -> None:
    with pytest.raises(ReplyValidationError, match="JSON list, not an object"):
        read_task_result(_reply(202, b"[]"))


# -- what we send ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        ([], "0 ids given; ISC takes 1 to 250"),
        (["a"] * 251, "251 ids given; ISC takes 1 to 250"),
        ("2c9180835d191a86015d28455b4b232a", "expected a list of id strings, got str"),
        (["ok", ""], "identityIds[1]: expected a non-empty id string, got ''"),
        (["ok", None, "  "], "identityIds: 2 problems: identityIds[1]"),
    ],
)
def test_bad_id_lists_are_refused_before_sending(
    ids: Any, expected: str, sandbox: SandboxServer, make_client: Callable[..., Client]
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        make_client().process_identities(ids)
    assert expected in str(caught.value)
    assert caught.value.problems
    assert sandbox.state.requests == []


def test_250_ids_are_sent_in_one_call(
    sandbox: SandboxServer, make_client: Callable[..., Client]
) -> None:
    make_client().process_identities(sandbox.identity_ids[:250])
    assert len(sandbox.state.process_counts) == 250


def test_a_bad_import_object_is_named_by_its_json_path(
    sandbox: SandboxServer,
    make_client: Callable[..., Client],
    exported_profile: Callable[..., dict[str, Any]],
    exposed: Exposure,
) -> None:
    objects = [exported_profile(f"Profile {i}") for i in range(5)]
    del objects[3]["object"]["authoritativeSource"]
    objects[4]["self"]["type"] = "NOT_A_TYPE"
    with pytest.raises(RequestValidationError) as caught:
        make_client().import_identity_profiles(objects)
    error = caught.value
    exposed.add(error)
    assert "[3].object.authoritativeSource: Field required" in str(error)
    assert ("[3].object.authoritativeSource", "Field required") in error.problems
    assert any(path == "[4].self.type" and "NOT_A_TYPE" in text for path, text in error.problems)
    assert "\n" not in str(error)
    assert sandbox.state.requests == []


def test_import_objects_are_sent_as_given(
    sandbox: SandboxServer,
    make_client: Callable[..., Client],
    exported_profile: Callable[..., dict[str, Any]],
) -> None:
    profile = exported_profile()
    nested = {"type": "lower", "attributes": {"input": {"type": "concat", "attributes": {}}}}
    attributes = profile["object"]["identityAttributeConfig"]["attributeTransforms"][0]
    attributes["transformDefinition"]["attributes"]["input"] = nested
    make_client().import_identity_profiles([profile])
    stored = sandbox.state.stored_profile("HR Employees")
    assert stored is not None
    sent = stored["identityAttributeConfig"]["attributeTransforms"][0]
    assert sent["transformDefinition"]["attributes"]["input"] == nested


def test_a_value_json_cannot_carry_is_a_validation_error_not_a_crash(
    sandbox: SandboxServer,
    make_client: Callable[..., Client],
    exported_profile: Callable[..., dict[str, Any]],
) -> None:
    from datetime import date

    profile = exported_profile()
    profile["object"]["identityAttributeConfig"]["attributeTransforms"][0]["transformDefinition"][
        "attributes"
    ]["since"] = date(2024, 1, 1)  # as a YAML loader returns an unquoted date
    with pytest.raises(RequestValidationError, match="cannot be sent as JSON"):
        make_client().import_identity_profiles([profile])
    assert sandbox.state.requests == []


def test_an_empty_2xx_body_is_a_success_without_details() -> None:
    task = read_task_result(_reply(202, b""))
    assert task.to_dict() == {}
    result = read_import_result(_reply(200, b" ", "/v2025/identity-profiles/import"))
    assert result.imported_objects == [] and result.errors == []


def test_a_message_without_key_or_text_is_still_read() -> None:
    body = b'{"importedObjects": [{"type": ["odd"]}], "infos": [{"details": {}}]}'
    result = read_import_result(_reply(200, body, "/v2025/identity-profiles/import"))
    assert result.infos[0].key is None
    assert result.imported_objects[0].type_ == ["odd"]


def test_a_model_that_cannot_be_built_is_a_reply_validation_error() -> None:
    class Future:
        @classmethod
        def from_dict(cls, data: dict[str, Any]) -> object:
            raise KeyError("infos")  # what a future required field would do

    with pytest.raises(ReplyValidationError, match="does not fit the operation's result: KeyErr"):
        unwrap(_reply(200, b"{}"), Future.from_dict)
