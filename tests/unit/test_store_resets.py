"""A reset of an in-memory database that nothing changed since it was put in place copies
nothing (emulator/store/sqlite.py: SQLiteDatabase.holds): a test that only read costs its
reset almost nothing. Anything that changed the database, even a write rolled back or a
schema change, makes the reset copy the image back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulator.settings import Settings
from emulator.store.sqlite import Image, SQLiteDatabase
from emulator.systems import System


@pytest.fixture
def system() -> Iterator[System]:
    made = System(Settings(cache_dir="off"))
    made.store.restore_initial()
    yield made
    made.close()


def database(system: System) -> SQLiteDatabase:
    db = system.store.db
    assert isinstance(db, SQLiteDatabase)
    return db


def initial(system: System) -> Image:
    image = system.store.snapshots.kept[("initial", "")].image  # type: ignore[attr-defined]
    assert isinstance(image, Image)
    return image


def lastname(system: System, crmid: int) -> str:
    found = system.store.get_record("contact", crmid)
    assert found is not None
    return str(found["lastname"])


def edit_lastname(system: System, crmid: int, value: str) -> None:
    module = system.registry.by_noun("contact")
    with system.store.transaction() as work:
        work.update_record(module, crmid, {module.field("lastname"): value}, 1, {})


def test_after_reads_only_the_database_still_holds_the_image_a_reset_put_in(
    system: System,
) -> None:
    assert database(system).holds(initial(system))
    system.store.get_record("contact", 150)
    system.store.record_json("quote", 421, True)
    assert database(system).holds(initial(system))
    system.store.restore_initial()
    assert database(system).holds(initial(system))


def test_a_reset_after_a_write_puts_the_image_back(system: System) -> None:
    before = lastname(system, 150)
    edit_lastname(system, 150, "Changed")
    assert not database(system).holds(initial(system))
    system.store.restore_initial()
    assert lastname(system, 150) == before
    assert database(system).holds(initial(system))


def test_a_write_rolled_back_still_makes_the_reset_copy(system: System) -> None:
    module = system.registry.by_noun("contact")

    def failing_edit() -> None:
        with system.store.transaction() as work:
            work.update_record(module, 150, {module.field("lastname"): "Gone"}, 1, {})
            raise RuntimeError("the edit fails after the update")

    with pytest.raises(RuntimeError):
        failing_edit()
    assert lastname(system, 150) != "Gone"
    assert not database(system).holds(initial(system))


def test_a_schema_change_makes_the_reset_copy_and_undoes_it(system: System) -> None:
    raw = database(system).raw
    raw.execute("CREATE TABLE stray (id INTEGER)")
    assert not database(system).holds(initial(system))
    system.store.restore_initial()
    tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    assert "stray" not in tables


def test_after_a_named_snapshot_is_restored_a_reset_puts_the_initial_image_back(
    system: System,
) -> None:
    before = lastname(system, 150)
    edit_lastname(system, 150, "Snapshot state")
    system.store.save_snapshot("edited")
    system.store.restore_initial()
    system.store.restore_snapshot("edited")
    assert lastname(system, 150) == "Snapshot state"
    assert not database(system).holds(initial(system))
    system.store.restore_initial()
    assert lastname(system, 150) == before
