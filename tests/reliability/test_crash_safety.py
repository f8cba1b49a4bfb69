"""Crash safety: a live server on a database file killed with SIGKILL in the middle of a stream
of edits (issue 8, "Crash safety").

Two client threads stream creates and edits whose values only grow (a contact's ``title``, a
quote's ``subject`` and the quantity of its line, set together). Each remembers, per record,
the last value the server acknowledged and the last value it sent. After a seeded number of
acknowledged edits the server is killed while both threads are sending; a new server on the
same file must then hold, for every record, the acknowledged value or a later one that was
sent, a quote's header and line from the same edit (one transaction), and a database that
passes ``PRAGMA integrity_check``. Acknowledged means answered: the emulator answers an edit
only after its transaction commits, and commits are durable (WAL, ``synchronous=FULL``).
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from emulator.backend.fixtures import FixtureSet
from emulator.settings import Settings
from emulator.systems import System
from tests.reliability.live import Client, Emulator, Problems

WAIT = 60.0  # seconds a round may take to reach its kill point


@dataclass
class Edits:
    """Per record: the last value acknowledged and the last one sent (the two may differ only
    for the edit that was in flight at the kill)."""

    acked: dict[int, int] = field(default_factory=dict)
    sent: dict[int, int] = field(default_factory=dict)
    quotes: set[int] = field(default_factory=set)
    count: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)

    def sending(self, crmid: int, value: int) -> None:
        with self.changed:
            self.sent[crmid] = value

    def acknowledge(self, crmid: int, value: int, quote: bool = False) -> None:
        with self.changed:
            self.acked[crmid] = self.sent[crmid] = value
            self.quotes |= {crmid} if quote else set()
            self.count += 1
            self.changed.notify_all()


class Streamer:
    """One client thread: creates and edits with ever larger values until the server dies."""

    def __init__(self, n: int, base_url: str, edits: Edits, problems: Problems, seed: int) -> None:
        self.client = Client(base_url, problems)
        self.edits, self.rng = edits, random.Random(seed)
        self.value = seed * 1_000_000  # each thread's values differ, and grow
        self.mine = [c for c in edits.acked if c % 2 == n]  # records this thread continues
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while True:
                self.step()
        except httpx.TransportError:
            pass  # the server was killed: the call in flight was never acknowledged
        except BaseException as exc:  # reported by the main thread
            self.error = exc
        finally:
            self.client.close()

    def step(self) -> None:
        self.value += 1
        if not self.mine or self.rng.random() < 0.2:
            kind = self.rng.choice(("edit_contact", "edit_quote"))
            crmid = self.client.call(kind, crmid="0", **self.fields(kind))
            self.mine.append(crmid)
            self.edits.acknowledge(crmid, self.value, quote=kind == "edit_quote")
            return
        crmid = self.rng.choice(self.mine)
        kind = "edit_quote" if crmid in self.edits.quotes else "edit_contact"
        self.edits.sending(crmid, self.value)
        assert self.client.call(kind, crmid=str(crmid), **self.fields(kind)) == crmid
        self.edits.acknowledge(crmid, self.value)

    def fields(self, kind: str) -> dict[str, str]:
        if kind == "edit_contact":
            return {"lastname": "Stream", "title": str(self.value)}
        # A quote's subject and its one line's quantity change together: one transaction.
        line = {"lineid": "0", "productid": "270", "quantity": str(self.value)}
        return {"subject": str(self.value), "products": json.dumps([line])}


def stream_and_kill(server: Emulator, edits: Edits, kill_after: int, round_: int) -> int:
    """Stream with two threads; SIGKILL the server once ``kill_after`` more edits are
    acknowledged, while the threads keep sending. The calls in flight at the kill."""
    problems = Problems()
    streamers = [Streamer(n, server.base_url, edits, problems, 10 * round_ + n) for n in (0, 1)]
    threads = [threading.Thread(target=s.run, daemon=True) for s in streamers]
    target = edits.count + kill_after
    for thread in threads:
        thread.start()
    with edits.changed:
        reached = edits.changed.wait_for(
            lambda: edits.count >= target or not all(t.is_alive() for t in threads), WAIT
        )
        in_flight = len({c for c, v in edits.sent.items() if edits.acked.get(c) != v})
    server.kill()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert not [s.error for s in streamers if s.error], [s.error for s in streamers]
    assert reached, "the stream stopped before the kill"
    assert edits.count >= target
    assert not problems.found, problems.found
    return in_flight


def lost_edits(server: Emulator, edits: Edits) -> list[str]:
    """Every record read back: its value must be the acknowledged one or a later one sent."""
    problems = Problems()
    lost: list[str] = []
    with Client(server.base_url, problems) as client:
        for crmid, acked in sorted(edits.acked.items()):
            quote = crmid in edits.quotes
            record = client.call("get_quote" if quote else "get_contact", crmid=str(crmid))
            value = int(record["subject" if quote else "title"])
            if not acked <= value <= edits.sent[crmid]:
                lost.append(f"{crmid}: holds {value}, acknowledged {acked}")
            if quote and [Decimal(p["quantity"]) for p in record["products"]] != [value]:
                lost.append(f"quote {crmid}: header {value}, lines {record['products']}")
    assert not problems.found, problems.found
    return lost


def integrity(database: Path) -> str:
    """``PRAGMA integrity_check`` on a read-only connection (the server may be running)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


@pytest.mark.parametrize(
    "kills", [pytest.param(3, id="3-kills"), pytest.param(12, marks=pytest.mark.slow, id="12")]
)
def test_every_edit_acknowledged_before_a_sigkill_is_there_after_the_restart(
    tmp_path: Path, kills: int
) -> None:
    database = tmp_path / "crm.sqlite"
    edits = Edits()
    rng = random.Random(1958 + kills)  # seeded: a failure replays with the same kill points
    server = Emulator(database)
    try:
        for round_ in range(1, kills + 1):
            stream_and_kill(server, edits, rng.randint(15, 90), round_)
            server = Emulator(database)  # the same file, after the crash
            assert lost_edits(server, edits) == []
            assert integrity(database) == "ok"
    finally:
        server.stop()
    assert integrity(database) == "ok"
    assert len(edits.acked) >= kills  # records were created, and each one checked
    assert edits.count >= 15 * kills


def test_the_database_file_is_opened_in_wal_mode_with_full_synchronous_commits(
    tmp_path: Path,
) -> None:
    """What makes an answered edit durable: every pooled connection commits to the WAL and
    syncs it before the API answers, and waits for a lock rather than failing at once."""
    database = tmp_path / "crm.sqlite"
    backend = System(Settings(database=str(database)))
    try:
        engine = backend.store.db.engine
        with engine.connect() as one, engine.connect() as two:  # two distinct pool connections
            for conn in (one, two):
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    finally:
        backend.close()
    with sqlite3.connect(database) as conn:  # WAL is a property of the file: it persists
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


#: A child that starts the emulator on a new database file and is SIGKILLed by itself half-way
#: through filling it: while the fixture image is built (the third time fixture rows are
#: written: users and leads written, contacts about to be), or while the image is copied into
#: the file (after a few pages).
KILLED_WHILE_LOADING = """
import os, signal, sqlite3, sys
from emulator.systems import System
from emulator.settings import Settings
from emulator.store import bulk, sqlite

def die():
    os.kill(os.getpid(), signal.SIGKILL)

insert, done = bulk.insert_records, []
def crash_on_third(ex, schema, counters, noun, rows):
    done.append(noun)
    if len(done) == 3:
        die()
    return insert(ex, schema, counters, noun, rows)

def crash_while_copying(self, data):
    source = sqlite3.connect(":memory:")
    source.deserialize(data)
    stop = lambda status, left, total: left < total - 20 and die()
    source.backup(self.raw, pages=5, progress=stop)

if sys.argv[2] == "building":
    bulk.insert_records = crash_on_third
else:
    sqlite.SQLiteDatabase.copy_from = crash_while_copying
System(Settings(database=sys.argv[1], cache_dir=sys.argv[3]))
"""


@pytest.mark.parametrize("stage", ["building", "copying"])
def test_a_crash_while_the_first_start_loads_the_fixtures_leaves_no_half_loaded_database(
    tmp_path: Path, stage: str
) -> None:
    """Fixtures are loaded only into an empty database, so a start killed half-way through
    loading them must leave nothing behind that a later start takes for a loaded one."""
    database = tmp_path / "crm.sqlite"
    cache = "off" if stage == "building" else str(tmp_path / "cache")
    child = subprocess.run(
        [sys.executable, "-c", KILLED_WHILE_LOADING, str(database), stage, cache],
        timeout=60,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL
    shipped = FixtureSet.load()
    live = {noun: sum(not r.get("deleted") for r in rows) for noun, rows in shipped.records.items()}
    restarted = System(Settings(database=str(database)))
    try:
        counts = restarted.store.counts()
    finally:
        restarted.close()
    assert counts == {**live, "user": len(shipped.users)}
