"""`make` keeps .venv to one interpreter: a .venv made by another Python (an older one,
or one that no longer runs) is recreated, and a Python older than 3.11 is refused with
the fix, instead of every later `make` failing the same way.

Each test runs the real Makefile in a scratch folder (outside the repository) with a
stand-in for the foreign interpreter: a script that answers like Python 3.10.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"
PYTHON_3_10 = """#!/bin/sh
# Answers the Makefile's questions as a Python 3.10 would.
case "$*" in
  *">= (3, 11)"*) echo 0 ;;
  *) echo 3.10 ;;
esac
"""


@pytest.fixture
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Not tmp_path: a whole venv there would be read by the suite's leak watch.
    folder = tmp_path_factory.mktemp("make-venv")
    for name in ("Makefile", "pyproject.toml", "package.json", "package-lock.json"):
        shutil.copy2(ROOT / name, folder / name)
    return folder


def make(
    project: Path, *args: str, python: str = sys.executable
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "VIRTUAL_ENV"}
    }
    return subprocess.run(
        ["make", "--no-print-directory", *args, f"PYTHON={python}"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def fake_interpreter(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PYTHON_3_10)
    path.chmod(0o755)
    return path


def venv_version(project: Path) -> str:
    probe = "import sys; print('%d.%d' % sys.version_info[:2])"
    python = project / ".venv" / "bin" / "python"
    return subprocess.run([python, "-c", probe], capture_output=True, text=True).stdout.strip()


def test_a_venv_made_by_python_3_10_is_recreated(project: Path) -> None:
    fake_interpreter(project / ".venv" / "bin" / "python")
    (project / ".venv" / ".installed-dev-1-py3.10").touch()
    result = make(project, "venv")
    assert result.returncode == 0, result.stderr
    assert (
        f"make: .venv was made by Python 3.10; recreating it with {sys.executable} ({PYTHON})"
        in (result.stdout)
    )
    assert venv_version(project) == PYTHON
    assert not list((project / ".venv").glob(".installed-*")), "old stamps went with it"

    again = make(project, "venv")  # now it is ours: nothing to do
    assert again.returncode == 0 and again.stdout == "", again.stdout + again.stderr


def test_a_venv_whose_python_no_longer_runs_is_recreated(project: Path) -> None:
    (project / ".venv" / "bin").mkdir(parents=True)
    (project / ".venv" / "bin" / "python").symlink_to(project / "removed-python3.11")
    result = make(project, "venv")
    assert result.returncode == 0, result.stderr
    assert "was made by a Python that no longer runs; recreating it" in result.stdout
    assert venv_version(project) == PYTHON


def test_install_goes_through_the_check_when_the_venv_is_foreign(project: Path) -> None:
    fake_interpreter(project / ".venv" / "bin" / "python")
    planned = make(project, "-n", "install")
    assert planned.returncode == 0, planned.stderr
    steps = planned.stdout
    assert "recreating it with" in steps and "pip" in steps
    assert steps.index("recreating it with") < steps.index("pip"), steps


def test_a_python_older_than_3_11_is_refused_with_the_fix(project: Path) -> None:
    old = fake_interpreter(project / "bin" / "python3.10")
    result = make(project, "venv", python=str(old))
    assert result.returncode == 2
    assert not (project / ".venv").exists()
    (line,) = result.stderr.splitlines()[:1]
    assert "iscctl needs Python 3.11 or later" in line and "is 3.10" in line
    assert "make PYTHON=python3.11" in line
