"""``--mappings FILE``: explicit rules that override the automatic match by id or name.

A YAML mapping per kind, old id or name (as in the exported files) to new id or name
(as in the target tenant)::

    sources:
      HR Workday (sandbox): HR Workday
      2c9180867d0a1b2c017d0a4e5f6a1001: 2c91808a7813090a017814121e121518
    transforms:
      Old Email Transform: Email Transform
    identities:
      Jane Admin (dev): Jane Admin

Every error names the file and the line: an unknown kind, a rule that is not
``OLD: NEW`` with two non-empty strings, two rules for one OLD, and (once the target
is read) a NEW that the target does not hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iscctl.profiles.problems import Problem, ProfileInputError

KIND_KEYS = {"sources": "source", "transforms": "transform", "identities": "identity"}


@dataclass(frozen=True)
class Rule:
    kind: str  # source, transform, identity
    old: str
    new: str
    line: int


@dataclass
class MappingRules:
    label: str = "--mappings"
    rules: list[Rule] = field(default_factory=list)

    def rule_for(self, kind: str, ref_id: Any, ref_name: Any) -> Rule | None:
        """The rule for a reference: one whose OLD is its id wins over one for its name."""
        candidates = [r for r in self.rules if r.kind == kind]
        for value in (ref_id, ref_name):
            if isinstance(value, str):
                found = next((r for r in candidates if r.old == value), None)
                if found is not None:
                    return found
        return None

    def check_targets(self, known: dict[str, Iterable[tuple[str, str]]]) -> list[Problem]:
        """A rule whose NEW is neither an id nor a name the target holds, per kind."""
        problems = []
        for rule in self.rules:
            values = {value for pair in known.get(rule.kind, ()) for value in pair}
            folded = {value.casefold() for value in values}
            if rule.new not in values and rule.new.casefold() not in folded:
                problems.append(
                    Problem(
                        f"{self.label}:{rule.line}",
                        "",
                        f"{rule.kind} {rule.new!r} (the NEW of {rule.old!r}) does not exist in"
                        " the target tenant; give an id or name the target holds",
                    )
                )
        return problems


def read_mappings(path: str | Path) -> MappingRules:
    """Parse a mappings file; raise ProfileInputError naming each bad line."""
    import yaml

    label = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ProfileInputError(
            [Problem(label, "", f"cannot be read ({error.strerror or error})")]
        ) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = f":{mark.line + 1}" if mark else ""
        raise ProfileInputError(
            [Problem(f"{label}{line}", "", f"not valid YAML: {error.problem}")]
        ) from None
    rules = MappingRules(label)
    if root is None:
        return rules
    problems: list[Problem] = []
    if not isinstance(root, yaml.MappingNode):
        raise ProfileInputError(
            [
                Problem(
                    f"{label}:1",
                    "",
                    "expected a mapping of kinds (sources, transforms, identities)",
                )
            ]
        )
    seen_kinds: set[str] = set()
    for kind_node, rules_node in root.value:
        line = kind_node.start_mark.line + 1
        kind_key = kind_node.value if isinstance(kind_node, yaml.ScalarNode) else None
        kind = KIND_KEYS.get(str(kind_key))
        if kind is None:
            problems.append(
                Problem(
                    f"{label}:{line}",
                    "",
                    f"unknown kind {kind_key!r}; expected one of {', '.join(KIND_KEYS)}",
                )
            )
            continue
        if kind in seen_kinds:
            problems.append(Problem(f"{label}:{line}", "", f"{kind_key!r} given twice"))
            continue
        seen_kinds.add(kind)
        if isinstance(rules_node, yaml.ScalarNode) and rules_node.value in ("", "~", "null"):
            continue
        if not isinstance(rules_node, yaml.MappingNode):
            problems.append(Problem(f"{label}:{line}", "", f"{kind_key}: expected OLD: NEW lines"))
            continue
        first_line: dict[str, int] = {}
        for old_node, new_node in rules_node.value:
            rule_line = old_node.start_mark.line + 1
            old, new = _scalar(old_node), _scalar(new_node)
            if old is None or new is None:
                problems.append(
                    Problem(
                        f"{label}:{rule_line}",
                        "",
                        f"{kind_key}: expected OLD: NEW, two non-empty ids or names",
                    )
                )
                continue
            if old in first_line:
                problems.append(
                    Problem(
                        f"{label}:{rule_line}",
                        "",
                        f"two rules for {kind} {old!r} (also line {first_line[old]}); keep one",
                    )
                )
                continue
            first_line[old] = rule_line
            rules.rules.append(Rule(kind, old, new, rule_line))
    if problems:
        raise ProfileInputError(problems)
    return rules


def _scalar(node: Any) -> str | None:
    import yaml

    if isinstance(node, yaml.ScalarNode) and str(node.value).strip():
        return str(node.value).strip()
    return None
