"""Access keys are a buffer a client fills: each ``login`` adds one, kept until idle for
``access_key_idle_minutes``. The keyring keeps at most MOST_ACCESS_KEYS (the least recently
used go first) and forgets expired keys without scanning them all at each login."""

from __future__ import annotations

import time

import pytest

from emulator.domain.clock import Clock
from emulator.domain.keyring import MOST_ACCESS_KEYS, Keyring
from emulator.errors import Unauthorized


def keyring() -> Keyring:
    return Keyring({"k": "p"}, Clock("UTC"), idle_minutes=30)


def test_the_keyring_keeps_at_most_its_number_of_access_keys() -> None:
    ring = keyring()
    first = ring.issue_access_key("k")
    keys = [ring.issue_access_key("k") for _ in range(MOST_ACCESS_KEYS + 10)]
    assert len(ring) == MOST_ACCESS_KEYS
    with pytest.raises(Unauthorized):
        ring.use_access_key(first)  # the least recently used went first
    assert ring.use_access_key(keys[-1]) == "k"


def test_a_key_in_use_is_kept_over_newer_idle_ones() -> None:
    ring = keyring()
    kept = ring.issue_access_key("k")
    for _ in range(MOST_ACCESS_KEYS - 1):
        ring.issue_access_key("k")
    ring.use_access_key(kept)  # now the most recently used
    ring.issue_access_key("k")
    assert ring.use_access_key(kept) == "k"


def test_expired_keys_are_forgotten_at_the_next_login() -> None:
    clock = Clock("UTC")
    ring = Keyring({"k": "p"}, clock, idle_minutes=1)
    for _ in range(100):
        ring.issue_access_key("k")
    clock.advance(120)
    fresh = ring.issue_access_key("k")
    assert len(ring) == 1
    assert ring.use_access_key(fresh) == "k"


def test_logins_do_not_scan_every_live_key() -> None:
    ring = keyring()
    started = time.perf_counter()
    for _ in range(2 * MOST_ACCESS_KEYS):
        ring.issue_access_key("k")
    assert time.perf_counter() - started < 2  # about 0.1 s; scanning each time took 12 s
