"""Each command loads only what it uses: start-up time is paid per run (#14.12, #11 Keep).

A command runs in a fresh interpreter against the sandbox; at exit, the names of the
loaded modules are written to a file, and none of another command's heavy parts
may be among them (the sandbox's web server, rich when nothing is drawn, YAML
when no YAML is read, the other operation's code and models, the configuration
file readers when there is no file). The library import is held to the same rule:
`from iscctl import Client` loads the client, not the configuration sources or
any command. These check behaviour (what is imported), not timings; the times
are in bench/bench_startup.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from iscctl.sandbox import SandboxServer

RECORD_MODULES = """
import atexit, json, sys
path = sys.argv[1]
def record():
    with open(path, "w") as out:
        json.dump(sorted(sys.modules), out)
atexit.register(record)
sys.argv = ["iscctl", *sys.argv[2:]]
from iscctl.cli.main import main
main()
"""

NEVER = ["starlette", "uvicorn", "iscctl.sandbox"]


def loaded_by(
    args: list[str], sandbox: SandboxServer, folder: Path
) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    record = folder / "modules.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAIL_", "ISCCTL_"))}
    env.update(
        SAIL_BASE_URL=sandbox.base_url,
        SAIL_CLIENT_ID=sandbox.client_id,
        SAIL_CLIENT_SECRET=sandbox.client_secret,
        ISCCTL_STATE_DIR=str(folder / "state"),
        ISCCTL_CONFIG_DIR=str(folder / "config"),
    )
    env.pop("FORCE_COLOR", None)
    env.pop("TTY_COMPATIBLE", None)
    result = subprocess.run(
        [sys.executable, "-c", RECORD_MODULES, str(record), *args],
        cwd=folder, env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    return set(json.loads(record.read_text())), result


def heavy(modules: set[str], names: list[str]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_identities_process_loads_no_sandbox_rich_yaml_or_import_code(
    sandbox: SandboxServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("startup-process")
    (folder / "ids.txt").write_text("\n".join(sandbox.identity_ids[:10]) + "\n")
    modules, result = loaded_by(
        ["identities", "process", "ids.txt", "--rate-limit", "off"], sandbox, folder
    )
    assert result.returncode == 0, result.stderr
    unwanted = [*NEVER, "rich", "yaml", "iscctl.profiles", "iscctl_models", "pydantic"]
    # no configuration file here and the secret in SAIL_CLIENT_SECRET: neither TOML, sail's
    # YAML nor the keyring is needed
    unwanted += ["tomllib", "keyring", "iscctl.sail_config"]
    # without --query, --filters, --retry-failed or --wait: no selection or wait code
    unwanted += [
        f"iscctl.processing.{name}"
        for name in ("selection", "selection_journal", "status_report", "waiting", "verification")
    ]
    assert heavy(modules, unwanted) == []
    # The generated client's models package loads a model when it is used, not all of them.
    import iscctl_client.models

    loaded = [m for m in modules if m.startswith("iscctl_client.models.")]
    assert len(loaded) < len(iscctl_client.models.__all__) / 3, sorted(loaded)


def test_identity_profiles_import_loads_no_sandbox_or_processing_code(
    sandbox: SandboxServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("startup-import")
    export = [
        {
            "version": 1,
            "self": {"type": "IDENTITY_PROFILE", "id": "x", "name": "Start-up"},
            "object": {
                "name": "Start-up",
                "authoritativeSource": {"type": "SOURCE", "name": sandbox.source_names[0]},
            },
        }
    ]
    (folder / "export.json").write_text(json.dumps(export))
    modules, result = loaded_by(
        ["identity-profiles", "import", "export.json", "--format", "json", "--rate-limit", "off"],
        sandbox,
        folder,
    )
    assert result.returncode == 0, result.stderr
    assert heavy(modules, [*NEVER, "yaml", "iscctl.processing"]) == []


LIBRARY_NEVER = [
    *NEVER,
    # the configuration sources: read when a client is built, not when it is imported
    "iscctl.config",
    "iscctl.sail_config",
    "iscctl.keyring_store",
    "tomllib",
    "keyring",
    "yaml",
    "platformdirs",
    # the command line and the jobs around the two operations
    "iscctl.cli",
    "iscctl.processing",
    "iscctl.profiles",
    # the other model family (pydantic; the generated client is attrs)
    "iscctl_models",
    "pydantic",
]
"""Not loaded by `from iscctl import Client`. (rich and click are not listed: `import httpx`
itself loads them, for its own command line, whenever they are installed.)"""


def modules_after(code: str, folder: Path) -> set[str]:
    """The modules a fresh interpreter holds after running `code`, with no configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAIL_", "ISCCTL_"))}
    env.update(HOME=str(folder), ISCCTL_CONFIG_DIR=str(folder / "config"))
    report = "import json, sys; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\n{report}"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return set(json.loads(done.stdout))


def test_from_iscctl_import_client_loads_no_configuration_sources_or_commands(
    tmp_path: Path,
) -> None:
    modules = modules_after("from iscctl import Client", tmp_path)
    assert "iscctl.client" in modules
    assert heavy(modules, LIBRARY_NEVER) == []


def test_building_a_client_still_reads_the_configuration(tmp_path: Path) -> None:
    """The lazy import does not skip the configuration: a client built from a named
    environment of the user config gets that environment's tenant."""
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text(
        'active = "lazy"\n[environments.lazy]\nbase_url = "https://lazy.api.identitynow.com"\n'
        'client_id = "lazy-id"\nclient_secret = "lazy-secret"\n'
    )
    code = "from iscctl import Client\nprint(Client().base_url)"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAIL_", "ISCCTL_"))}
    env.update(HOME=str(tmp_path), ISCCTL_CONFIG_DIR=str(config))
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "https://lazy.api.identitynow.com"


@pytest.mark.parametrize("name", __import__("iscctl").__all__)
def test_every_public_name_imports_in_a_fresh_interpreter(name: str, tmp_path: Path) -> None:
    """`from iscctl import NAME` works for each name of `iscctl.__all__` on its own, so no
    lazy export depends on another having been loaded first."""
    modules = modules_after(f"from iscctl import {name}", tmp_path)
    assert "iscctl" in modules
