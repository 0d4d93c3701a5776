"""From input files (or objects) to the checked list of profiles an import would send.

Building the plan does everything that needs no tenant: reading every file, picking
the identity profiles, stripping read-only fields, mapping sources and validating. It
either returns a plan that is safe to send or raises one ProfileInputError listing
every problem in every file, so nothing is ever sent from a partly bad input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from iscctl.profiles.files import STDIN, STDIN_LABEL, Document, read_document
from iscctl.profiles.problems import Problem, ProfileInputError
from iscctl.profiles.shapes import ProfileItem, SkippedObject, extract_profiles
from iscctl.profiles.transform import (
    SourceMapping,
    SourceRewrite,
    map_source,
    strip_read_only,
)
from iscctl.profiles.validation import Candidate, validate

OBJECTS_LABEL = "<objects>"
MAP_SOURCE_LABEL = "--map-source"

Inputs = str | Path | Mapping[str, Any] | Sequence[str | Path] | Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class PlannedProfile:
    """One identity profile that passed validation, as it will be sent."""

    file: str
    path: str
    body: Any  # a dict once validated
    stripped: tuple[str, ...] = ()
    rewrite: SourceRewrite | None = None

    @property
    def profile(self) -> dict[str, Any]:
        """The ``object`` part (the IdentityProfile); empty if the input had none."""
        profile = self.body.get("object") if isinstance(self.body, dict) else None
        return profile if isinstance(profile, dict) else {}

    @property
    def name(self) -> str:
        return str(self.profile.get("name"))

    @property
    def priority(self) -> Any:
        return self.profile.get("priority")

    @property
    def source(self) -> dict[str, Any]:
        source = self.profile.get("authoritativeSource")
        return source if isinstance(source, dict) else {}

    @property
    def transform_count(self) -> int:
        config = self.profile.get("identityAttributeConfig")
        transforms = config.get("attributeTransforms") if isinstance(config, dict) else None
        return len(transforms) if isinstance(transforms, list) else 0


@dataclass(frozen=True)
class ImportPlan:
    """What an import would send, and what the input held that it will not send."""

    profiles: list[PlannedProfile]
    skipped: list[SkippedObject] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [profile.body for profile in self.profiles]

    def stripped_fields(self) -> tuple[list[str], int]:
        """The read-only fields removed (in a stable order) and from how many profiles."""
        seen: dict[str, None] = {}
        count = 0
        for profile in self.profiles:
            if profile.stripped:
                count += 1
                seen.update(dict.fromkeys(profile.stripped))
        return list(seen), count


def plan_import(
    inputs: Inputs,
    *,
    map_source: Sequence[SourceMapping | str] = (),
    stdin: BinaryIO | None = None,
) -> ImportPlan:
    """Read, pick, rewrite and validate; raise ProfileInputError with every problem found.

    ``inputs`` is a path (``-`` for stdin), a list of paths, one exported object or
    SP-Config export as a mapping, or a list of exported objects.
    """
    problems: list[Problem] = []
    mappings = _mappings(map_source, problems)
    documents, labels = _documents(inputs, stdin, problems)
    items: list[ProfileItem] = []
    skipped: list[SkippedObject] = []
    for document in documents:
        try:
            extraction = extract_profiles(document)
        except ProfileInputError as error:
            problems.extend(error.input_problems)
            continue
        items.extend(extraction.items)
        skipped.extend(extraction.skipped)
        problems.extend(extraction.problems)
    planned = [_prepare(item, mappings) for item in items]
    problems.extend(_unused_mappings(mappings, planned, items))
    problems.extend(
        validate(
            [
                Candidate(
                    p.file, p.path, p.body, item.data if item.may_hold_suspect_values else None
                )
                for p, item in zip(planned, items, strict=True)
            ]
        )
    )
    if problems:
        raise ProfileInputError(problems)
    return ImportPlan(profiles=planned, skipped=skipped, files=labels)


def _documents(
    inputs: Inputs, stdin: BinaryIO | None, problems: list[Problem]
) -> tuple[list[Document], list[str]]:
    if isinstance(inputs, Mapping):
        return [Document(OBJECTS_LABEL, dict(inputs), has_suspect_values=True)], [OBJECTS_LABEL]
    if isinstance(inputs, str | Path):
        inputs = [inputs]
    if not inputs:
        problems.append(Problem(OBJECTS_LABEL, "", "nothing to import: no file or object given"))
        return [], []
    if not all(isinstance(entry, str | Path) for entry in inputs):
        return [Document(OBJECTS_LABEL, list(inputs), has_suspect_values=True)], [OBJECTS_LABEL]
    documents: list[Document] = []
    labels: list[str] = []
    stdin_read = False
    for path in inputs:
        assert isinstance(path, str | Path)
        if str(path) == STDIN:
            if stdin_read:
                problems.append(Problem(STDIN_LABEL, "", "'-' (stdin) given more than once"))
                continue
            stdin_read = True
        try:
            document = read_document(path, stdin)
        except ProfileInputError as error:
            problems.extend(error.input_problems)
            continue
        documents.append(document)
        labels.append(document.label)
    return documents, labels


def _mappings(given: Sequence[SourceMapping | str], problems: list[Problem]) -> list[SourceMapping]:
    mappings: list[SourceMapping] = []
    for mapping in given:
        try:
            mappings.append(
                mapping if isinstance(mapping, SourceMapping) else SourceMapping.parse(mapping)
            )
        except ValueError as error:
            problems.append(Problem(MAP_SOURCE_LABEL, "", str(error)))
    return mappings


def _prepare(item: ProfileItem, mappings: list[SourceMapping]) -> PlannedProfile:
    body, stripped = strip_read_only(item.data)
    body, rewrite = map_source(body, mappings) if mappings else (body, None)
    return PlannedProfile(item.file, item.prefix, body, stripped, rewrite)


def _unused_mappings(
    mappings: list[SourceMapping], planned: list[PlannedProfile], items: list[ProfileItem]
) -> list[Problem]:
    """A mapping whose OLD is no source's id or name is a typo or a wrong file: say so."""
    if not mappings or not items:
        return []
    sources = [_original_source(profile) for profile in planned]
    references = {
        value
        for source in sources
        for key in ("id", "name")
        if isinstance(value := source.get(key), str)
    }
    unused = [mapping for mapping in mappings if mapping.old not in references]
    if not unused:
        return []
    known = sorted({_describe_source(source) for source in sources if source})
    found = "; ".join(known[:8]) + ("; …" if len(known) > 8 else "") or "none"
    return [
        Problem(
            MAP_SOURCE_LABEL,
            "",
            f"{mapping}: no authoritativeSource in the input has the id or name {mapping.old!r}"
            f" (sources in the input: {found})",
        )
        for mapping in unused
    ]


def _original_source(profile: PlannedProfile) -> dict[str, Any]:
    return profile.rewrite.before if profile.rewrite else profile.source


def _describe_source(source: dict[str, Any]) -> str:
    name, source_id = source.get("name"), source.get("id")
    return f"{name!r} (id {source_id})" if source_id else repr(name)
