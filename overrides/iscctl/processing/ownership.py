"""One live process per journal (and per scratch folder): an OS lock that dies with its holder.

A lock file that a program creates and deletes goes stale when the program is
killed; an OS lock (`flock` on POSIX, `msvcrt.locking` on Windows) is released
by the kernel when its holder exits, however it exits. So `kill -9` never
leaves a journal locked, and a second process started while the first is alive
is refused at once.

The lock says *that* a file is owned, not *by whom*: the owner also writes its
process id into a small `<file>.owner` note beside the file, read only to name
the other process in the refusal, and removed when the owner lets go.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

__all__ = ["FileInUseError", "OwnedFile", "os_reason", "try_lock"]

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    _FAR_OFFSET = 0x7FFFFFFF
    """Windows locks are mandatory: lock one byte far past the end, never the data."""

    def try_lock(file: BinaryIO) -> bool:
        """Take the file's exclusive lock without waiting; False when another process holds it."""
        position = file.tell()
        try:
            file.seek(_FAR_OFFSET)
            msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            file.seek(position)
        return True

else:
    import fcntl

    def try_lock(file: BinaryIO) -> bool:
        """Take the file's exclusive lock without waiting; False when another process holds it."""
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


class FileInUseError(Exception):
    """Another live process owns the file; `owner` describes it when it said who it is."""

    def __init__(self, path: Path, owner: str | None) -> None:
        super().__init__(f"{path} is in use by {owner or 'another process'}")
        self.path = path
        self.owner = owner


class OwnedFile:
    """A file opened and locked by this process until `release()`.

    `mode` is `"ab"` for a journal being written (created when missing; OSError
    when it cannot be) or `"rb"` for one only read. Raises `FileInUseError` when
    another live process holds it.
    """

    def __init__(self, path: Path, mode: str = "ab") -> None:
        self.path = path
        self.created = not path.exists()
        if mode != "rb":
            path.parent.mkdir(parents=True, exist_ok=True)
        self.file: BinaryIO = path.open(mode, buffering=0)  # type: ignore[assignment]
        if not try_lock(self.file):
            self.file.close()
            raise FileInUseError(path, _read_note(_note_path(path)))
        self._note = _note_path(path)
        with contextlib.suppress(OSError):  # the note only helps a message; never fail for it
            self._note.write_text(_describe_self(), encoding="utf-8")

    def size(self) -> int:
        return _size(self.file)

    def release(self, *, remove_if_empty: bool = False) -> None:
        """Let go (note first, then the lock); optionally delete a file this process created
        and never wrote to, so an aborted run leaves no empty journal behind."""
        with contextlib.suppress(OSError):
            self._note.unlink(missing_ok=True)
        if self.file.closed:
            return
        empty = remove_if_empty and self.created and _size(self.file) == 0
        if empty:
            with contextlib.suppress(OSError):
                self.path.unlink()
        self.file.close()


def os_reason(path: Path, error: OSError) -> str:
    """Why `path` could not be written, in words: names the file standing where a folder
    should be (mkdir says only "File exists" or "Not a directory")."""
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"{parent} is a file, not a folder"
            break
    return error.strerror or str(error)


def _note_path(path: Path) -> Path:
    return path.with_name(path.name + ".owner")


def _describe_self() -> str:
    since = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"pid {os.getpid()} on {socket.gethostname()}, since {since}"


def _read_note(note: Path) -> str | None:
    try:
        text = note.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return f"process {text[:120]}" if text.startswith("pid ") else None


def _size(file: BinaryIO) -> int:
    try:
        return os.fstat(file.fileno()).st_size
    except OSError:
        return -1
