"""The `iscctl` command group.

Sub-commands live in their own modules and are imported only when invoked, so
`iscctl --help` and shell completion stay fast.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from iscctl import __version__

# command name -> "module:attribute" of a click.Command
SUBCOMMANDS: dict[str, str] = {
    "config": "iscctl.cli.config_command:config",
    "identities": "iscctl.cli.identities_command:identities",
    "identity-profiles": "iscctl.cli.profiles_command:identity_profiles",
    "sandbox": "iscctl.cli.sandbox_command:sandbox",
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *SUBCOMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = target.split(":")
        command: Any = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="iscctl")
def cli() -> None:
    """Process identities and import identity profiles in SailPoint Identity Security Cloud."""


def main() -> None:
    cli()
