"""Contains some shared types for properties"""

from collections.abc import Callable, Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, BinaryIO, Generic, Literal, TypeVar

from attrs import define, field


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint

    `parsed` is built from `content` when it is first read, not when the reply arrives:
    a caller that keeps only `content` (a page of a megabyte it reads as JSON) never
    pays for building the models. `Response(..., parsed=value)` holds that value.
    """

    status_code: HTTPStatus | int
    content: bytes
    headers: MutableMapping[str, str]
    _parsed: T | None = field(default=None, alias="parsed")
    _parse: Callable[[], T | None] | None = field(
        default=None, alias="parse", repr=False, eq=False
    )

    @property
    def parsed(self) -> T | None:
        """The body as the operation's model (an error model for an error status), or
        None when the body does not fit the spec"""
        if self._parse is not None:
            self._parsed, self._parse = self._parse(), None
        return self._parsed


def status_of(code: int) -> HTTPStatus | int:
    """The HTTPStatus of a reply's status, or the bare number when HTTPStatus has none"""
    try:
        return HTTPStatus(code)
    except ValueError:
        return code


__all__ = [
    "UNSET",
    "File",
    "FileTypes",
    "RequestFiles",
    "Response",
    "Unset",
    "status_of",
]
