"""POST /oauth/token: the client-credentials grant as ISC answers it."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from iscctl.sandbox import SandboxServer


def _form(sandbox: SandboxServer, **changes: str) -> dict[str, str]:
    form = {
        "grant_type": "client_credentials",
        "client_id": sandbox.client_id,
        "client_secret": sandbox.client_secret,
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value != "-"}


def test_good_credentials_get_a_bearer_token_with_isc_fields(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    reply = http.post("/oauth/token", data=_form(sandbox))
    body = reply.json()
    assert reply.status_code == 200
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 749
    assert body["scope"] == "sp:scopes:all"
    assert body["access_token"].count(".") == 2  # JWT-looking
    for extra in ("tenant_id", "pod", "strong_auth_supported", "claims_supported", "jti"):
        assert extra in body
    assert reply.headers["cache-control"] == "no-store"
    assert sandbox.state.tokens_issued == 1


def test_each_token_is_different(http: httpx.Client, sandbox: SandboxServer) -> None:
    first = http.post("/oauth/token", data=_form(sandbox)).json()["access_token"]
    second = http.post("/oauth/token", data=_form(sandbox)).json()["access_token"]
    assert first != second


def test_credentials_are_also_accepted_as_query_parameters(
    http: httpx.Client, sandbox: SandboxServer, secret_in_url: None
) -> None:
    reply = http.post("/oauth/token", params=_form(sandbox))
    assert reply.status_code == 200
    assert reply.json()["access_token"]


def test_expires_in_follows_the_configured_ttl(make_sandbox: Callable[..., SandboxServer]) -> None:
    server = make_sandbox(token_ttl=30.0)
    with httpx.Client(base_url=server.base_url) as client:
        reply = client.post("/oauth/token", data=_form(server))
    assert reply.json()["expires_in"] == 30


def test_wrong_secret_is_401_invalid_client(http: httpx.Client, sandbox: SandboxServer) -> None:
    reply = http.post("/oauth/token", data=_form(sandbox, client_secret="wrong"))
    assert reply.status_code == 401
    assert reply.json() == {"error": "invalid_client", "error_description": "Bad credentials"}
    assert sandbox.state.tokens_issued == 0


def test_unknown_client_id_is_401_invalid_client(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    reply = http.post("/oauth/token", data=_form(sandbox, client_id="someone-else"))
    assert reply.status_code == 401
    assert reply.json()["error"] == "invalid_client"


def test_missing_secret_is_401_invalid_client(http: httpx.Client, sandbox: SandboxServer) -> None:
    reply = http.post("/oauth/token", data=_form(sandbox, client_secret="-"))
    assert reply.status_code == 401
    assert reply.json()["error"] == "invalid_client"


def test_wrong_grant_type_is_400_unsupported_grant_type(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    reply = http.post("/oauth/token", data=_form(sandbox, grant_type="password"))
    assert reply.status_code == 400
    assert reply.json()["error"] == "unsupported_grant_type"
    assert "client_credentials" in reply.json()["error_description"]


def test_missing_grant_type_is_400_unsupported_grant_type(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    reply = http.post("/oauth/token", data=_form(sandbox, grant_type="-"))
    assert reply.status_code == 400
    assert reply.json()["error"] == "unsupported_grant_type"


def test_get_on_the_token_endpoint_is_405(http: httpx.Client) -> None:
    assert http.get("/oauth/token").status_code == 405


def test_credentials_are_also_accepted_as_http_basic(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    reply = http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(sandbox.client_id, sandbox.client_secret),
    )
    assert reply.status_code == 200


def test_wrong_http_basic_credentials_are_401(http: httpx.Client, sandbox: SandboxServer) -> None:
    reply = http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(sandbox.client_id, "no")
    )
    assert reply.status_code == 401
    assert reply.json()["error"] == "invalid_client"


# -- every encoding ISC accepts (#13.1) ------------------------------------------------------


def test_multipart_form_as_sailpoints_typescript_sdk_sends_it(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    """The exact shape of `sailpoint-api-client`'s token request: three multipart fields."""
    fields = _form(sandbox)
    # httpx sends multipart/form-data when `files` is given; (None, value) is a plain field.
    request = http.build_request(
        "POST", "/oauth/token", files={name: (None, value) for name, value in fields.items()}
    )
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    sent = request.read()
    for name in ("grant_type", "client_id", "client_secret"):
        assert f'Content-Disposition: form-data; name="{name}"'.encode() in sent
    reply = http.send(request)
    assert reply.status_code == 200, reply.text
    assert reply.json()["token_type"] == "bearer"
    assert sandbox.state.tokens_issued == 1


def test_multipart_fields_sent_as_files_are_read_too(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    fields = _form(sandbox)
    files = {name: (f"{name}.txt", value.encode(), "text/plain") for name, value in fields.items()}
    assert http.post("/oauth/token", files=files).status_code == 200


def test_urlencoded_body_without_a_content_type_is_read_as_a_form(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    body = httpx.QueryParams(_form(sandbox)).__str__().encode()
    reply = http.post("/oauth/token", content=body)
    assert reply.request.headers.get("content-type") is None
    assert reply.status_code == 200


@pytest.mark.parametrize(
    ("in_query", "in_form", "in_basic"),
    [
        (("grant_type",), ("client_id", "client_secret"), False),
        (("client_id", "client_secret"), ("grant_type",), False),
        (("client_id",), ("grant_type", "client_secret"), False),
        ((), ("grant_type",), True),
        (("grant_type",), (), True),
    ],
)
@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_credentials_in_any_mix_of_places(
    http: httpx.Client,
    sandbox: SandboxServer,
    secret_in_url: None,
    in_query: tuple[str, ...],
    in_form: tuple[str, ...],
    in_basic: bool,
    encoding: str,
) -> None:
    fields = _form(sandbox)
    form = {name: fields[name] for name in in_form}
    kwargs: dict[str, object] = {"params": {name: fields[name] for name in in_query}}
    if encoding == "multipart":
        kwargs["files"] = {name: (None, value) for name, value in form.items()} or None
        if not form:  # httpx sends no multipart body without a field; keep the mix honest
            kwargs["files"] = {"unused": (None, "")}
    else:
        kwargs["data"] = form
    if in_basic:
        kwargs["auth"] = (sandbox.client_id, sandbox.client_secret)
    reply = http.post("/oauth/token", **kwargs)  # type: ignore[arg-type]
    assert reply.status_code == 200, reply.text


@pytest.mark.parametrize(
    ("missing", "status", "named"),
    [
        ("grant_type", 400, "grant_type missing"),
        ("client_id", 401, "client_id missing"),
        ("client_secret", 401, "client_secret missing"),
    ],
)
@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_an_error_names_the_field_that_was_missing(
    http: httpx.Client,
    sandbox: SandboxServer,
    missing: str,
    status: int,
    named: str,
    encoding: str,
) -> None:
    fields = _form(sandbox, **{missing: "-"})
    if encoding == "multipart":
        reply = http.post("/oauth/token", files={k: (None, v) for k, v in fields.items()})
    else:
        reply = http.post("/oauth/token", data=fields)
    assert reply.status_code == status
    description = reply.json()["error_description"]
    assert description.startswith(named)
    assert "multipart" in description  # and it says where the field may go
    assert sandbox.state.tokens_issued == 0


def test_nothing_at_all_names_both_credentials(http: httpx.Client) -> None:
    reply = http.post("/oauth/token", params={"grant_type": "client_credentials"})
    assert reply.status_code == 401
    assert reply.json()["error_description"].startswith("client_id and client_secret missing")


def test_a_broken_multipart_body_is_400_invalid_request(
    http: httpx.Client, sandbox: SandboxServer
) -> None:
    reply = http.post(
        "/oauth/token",
        content=b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n",
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert reply.status_code == 400
    assert reply.json()["error"] == "invalid_request"
    assert "multipart" in reply.json()["error_description"]
    assert sandbox.state.tokens_issued == 0
