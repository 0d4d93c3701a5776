from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_field_response import ErrorFieldResponse
from ...models.error_response_dto import ErrorResponseDto
from ...models.process_bad_request_body import ProcessBadRequestBody
from ...models.process_identities_request import ProcessIdentitiesRequest
from ...models.rate_limit_exceeded_response import RateLimitExceededResponse
from ...models.task_result_response import TaskResultResponse
from ...types import Response, status_of


def _get_kwargs(
    *,
    body: ProcessIdentitiesRequest,
    x_sail_point_experimental: str = "true",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["X-SailPoint-Experimental"] = x_sail_point_experimental

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/identities/v1/process",
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
    | ProcessBadRequestBody
    | RateLimitExceededResponse
    | TaskResultResponse
    | None
):
    if response.status_code == 202:
        response_202 = TaskResultResponse.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = ProcessBadRequestBody.from_dict(response.json())

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
    | ProcessBadRequestBody
    | RateLimitExceededResponse
    | TaskResultResponse
]:
    def parse() -> (
        ErrorFieldResponse
        | ErrorResponseDto
        | ProcessBadRequestBody
        | RateLimitExceededResponse
        | TaskResultResponse
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
    body: ProcessIdentitiesRequest,
    x_sail_point_experimental: str = "true",
) -> Response[
    ErrorFieldResponse
    | ErrorResponseDto
    | ProcessBadRequestBody
    | RateLimitExceededResponse
    | TaskResultResponse
]:
    """Process a list of identities (per-service path)

     The same operation as `startIdentityProcessing` on SailPoint's
    per-service path, directly under the API root. Requires the header
    `X-SailPoint-Experimental: true`.

    Args:
        x_sail_point_experimental (str):  Default: 'true'.
        body (ProcessIdentitiesRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorFieldResponse | ErrorResponseDto | ProcessBadRequestBody | RateLimitExceededResponse | TaskResultResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        x_sail_point_experimental=x_sail_point_experimental,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ProcessIdentitiesRequest,
    x_sail_point_experimental: str = "true",
) -> (
    ErrorFieldResponse
    | ErrorResponseDto
    | ProcessBadRequestBody
    | RateLimitExceededResponse
    | TaskResultResponse
    | None
):
    """Process a list of identities (per-service path)

     The same operation as `startIdentityProcessing` on SailPoint's
    per-service path, directly under the API root. Requires the header
    `X-SailPoint-Experimental: true`.

    Args:
        x_sail_point_experimental (str):  Default: 'true'.
        body (ProcessIdentitiesRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorFieldResponse | ErrorResponseDto | ProcessBadRequestBody | RateLimitExceededResponse | TaskResultResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        x_sail_point_experimental=x_sail_point_experimental,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ProcessIdentitiesRequest,
    x_sail_point_experimental: str = "true",
) -> Response[
    ErrorFieldResponse
    | ErrorResponseDto
    | ProcessBadRequestBody
    | RateLimitExceededResponse
    | TaskResultResponse
]:
    """Process a list of identities (per-service path)

     The same operation as `startIdentityProcessing` on SailPoint's
    per-service path, directly under the API root. Requires the header
    `X-SailPoint-Experimental: true`.

    Args:
        x_sail_point_experimental (str):  Default: 'true'.
        body (ProcessIdentitiesRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorFieldResponse | ErrorResponseDto | ProcessBadRequestBody | RateLimitExceededResponse | TaskResultResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        x_sail_point_experimental=x_sail_point_experimental,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ProcessIdentitiesRequest,
    x_sail_point_experimental: str = "true",
) -> (
    ErrorFieldResponse
    | ErrorResponseDto
    | ProcessBadRequestBody
    | RateLimitExceededResponse
    | TaskResultResponse
    | None
):
    """Process a list of identities (per-service path)

     The same operation as `startIdentityProcessing` on SailPoint's
    per-service path, directly under the API root. Requires the header
    `X-SailPoint-Experimental: true`.

    Args:
        x_sail_point_experimental (str):  Default: 'true'.
        body (ProcessIdentitiesRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorFieldResponse | ErrorResponseDto | ProcessBadRequestBody | RateLimitExceededResponse | TaskResultResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_sail_point_experimental=x_sail_point_experimental,
        )
    ).parsed
