"""`make demo` ends by saying where the command it used is installed and how to run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from iscctl.demo import run_it_yourself


def test_the_demo_names_a_command_that_runs() -> None:
    text = run_it_yourself()
    commands = [line.split()[0] for line in text.splitlines() if line.startswith("  ")]
    assert commands and len(set(commands)) == 1, text
    command = Path(commands[0])
    if not command.is_absolute():
        command = Path.cwd() / command
    assert command.parent == Path(sys.executable).parent
    result = subprocess.run([command, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "identity-profiles" in result.stdout, result.stderr
    assert "source " in text and "activate" in text
