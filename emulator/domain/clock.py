"""The one clock the whole emulator reads.

Record times, access-key expiry and the journal all ask this clock, so tests (and the
control plane) can freeze it, set it or move it forward instead of sleeping.
"""

from __future__ import annotations

import math
import threading
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

#: The moments the clock may be moved to: a day inside datetime's range, so that the running
#: time and any timezone stay representable (a clock at 9999-12-31 made every call fail).
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)


MICROSECOND = timedelta(microseconds=1)
OUT_OF_RANGE = f"the clock must stay between {EARLIEST.date()} and {LATEST.date()}"


def in_range(moment: datetime) -> datetime:
    if not EARLIEST <= moment <= LATEST:
        raise ValueError(OUT_OF_RANGE)
    return moment


class Clock:
    def __init__(self, timezone: str = "Europe/London") -> None:
        self.tz = ZoneInfo(timezone)
        self._offset = timedelta(0)
        self._frozen: datetime | None = None
        self._lock = threading.Lock()
        self._stamp: tuple[int, str] = (-1, "")

    def now(self) -> datetime:
        """The current moment, timezone-aware (UTC)."""
        frozen = self._frozen
        if frozen is not None:
            return frozen
        return datetime.now(UTC) + self._offset

    def local(self) -> datetime:
        """The current moment as a naive wall-clock time in the CRM's timezone."""
        return self.now().astimezone(self.tz).replace(tzinfo=None)

    def stamp(self) -> str:
        """The current wall-clock time as OpenCRM stores it: ``YYYY-MM-DD HH:MM:SS``."""
        frozen = self._frozen
        now = time.time() + self._offset.total_seconds() if frozen is None else frozen.timestamp()
        second = math.floor(now)
        cached = self._stamp
        if cached[0] != second:  # every call journals a stamp: format once per second
            at = datetime.fromtimestamp(second, UTC).astimezone(self.tz)
            cached = self._stamp = (second, at.strftime("%Y-%m-%d %H:%M:%S"))
        return cached[1]

    def freeze(self, at: datetime | None = None) -> None:
        with self._lock:
            self._frozen = to_utc(at, self.tz) if at is not None else self.now()

    def unfreeze(self) -> None:
        """Let time run again from where it stands."""
        with self._lock:
            if self._frozen is not None:
                self._offset = self._frozen - datetime.now(UTC)
            self._frozen = None

    def set(self, at: datetime) -> None:
        """Jump to ``at``; time keeps running (or stays frozen) from there."""
        with self._lock:
            target = in_range(to_utc(at, self.tz))
            if self._frozen is not None:
                self._frozen = target
            else:
                self._offset = target - datetime.now(UTC)

    def advance(self, seconds: float) -> None:
        with self._lock:
            try:
                delta = timedelta(seconds=seconds)
                in_range(self.now() + delta)
            except OverflowError:  # beyond datetime's own range
                raise ValueError(OUT_OF_RANGE) from None
            if self._frozen is not None:
                self._frozen += delta
            else:
                self._offset += delta

    def reset(self) -> None:
        with self._lock:
            self._offset = timedelta(0)
            self._frozen = None

    def state(self) -> dict[str, int | str | None]:
        """Offset and frozen moment, as JSON holds them (processes sharing one clock)."""
        with self._lock:
            frozen = self._frozen.isoformat() if self._frozen is not None else None
            return {"offset_us": self._offset // MICROSECOND, "frozen": frozen}

    def restore(self, state: dict[str, int | str | None]) -> None:
        """Take the offset and frozen moment of :meth:`state` (another process's)."""
        frozen = state.get("frozen")
        with self._lock:
            self._offset = int(state.get("offset_us") or 0) * MICROSECOND
            self._frozen = datetime.fromisoformat(frozen) if isinstance(frozen, str) else None

    @property
    def frozen(self) -> bool:
        return self._frozen is not None


def to_utc(at: datetime, tz: ZoneInfo) -> datetime:
    """Naive times are wall-clock times in the CRM's zone."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=tz)
    return at.astimezone(UTC)
