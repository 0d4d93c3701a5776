"""One distribution, `iscctl`, carries the generated client, the generated models and iscctl."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Build from a copy: a build backend may leave build/ behind, and stale files there
    # would end up in later wheels.
    source = out / "source"
    for name in ("overrides", "generated"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    # The build backend (hatchling, pinned in the dev extra) is already installed:
    # no build isolation, so the test needs no network.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(source)],
        check=True, capture_output=True, cwd=out,
    )  # fmt: skip
    (built,) = out.glob("iscctl-*.whl")
    return built


def test_wheel_holds_the_three_packages_with_py_typed(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in ("iscctl", "iscctl_client", "iscctl_models"):
        assert f"{package}/__init__.py" in names
        assert f"{package}/py.typed" in names
    assert "iscctl_client/api/identities/start_identity_processing.py" in names
    assert not [n for n in names if n.startswith(("tests/", "tools/", "bench/"))]


def test_wheel_declares_the_console_script(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    (entry_points,) = [n for n in archive.namelist() if n.endswith("entry_points.txt")]
    assert "iscctl = iscctl.cli.main:main" in archive.read(entry_points).decode()


def test_installed_wheel_imports_from_its_own_files(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    probe = (
        "import iscctl, iscctl_client, iscctl_models, iscctl_client.models as m\n"
        "for module in (iscctl, iscctl_client, iscctl_models):\n"
        "    print(module.__file__)\n"
        "print(m.TaskResultResponse.from_dict({'name': None}).name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, "PYTHONPATH": str(target)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    *files, name = result.stdout.split()
    assert all(file.startswith(str(target)) for file in files), files
    assert name == "None"
