"""A set of identity ids that stays small in memory however many ids it holds.

A Python `set` of 1,000,000 32-character strings takes about 100 MB. Here each
id is reduced to a 16-byte BLAKE2b digest and kept in a throw-away SQLite table
on disk with a bounded page cache, so memory stays flat in the number of ids
(measured in bench/bench_process.py). A false match between two different ids
needs a 128-bit collision, which is not a practical concern.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from types import TracebackType

_CACHE_KIB = 2048
_COMMIT_EVERY = 20_000


def id_digest(identity_id: str) -> bytes:
    return hashlib.blake2b(identity_id.encode(), digest_size=16).digest()


class IdLedger:
    """Named sets of ids (`seen`, `done`, ...) in a throw-away SQLite file in `folder`."""

    def __init__(self, folder: Path, names: tuple[str, ...] = ("seen", "done")) -> None:
        self.folder = folder
        self._db = sqlite3.connect(folder / "ids.sqlite", isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{_CACHE_KIB}"):
            self._db.execute(f"PRAGMA {pragma}")
        self._names = names
        for name in names:
            self._db.execute(f"CREATE TABLE {name} (digest BLOB PRIMARY KEY) WITHOUT ROWID")
        self._cursor = self._db.cursor()
        self._pending = 0
        self._db.execute("BEGIN")

    def add(self, name: str, identity_id: str) -> bool:
        """Add an id to the set `name`; True when it was not there yet."""
        self._check(name)
        self._cursor.execute(f"INSERT OR IGNORE INTO {name} VALUES (?)", (id_digest(identity_id),))
        self._tick()
        return self._cursor.rowcount == 1

    def __contains__(self, key: tuple[str, str]) -> bool:
        name, identity_id = key
        self._check(name)
        self._cursor.execute(f"SELECT 1 FROM {name} WHERE digest = ?", (id_digest(identity_id),))
        return self._cursor.fetchone() is not None

    def count(self, name: str) -> int:
        self._check(name)
        row = self._db.execute(f"SELECT count(*) FROM {name}").fetchone()
        return int(row[0])

    def count_missing(self, name: str, *, unless_in: tuple[str, ...]) -> int:
        """How many ids of set `name` are in none of the sets `unless_in`."""
        for each in (name, *unless_in):
            self._check(each)
        where = " AND ".join(f"digest NOT IN (SELECT digest FROM {n})" for n in unless_in)
        row = self._db.execute(f"SELECT count(*) FROM {name} WHERE {where or '1'}").fetchone()
        return int(row[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> IdLedger:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _check(self, name: str) -> None:
        if name not in self._names:
            raise KeyError(name)

    def _tick(self) -> None:
        self._pending += 1
        if self._pending >= _COMMIT_EVERY:
            self._db.execute("COMMIT")
            self._db.execute("BEGIN")
            self._pending = 0
