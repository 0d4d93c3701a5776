from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_field_response import ErrorFieldResponse
from ...models.error_response_dto import ErrorResponseDto
from ...models.rate_limit_exceeded_response import RateLimitExceededResponse
from ...models.task_result_simplified import TaskResultSimplified
from ...types import Response, status_of


def _get_kwargs(
    identity_profile_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/identity-profiles/{identity_profile_id}".format(
            identity_profile_id=quote(str(identity_profile_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | TaskResultSimplified
    | None
):
    if response.status_code == 202:
        response_202 = TaskResultSimplified.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = ErrorResponseDto.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorFieldResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponseDto.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorResponseDto.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = RateLimitExceededResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponseDto.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | TaskResultSimplified
]:
    def parse() -> (
        ErrorFieldResponse
        | ErrorResponseDto
        | RateLimitExceededResponse
        | TaskResultSimplified
        | None
    ):
        try:
            return _parse_response(client=client, response=response)
        except (ValueError, TypeError, KeyError, AttributeError):
            # A body the spec does not describe (an HTML error page, an empty or odd
            # 2xx): the reply is still returned, unparsed, with its content.
            return None

    if client.raise_on_unexpected_status:  # UnexpectedStatus raises out of the call
        return Response(
            status_code=status_of(response.status_code),
            content=response.content,
            headers=response.headers,
            parsed=parse(),
        )
    return Response(
        status_code=status_of(response.status_code),
        content=response.content,
        headers=response.headers,
        parse=parse,
    )


def sync_detailed(
    identity_profile_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | TaskResultSimplified
]:
    """Delete one identity profile

     Starts deleting the profile with this id and answers 202 with a reference
    to the (bulk delete) task that does it, before the work is done. SailPoint
    lists the right `idn:identity-profile:delete`, user level `ORG_ADMIN`,
    for a user's token. Whether ISC refuses a profile that still has
    identities (and with which status) is not in the definitions; the 400
    below is the status such a refusal would take.

    Args:
        identity_profile_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | TaskResultSimplified]
    """

    kwargs = _get_kwargs(
        identity_profile_id=identity_profile_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    identity_profile_id: str,
    *,
    client: AuthenticatedClient,
) -> (
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | TaskResultSimplified
    | None
):
    """Delete one identity profile

     Starts deleting the profile with this id and answers 202 with a reference
    to the (bulk delete) task that does it, before the work is done. SailPoint
    lists the right `idn:identity-profile:delete`, user level `ORG_ADMIN`,
    for a user's token. Whether ISC refuses a profile that still has
    identities (and with which status) is not in the definitions; the 400
    below is the status such a refusal would take.

    Args:
        identity_profile_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | TaskResultSimplified
    """

    return sync_detailed(
        identity_profile_id=identity_profile_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    identity_profile_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | TaskResultSimplified
]:
    """Delete one identity profile

     Starts deleting the profile with this id and answers 202 with a reference
    to the (bulk delete) task that does it, before the work is done. SailPoint
    lists the right `idn:identity-profile:delete`, user level `ORG_ADMIN`,
    for a user's token. Whether ISC refuses a profile that still has
    identities (and with which status) is not in the definitions; the 400
    below is the status such a refusal would take.

    Args:
        identity_profile_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | TaskResultSimplified]
    """

    kwargs = _get_kwargs(
        identity_profile_id=identity_profile_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    identity_profile_id: str,
    *,
    client: AuthenticatedClient,
) -> (
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | TaskResultSimplified
    | None
):
    """Delete one identity profile

     Starts deleting the profile with this id and answers 202 with a reference
    to the (bulk delete) task that does it, before the work is done. SailPoint
    lists the right `idn:identity-profile:delete`, user level `ORG_ADMIN`,
    for a user's token. Whether ISC refuses a profile that still has
    identities (and with which status) is not in the definitions; the 400
    below is the status such a refusal would take.

    Args:
        identity_profile_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | TaskResultSimplified
    """

    return (
        await asyncio_detailed(
            identity_profile_id=identity_profile_id,
            client=client,
        )
    ).parsed
