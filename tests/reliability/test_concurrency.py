"""Concurrent clients against a live server on a database file (issue 8, "Concurrency").

Eight threads, each with its own keep-alive connection, interleave creates and edits across
modules, quotes with product lines among them (lines added, amended and removed in one
edit). Each thread keeps a ledger of what the server acknowledged: ids it returned, the last
value of every field, the lines of every quote. Afterwards, and again after a restart on the
same file, every acknowledged write must be there with its last value, every id unique, and
no answer may have been a 5xx or carried SQLite's "database is locked".

Each thread edits only records it created or fixture records dealt to it alone, so "the last
acknowledged value" is well defined: the server interleaves the threads' calls, not their
writes to one field.
"""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.live import Client, Emulator, Problems, fixture_ids

THREADS = 8
#: Text fields each module's edits set (text: the value read back is the value sent).
FIELDS = {
    "contact": ("lastname", "firstname", "title"),
    "company": ("accountname", "phone"),
    "lead": ("lastname", "company"),
    "ticket": ("title",),
    "opportunity": ("potentialname", "nextstep"),
}
#: Quotes are created with lines (below); an edit may set their subject like any field.
EDITABLE = {**FIELDS, "quote": ("subject",)}
DEALT = ("contact", "company")  # fixture records of these are shared out among the threads

Key = tuple[str, int]  # (module noun, crmid)
Line = tuple[str, Decimal]  # (productid, quantity)


@dataclass
class Ledger:
    """What the server acknowledged to one thread."""

    values: dict[Key, dict[str, str]] = field(default_factory=dict)
    lines: dict[int, dict[str, Line]] = field(default_factory=dict)  # quote -> lineid -> line
    created: list[int] = field(default_factory=list)
    writes: int = 0
    operations: int = 0


class Worker:
    """One client thread: ``operations`` random creates and edits, each acknowledged one in
    its ledger."""

    def __init__(self, n: int, client: Client, dealt: list[Key], products: list[int]) -> None:
        self.n, self.client, self.products = n, client, products
        self.rng = random.Random(8000 + n)
        self.ledger = Ledger(values={key: {} for key in dealt})

    def run(self, operations: int, deadline: float) -> None:
        for _ in range(operations):
            if time.monotonic() > deadline:
                return
            self.ledger.operations += 1
            roll = self.rng.random()
            if roll < 0.25 or not self.ledger.values:
                self.create()
            elif roll < 0.6:
                self.edit(self.rng.choice(sorted(self.ledger.values)))
            elif roll < 0.7 or not self.ledger.lines:
                self.create_quote()
            else:
                self.edit_quote(self.rng.choice(sorted(self.ledger.lines)))

    def tag(self) -> str:
        """A value no other write sends (thread, operation), with an apostrophe and accents
        that must come back as sent."""
        return f"t{self.n} op{self.ledger.operations} O'Neil-Müller"

    def create(self) -> None:
        noun = self.rng.choice(sorted(FIELDS))
        values = {name: self.tag() for name in FIELDS[noun]}
        crmid = self.client.call(f"edit_{noun}", crmid="0", **values)
        self.acknowledged((noun, crmid), values, created=True)

    def edit(self, key: Key) -> None:
        noun, crmid = key
        values = {name: self.tag() for name in self.rng.sample(EDITABLE[noun], 1)}
        assert self.client.call(f"edit_{noun}", crmid=str(crmid), **values) == crmid
        self.acknowledged(key, values)

    def acknowledged(self, key: Key, values: dict[str, str], created: bool = False) -> None:
        assert isinstance(key[1], int), key
        self.ledger.values.setdefault(key, {}).update(values)
        self.ledger.created += [key[1]] if created else []
        self.ledger.writes += 1

    def new_lines(self, count: int) -> list[dict[str, str]]:
        return [
            {"lineid": "0", "productid": str(self.rng.choice(self.products)), "quantity": str(q)}
            for q in self.rng.sample(range(1, 50), count)
        ]

    def create_quote(self) -> None:
        sent = self.new_lines(self.rng.randint(1, 3))
        subject = self.tag()
        crmid = self.client.call(
            "edit_quote", crmid="0", subject=subject, products=json.dumps(sent)
        )
        self.acknowledged(("quote", crmid), {"subject": subject}, created=True)
        self.learn_lines(crmid, {}, sent)

    def edit_quote(self, crmid: int) -> None:
        """One edit that amends some lines, removes others (by leaving them out) and adds new
        ones (guide, "Product Lines")."""
        current = self.ledger.lines[crmid]
        kept = {k: v for k, v in current.items() if self.rng.random() < 0.7}
        amended = {k: (p, Decimal(self.rng.randint(50, 99))) for k, (p, _) in kept.items()}
        sent = [{"lineid": k, "productid": p, "quantity": str(q)} for k, (p, q) in amended.items()]
        added = self.new_lines(self.rng.randint(0, 2))
        subject = self.tag()
        products = json.dumps(sent + added)
        assert (
            self.client.call("edit_quote", crmid=str(crmid), subject=subject, products=products)
            == crmid
        )
        self.acknowledged(("quote", crmid), {"subject": subject})
        self.learn_lines(crmid, amended, added)

    def learn_lines(self, crmid: int, kept: dict[str, Line], added: list[dict[str, str]]) -> None:
        """Read the quote back to learn the ids of the added lines (an edit answers only the
        record id); the kept lines must be as amended, the rest exactly the added ones."""
        lines = lines_of(self.client.call("get_quote", crmid=str(crmid)))
        assert {k: lines.get(k) for k in kept} == kept, (crmid, lines, kept)
        fresh = Counter(v for k, v in lines.items() if k not in kept)
        assert fresh == Counter((a["productid"], Decimal(a["quantity"])) for a in added)
        self.ledger.lines[crmid] = lines


def lines_of(record: dict[str, Any]) -> dict[str, Line]:
    return {
        line["lineid"]: (line["productid"], Decimal(line["quantity"]))
        for line in record["products"]
    }


def run_workers(server: Emulator, problems: Problems, operations: int, cap: float) -> list[Ledger]:
    """THREADS workers, each with its own connection and its share of the fixture records;
    their ledgers once all have finished."""
    with Client(server.base_url, problems) as setup:
        dealt = [(noun, crmid) for noun in DEALT for crmid in fixture_ids(setup, noun)]
        products = list(fixture_ids(setup, "product"))
    clients = [Client(server.base_url, problems) for _ in range(THREADS)]
    workers = [Worker(n, c, dealt[n::THREADS], products) for n, c in enumerate(clients)]
    try:
        run_together(workers, operations, cap)
    finally:
        for client in clients:
            client.close()
    return [w.ledger for w in workers]


def run_together(workers: list[Worker], operations: int, cap: float) -> None:
    """Start the workers at one moment; wait for them, at most ``cap`` seconds (and a margin
    for the calls in flight)."""
    failures: list[BaseException] = []
    start = threading.Barrier(len(workers))
    deadline = time.monotonic() + cap

    def work(worker: Worker) -> None:
        try:
            start.wait(timeout=cap)
            worker.run(operations, deadline)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(w,), daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + 15)
    assert not failures, failures
    assert not any(t.is_alive() for t in threads), f"workers still running after {cap} s"


def missing_writes(client: Client, ledgers: list[Ledger]) -> tuple[list[str], int]:
    """Every acknowledged value and product line read back: what differs, and how many
    values were compared."""
    wrong: list[str] = []
    compared = 0
    for ledger in ledgers:
        for (noun, crmid), values in ledger.values.items():
            record = client.call(f"get_{noun}", crmid=str(crmid))
            got = {name: record.get(name) for name in values}
            wrong += [f"{noun} {crmid}: {got} != {values}"] if got != values else []
            compared += len(values)
            if noun == "quote":
                lines = lines_of(record)
                expected = ledger.lines[crmid]
                if lines != expected:
                    wrong.append(f"quote {crmid} lines: {lines} != {expected}")
                compared += len(expected)
    return wrong, compared


def read_back(server: Emulator, problems: Problems, ledgers: list[Ledger]) -> list[str]:
    with Client(server.base_url, problems) as reader:
        wrong, compared = missing_writes(reader, ledgers)
    assert compared >= sum(ledger.writes for ledger in ledgers) // 2  # a real amount read
    return wrong


def assert_ids_unique(ledgers: list[Ledger], before: set[int]) -> None:
    created = [crmid for ledger in ledgers for crmid in ledger.created]
    assert len(set(created)) == len(created), "an id was handed out twice"
    assert not set(created) & before, "a create reused the id of a record that was there"


def integrity(database: Path) -> str:
    with sqlite3.connect(database) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


@pytest.mark.parametrize(
    ("operations", "cap"),
    [
        pytest.param(60, 60.0, id="8x60"),
        pytest.param(400, 400.0, marks=pytest.mark.slow, id="8x400"),
    ],
)
def test_every_write_acknowledged_to_concurrent_clients_is_kept_across_a_restart(
    tmp_path: Path, operations: int, cap: float
) -> None:
    database = tmp_path / "crm.sqlite"
    problems = Problems()
    server = Emulator(database)
    try:
        with Client(server.base_url, problems) as probe:
            before = {i for noun in (*FIELDS, "quote") for i in fixture_ids(probe, noun)}
        ledgers = run_workers(server, problems, operations, cap)
        wrong = read_back(server, problems, ledgers)
    finally:
        server.stop()
    done = sum(ledger.operations for ledger in ledgers)
    assert done == THREADS * operations, f"only {done} operations within {cap} s"
    assert_ids_unique(ledgers, before)
    assert not wrong, wrong[:10]
    server = Emulator(database)  # the same file, a new process
    try:
        wrong_after_restart = read_back(server, problems, ledgers)
    finally:
        server.stop()
    assert not wrong_after_restart, wrong_after_restart[:10]
    assert not problems.found, problems.found[:10]
    assert integrity(database) == "ok"
