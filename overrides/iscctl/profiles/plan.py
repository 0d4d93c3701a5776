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
from typing import TYPE_CHECKING, Any, BinaryIO

from iscctl.profiles.collector import collector_paused
from iscctl.profiles.files import STDIN, STDIN_LABEL, Document, read_document
from iscctl.profiles.problems import Problem, ProfileInputError
from iscctl.profiles.shapes import ProfileItem, SkippedObject, extract_profiles
from iscctl.profiles.transform import (
    SourceMapping,
    SourceRewrite,
    map_source,
    source_reference,
    strip_read_only,
)
from iscctl.profiles.validation import Candidate, validate_typed

if TYPE_CHECKING:
    from iscctl_models import (
        IdentityProfile,
        IdentityProfileAuthoritativeSource,
        IdentityProfileExportedObject,
    )

OBJECTS_LABEL = "<objects>"
MAP_SOURCE_LABEL = "--map-source"

Inputs = str | Path | Mapping[str, Any] | Sequence[str | Path] | Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class PlannedProfile:
    """One identity profile that passed validation: what is sent, and its typed view.

    ``body`` is the exported object exactly as it will be sent (the input minus
    read-only fields, with mappings applied: unknown fields, key order and exact
    numbers kept). ``model`` is the same object as the generated pydantic model,
    handed back by the one validation; everything after planning reads it.
    """

    file: str
    path: str
    body: dict[str, Any]
    model: IdentityProfileExportedObject
    stripped: tuple[str, ...] = ()
    rewrite: SourceRewrite | None = None

    @property
    def profile(self) -> IdentityProfile:
        """The ``object`` part (validation guarantees it is there)."""
        assert self.model.object is not None
        return self.model.object

    @property
    def name(self) -> str:
        return str(self.profile.name)

    @property
    def priority(self) -> int | None:
        return self.profile.priority

    @property
    def source(self) -> IdentityProfileAuthoritativeSource:
        return self.profile.authoritative_source

    @property
    def transform_count(self) -> int:
        config = self.profile.identity_attribute_config
        return len(config.attribute_transforms or []) if config is not None else 0


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
    with collector_paused():  # a large export is a million objects, none in a cycle
        return _plan(inputs, map_source, stdin)


def _plan(
    inputs: Inputs, map_source: Sequence[SourceMapping | str], stdin: BinaryIO | None
) -> ImportPlan:
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
    prepared = [_prepare(item, mappings) for item in items]
    problems.extend(_unused_mappings(mappings, prepared))
    checked = validate_typed(
        [
            Candidate(p.file, p.path, p.body, item.data if item.may_hold_suspect_values else None)
            for p, item in zip(prepared, items, strict=True)
        ]
    )
    problems.extend(checked.problems)
    if problems:
        raise ProfileInputError(problems)
    planned = [
        PlannedProfile(p.file, p.path, p.body, model, p.stripped, p.rewrite)
        for p, model in zip(prepared, checked.models, strict=True)
    ]
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


@dataclass(frozen=True)
class _Prepared:
    """An item after stripping and mapping, before validation: raw data only."""

    file: str
    path: str
    body: Any
    stripped: tuple[str, ...]
    rewrite: SourceRewrite | None


def _prepare(item: ProfileItem, mappings: list[SourceMapping]) -> _Prepared:
    body, stripped = strip_read_only(item.data)
    body, rewrite = map_source(body, mappings) if mappings else (body, None)
    return _Prepared(item.file, item.prefix, body, stripped, rewrite)


def _unused_mappings(mappings: list[SourceMapping], prepared: list[_Prepared]) -> list[Problem]:
    """A mapping whose OLD is no source's id or name is a typo or a wrong file: say so."""
    if not mappings or not prepared:
        return []
    sources = [p.rewrite.before if p.rewrite else source_reference(p.body) for p in prepared]
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


def _describe_source(source: dict[str, Any]) -> str:
    name, source_id = source.get("name"), source.get("id")
    return f"{name!r} (id {source_id})" if source_id else repr(name)
