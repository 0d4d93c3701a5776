"""Each command loads only what it uses: start-up time is paid per run (#14.12).

A command runs in a fresh interpreter against the sandbox; at exit, the names of the
loaded modules are written to a file, and none of another command's heavy parts
may be among them (the sandbox's web server, rich when nothing is drawn, YAML
when no YAML is read, the other operation's code and models).
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
