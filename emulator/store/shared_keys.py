"""Access keys and rate-limit counts shared by the processes on one PostgreSQL schema (a part
of :class:`emulator.store.shared.SharedState`, on its connection and under its lock)."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

#: A process deletes the access keys beyond :data:`MOST_ACCESS_KEYS` after this many new ones.
TRIM_EVERY = 64
#: The most access keys kept, as in one process (emulator.domain.keyring.MOST_ACCESS_KEYS).
MOST_ACCESS_KEYS = 10_000


class KeysAndCalls:
    raw: Any
    lock: threading.RLock
    issued: int

    def lock_key(self, purpose: str) -> str:
        raise NotImplementedError

    # -- access keys ------------------------------------------------------------------------

    def add_access_key(
        self, access_key: str, api_key: str, now: datetime, expired: datetime
    ) -> None:
        """Keep a new access key; forget expired ones, and now and then the least recently
        used beyond :data:`MOST_ACCESS_KEYS` (as the keyring does in one process)."""
        with self.lock, self.raw.transaction():
            self.raw.execute("DELETE FROM emulator_access_keys WHERE last_used < %s", (expired,))
            self.raw.execute(
                "INSERT INTO emulator_access_keys VALUES (%s, %s, %s)", (access_key, api_key, now)
            )
            self.issued += 1
            if self.issued % TRIM_EVERY == 0:
                self.raw.execute(
                    "DELETE FROM emulator_access_keys WHERE access_key IN (SELECT access_key"
                    " FROM emulator_access_keys ORDER BY last_used DESC OFFSET %s)",
                    (MOST_ACCESS_KEYS,),
                )

    def use_access_key(self, access_key: str, now: datetime, expired: datetime) -> str | None:
        """The API key of a live access key, renewed; None (and forgotten) when expired."""
        with self.lock:
            found = self.raw.execute(
                "UPDATE emulator_access_keys SET last_used = greatest(last_used, %s)"
                " WHERE access_key = %s AND last_used >= %s RETURNING api_key",
                (now, access_key, expired),
            ).fetchone()
            if found is None:
                self.raw.execute(
                    "DELETE FROM emulator_access_keys WHERE access_key = %s", (access_key,)
                )
                return None
        return str(found[0])

    def has_access_key(self, access_key: str) -> bool:
        with self.lock:
            found = self.raw.execute(
                "SELECT 1 FROM emulator_access_keys WHERE access_key = %s", (access_key,)
            ).fetchone()
        return found is not None

    # -- rate limits ------------------------------------------------------------------------

    def admit_call(
        self, api_key: str, now: datetime, minute_ago: datetime, day_ago: datetime,
        per_minute: int, per_day: int,
    ) -> str | None:  # fmt: skip
        """Count the key's call unless it is over a limit: None, or the period it is over
        (``minute``/``day``). One process at a time, so two cannot both take the last call."""
        with self.lock, self.raw.transaction():
            self.raw.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", (self.lock_key("calls"),)
            )
            self.raw.execute(
                "DELETE FROM emulator_calls WHERE api_key = %s AND at <= %s", (api_key, day_ago)
            )
            found = self.raw.execute(
                "SELECT count(*) FILTER (WHERE at > %s), count(*) FROM emulator_calls"
                " WHERE api_key = %s",
                (minute_ago, api_key),
            ).fetchone()
            if per_minute and int(found[0]) >= per_minute:
                return "minute"
            if per_day and int(found[1]) >= per_day:
                return "day"
            self.raw.execute("INSERT INTO emulator_calls VALUES (%s, %s)", (api_key, now))
        return None
