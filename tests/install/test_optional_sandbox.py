"""The sandbox is an optional extra: `iscctl --help` never loads it, and `iscctl sandbox`
without the extra says in one line what to install.

A real install without the extra is exercised by tests/reliability/test_clean_install.py;
here the missing packages are hidden from a subprocess of this environment, which is
faster and needs no package index.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import click
import pytest
from click.testing import CliRunner
from iscctl.cli.main import SHORT_HELP, SUBCOMMANDS, LazyGroup, cli

HEAVY = ["starlette", "uvicorn", "pydantic", "httpx", "attrs", "rich", "yaml"]
HEAVY += ["iscctl_client", "iscctl_models", "iscctl.sandbox", "iscctl.client"]


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60
    )


def test_help_imports_no_command_and_no_heavy_library() -> None:
    result = run_python(
        f"""
        import sys
        from iscctl.cli.main import cli
        try:
            cli(["--help"])
        except SystemExit as done:
            assert done.code == 0, done.code
        loaded = {{name.partition(".")[0] for name in sys.modules}} | set(sys.modules)
        print(sorted(set({HEAVY!r}) & loaded))
        print(sorted(name for name in sys.modules if name.startswith("iscctl.cli.")))
        """
    )
    assert result.returncode == 0, result.stderr
    heavy, cli_modules = result.stdout.splitlines()[-2:]
    assert heavy == "[]"
    assert cli_modules == "['iscctl.cli.main']"


def test_help_shows_each_command_with_its_own_help_line() -> None:
    """SHORT_HELP must say what the commands themselves say, as click would print it."""
    real = {name: LazyGroup().get_command(click.Context(cli), name) for name in SUBCOMMANDS}
    assert set(SHORT_HELP) == set(SUBCOMMANDS)
    for name, command in real.items():
        assert command is not None
        assert SHORT_HELP[name] == command.get_short_help_str(limit=10_000), name

    eager = click.Group("iscctl", commands=real)  # what plain click prints after importing all
    with click.Context(eager, terminal_width=80) as ctx:
        formatter = ctx.make_formatter()
        eager.format_commands(ctx, formatter)
    ours = CliRunner().invoke(cli, ["--help"], terminal_width=80)
    assert ours.exit_code == 0
    assert formatter.getvalue() in ours.output


BLOCK_THE_EXTRA = """
    import sys

    class HideTheSandboxExtra:
        # Behave as an environment where `pip install iscctl` left out the extra.
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in {"starlette", "uvicorn"}:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, HideTheSandboxExtra())
    from iscctl.cli.main import cli
    cli(ARGS)
"""


def test_sandbox_without_the_extra_says_what_to_install_in_one_line() -> None:
    for args in (["sandbox"], ["sandbox", "--port", "0"], ["sandbox", "--help"]):
        result = run_python(BLOCK_THE_EXTRA.replace("ARGS", repr(args)))
        assert result.returncode == 3, (args, result.stderr)
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("error: `iscctl sandbox` needs the optional 'sandbox' extra")
        assert "pip install 'iscctl[sandbox]'" in lines[0]
        # the exact requirements, read from the installed metadata
        assert "'starlette>=" in lines[0] and "'uvicorn>=" in lines[0]


def test_other_commands_work_without_the_extra() -> None:
    for args in (["--help"], ["identities", "process", "--help"], ["config", "--help"]):
        result = run_python(BLOCK_THE_EXTRA.replace("ARGS", repr(args)))
        assert "Traceback" not in result.stderr
        assert result.returncode == 0, (args, result.stderr)


def test_our_pytest_plugins_load_without_the_extra() -> None:
    """pytest loads every installed `pytest11` plugin at start: one that imported the
    sandbox eagerly would break any test run in an environment without the extra."""
    from importlib.metadata import entry_points

    ours = [e for e in entry_points(group="pytest11") if e.dist and e.dist.name == "iscctl"]
    if not ours:
        pytest.skip("iscctl declares no pytest plugin (yet)")
    for plugin in ours:
        code = BLOCK_THE_EXTRA.replace(
            "from iscctl.cli.main import cli\n    cli(ARGS)",
            f"import importlib\n    importlib.import_module({plugin.module!r})",
        )
        assert code != BLOCK_THE_EXTRA
        result = run_python(code)
        assert result.returncode == 0, f"{plugin.value}: {result.stderr[-600:]}"
