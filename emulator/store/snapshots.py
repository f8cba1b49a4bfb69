"""Saved states of a store: the reset target (the state at start-up) and named snapshots.

Each is kept under a :data:`Key`, its kind (:data:`INITIAL` or ``named(name)``) and name,
with the id and record-number counters. On SQLite they are images of the whole database kept
in the process (:class:`MemorySnapshots`: a reset is one memcpy); on PostgreSQL they are
copies in the system's own schema, seen by every process on it
(emulator/store/postgres_snapshots.py). Both keep the same methods, called under the store's
lock; ``names`` alone is called without it (the control plane lists snapshots while a long
write holds the store).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from emulator.store.schema import Counters
from emulator.store.sqlite import Image, SQLiteDatabase

#: A saved state's kind and name.
Key = tuple[str, str]
#: The kind of a named snapshot (the control plane's).
NAMED = "named"
#: The reset target: the state at start-up.
INITIAL: Key = ("initial", "")


def named(name: str) -> Key:
    return (NAMED, name)


@dataclass(frozen=True)
class Snapshot:
    """A saved state: the whole database and the id and record-number counters."""

    image: Image
    next_crmid: int
    numbers: Mapping[str, int]


class Snapshots(Protocol):
    def save(self, key: Key, counters: Counters) -> None: ...

    def restore(self, key: Key, counters: Counters) -> bool: ...

    def has(self, key: Key) -> bool: ...

    def forget(self, kind: str) -> None: ...

    def names(self) -> list[str]: ...

    def close(self) -> None: ...


class MemorySnapshots:
    """Whole-database images in the process (SQLite: one process owns the database)."""

    def __init__(self, db: SQLiteDatabase) -> None:
        self.db = db
        self.kept: dict[Key, Snapshot] = {}

    def save(self, key: Key, counters: Counters) -> None:
        self.kept[key] = Snapshot(self.db.image(), counters.next_crmid, dict(counters.numbers))

    def restore(self, key: Key, counters: Counters) -> bool:
        found = self.kept.get(key)
        if found is None:
            return False
        self.db.restore(found.image)
        counters.next_crmid = found.next_crmid
        counters.numbers = dict(found.numbers)
        return True

    def has(self, key: Key) -> bool:
        return key in self.kept

    def forget(self, kind: str) -> None:
        for key in [key for key in self.kept if key[0] == kind]:
            del self.kept[key]

    def names(self) -> list[str]:
        return [name for kind, name in list(self.kept) if kind == NAMED]

    def close(self) -> None:
        self.kept.clear()


class SnapshotVerbs:
    """The store's verbs on its saved states (a part of :class:`emulator.store.Store`)."""

    lock: threading.RLock
    counters: Counters
    snapshots: Snapshots

    def changed(self) -> None:
        raise NotImplementedError

    def save_snapshot(self, name: str) -> None:
        """Keep the whole state under ``name`` (in place of one of that name)."""
        with self.lock:
            self.snapshots.save(named(name), self.counters)

    def restore_snapshot(self, name: str) -> bool:
        """Put back the state saved as ``name``; False if there is none of that name."""
        return self.put_back(named(name))

    def snapshot_names(self) -> list[str]:
        """The named snapshots (without waiting for the store's lock)."""
        return self.snapshots.names()

    def forget_snapshots(self) -> None:
        with self.lock:
            self.snapshots.forget(NAMED)

    def save_initial(self) -> None:
        """Keep the whole state as the reset target."""
        with self.lock:
            self.snapshots.save(INITIAL, self.counters)

    def has_initial(self) -> bool:
        with self.lock:
            return self.snapshots.has(INITIAL)

    def restore_initial(self) -> None:
        if not self.put_back(INITIAL):
            raise RuntimeError("no reset target: save_initial() was never called")

    def put_back(self, key: Key) -> bool:
        """Every table, counter and cache as they were when ``key`` was saved."""
        with self.lock:
            found = self.snapshots.restore(key, self.counters)
            self.changed()
            return found
