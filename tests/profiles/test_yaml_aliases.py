"""YAML anchors and aliases (#12.4): bombs and recursion are refused before anything is sent.

Each file is run through the real command against the sandbox, with and without
--dry-run: exit 2, one line naming the file and the JSON path of the alias, and the
sandbox sees no import call.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from iscctl.profiles import ProfileInputError, plan_import

PROFILE = """\
- version: 1
  self: {{type: IDENTITY_PROFILE, name: {name}}}
  object:
    name: {name}
    priority: 10
    authoritativeSource: {{type: SOURCE, name: HR Workday}}
    identityAttributeConfig:
      enabled: true
      attributeTransforms:
        - identityAttributeName: email
          transformDefinition:
            type: static
            attributes:
{attributes}
"""
INDENT = " " * 14


def _laughs(levels: int) -> str:
    """An alias bomb of ``levels`` levels, nine aliases each, inside ``attributes``."""
    lines = [f'{INDENT}lol0: &lol0 "lol"']
    for level in range(1, levels + 1):
        previous = ", ".join([f"*lol{level - 1}"] * 9)
        lines.append(f"{INDENT}lol{level}: &lol{level} [{previous}]")
    return "\n".join(lines)


def _profiles(*attributes: str) -> str:
    return "".join(
        PROFILE.format(name=f"Profile {index}", attributes=block)
        for index, block in enumerate(attributes)
    )


PLAIN = f"{INDENT}value: mail"
RECURSIVE = f"{INDENT}value: &loop\n{INDENT}  inner: [*loop]"
TRANSFORM = "object.identityAttributeConfig.attributeTransforms[0].transformDefinition"

CASES = {
    "billion-laughs": (_profiles(_laughs(9)), f"[0].{TRANSFORM}.attributes.lol"),
    "seven-levels": (_profiles(PLAIN, _laughs(7)), f"[1].{TRANSFORM}.attributes.lol"),
    "recursive-middle": (
        _profiles(PLAIN, RECURSIVE, PLAIN),
        f"[1].{TRANSFORM}.attributes.value.inner[0]",
    ),
}


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry-run"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_alias_bombs_and_recursion_are_refused_before_sending(
    case: str,
    dry_run: bool,
    tmp_path: Path,
    run_import: Callable[..., Result],
    import_requests: Callable[[], int],
) -> None:
    text, path_start = CASES[case]
    file = tmp_path / f"{case}.yaml"
    file.write_text(text, encoding="utf-8")
    result = run_import(file, *(["--dry-run"] if dry_run else []))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"error: {file}: {path_start}"), lines[0]
    assert "YAML alias" in lines[0]
    assert lines[-1].endswith("nothing was sent.")
    assert "Traceback" not in result.output
    assert import_requests() == 0


def test_the_bomb_is_refused_at_the_alias_that_passes_the_allowance(tmp_path: Path) -> None:
    file = tmp_path / "bomb.yaml"
    file.write_text(_profiles(_laughs(9)), encoding="utf-8")
    with pytest.raises(ProfileInputError) as raised:
        plan_import(file)
    message = str(raised.value)
    assert "repeat more than 10,000 values" in message
    assert ".attributes.lol5[" in message  # 9**5 > 10,000: the fifth level passes it


def test_anchors_shared_between_profiles_are_fine(tmp_path: Path) -> None:
    """The everyday use of anchors: one transform written once, used by many profiles."""
    shared = f"{INDENT}value: &shared {{sourceName: HR Workday, attributeName: mail}}"
    reuse = f"{INDENT}value: *shared"
    file = tmp_path / "shared.yaml"
    file.write_text(_profiles(shared, *[reuse] * 30), encoding="utf-8")
    plan = plan_import(file)
    assert len(plan.profiles) == 31
    last = plan.profiles[-1].body["object"]["identityAttributeConfig"]["attributeTransforms"]
    assert last[0]["transformDefinition"]["attributes"]["value"] == {
        "sourceName": "HR Workday",
        "attributeName": "mail",
    }
