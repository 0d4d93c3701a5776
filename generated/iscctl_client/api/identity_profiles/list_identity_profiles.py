from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_field_response import ErrorFieldResponse
from ...models.error_response_dto import ErrorResponseDto
from ...models.identity_profile import IdentityProfile
from ...models.rate_limit_exceeded_response import RateLimitExceededResponse
from ...types import UNSET, Response, Unset, status_of


def _get_kwargs(
    *,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    count: bool | Unset = UNSET,
    filters: str | Unset = UNSET,
    sorters: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["offset"] = offset

    params["count"] = count

    params["filters"] = filters

    params["sorters"] = sorters

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/identity-profiles",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | list[IdentityProfile]
    | None
):
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = IdentityProfile.from_dict(response_200_item_data)

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
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | list[IdentityProfile]
]:
    def parse() -> (
        ErrorFieldResponse
        | ErrorResponseDto
        | RateLimitExceededResponse
        | list[IdentityProfile]
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
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    count: bool | Unset = UNSET,
    filters: str | Unset = UNSET,
    sorters: str | Unset = UNSET,
) -> Response[
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | list[IdentityProfile]
]:
    """List identity profiles

     Filters: `id`, `name` with `eq`, `ne`, `ge`, `gt`, `in`, `le`, `sw`;
    `priority` with `eq`, `ne`. Sorters: `id`, `name`, `priority`, `created`,
    `modified`, `owner.id`, `owner.name`.

    Args:
        limit (int | Unset):
        offset (int | Unset):
        count (bool | Unset):
        filters (str | Unset):
        sorters (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | list[IdentityProfile]]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        count=count,
        filters=filters,
        sorters=sorters,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    count: bool | Unset = UNSET,
    filters: str | Unset = UNSET,
    sorters: str | Unset = UNSET,
) -> (
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | list[IdentityProfile]
    | None
):
    """List identity profiles

     Filters: `id`, `name` with `eq`, `ne`, `ge`, `gt`, `in`, `le`, `sw`;
    `priority` with `eq`, `ne`. Sorters: `id`, `name`, `priority`, `created`,
    `modified`, `owner.id`, `owner.name`.

    Args:
        limit (int | Unset):
        offset (int | Unset):
        count (bool | Unset):
        filters (str | Unset):
        sorters (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | list[IdentityProfile]
    """

    return sync_detailed(
        client=client,
        limit=limit,
        offset=offset,
        count=count,
        filters=filters,
        sorters=sorters,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    count: bool | Unset = UNSET,
    filters: str | Unset = UNSET,
    sorters: str | Unset = UNSET,
) -> Response[
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | list[IdentityProfile]
]:
    """List identity profiles

     Filters: `id`, `name` with `eq`, `ne`, `ge`, `gt`, `in`, `le`, `sw`;
    `priority` with `eq`, `ne`. Sorters: `id`, `name`, `priority`, `created`,
    `modified`, `owner.id`, `owner.name`.

    Args:
        limit (int | Unset):
        offset (int | Unset):
        count (bool | Unset):
        filters (str | Unset):
        sorters (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | list[IdentityProfile]]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        count=count,
        filters=filters,
        sorters=sorters,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    count: bool | Unset = UNSET,
    filters: str | Unset = UNSET,
    sorters: str | Unset = UNSET,
) -> (
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | list[IdentityProfile]
    | None
):
    """List identity profiles

     Filters: `id`, `name` with `eq`, `ne`, `ge`, `gt`, `in`, `le`, `sw`;
    `priority` with `eq`, `ne`. Sorters: `id`, `name`, `priority`, `created`,
    `modified`, `owner.id`, `owner.name`.

    Args:
        limit (int | Unset):
        offset (int | Unset):
        count (bool | Unset):
        filters (str | Unset):
        sorters (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | list[IdentityProfile]
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            offset=offset,
            count=count,
            filters=filters,
            sorters=sorters,
        )
    ).parsed
