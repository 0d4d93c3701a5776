"""The tenant's seeded identities and sources.

Seeded so that a test, a demo and a user's CI all see the same ids for the
same `seed`: ids look like ISC's (32 lowercase hex characters).
"""

from __future__ import annotations

import random
from pathlib import Path

from attrs import define

# Realistic names for the authoritative sources an identity profile can point at.
SOURCE_NAMES = (
    "HR Workday",
    "Active Directory",
    "Contractors CSV",
    "ServiceNow",
    "Azure AD",
)


@define(frozen=True)
class Source:
    id: str
    name: str


def _hex_ids(rng: random.Random, count: int) -> list[str]:
    """`count` distinct 32-hex ids; drawn in one block (a million take ~0.3 s)."""
    ids: list[str] = []
    seen: set[str] = set()
    while len(ids) < count:
        missing = count - len(ids)
        block = rng.randbytes(16 * missing).hex()
        for start in range(0, 32 * missing, 32):
            candidate = block[start : start + 32]
            if candidate not in seen:  # a repeat of 128 random bits: in theory only
                seen.add(candidate)
                ids.append(candidate)
    return ids


def seeded_identity_ids(size: int, seed: int) -> list[str]:
    """`size` distinct ids, the same ones for the same seed, in a stable order."""
    return _hex_ids(random.Random(f"identities:{seed}"), size)


def seeded_sources(seed: int) -> list[Source]:
    ids = _hex_ids(random.Random(f"sources:{seed}"), len(SOURCE_NAMES))
    return [Source(id=id_, name=name) for id_, name in zip(ids, SOURCE_NAMES, strict=True)]


def read_identity_ids(path: Path) -> list[str]:
    """Ids from a file, one per line; blank lines and `#` comments are skipped."""
    ids: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            text = line.strip()
            if text and not text.startswith("#"):
                ids.append(text)
    return ids


@define(frozen=True)
class Population:
    """Who exists in the tenant: identity ids (ordered, plus a set for lookups) and sources."""

    identity_ids: tuple[str, ...]
    known: frozenset[str]
    sources: tuple[Source, ...]

    @classmethod
    def build(cls, size: int, seed: int, ids_file: Path | None) -> Population:
        ids = seeded_identity_ids(size, seed)
        if ids_file is not None:
            seen = set(ids)
            for extra in read_identity_ids(ids_file):
                if extra not in seen:
                    seen.add(extra)
                    ids.append(extra)
        return cls(tuple(ids), frozenset(ids), tuple(seeded_sources(seed)))

    def unknown(self, identity_ids: list[str]) -> list[str]:
        """The ids not in the tenant, each once, in the order given."""
        if self.known.issuperset(identity_ids):  # the usual case, at C speed
            return []
        missing = [id_ for id_ in identity_ids if id_ not in self.known]
        return list(dict.fromkeys(missing))

    def resolve_source(self, id_: object, name: object) -> Source | None:
        """The source a reference points at: by id first, then by name."""
        for source in self.sources:
            if id_ is not None and source.id == id_:
                return source
        for source in self.sources:
            if name is not None and source.name == name:
                return source
        return None
