"""Clean install, in a fresh virtual environment outside the repository.

1. `pip install .` (no extras, from a copy of the sources) gives the SDK and the CLI
   without a web server: `iscctl --help`, `import iscctl`, and `iscctl identities
   process` against a sandbox run from the test's own environment all work, while
   `iscctl sandbox` says in one line what to install.
2. The wheel with the `sandbox` extra then runs the whole product: a sandbox started
   from that install, and a process and an import against it.

Dependencies come from the package index pip is configured with (PyPI, or the
local mirror/wheel cache of the machine). When no index can be reached the test is
skipped and says why; any other install failure fails it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import venv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from iscctl.sandbox import SandboxServer

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cr3t-RELIABILITY-9d41c7e2b8"
"""The suite's client secret (conftest.py), so the leak watch knows it."""
INSTALL_TIMEOUT = 600
OFFLINE_SIGNS = (
    "NewConnectionError",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "No matching distribution found",
    "Could not find a version that satisfies",
    "ConnectTimeout",
)


def run(
    command: list[str | Path], cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
        check=False,
    )


def clean_environment(home: Path) -> dict[str, str]:
    """No trace of the repository or its venv: no PYTHONPATH, no VIRTUAL_ENV, no SAIL_*."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}
        and not k.startswith(("SAIL_", "ISCCTL_"))
    }
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT))
    )
    env.update(ISCCTL_CONFIG_DIR=str(home / "config"), ISCCTL_STATE_DIR=str(home / "state"))
    return env


def copy_sources(out: Path) -> Path:
    """What a clone holds for the package, so nothing is written into the working tree."""
    source = out / "source"
    for name in ("overrides", "generated"):
        shutil.copytree(
            ROOT / name, source / name, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
        )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    return source


def build_wheel(source: Path, out: Path, env: dict[str, str]) -> Path:
    built = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", out, source],
        cwd=out, env=env,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = out.glob("iscctl-*.whl")
    return wheel


def pip_install(python: Path, what: str, cwd: Path, env: dict[str, str]) -> None:
    installed = run([python, "-m", "pip", "install", "-q", what], cwd=cwd, env=env)
    if installed.returncode != 0:
        output = installed.stdout + installed.stderr
        if any(sign in output for sign in OFFLINE_SIGNS):
            pytest.skip(f"no package index reachable to install the dependencies: {output[-300:]}")
        pytest.fail(f"pip install {what} failed:\n{output}")


@pytest.mark.timeout(3 * INSTALL_TIMEOUT)  # two installs and a build, on a loaded machine
def test_pip_install_dot_then_the_wheel_with_the_sandbox_extra(
    tmp_path_factory: pytest.TempPathFactory,
    start_sandbox: Callable[..., SandboxServer],
    evidence: Any,
) -> None:
    home = tmp_path_factory.mktemp("clean-install")
    env = clean_environment(home)
    assert not home.is_relative_to(ROOT)
    source = copy_sources(home)
    venv.create(home / "venv", with_pip=True, clear=True)
    python = home / "venv" / "bin" / "python"
    iscctl = home / "venv" / "bin" / "iscctl"

    # 1. `pip install .`: the SDK and the CLI, no web server.
    pip_install(python, ".", cwd=source, env=env)
    plain_install_works_without_a_web_server(home, python, iscctl, env, start_sandbox, evidence)

    # 2. The wheel with the sandbox extra: the whole product from that install.
    wheel = build_wheel(source, home, env)
    pip_install(python, f"{wheel}[sandbox]", cwd=home, env=env)

    plugin_serves_an_outside_suite(home, python, env)

    help_ = run([iscctl, "--help"], cwd=home, env=env)
    assert help_.returncode == 0 and "identity-profiles" in help_.stdout, help_.stderr
    where = run([python, "-c", "import iscctl, iscctl_client; print(iscctl.__file__)"], home, env)
    assert where.returncode == 0, where.stderr
    assert where.stdout.strip().startswith(str(home / "venv")), where.stdout

    sandbox = subprocess.Popen(
        [iscctl, "sandbox", "--port", "0", "--rate-limit", "off", "--population", "500",
         "--client-secret", SECRET],
        cwd=home, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        base_url = read_base_url(sandbox)
        state = f"{base_url}/__sandbox__"
        tenant = httpx.get(f"{state}/identities", params={"limit": 300}).json()
        ids = tenant["identityIds"]
        (home / "ids.txt").write_text("\n".join(ids) + "\n", encoding="utf-8")
        export = [
            {
                "version": 1,
                "self": {"type": "IDENTITY_PROFILE", "id": "x", "name": "Clean install"},
                "object": {
                    "name": "Clean install",
                    "authoritativeSource": {"type": "SOURCE", "name": tenant["sources"][0]["name"]},
                },
            }
        ]
        (home / "export.json").write_text(json.dumps(export), encoding="utf-8")
        client_env = {
            **env,
            "SAIL_BASE_URL": base_url,
            "SAIL_CLIENT_ID": "sandbox-client",
            "SAIL_CLIENT_SECRET": SECRET,
        }

        processed = run([iscctl, "identities", "process", "ids.txt", "--batch-size", "100",
                         "--rate-limit", "off"], home, client_env)  # fmt: skip
        imported = run([iscctl, "identity-profiles", "import", "export.json",
                        "--rate-limit", "off"], home, client_env)  # fmt: skip

        assert processed.returncode == 0, processed.stderr
        assert imported.returncode == 0, imported.stderr
        assert set(httpx.get(f"{state}/processed").json()) == set(ids)
        assert set(httpx.get(f"{state}/profiles").json()) == {"Clean install"}
        for result in (processed, imported):
            assert SECRET not in result.stdout + result.stderr
    finally:
        sandbox.send_signal(signal.SIGINT)
        out, err = sandbox.communicate(timeout=30)
    rest = [line for line in (out + err).splitlines() if SECRET not in line]
    assert not any(re.search(r"eyJ[\w-]{10,}\.eyJ", line) for line in rest)


def plain_install_works_without_a_web_server(
    home: Path,
    python: Path,
    iscctl: Path,
    env: dict[str, str],
    start_sandbox: Callable[..., SandboxServer],
    evidence: Any,
) -> None:
    help_ = run([iscctl, "--help"], cwd=home, env=env)
    assert help_.returncode == 0 and "identity-profiles" in help_.stdout, help_.stderr
    probe = (
        "import importlib.util as u; print([m for m in ('starlette', 'uvicorn') if u.find_spec(m)])"
    )
    absent = run([python, "-c", probe], cwd=home, env=env)
    assert absent.stdout.strip() == "[]", "the plain install pulled in a web server"

    refused = run([iscctl, "sandbox", "--port", "0"], cwd=home, env=env)
    assert refused.returncode == 3, refused.stderr
    assert refused.stdout == "" and len(refused.stderr.splitlines()) == 1, refused.stderr
    assert "pip install 'iscctl[sandbox]'" in refused.stderr

    # A sandbox from the test's own environment (which has the extra), in this process.
    tenant = start_sandbox()
    ids = tenant.identity_ids[:250]
    (home / "plain-ids.txt").write_text("\n".join(ids) + "\n", encoding="utf-8")
    client_env = {
        **env,
        "SAIL_BASE_URL": tenant.base_url,
        "SAIL_CLIENT_ID": tenant.client_id,
        "SAIL_CLIENT_SECRET": tenant.client_secret,
    }
    processed = run([iscctl, "identities", "process", "plain-ids.txt", "--rate-limit", "off"],
                    home, client_env)  # fmt: skip
    evidence.add("plain install: identities process", processed.stdout, processed.stderr)
    assert processed.returncode == 0, processed.stderr
    assert tenant.state.process_counts == dict.fromkeys(ids, 1)


def read_base_url(sandbox: subprocess.Popen[str]) -> str:
    """The URL the sandbox announces on its first lines (it binds port 0)."""
    assert sandbox.stdout is not None
    for _ in range(50):
        line = sandbox.stdout.readline()
        if not line:
            break
        found = re.search(r"listening on (http://\S+)", line)
        if found:
            return found.group(1)
    raise AssertionError("the sandbox from the fresh install did not announce its address")


OUTSIDE_SUITE = """
def test_the_plugin_gives_a_fresh_tenant_and_a_client(iscctl_sandbox, iscctl_client):
    ids = iscctl_sandbox.identity_ids[:3]
    assert iscctl_client.process_identities(ids).id
    assert iscctl_sandbox.state.process_counts == dict.fromkeys(ids, 1)
"""


def plugin_serves_an_outside_suite(home: Path, python: Path, env: dict[str, str]) -> None:
    """#13.5 from the wheel: a user's own suite, in a folder with no conftest of ours and
    no `-p` option, gets the fixtures through the installed `pytest11` entry point."""
    pip_install(python, f"pytest=={pytest.__version__}", cwd=home, env=env)
    suite = home / "users-suite"
    suite.mkdir()
    (suite / "test_with_the_plugin.py").write_text(OUTSIDE_SUITE, encoding="utf-8")
    result = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], suite, env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout
