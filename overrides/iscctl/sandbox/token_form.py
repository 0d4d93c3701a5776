"""The form fields of a token request, in whichever body encoding the client chose.

SailPoint's TypeScript SDK posts `multipart/form-data`, its Python SDKs and
curl `application/x-www-form-urlencoded`; a body without a Content-Type is
read as urlencoded, as most servers do. Multipart bodies are parsed by
python-multipart (through Starlette's `Request.form`), the parser Starlette
itself relies on, rather than by hand.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

# A token request has three fields; anything much bigger is not one.
MAX_FIELDS: Final = 50


class TokenFormUnreadable(Exception):
    """The body claims to be a form but cannot be read as one; the text says why."""


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


async def token_form(request: Request) -> dict[str, str]:
    """The form fields of the body (empty when the body is not a form)."""
    media_type = _media_type(request)
    if media_type == "multipart/form-data":
        return await _multipart(request)
    if media_type in {"", "application/x-www-form-urlencoded"}:
        body = await request.body()
        return dict(parse_qsl(body.decode("utf-8", errors="replace")))
    return {}


async def _multipart(request: Request) -> dict[str, str]:
    try:
        form = await request.form(max_files=MAX_FIELDS, max_fields=MAX_FIELDS)
    except (MultiPartException, HTTPException) as error:
        # Inside an app Starlette re-raises the parser's complaint as HTTPException(400).
        why = error.detail if isinstance(error, HTTPException) else error.message
        raise TokenFormUnreadable(f"the multipart/form-data body cannot be read: {why}") from None
    fields: dict[str, str] = {}
    try:
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):  # a field sent with a filename
                data = await value.read()
                fields[name] = data.decode("utf-8", errors="replace")
            else:
                fields[name] = value
    finally:
        await form.close()
    return fields
