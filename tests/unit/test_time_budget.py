"""The time budget of an API call (setting ``api_time_limit``): the store checks it before
each statement and, through SQLite's progress handler, while one runs; a call past it is
stopped, and its transaction rolled back."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from emulator.domain import deadline
from emulator.domain.lists import ListQuery
from emulator.errors import TimeBudgetExceeded
from emulator.settings import Settings
from emulator.systems import System

ENDLESS = text(
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n"
)


@pytest.fixture(scope="module")
def system() -> Iterator[System]:
    system = System(Settings())
    yield system
    system.close()


def test_a_statement_after_the_deadline_is_not_run(system: System) -> None:
    with deadline.within(0), pytest.raises(TimeBudgetExceeded):
        system.store.count_records("contact", ListQuery())
    assert system.store.count_records("contact", ListQuery()) == 11


def test_a_statement_running_past_the_deadline_is_interrupted(system: System) -> None:
    started = time.monotonic()
    with deadline.within(0.1), pytest.raises(TimeBudgetExceeded), system.store.lock:
        system.store.ex.scalar(ENDLESS)
    assert time.monotonic() - started < 1
    assert system.store.count_records("contact", ListQuery()) == 11


def test_a_write_past_the_deadline_is_rolled_back(system: System) -> None:
    module = system.registry.by_noun("contact")
    field = module.edit_field("lastname")
    assert field is not None

    def slow_edit() -> None:
        with system.store.transaction() as work:
            work.update_record(module, 150, {field: "Changed"}, 1, {})
            time.sleep(0.15)
            work.fetch("contact", 150)

    with deadline.within(0.1), pytest.raises(TimeBudgetExceeded):
        slow_edit()
    assert system.store.get_record("contact", 150)["lastname"] == "Jones"  # type: ignore[index]


def test_without_a_deadline_nothing_is_stopped(system: System) -> None:
    assert deadline.remaining() is None
    assert system.store.count_records("contact", ListQuery()) == 11
