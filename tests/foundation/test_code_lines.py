"""tools/code_lines.py, the counter behind the #11 figure "wire code measurably smaller"."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "code_lines.py"

SAMPLE = '''"""A module docstring
over two lines."""

import os  # a comment after code counts as code

# a comment alone does not


class Thing:
    """A class docstring."""

    text = """a multi-line string
    that is not a docstring counts on every line"""

    def method(self) -> str:
        """A method docstring."""
        return os.sep


async def run() -> None:
    """Docstring only: the function keeps its def line."""
'''


def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("code_lines", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_only_code_lines_count() -> None:
    # import, class, text (2 lines), def method, return, async def
    assert tool().code_lines(SAMPLE) == 7


def test_names_select_top_level_definitions() -> None:
    count = tool().code_lines
    assert count(SAMPLE, {"Thing"}) == 5  # class, text (2 lines), def method, return
    assert count(SAMPLE, {"Thing", "run"}) == 6
    assert count(SAMPLE, {"os", "absent"}) == 0  # an import is not a definition


def test_a_revision_is_read_from_git_and_a_missing_file_counts_zero() -> None:
    done = subprocess.run(
        [sys.executable, str(TOOL), "--rev", "HEAD", "tools/code_lines.py", "no/such/file.py"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    counts = [line.split()[0] for line in done.stdout.splitlines()]
    assert int(counts[0]) > 50  # this tool, as committed
    assert counts[1] == "0"
    assert counts[-1] == counts[0]
    assert done.stdout.splitlines()[-1].endswith("total at HEAD")
