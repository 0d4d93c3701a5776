"""Writing exported profiles so that two exports of one tenant diff cleanly in git.

The file is exactly what ``identity-profiles import`` reads: a JSON (or YAML) array of
exported objects (``version``, ``self``, ``object``). Deterministic: objects sorted by
profile name (then id), keys sorted at every level, two-space indentation, a final
newline, non-ASCII kept as written. Values are the tenant's JSON as sent (no model in
between), so nothing is lost or reformatted but the order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

FORMATS = ("json", "yaml")


def sorted_objects(objects: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    def key(item: dict[str, Any]) -> tuple[str, str]:
        profile = item.get("object")
        profile = profile if isinstance(profile, dict) else {}
        return str(profile.get("name") or "").casefold(), str(profile.get("id") or "")

    return sorted(objects, key=key)


def render(objects: Sequence[dict[str, Any]], output_format: str = "json") -> str:
    """The export file's text, deterministic for the same objects in any order."""
    ordered = sorted_objects(objects)
    if output_format == "yaml":
        import yaml

        return str(
            yaml.safe_dump(
                ordered, sort_keys=True, allow_unicode=True, default_flow_style=False, width=1000
            )
        )
    return json.dumps(ordered, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(objects: Sequence[dict[str, Any]], stream: TextIO, output_format: str = "json") -> None:
    stream.write(render(objects, output_format))


def name_filter(name: str) -> str:
    """``name eq "..."`` with ISC's escaping of ``\\`` and ``"`` inside the quotes."""
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'name eq "{escaped}"'


def combined(filters: str | None, name: str) -> str:
    return f"({filters}) and {name_filter(name)}" if filters else name_filter(name)
