"""Who is calling: API key pairs, the KEY1/KEY2 headers, and login access keys.

The rules, in the order they are applied (guide, "Authentication"; observed-behaviour.md):

- ``key`` + ``passkey`` parameters (any transport), or the headers ``KEY1``/``KEY2``. A pair
  that does not match a configured one: ``Invalid User Details - AUTHENTICATION FAILED``.
  Only one of the two sent: ``Unauthorized``. ``apikey`` is not a synonym for ``key``.
  When either header is sent, the pair is taken from the headers alone (the guide does not
  say how the two ways mix; the emulator never pairs a header with a parameter).
- otherwise ``accesskey`` (the guide's error text also says ``accesscode``: both accepted),
  as returned by ``login``. Unknown or expired: ``Unauthorized``. Each use renews it; it
  expires after ``access_key_idle_minutes`` without a request, read from the emulator's
  clock so tests can move time on instead of sleeping.
- nothing at all: ``Unauthorized``.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from emulator.domain.clock import Clock
from emulator.errors import AuthenticationFailed, Unauthorized

ACCESS_KEY_NAMES = ("accesskey", "accesscode")


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated caller: the API key it used and how it proved it."""

    key: str
    method: str  # "keys", "headers" or "accesskey"


class Authenticator:
    def __init__(self, credentials: Mapping[str, str], clock: Clock, idle_minutes: float) -> None:
        self._credentials = dict(credentials)
        self._passkeys = frozenset(self._credentials.values())
        self._clock = clock
        self.idle = timedelta(minutes=idle_minutes)
        self._access: dict[str, tuple[str, datetime]] = {}
        self._lock = threading.Lock()

    def authenticate(self, params: Mapping[str, object], headers: Mapping[str, str]) -> Caller:
        pair = key_pair(params, headers)
        if pair is not None:
            return Caller(self.check_pair(*pair[:2]), pair[2])
        for name in ACCESS_KEY_NAMES:
            value = params.get(name)
            if isinstance(value, str) and value:
                return Caller(self.use_access_key(value), "accesskey")
        raise Unauthorized()

    def login(self, params: Mapping[str, object], headers: Mapping[str, str]) -> str:
        """A new access key for a valid key pair (the ``login`` end point)."""
        pair = key_pair(params, headers)
        if pair is None:
            raise Unauthorized()
        api_key = self.check_pair(*pair[:2])
        access_key = secrets.token_hex(16)
        now = self._clock.now()
        with self._lock:
            # Forget expired keys here, so a client that logs in for every call does not
            # grow the table without bound.
            expired = [k for k, (_, used) in self._access.items() if now - used > self.idle]
            for stale in expired:
                del self._access[stale]
            self._access[access_key] = (api_key, now)
        return access_key

    def check_pair(self, key: str, passkey: str) -> str:
        expected = self._credentials.get(key)
        if expected is None or not hmac.compare_digest(expected.encode(), passkey.encode()):
            raise AuthenticationFailed()
        return key

    def use_access_key(self, access_key: str) -> str:
        now = self._clock.now()
        with self._lock:
            entry = self._access.get(access_key)
            if entry is None:
                raise Unauthorized()
            api_key, last_used = entry
            if now - last_used > self.idle:
                del self._access[access_key]
                raise Unauthorized()
            self._access[access_key] = (api_key, now)
        return api_key

    def is_secret(self, text: str) -> bool:
        """Whether ``text`` is a configured passkey or a live access key."""
        return text in self._access or text in self._passkeys

    def set_idle_minutes(self, minutes: float) -> None:
        self.idle = timedelta(minutes=minutes)

    def forget_access_keys(self) -> None:
        with self._lock:
            self._access.clear()


def key_pair(
    params: Mapping[str, object], headers: Mapping[str, str]
) -> tuple[str, str, str] | None:
    """(key, passkey, method) if the call sends either half of a pair; None if neither."""
    key, passkey = headers.get("key1"), headers.get("key2")
    method = "headers"
    if key is None and passkey is None:
        key, passkey = text(params.get("key")), text(params.get("passkey"))
        method = "keys"
    if not key and not passkey:
        return None
    if not key or not passkey:
        raise Unauthorized()
    return key, passkey, method


def text(value: object) -> str | None:
    return value if isinstance(value, str) else None
