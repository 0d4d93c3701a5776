"""The `iscctl` command group.

Sub-commands live in their own modules and are imported only when invoked, so
`iscctl --help` and shell completion stay fast: the command list in the help
comes from `SHORT_HELP`, not from importing every command (the sandbox alone
would pull in starlette, uvicorn and the generated models). A test keeps
`SHORT_HELP` equal to each command's own help line.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from iscctl import __version__
from iscctl.exit_codes import ExitCode

# command name -> "module:attribute" of a click.Command
SUBCOMMANDS: dict[str, str] = {
    "config": "iscctl.cli.config_command:config",
    "identities": "iscctl.cli.identities_command:identities",
    "identity-profiles": "iscctl.cli.profiles_command:identity_profiles",
    "sandbox": "iscctl.cli.sandbox_command:sandbox",
}

# command name -> the line `iscctl --help` shows for it (the command's own short help)
SHORT_HELP: dict[str, str] = {
    "config": "Named environments (tenants) and where the connection settings come from.",
    "identities": "Work with identities.",
    "identity-profiles": "Work with identity profiles.",
    "sandbox": "Run a local SailPoint ISC tenant for demos, tests and CI.",
}

# command name -> the optional extra (pyproject.toml) whose packages it imports
EXTRAS: dict[str, str] = {"sandbox": "sandbox"}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *SUBCOMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            extra = EXTRAS.get(cmd_name)
            if extra is None or (error.name or "iscctl").partition(".")[0] == "iscctl":
                raise
            # One line that says what to install, instead of an import traceback.
            from iscctl.cli.extras import missing_extra_message

            click.echo(f"error: {missing_extra_message(cmd_name, extra, error.name)}", err=True)
            ctx.exit(ExitCode.CANNOT_START)
        command: Any = getattr(module, attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's command list, with the help lines of `SHORT_HELP`: nothing is imported."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in SHORT_HELP:
                # a stand-in command, so the line is shortened exactly as click does it
                stand_in = click.Command(name, help=SHORT_HELP[name])
                rows.append((name, stand_in.get_short_help_str(limit)))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="iscctl")
@click.option(
    "--env",
    "-e",
    "environment",
    metavar="NAME",
    help="The named environment (tenant) for the command that follows, as in sail: "
    "iscctl -e prod identities process ... (a command's own --env wins).",
)
@click.pass_context
def cli(ctx: click.Context, environment: str | None) -> None:
    """Process identities and import identity profiles in SailPoint Identity Security Cloud."""
    if environment is not None:
        # read by the commands' --env option (iscctl.cli.connection.ENVIRONMENT_KEY)
        ctx.meta["iscctl.environment"] = environment


def main() -> None:
    _skip_httpx_command_line()
    cli()


def _skip_httpx_command_line() -> None:
    """Keep `import httpx` from loading httpx's own command line (`httpx._main`).

    httpx imports it whenever click and rich are installed, as they are here, and with
    it rich's console, syntax highlighting and pygments: about a third of the time
    `import httpx` takes, paid by every `iscctl` run that talks to a tenant, for a
    tool iscctl never calls. A `None` entry in sys.modules makes that import fail,
    and httpx falls back to a stub it ships for installs without its CLI. Only the
    `iscctl` process does this; library users' `import httpx` is untouched.
    """
    import sys

    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
