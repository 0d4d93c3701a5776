"""The factory: the generated endpoint functions, called with `iscctl.api_client(...)`,
are authenticated, routed, retried and paced; `iscctl.unwrap` gives the model or raises."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import iscctl
import pytest
from iscctl.errors import (
    APITimeoutError,
    BadRequestError,
    ConfigurationError,
    NotFoundError,
    ServerError,
)
from iscctl.logs import redact_url
from iscctl.retry import RetryPolicy
from iscctl.sandbox import SandboxServer
from iscctl_client import AuthenticatedClient
from iscctl_client.api.identities import start_identity_processing, start_identity_processing_v1
from iscctl_client.api.identity_profiles import import_identity_profiles_v1
from iscctl_client.models import IdentityProfileExportedObject, ProcessIdentitiesRequest

from .conftest import FAST

if TYPE_CHECKING:
    from .conftest import Exposure


@pytest.fixture
def make_api(sandbox: SandboxServer) -> Iterator[Callable[..., iscctl.ApiClient]]:
    made: list[iscctl.ApiClient] = []

    def make(server: SandboxServer | None = None, **kwargs: Any) -> iscctl.ApiClient:
        server = server or sandbox
        kwargs.setdefault("retry", FAST)
        kwargs.setdefault("rate_limit", None)
        api = iscctl.api_client(
            base_url=server.base_url,
            client_id=server.client_id,
            client_secret=server.client_secret,
            **kwargs,
        )
        made.append(api)
        return api

    yield make
    for api in made:
        api.close()


def _calls(sandbox: SandboxServer) -> list[tuple[str, int | None]]:
    return [(r.path, r.status) for r in sandbox.state.requests if r.operation != "token"]


def test_the_factory_gives_the_generated_authenticated_client(
    make_api: Callable[..., iscctl.ApiClient], exposed: Exposure
) -> None:
    api = make_api()
    assert isinstance(api, AuthenticatedClient)
    exposed.add(api, repr(api))
    assert "sandbox-secret" not in repr(api)


def test_one_api_root_reaches_versioned_and_per_service_operations(
    sandbox: SandboxServer, make_api: Callable[..., iscctl.ApiClient]
) -> None:
    api = make_api(version="v2026")
    body = ProcessIdentitiesRequest(identity_ids=sandbox.identity_ids[:1])
    versioned = iscctl.unwrap(start_identity_processing.sync_detailed(client=api, body=body))
    per_service = iscctl.unwrap(start_identity_processing_v1.sync_detailed(client=api, body=body))
    assert versioned.id and per_service.id
    assert _calls(sandbox) == [
        ("/v2026/identities/process", 202),
        ("/identities/v1/process", 202),
    ]
    assert sandbox.state.tokens_issued == 1


def test_the_async_functions_work_on_the_same_client(
    sandbox: SandboxServer,
    make_api: Callable[..., iscctl.ApiClient],
    exported_profile: Callable[..., dict[str, Any]],
) -> None:
    api = make_api()
    objects = [IdentityProfileExportedObject.from_dict(exported_profile())]

    async def run() -> list[str]:
        imported = iscctl.unwrap(
            await import_identity_profiles_v1.asyncio_detailed(client=api, body=objects)
        )
        await api.aclose()
        return [str(obj.name) for obj in imported.imported_objects]

    assert asyncio.run(run()) == ["HR Employees"]
    assert _calls(sandbox) == [("/identity-profiles/v1/import", 200)]


def test_calls_through_the_factory_are_retried(
    sandbox: SandboxServer, make_api: Callable[..., iscctl.ApiClient]
) -> None:
    sandbox.faults.add("http_503", times=2, operation="process")
    api = make_api()
    body = ProcessIdentitiesRequest(identity_ids=sandbox.identity_ids[:1])
    assert iscctl.unwrap(start_identity_processing.sync_detailed(client=api, body=body)).id
    assert [status for _, status in _calls(sandbox)] == [503, 503, 202]
    assert api.stats.retries == 2


def test_unwrap_raises_the_error_of_the_status_with_iscs_details(
    sandbox: SandboxServer, make_api: Callable[..., iscctl.ApiClient], exposed: Exposure
) -> None:
    api = make_api()
    reply = start_identity_processing.sync_detailed(
        client=api, body=ProcessIdentitiesRequest(identity_ids=["f" * 32])
    )
    with pytest.raises(NotFoundError) as caught:
        iscctl.unwrap(reply)
    exposed.add(caught.value)
    assert caught.value.detail_code and caught.value.tracking_id
    assert f"POST {sandbox.base_url}/v2025/identities/process" in str(caught.value)

    reply = start_identity_processing.sync_detailed(
        client=api,
        body=ProcessIdentitiesRequest(identity_ids=sandbox.identity_ids[:1]),
        x_sail_point_experimental="false",
    )
    with pytest.raises(BadRequestError, match="Experimental Header is missing or invalid"):
        iscctl.unwrap(reply)


def test_unwrap_says_why_no_retry_followed(
    sandbox: SandboxServer, make_api: Callable[..., iscctl.ApiClient], exposed: Exposure
) -> None:
    sandbox.faults.add("http_500", times=5, operation="process")
    api = make_api(retry=RetryPolicy(max_retries=1, backoff_initial=0.001))
    reply = start_identity_processing.sync_detailed(
        client=api, body=ProcessIdentitiesRequest(identity_ids=sandbox.identity_ids[:1])
    )
    assert reply.status_code == 500
    with pytest.raises(ServerError, match="gave up after 1 retries") as caught:
        iscctl.unwrap(reply)
    exposed.add(caught.value)


def test_a_v1_client_refuses_a_versioned_path_before_sending(
    sandbox: SandboxServer, make_api: Callable[..., iscctl.ApiClient]
) -> None:
    api = make_api(version="v1")
    body = ProcessIdentitiesRequest(identity_ids=sandbox.identity_ids[:1])
    with pytest.raises(ConfigurationError, match="call the operation's V1 function"):
        start_identity_processing.sync_detailed(client=api, body=body)
    assert _calls(sandbox) == []


def test_a_token_endpoint_that_does_not_answer_times_out_and_is_retried(
    sandbox: SandboxServer, make_api: Callable[..., iscctl.ApiClient], exposed: Exposure
) -> None:
    sandbox.faults.add("slow", seconds=3, operation="token", times=2)
    api = make_api(timeout=0.2, retry=RetryPolicy(max_retries=1, backoff_initial=0.001))
    started = time.monotonic()
    with pytest.raises(APITimeoutError) as caught:
        start_identity_processing.sync_detailed(
            client=api, body=ProcessIdentitiesRequest(identity_ids=sandbox.identity_ids[:1])
        )
    exposed.add(caught.value)
    assert time.monotonic() - started < 2.5  # two attempts of 0.2 s, not the 3 s answer
    assert "/oauth/token" in str(caught.value)
    assert "gave up after 1 retries" in str(caught.value)
    assert api.stats.retries == 1 and api.stats.requests == 0  # no call left without a token


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://acme.api.identitynow.com/oauth/token?client_secret=s3cr3t&grant_type=x",
            "https://acme.api.identitynow.com/oauth/token?client_secret=***&grant_type=***",
        ),
        ("https://me:s3cr3t@acme.example.com/v2025", "https://***@acme.example.com/v2025"),
        ("https://acme.api.identitynow.com", "https://acme.api.identitynow.com"),
        ("acme?token=abc", "acme?token=***"),
    ],
)
def test_redact_url_hides_userinfo_and_query_values(url: str, shown: str) -> None:
    assert redact_url(url) == shown


@pytest.mark.parametrize(
    "base_url",
    [
        "https://acme.api.identitynow.com/oauth/token?client_secret=qs-s3cr3t-9f2e",
        "https://someone:qs-s3cr3t-9f2e@acme.api.identitynow.com",
    ],
)
def test_a_secret_inside_the_base_url_never_reaches_the_error(
    base_url: str, exposed: Exposure
) -> None:
    """#12.10: a client secret pasted into SAIL_BASE_URL is refused without being echoed."""
    exposed.watch.secrets.add("qs-s3cr3t-9f2e")
    with pytest.raises(ConfigurationError) as caught:
        iscctl.api_client(base_url=base_url, client_id="id", client_secret="qs-s3cr3t-9f2e")
    exposed.add(caught.value)
    assert "qs-s3cr3t-9f2e" not in str(caught.value)
    assert "acme.api.identitynow.com" in str(caught.value)
