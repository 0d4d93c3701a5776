"""Finding the ids that made the tenant refuse a batch.

ISC answers a batch holding unknown ids with a 404 whose causes name them
(`Identity ids not found: a,b`). When the ids are named we drop them and send
the rest again in one request; when a 400/404 names none we split the batch in
halves, so k bad ids in n cost about 2·k·log2(n) extra requests instead of
failing n good ids for one bad one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from iscctl.errors import APIStatusError, BadRequestError, NotFoundError

_SEPARATORS = re.compile(r"[\s,;'\"\[\](){}]+")


def refusal_about_ids(error: Exception) -> bool:
    """A 400/404 in ISC's ErrorResponseDto shape: it may be about some of the ids.

    A 400 without a detailCode (`{"error": "Experimental Header is missing..."}`)
    or a 404 without one (the path does not exist in this API version) is about
    the request, and splitting the batch would only repeat it.
    """
    return isinstance(error, BadRequestError | NotFoundError) and bool(error.detail_code)


def named_ids(error: APIStatusError, batch: Sequence[str]) -> dict[str, str]:
    """The ids of `batch` that the error's texts name, each with that text minus the ids
    (`Identity ids not found: a,b` gives `Identity ids not found` for a and for b)."""
    wanted = set(batch)
    found: dict[str, str] = {}
    for text in [*error.causes, *error.messages]:
        named = {
            candidate
            for token in _SEPARATORS.split(text)
            for candidate in (token, token.strip(":."))
            if candidate in wanted
        }
        reason = _without(text, named)
        for identity in named:
            found.setdefault(identity, reason)
    return found


def _without(text: str, ids: set[str]) -> str:
    for identity in sorted(ids, key=len, reverse=True):
        text = text.replace(identity, " ")
    return " ".join(text.split()).rstrip(" ,;:") or text


def reason_of(error: APIStatusError) -> str:
    """The one-line reason to report for a refused id."""
    texts = [*error.messages, *error.causes]
    return texts[0] if texts else error.message
