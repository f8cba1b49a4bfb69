"""Live records per module, counted once after each write and kept: health reads them
without waiting for a long write that holds the store's lock (issue 12: health waited 23 s
behind a 100,000-line edit)."""

from __future__ import annotations

import threading
from collections.abc import Callable


class RecordCounts:
    def __init__(self, lock: threading.RLock, count: Callable[[], dict[str, int]]) -> None:
        self.lock = lock
        self.count = count
        self.last: dict[str, int] = {}
        self.current = False

    def changed(self) -> None:
        """A write happened: count again when next asked."""
        self.current = False

    def fresh(self) -> dict[str, int]:
        """The counts now (waiting for the store as long as it takes)."""
        with self.lock:
            if not self.current:
                self.last, self.current = self.count(), True
            return dict(self.last)

    def recent(self, wait: float) -> tuple[dict[str, int], bool]:
        """The counts now, or, if the store stays busy for ``wait`` seconds, the last ones;
        and whether they are current."""
        if self.current:
            return dict(self.last), True
        if not self.lock.acquire(timeout=wait):
            return dict(self.last), False
        try:
            return self.fresh(), True
        finally:
            self.lock.release()
