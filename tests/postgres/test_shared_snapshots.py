"""Snapshots on PostgreSQL live in the system's schema (emulator/store/postgres_snapshots.py):
two systems on one schema, each with a connection of its own as two emulator processes have,
see the same named snapshots and the same reset target, whichever saved or reset."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import make_url

from emulator.settings import Settings
from emulator.systems import System

#: Names that must stay values: quotes, a statement, spaces, and more than 63 bytes.
AWKWARD_NAMES = ['with "quotes"', "x'; DROP TABLE crmentity; --", "é" * 100]


@pytest.fixture
def two(
    fresh_postgres_url: str,
) -> Iterator[tuple[System, System]]:
    """Two systems on one schema, as two processes have: the first started on the empty
    database, the second later, beside it."""
    first = System(Settings(database=fresh_postgres_url))
    first.store.insert_records("contact", [{"lastname": "Before the second start"}])
    second = System(Settings(database=fresh_postgres_url))
    try:
        yield first, second
    finally:
        second.close()
        first.close()


def lastnames(system: System) -> set[str]:
    return {row["lastname"] for row in system.store.live_values("contact", ["lastname"])}


def copies(url: str) -> set[str]:
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain) as conn:
        copy = "^emulator_snap_[0-9]+_[0-9]+$"
        found = conn.execute("SELECT tablename FROM pg_tables WHERE tablename ~ %s", (copy,))
        return {row[0] for row in found}


def test_a_snapshot_saved_through_one_process_is_listed_and_restored_through_another(
    two: tuple[System, System],
) -> None:
    first, second = two
    first.store.insert_records("contact", [{"lastname": "Kept"}])
    first.control.save_snapshot("shared")
    first.store.insert_records("contact", [{"lastname": "Dropped"}])
    assert second.control.snapshots == ["shared"]
    assert second.control.restore_snapshot("shared") is True
    assert "Kept" in lastnames(first)
    assert "Dropped" not in lastnames(first)
    assert second.control.restore_snapshot("not saved") is False


def test_a_reset_through_either_process_goes_back_to_the_first_ones_start(
    two: tuple[System, System],
) -> None:
    first, second = two
    started = lastnames(first) - {"Before the second start"}
    second.control.reset()
    assert lastnames(first) == started
    second.store.insert_records("contact", [{"lastname": "After the reset"}])
    first.control.reset()
    assert lastnames(second) == started


def test_a_reset_forgets_the_named_snapshots_and_their_copies_for_every_process(
    two: tuple[System, System], fresh_postgres_url: str
) -> None:
    first, second = two
    first.control.save_snapshot("one")
    second.control.save_snapshot("one")  # saved again: the first copy goes
    second.control.save_snapshot("two")
    before = copies(fresh_postgres_url)
    first.control.reset()
    assert first.control.snapshots == second.control.snapshots == []
    assert len(copies(fresh_postgres_url)) == len(before) // 3  # the reset target's only


@pytest.mark.parametrize("name", AWKWARD_NAMES)
def test_a_snapshot_name_is_a_value_never_an_identifier(
    two: tuple[System, System], name: str
) -> None:
    first, second = two
    first.store.insert_records("contact", [{"lastname": "Named"}])
    first.control.save_snapshot(name)
    first.control.reset()
    assert second.control.restore_snapshot(name) is False  # the reset forgot it
    first.store.insert_records("contact", [{"lastname": "Named again"}])
    first.control.save_snapshot(name)
    second.control.reset()
    assert second.control.restore_snapshot(name) is False
    first.control.save_snapshot(name)
    assert second.control.snapshots == [name]
    assert second.control.restore_snapshot(name) is True
