from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_field_response import ErrorFieldResponse
from ...models.error_response_dto import ErrorResponseDto
from ...models.identity import Identity
from ...models.identity_default_filter import IdentityDefaultFilter
from ...models.rate_limit_exceeded_response import RateLimitExceededResponse
from ...types import UNSET, Response, Unset, status_of


def _get_kwargs(
    *,
    filters: str | Unset = UNSET,
    sorters: str | Unset = UNSET,
    default_filter: IdentityDefaultFilter | Unset = UNSET,
    count: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["filters"] = filters

    params["sorters"] = sorters

    json_default_filter: str | Unset = UNSET
    if not isinstance(default_filter, Unset):
        json_default_filter = default_filter.value

    params["defaultFilter"] = json_default_filter

    params["count"] = count

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/identities",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | list[Identity]
    | None
):
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = Identity.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponseDto.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorFieldResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponseDto.from_dict(response.json())

        return response_403

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
    ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | list[Identity]
]:
    def parse() -> (
        ErrorFieldResponse
        | ErrorResponseDto
        | RateLimitExceededResponse
        | list[Identity]
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
    *,
    client: AuthenticatedClient,
    filters: str | Unset = UNSET,
    sorters: str | Unset = UNSET,
    default_filter: IdentityDefaultFilter | Unset = UNSET,
    count: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
) -> Response[
    ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | list[Identity]
]:
    """List identities

     Identities, filtered with ISC's filter grammar (`id eq/in`, `name`,
    `alias`, `firstname`, `lastname`, `email` `eq/sw`, `cloudStatus`,
    `processingState`, `correlated`, `protected` `eq`). Without
    `defaultFilter=NONE` uncorrelated identities are left out. Not in v3.

    Args:
        filters (str | Unset):
        sorters (str | Unset):
        default_filter (IdentityDefaultFilter | Unset):
        count (bool | Unset):
        limit (int | Unset):
        offset (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | list[Identity]]
    """

    kwargs = _get_kwargs(
        filters=filters,
        sorters=sorters,
        default_filter=default_filter,
        count=count,
        limit=limit,
        offset=offset,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    filters: str | Unset = UNSET,
    sorters: str | Unset = UNSET,
    default_filter: IdentityDefaultFilter | Unset = UNSET,
    count: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
) -> (
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | list[Identity]
    | None
):
    """List identities

     Identities, filtered with ISC's filter grammar (`id eq/in`, `name`,
    `alias`, `firstname`, `lastname`, `email` `eq/sw`, `cloudStatus`,
    `processingState`, `correlated`, `protected` `eq`). Without
    `defaultFilter=NONE` uncorrelated identities are left out. Not in v3.

    Args:
        filters (str | Unset):
        sorters (str | Unset):
        default_filter (IdentityDefaultFilter | Unset):
        count (bool | Unset):
        limit (int | Unset):
        offset (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | list[Identity]
    """

    return sync_detailed(
        client=client,
        filters=filters,
        sorters=sorters,
        default_filter=default_filter,
        count=count,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    filters: str | Unset = UNSET,
    sorters: str | Unset = UNSET,
    default_filter: IdentityDefaultFilter | Unset = UNSET,
    count: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
) -> Response[
    ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | list[Identity]
]:
    """List identities

     Identities, filtered with ISC's filter grammar (`id eq/in`, `name`,
    `alias`, `firstname`, `lastname`, `email` `eq/sw`, `cloudStatus`,
    `processingState`, `correlated`, `protected` `eq`). Without
    `defaultFilter=NONE` uncorrelated identities are left out. Not in v3.

    Args:
        filters (str | Unset):
        sorters (str | Unset):
        default_filter (IdentityDefaultFilter | Unset):
        count (bool | Unset):
        limit (int | Unset):
        offset (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | list[Identity]]
    """

    kwargs = _get_kwargs(
        filters=filters,
        sorters=sorters,
        default_filter=default_filter,
        count=count,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    filters: str | Unset = UNSET,
    sorters: str | Unset = UNSET,
    default_filter: IdentityDefaultFilter | Unset = UNSET,
    count: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
) -> (
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | list[Identity]
    | None
):
    """List identities

     Identities, filtered with ISC's filter grammar (`id eq/in`, `name`,
    `alias`, `firstname`, `lastname`, `email` `eq/sw`, `cloudStatus`,
    `processingState`, `correlated`, `protected` `eq`). Without
    `defaultFilter=NONE` uncorrelated identities are left out. Not in v3.

    Args:
        filters (str | Unset):
        sorters (str | Unset):
        default_filter (IdentityDefaultFilter | Unset):
        count (bool | Unset):
        limit (int | Unset):
        offset (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | list[Identity]
    """

    return (
        await asyncio_detailed(
            client=client,
            filters=filters,
            sorters=sorters,
            default_filter=default_filter,
            count=count,
            limit=limit,
            offset=offset,
        )
    ).parsed
