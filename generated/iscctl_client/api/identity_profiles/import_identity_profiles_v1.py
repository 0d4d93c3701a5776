from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_field_response import ErrorFieldResponse
from ...models.error_response_dto import ErrorResponseDto
from ...models.identity_profile_exported_object import IdentityProfileExportedObject
from ...models.object_import_result import ObjectImportResult
from ...models.rate_limit_exceeded_response import RateLimitExceededResponse
from ...types import Response, status_of


def _get_kwargs(
    *,
    body: list[IdentityProfileExportedObject],
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/identity-profiles/v1/import",
    }

    _kwargs["json"] = []
    for componentsschemas_import_identity_profiles_request_item_data in body:
        componentsschemas_import_identity_profiles_request_item = (
            componentsschemas_import_identity_profiles_request_item_data.to_dict()
        )
        _kwargs["json"].append(componentsschemas_import_identity_profiles_request_item)

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ErrorFieldResponse
    | ErrorResponseDto
    | ObjectImportResult
    | RateLimitExceededResponse
    | None
):
    if response.status_code == 200:
        response_200 = ObjectImportResult.from_dict(response.json())

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
    | ObjectImportResult
    | RateLimitExceededResponse
]:
    def parse() -> (
        ErrorFieldResponse
        | ErrorResponseDto
        | ObjectImportResult
        | RateLimitExceededResponse
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
    body: list[IdentityProfileExportedObject],
) -> Response[
    ErrorFieldResponse
    | ErrorResponseDto
    | ObjectImportResult
    | RateLimitExceededResponse
]:
    """Import identity profiles (per-service path)

     The same operation as `importIdentityProfiles` on SailPoint's
    per-service path, directly under the API root.

    Args:
        body (list[IdentityProfileExportedObject]): Exported identity profiles; no size limit is
            declared.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorFieldResponse | ErrorResponseDto | ObjectImportResult | RateLimitExceededResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: list[IdentityProfileExportedObject],
) -> (
    ErrorFieldResponse
    | ErrorResponseDto
    | ObjectImportResult
    | RateLimitExceededResponse
    | None
):
    """Import identity profiles (per-service path)

     The same operation as `importIdentityProfiles` on SailPoint's
    per-service path, directly under the API root.

    Args:
        body (list[IdentityProfileExportedObject]): Exported identity profiles; no size limit is
            declared.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorFieldResponse | ErrorResponseDto | ObjectImportResult | RateLimitExceededResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: list[IdentityProfileExportedObject],
) -> Response[
    ErrorFieldResponse
    | ErrorResponseDto
    | ObjectImportResult
    | RateLimitExceededResponse
]:
    """Import identity profiles (per-service path)

     The same operation as `importIdentityProfiles` on SailPoint's
    per-service path, directly under the API root.

    Args:
        body (list[IdentityProfileExportedObject]): Exported identity profiles; no size limit is
            declared.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorFieldResponse | ErrorResponseDto | ObjectImportResult | RateLimitExceededResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: list[IdentityProfileExportedObject],
) -> (
    ErrorFieldResponse
    | ErrorResponseDto
    | ObjectImportResult
    | RateLimitExceededResponse
    | None
):
    """Import identity profiles (per-service path)

     The same operation as `importIdentityProfiles` on SailPoint's
    per-service path, directly under the API root.

    Args:
        body (list[IdentityProfileExportedObject]): Exported identity profiles; no size limit is
            declared.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorFieldResponse | ErrorResponseDto | ObjectImportResult | RateLimitExceededResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
