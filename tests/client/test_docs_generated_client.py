"""docs/generated-client.md is true: its end-to-end script runs against the sandbox, and the
scripts it shows pass `mypy --strict` as a user's own code would."""

from __future__ import annotations

from pathlib import Path

from iscctl.sandbox import SandboxServer

from ..doc_scripts import check_strict, python_blocks, run_script

BLOCKS = python_blocks("generated-client.md")
END_TO_END = next(block for block in BLOCKS if "asyncio.run(import_profiles())" in block)
OVERVIEW = BLOCKS[0]


def test_the_end_to_end_script_runs_against_the_sandbox(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    script = (
        END_TO_END.replace('base_url="acme"', f'base_url="{sandbox.base_url}"')
        .replace('"2c91808a7e1b2c3d4e5f60718293a4b5"', f'"{sandbox.client_id}"')
        .replace('"my-client-secret"', 'os.environ["DOC_SECRET"]')
        .replace('"2c9180835d191a86015d28455b4b232a"', f'"{sandbox.identity_ids[0]}"')
        .replace('"2c9180835d191a86015d28455b4b232b"', f'"{sandbox.identity_ids[1]}"')
        .replace('"HR Active Directory"', f'"{sandbox.source_names[0]}"')
    )
    # the secret comes from the environment, not the file
    done = run_script(
        f"import os\n{script}", tmp_path, timeout=120, DOC_SECRET=sandbox.client_secret
    )
    assert done.returncode == 0, done.stderr
    assert "processing task " in done.stdout
    assert "refused: 404 " in done.stdout
    assert "imported ['HR Employees'] errors 0" in done.stdout
    assert sorted(sandbox.state.process_counts) == sorted(sandbox.identity_ids[:2])
    assert sandbox.state.stored_profile("HR Employees") is not None


def test_the_scripts_of_the_page_pass_mypy_strict(tmp_path: Path) -> None:
    checked = check_strict({"overview.py": OVERVIEW, "end_to_end.py": END_TO_END}, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
