"""The store's transactions: all or nothing, and never wedged (review of issue 11)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from emulator.settings import Settings
from emulator.store.executor import Compiled
from emulator.systems import System


@pytest.fixture
def system() -> Iterator[System]:
    made = System(Settings(cache_dir="off"))
    yield made
    made.close()


def test_a_rolled_back_create_gives_its_crmid_and_number_back(system: System) -> None:
    store, module = system.store, system.registry.by_noun("contact")
    before = (store.counters.next_crmid, dict(store.counters.numbers))

    def failing_edit() -> None:
        with store.transaction() as work:
            work.create_record(module, {module.field("lastname"): "Never"}, 1)
            raise RuntimeError("the edit fails after the insert")

    with pytest.raises(RuntimeError):
        failing_edit()
    assert (store.counters.next_crmid, store.counters.numbers) == before


def test_a_transaction_inside_a_transaction_is_refused_clearly(system: System) -> None:
    store = system.store
    with (
        store.transaction(),
        pytest.raises(RuntimeError, match="already in a transaction"),
        store.transaction(),
    ):
        pass
    with store.transaction() as work:  # the store is not wedged afterwards
        assert work.fetch("contact", 150) is not None


def test_a_failed_commit_leaves_the_store_usable(
    system: System, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = system.store.db
    real = database.raw

    class FailingCommit:
        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

        def execute(self, sql: str, *args: object) -> object:
            if sql == "COMMIT":
                raise sqlite3.OperationalError("disk I/O error")
            return real.execute(sql, *args)

    monkeypatch.setattr(database, "raw", FailingCommit())
    with pytest.raises(sqlite3.OperationalError), system.store.transaction() as work:
        work.set_fields(system.registry.by_noun("contact"), 150, {"title": "Lost"})
    monkeypatch.setattr(database, "raw", real)
    assert not real.in_transaction
    assert system.store.get_record("contact", 150)["title"] != "Lost"


def test_a_statement_run_without_a_value_it_needs_is_refused(system: System) -> None:
    queries = system.store.queries("contact")
    compiled = Compiled.of(queries.get, system.store.db.engine.dialect)
    with pytest.raises(KeyError, match="crmid"):
        compiled.parameters({"crmd": 150})
