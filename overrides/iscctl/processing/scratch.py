"""The run's scratch folder (id ledger and spool), kept in the state folder and swept.

A run spools its ids (about 55 bytes each with the ledger) before sending. In
the system's temporary folder every kill left them behind, where nobody looks;
here they live under `<state dir>/scratch/`, each folder locked by its live
owner (see ownership.py), and every run first deletes the folders whose owner
is gone: a killed run's leftovers last until the next run, never longer.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from iscctl.errors import ISCError
from iscctl.processing.ownership import OwnedFile, os_reason, try_lock

__all__ = ["ScratchError", "ScratchFolder", "sweep_stale"]

_OWNER_FILE = "owner.lock"
_YOUNG_SECONDS = 60.0
"""A folder this young may be one being created right now, not yet locked: keep it."""


class ScratchError(ISCError):
    """The state folder cannot hold the run's scratch files."""


class ScratchFolder:
    """A private folder under `root`, owned by this process until `close()` deletes it."""

    def __init__(self, root: Path) -> None:
        try:
            root.mkdir(parents=True, exist_ok=True)
            sweep_stale(root)
            self.path = Path(tempfile.mkdtemp(prefix="ids-", dir=root))
            self._owner = OwnedFile(self.path / _OWNER_FILE)
        except OSError as error:
            raise ScratchError(
                f"{root}: cannot keep the run's scratch files there ({os_reason(root, error)}); "
                "set ISCCTL_STATE_DIR to a writable folder"
            ) from None

    def close(self) -> None:
        self._owner.release()
        shutil.rmtree(self.path, ignore_errors=True)


def sweep_stale(root: Path) -> int:
    """Delete the scratch folders under `root` whose owner process is gone; returns how many."""
    swept = 0
    for folder in root.glob("ids-*"):
        if folder.is_dir() and _abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)
            swept += 1
    return swept


def _abandoned(folder: Path) -> bool:
    try:
        if time.time() - folder.stat().st_mtime < _YOUNG_SECONDS:
            return False  # maybe being created right now, before its owner took the lock
        with (folder / _OWNER_FILE).open("rb") as file:
            return try_lock(file)  # closing the file lets the lock go again
    except FileNotFoundError:
        return True  # old and never owned: a run killed while creating it
    except OSError:
        return False
