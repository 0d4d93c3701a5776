"""YAML anchors and aliases, checked on the composed node graph before any value is built.

An alias (``*name``) repeats the value anchored as ``&name``. PyYAML shares one
Python object for every repetition, so a document whose aliases nest ("billion
laughs") is small in memory and passes validation, and then explodes when the body is
written as JSON (gigabytes, or a 33 MB request); an alias inside the value it names
makes a cycle that only JSON writing notices ("Circular reference"), after the
profiles before it were sent. Both are refused here, at file reading, with the JSON
path of the offending alias, so nothing of such a file is ever sent (dry run or not).

The rule: aliases may repeat at most as many values as the file writes out, and
never fewer than :data:`ALIAS_ALLOWANCE` (so anchors shared by many profiles still
work). Counting is on the node graph, where a repeated value is the same node: each
node is measured once, so the check is linear in the size of the file, not of its
expansion.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from iscctl.profiles.problems import Problem, ProfileInputError, json_path

ALIAS_ALLOWANCE = 10_000
"""Values that aliases may add beyond those written, whatever the size of the file."""


class _Refused(Exception):
    def __init__(self, path: list[str | int], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


@dataclass
class _Walk:
    """One pass over the node graph in document order."""

    sizes: dict[int, int] = field(default_factory=dict)  # id(node) -> values once expanded
    open_nodes: set[int] = field(default_factory=set)  # nodes on the current path
    added: int = 0  # values repeated by aliases so far
    limit: int | None = None  # when set, stop at the alias that passes it

    def size(self, node: yaml.Node, path: list[str | int]) -> int:
        key = id(node)
        if key in self.open_nodes:
            raise _Refused(
                path,
                "recursive YAML alias: this value contains itself (the value anchored at"
                f" line {node.start_mark.line + 1}); write the value out without the alias",
            )
        known = self.sizes.get(key)
        if known is not None:  # a node met before: an alias repeating it
            self.added += known
            if self.limit is not None and self.added > self.limit:
                raise _Refused(
                    path,
                    f"YAML aliases repeat more than {self.limit:,} values by here (this one"
                    f" repeats {known:,}, anchored at line {node.start_mark.line + 1}); an"
                    " alias bomb? write the values out or use fewer aliases",
                )
            return known
        self.open_nodes.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                total += self.size(item, [*path, index])
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                label = _key_label(key_node)
                total += self.size(key_node, [*path, label])
                total += self.size(value_node, [*path, label])
        self.open_nodes.discard(key)
        self.sizes[key] = total
        return total


def _key_label(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    return "?"


def check_aliases(root: yaml.Node, label: str) -> None:
    """Raise ProfileInputError (file and JSON path) for a recursive or exploding alias."""
    walk = _Walk()
    try:
        walk.size(root, [])
        written = len(walk.sizes)
        limit = max(ALIAS_ALLOWANCE, written)
        if walk.added > limit:  # find where, in document order, the limit is passed
            _Walk(limit=limit).size(root, [])
    except _Refused as refused:
        raise ProfileInputError(
            [Problem(label, json_path("", refused.path), refused.message)]
        ) from None
