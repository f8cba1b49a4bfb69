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
  clock so tests can move time on instead of sleeping (emulator/domain/keyring.py).
- nothing at all: ``Unauthorized``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from emulator.domain.keyring import Keyring
from emulator.errors import Unauthorized
from emulator.wire.params import Params

ACCESS_KEY_NAMES = ("accesskey", "accesscode")


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated caller: the API key it used and how it proved it."""

    key: str
    method: str  # "keys", "headers" or "accesskey"


def authenticate(keyring: Keyring, params: Params, headers: Mapping[str, str]) -> Caller:
    pair = key_pair(params, headers)
    if pair is not None:
        return Caller(keyring.check_pair(*pair[:2]), pair[2])
    for name in ACCESS_KEY_NAMES:
        if value := params.text(name):
            return Caller(keyring.use_access_key(value), "accesskey")
    raise Unauthorized()


def login(keyring: Keyring, params: Params, headers: Mapping[str, str]) -> str:
    """A new access key for a valid key pair (the ``login`` end point)."""
    pair = key_pair(params, headers)
    if pair is None:
        raise Unauthorized()
    return keyring.issue_access_key(keyring.check_pair(*pair[:2]))


def claimed(params: Params, headers: Mapping[str, str]) -> tuple[str, str]:
    """The key and the access key a call claims to hold ("" for none), before any check:
    what says which system a call is for when its Host does not."""
    key = headers.get("key1") or params.text("key")
    access_key = next((v for n in ACCESS_KEY_NAMES if (v := params.text(n))), "")
    return key, access_key


def key_pair(params: Params, headers: Mapping[str, str]) -> tuple[str, str, str] | None:
    """(key, passkey, method) if the call sends either half of a pair; None if neither."""
    key, passkey = headers.get("key1"), headers.get("key2")
    method = "headers"
    if key is None and passkey is None:
        key, passkey = params.text("key"), params.text("passkey")
        method = "keys"
    if not key and not passkey:
        return None
    if not key or not passkey:
        raise Unauthorized()
    return key, passkey, method
