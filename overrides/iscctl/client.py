"""The public facade: `Client` (synchronous) and `AsyncClient`.

Work in progress: the signatures are final, the bodies come next.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from attrs import define

from iscctl.retry import RetryPolicy

if TYPE_CHECKING:
    from iscctl_client.models import ObjectImportResult, TaskResultResponse

__all__ = ["DEFAULT_RATE_LIMIT", "AsyncClient", "Client", "ClientStats"]

DEFAULT_RATE_LIMIT: tuple[int, float] = (100, 10.0)


@define
class ClientStats:
    """What a client did so far."""

    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    token_refreshes: int = 0


class AsyncClient:
    """The asynchronous client."""

    def __init__(
        self,
        base_url: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        version: str | None = None,
        environment: str | None = None,
        retry: RetryPolicy | None = None,
        rate_limit: tuple[int, float] | None = DEFAULT_RATE_LIMIT,
        timeout: float = 30.0,
    ) -> None:
        raise NotImplementedError

    @classmethod
    def from_environment(cls, **overrides: Any) -> Self:
        return cls(**overrides)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        raise NotImplementedError

    async def process_identities(
        self, ids: Sequence[str], *, retry: RetryPolicy | None = None
    ) -> TaskResultResponse:
        raise NotImplementedError

    async def import_identity_profiles(
        self, objects: Sequence[Mapping[str, Any]], *, retry: RetryPolicy | None = None
    ) -> ObjectImportResult:
        raise NotImplementedError


class Client:
    """The synchronous client."""

    def __init__(
        self,
        base_url: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        version: str | None = None,
        environment: str | None = None,
        retry: RetryPolicy | None = None,
        rate_limit: tuple[int, float] | None = DEFAULT_RATE_LIMIT,
        timeout: float = 30.0,
    ) -> None:
        raise NotImplementedError

    @classmethod
    def from_environment(cls, **overrides: Any) -> Self:
        return cls(**overrides)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        raise NotImplementedError

    def process_identities(
        self, ids: Sequence[str], *, retry: RetryPolicy | None = None
    ) -> TaskResultResponse:
        raise NotImplementedError

    def import_identity_profiles(
        self, objects: Sequence[Mapping[str, Any]], *, retry: RetryPolicy | None = None
    ) -> ObjectImportResult:
        raise NotImplementedError
