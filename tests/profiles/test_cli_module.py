"""The command module stays light: its --help must not load pydantic or the models."""

from __future__ import annotations

import subprocess
import sys

from iscctl.cli.profiles_command import CHUNK_SIZE
from iscctl.profiles.runner import DEFAULT_CHUNK_SIZE


def test_importing_the_command_loads_neither_pydantic_nor_the_generated_code() -> None:
    probe = (
        "import sys, iscctl.cli.profiles_command; "
        "print(sorted(m for m in ('pydantic', 'iscctl_models', 'iscctl_client', 'asyncio') "
        "if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert loaded == "[]"


def test_the_cli_default_chunk_size_is_the_python_apis() -> None:
    assert CHUNK_SIZE == DEFAULT_CHUNK_SIZE
