from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_field_response import ErrorFieldResponse
from ...models.error_response_dto import ErrorResponseDto
from ...models.identity_document import IdentityDocument
from ...models.rate_limit_exceeded_response import RateLimitExceededResponse
from ...models.search import Search
from ...types import UNSET, Response, Unset, status_of


def _get_kwargs(
    *,
    body: Search,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    count: bool | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["offset"] = offset

    params["limit"] = limit

    params["count"] = count

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/search/v1",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | list[IdentityDocument]
    | None
):
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = IdentityDocument.from_dict(response_200_item_data)

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
    | list[IdentityDocument]
]:
    def parse() -> (
        ErrorFieldResponse
        | ErrorResponseDto
        | RateLimitExceededResponse
        | list[IdentityDocument]
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
    body: Search,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    count: bool | Unset = UNSET,
) -> Response[
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | list[IdentityDocument]
]:
    """Search (per-service path)

     The same operation as `searchPost` on SailPoint's per-service path.

    Args:
        offset (int | Unset):
        limit (int | Unset):
        count (bool | Unset):
        body (Search): A search request (the fields iscctl uses; SailPoint declares more).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | list[IdentityDocument]]
    """

    kwargs = _get_kwargs(
        body=body,
        offset=offset,
        limit=limit,
        count=count,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: Search,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    count: bool | Unset = UNSET,
) -> (
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | list[IdentityDocument]
    | None
):
    """Search (per-service path)

     The same operation as `searchPost` on SailPoint's per-service path.

    Args:
        offset (int | Unset):
        limit (int | Unset):
        count (bool | Unset):
        body (Search): A search request (the fields iscctl uses; SailPoint declares more).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | list[IdentityDocument]
    """

    return sync_detailed(
        client=client,
        body=body,
        offset=offset,
        limit=limit,
        count=count,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: Search,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    count: bool | Unset = UNSET,
) -> Response[
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | list[IdentityDocument]
]:
    """Search (per-service path)

     The same operation as `searchPost` on SailPoint's per-service path.

    Args:
        offset (int | Unset):
        limit (int | Unset):
        count (bool | Unset):
        body (Search): A search request (the fields iscctl uses; SailPoint declares more).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | list[IdentityDocument]]
    """

    kwargs = _get_kwargs(
        body=body,
        offset=offset,
        limit=limit,
        count=count,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: Search,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    count: bool | Unset = UNSET,
) -> (
    ErrorFieldResponse
    | ErrorResponseDto
    | RateLimitExceededResponse
    | list[IdentityDocument]
    | None
):
    """Search (per-service path)

     The same operation as `searchPost` on SailPoint's per-service path.

    Args:
        offset (int | Unset):
        limit (int | Unset):
        count (bool | Unset):
        body (Search): A search request (the fields iscctl uses; SailPoint declares more).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorFieldResponse | ErrorResponseDto | RateLimitExceededResponse | list[IdentityDocument]
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            offset=offset,
            limit=limit,
            count=count,
        )
    ).parsed
