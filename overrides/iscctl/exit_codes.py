"""The exit statuses of every `iscctl` command, in one place.

Scripts and CI branch on these, so each number has exactly one meaning across
all commands, and the Python API's reports carry the same values.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["ExitCode"]


class ExitCode(IntEnum):
    """What a command's exit status means."""

    OK = 0
    """Everything asked for was done."""

    FAILED_ITEMS = 1
    """Some items were refused by the tenant or failed after every retry; the rest was
    done. Resumable where the command keeps a journal."""

    BAD_INPUT = 2
    """Usage, configuration or input error found locally; nothing was sent."""

    CANNOT_START = 3
    """Known before any item could be handled: credentials refused, tenant unreachable,
    the operation is not in this API version. Nothing was sent; resuming cannot help."""

    PROCESSING_ERRORS = 4
    """The tenant accepted every call, but processing ended in error for some identities
    (`--wait`, `identities status`)."""

    VERIFY_MISMATCH = 5
    """The read-back after an import differs from what was sent (a dropped mapping, a
    changed field)."""

    INTERRUPTED = 130
    """Stopped by Ctrl-C, SIGTERM or SIGHUP; the journal says how to go on."""
