"""The demo names no file it deletes (#14.8): its journal and id list outlive it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from iscctl import demo

if TYPE_CHECKING:
    from conftest import LeakWatch  # tests/conftest.py

    from .conftest import World


def test_every_path_the_demo_prints_still_exists_afterwards(
    world: World, capfd: pytest.CaptureFixture[str], leak_watch: LeakWatch
) -> None:
    assert demo.main(["--identities", "60"]) == 0
    out, err = capfd.readouterr()
    text = out + err
    leak_watch.add("demo output", text)
    journals = re.findall(r"^journal:\s+(\S+)$", text, flags=re.MULTILINE)
    assert journals, text
    mentioned = {Path(p) for p in re.findall(r"(/\S+\.(?:jsonl|txt))", text)}
    assert {Path(j) for j in journals} <= mentioned
    for path in mentioned:
        assert path.exists(), f"the demo printed {path}, which is gone"
        assert path.is_relative_to(world.state), path
