"""Reading YAML import files: safe loading that changes nothing on the way to the tenant.

Kept apart from files.py so that PyYAML is imported only when a YAML file is read:
most exports are JSON, and start-up time is paid on every run.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

from iscctl.profiles.aliases import check_aliases
from iscctl.profiles.files import Document, InexactNumber, InputFileError
from iscctl.profiles.files import _decode as decode


class _YamlLoader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML loading that keeps timestamps as the strings they are in the file,
    refuses a key given twice in one mapping (PyYAML would keep the last silently), and
    marks floats a double cannot carry exactly, as the JSON reader does."""

    has_inexact_numbers = False

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        value: float = super().construct_yaml_float(node)
        text = str(self.construct_scalar(node)).replace("_", "")
        try:
            exact = value - value == 0 and Decimal(repr(value)) == Decimal(text)
        except ArithmeticError:  # sexagesimal and other YAML 1.1 oddities: no claim
            exact = value - value == 0
        if exact:
            return value
        self.has_inexact_numbers = True
        return InexactNumber(text if value - value == 0 else repr(value))

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int | float | bool) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} given twice in one mapping", key_node.start_mark
                )
            seen.add(key)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


_YamlLoader.add_constructor("tag:yaml.org,2002:float", _YamlLoader.construct_yaml_float)
_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(raw: bytes, label: str) -> Document:
    loader = _YamlLoader(decode(raw, label))  # a SafeLoader: builds plain values only
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(label, None)
        check_aliases(node, label)  # before building values: a bomb never gets built
        data = loader.construct_document(node)
        return Document(label, data, has_suspect_values=loader.has_inexact_numbers)
    except RecursionError:
        raise InputFileError(label, "not usable: nested too deeply") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputFileError(label, f"not valid YAML: {error.problem}{where}") from None
    except yaml.YAMLError as error:
        raise InputFileError(label, f"not valid YAML: {str(error).splitlines()[0]}") from None
    finally:
        loader.dispose()
