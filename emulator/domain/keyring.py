"""A system's credentials: its API key pairs and the access keys ``login`` hands out.

Access keys expire after ``idle`` without a request (guide, "Authentication": "the access key
will time out if there is a period of no requests being received from that session"), read
from the system's clock so tests can move time on instead of sleeping. How a request carries
its credentials is the wire's business (emulator/wire/auth.py).
"""

from __future__ import annotations

import hmac
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Protocol

from emulator.domain.clock import Clock
from emulator.errors import AuthenticationFailed, Unauthorized

#: Access keys are ``secrets.token_hex(16)``: 32 lower-case hex digits. Every window of that
#: many hex digits is a candidate (overlapping: a key may stand inside a longer hex run).
ACCESS_KEY_LENGTH = 32
ACCESS_KEY_WINDOW = re.compile(r"(?=([0-9a-f]{32}))")
#: Hex digits as 1, every other byte as 0: a text's UTF-8 so translated holds a run of 32
#: ones exactly where it holds 32 hex digits in a row (bytes of other characters are >= 0x80).
HEX_BYTES = bytes(int(chr(b) in "0123456789abcdef") for b in range(256))
HEX_RUN = b"\x01" * ACCESS_KEY_LENGTH
#: The most live access keys kept (about 2 MB); past it, the least recently used is forgotten.
MOST_ACCESS_KEYS = 10_000


class AccessKeyBook(Protocol):
    """Where access keys are kept when several processes share them (the store's)."""

    def add_access_key(
        self, access_key: str, api_key: str, now: datetime, expired: datetime
    ) -> None: ...
    def use_access_key(self, access_key: str, now: datetime, expired: datetime) -> str | None: ...
    def has_access_key(self, access_key: str) -> bool: ...


class Keyring:
    def __init__(
        self,
        credentials: Mapping[str, str],
        clock: Clock,
        idle_minutes: float,
        book: AccessKeyBook | None = None,
    ) -> None:
        """``book``: where access keys are kept for every process (then the keys held here
        are the ones this process has seen, for masking them in texts)."""
        self._credentials = dict(credentials)
        self._passkeys = frozenset(self._credentials.values())
        self._clock = clock
        self.idle = timedelta(minutes=idle_minutes)
        # Least recently used first: expired keys are at the front, and so is the one to
        # forget when there are MOST_ACCESS_KEYS.
        self._access: OrderedDict[str, tuple[str, datetime]] = OrderedDict()
        self._lock = threading.Lock()
        self._book = book

    def __len__(self) -> int:
        return len(self._access)

    def check_pair(self, key: str, passkey: str) -> str:
        """The API key of a valid pair; AuthenticationFailed otherwise."""
        expected = self._credentials.get(key)
        if expected is None or not hmac.compare_digest(expected.encode(), passkey.encode()):
            raise AuthenticationFailed()
        return key

    def issue_access_key(self, api_key: str) -> str:
        """A new access key for an API key whose pair was checked."""
        access_key = secrets.token_hex(ACCESS_KEY_LENGTH // 2)
        now = self._clock.now()
        if self._book is not None:
            self._book.add_access_key(access_key, api_key, now, now - self.idle)
        with self._lock:
            # Forget expired keys here, from the front (least recently used), so a client
            # that logs in for every call neither grows the table without bound nor makes
            # each login scan it.
            while self._access and now - next(iter(self._access.values()))[1] > self.idle:
                self._access.popitem(last=False)
            self._access[access_key] = (api_key, now)
            if len(self._access) > MOST_ACCESS_KEYS:
                self._access.popitem(last=False)
        return access_key

    def use_access_key(self, access_key: str) -> str:
        """The API key behind a live access key (renewing it); Unauthorized otherwise."""
        now = self._clock.now()
        if self._book is not None:
            return self.use_shared(access_key, now)
        with self._lock:
            entry = self._access.get(access_key)
            if entry is None:
                raise Unauthorized()
            api_key, last_used = entry
            if now - last_used > self.idle:
                del self._access[access_key]
                raise Unauthorized()
            self._access[access_key] = (api_key, now)
            self._access.move_to_end(access_key)
        return api_key

    def use_shared(self, access_key: str, now: datetime) -> str:
        """:meth:`use_access_key` on the book every process shares."""
        assert self._book is not None
        api_key = self._book.use_access_key(access_key, now, now - self.idle)
        with self._lock:
            if api_key is None:
                self._access.pop(access_key, None)
                raise Unauthorized()
            self._access[access_key] = (api_key, now)
            self._access.move_to_end(access_key)
            if len(self._access) > MOST_ACCESS_KEYS:
                self._access.popitem(last=False)
        return api_key

    def issued(self, access_key: str) -> bool:
        """Whether this keyring handed out ``access_key`` (live or not; nothing renewed)."""
        with self._lock:
            if access_key in self._access:
                return True
        return self._book is not None and self._book.has_access_key(access_key)

    @property
    def keys(self) -> frozenset[str]:
        """The API keys of its key pairs."""
        return frozenset(self._credentials)

    def is_secret(self, text: str) -> bool:
        """Whether ``text`` is a configured passkey or a live access key."""
        return text in self._access or text in self._passkeys

    def secrets_in(self, text: str) -> set[str]:
        """The configured passkeys and live access keys that appear inside ``text``. The
        windows of hex digits are looked for only when there are live access keys and the
        text has 32 hex digits in a row (a byte translation: the regular expression's scan
        took 0.3 ms for a 10 KB quote)."""
        found = {p for p in self._passkeys if p in text}
        if self._access and len(text) >= ACCESS_KEY_LENGTH and has_hex_run(text):
            candidates = (m[1] for m in ACCESS_KEY_WINDOW.finditer(text))
            found.update(c for c in candidates if c in self._access)
        return found

    def set_idle_minutes(self, minutes: float) -> None:
        self.idle = timedelta(minutes=minutes)

    def forget_access_keys(self) -> None:
        with self._lock:
            self._access.clear()


def has_hex_run(text: str) -> bool:
    """Whether ``text`` has :data:`ACCESS_KEY_LENGTH` hex digits in a row."""
    return HEX_RUN in text.encode("utf-8", "surrogatepass").translate(HEX_BYTES)
