"""Seeded product lines go in from templates (emulator/store/seeded_lines.py): the same rows
as spelt out one by one, numbered in the order given, and nothing left behind."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from emulator.control.seeding.lines import TEMPLATE_COLUMNS
from emulator.settings import Settings
from emulator.store import SeededLines, bulk, seeded_lines
from emulator.systems import System

QUANTITY = TEMPLATE_COLUMNS.index("quantity")


@pytest.fixture
def system() -> Iterator[System]:
    made = System(Settings(cache_dir="off"))
    yield made
    made.close()


def template(n: int) -> tuple[str, ...]:
    values = ["" for _ in TEMPLATE_COLUMNS]
    values[TEMPLATE_COLUMNS.index("productname")] = f"Product {n}"
    values[QUANTITY] = str(n + 1)
    return tuple(values)


def seed_quotes(system: System) -> list[tuple[object, ...]]:
    """Three quotes in two chunks, the templates growing between them; their lines as
    stored, by line id."""
    store, quote = system.store, system.registry.by_noun("quote")
    first, second, third = store.allocate(3)
    templates = [template(0), template(1)]
    store.insert_seeded(
        quote,
        ["crmid", "deleted", "subject"],
        [(first, 0, "One"), (second, 0, "Two")],
        SeededLines(
            TEMPLATE_COLUMNS, templates, [(first, "1", 1), (first, "2", 0), (second, "1", 1)]
        ),
    )
    templates.append(template(2))  # a template planned for the next chunk
    store.insert_seeded(
        quote,
        ["crmid", "deleted", "subject"],
        [(third, 0, "Three")],
        SeededLines(TEMPLATE_COLUMNS, templates, [(third, "1", 2), (third, "2", 0)]),
    )
    names = ", ".join(("lineid", "crmid", "linenumber", *TEMPLATE_COLUMNS))
    return store.db.raw.execute(
        f"SELECT {names} FROM product_lines WHERE crmid >= ? ORDER BY lineid", (first,)
    ).fetchall()


def temp_tables(raw: sqlite3.Connection) -> list[str]:
    return [name for (name,) in raw.execute("SELECT name FROM temp.sqlite_master")]


def test_lines_from_templates_are_the_rows_spelt_out_with_ids_in_the_order_given(
    system: System, monkeypatch: pytest.MonkeyPatch
) -> None:
    joined = seed_quotes(system)
    first = int(str(joined[0][1]))
    assert [(row[1], row[2], row[3 + QUANTITY]) for row in joined] == [
        (first, 1, "2"),
        (first, 2, "1"),
        (first + 1, 1, "2"),
        (first + 2, 1, "3"),
        (first + 2, 2, "1"),
    ]
    ids = [int(str(row[0])) for row in joined]
    assert ids == sorted(ids)
    assert len(set(ids)) == 5

    other = System(Settings(cache_dir="off"))
    try:
        monkeypatch.setattr(bulk, "by_template", lambda ex: False)
        spelt_out = seed_quotes(other)
    finally:
        other.close()
    assert spelt_out == joined


def test_the_templates_table_is_never_in_an_image_and_goes_when_seeding_ends(
    system: System,
) -> None:
    seed_quotes(system)
    raw = system.store.db.raw
    assert temp_tables(raw) == [seeded_lines.TEMPLATES]
    copy = sqlite3.connect(":memory:")
    copy.deserialize(system.store.image())
    names = [name for (name,) in copy.execute("SELECT name FROM sqlite_master")]
    assert "product_lines" in names
    assert seeded_lines.TEMPLATES not in names
    system.store.forget_line_templates()
    assert temp_tables(raw) == []


def test_seeding_a_running_system_leaves_no_templates_table(system: System) -> None:
    system.control.seed(20, 7, modules={"company", "contact", "product", "quote"})
    assert temp_tables(system.store.db.raw) == []
    lines = system.store.db.raw.execute("SELECT count(*) FROM product_lines").fetchone()[0]
    assert lines > 20


def test_a_line_naming_a_template_not_loaded_fails_its_chunk_whole(system: System) -> None:
    store, quote = system.store, system.registry.by_noun("quote")
    (crmid,) = store.allocate(1)
    lines = SeededLines(TEMPLATE_COLUMNS, [template(0)], [(crmid, "1", 0), (crmid, "2", 5)])
    with pytest.raises(RuntimeError, match="1 seeded lines name no loaded template"):
        store.insert_seeded(quote, ["crmid", "deleted", "subject"], [(crmid, 0, "Lost")], lines)
    raw = store.db.raw
    assert raw.execute("SELECT count(*) FROM quotes WHERE crmid = ?", (crmid,)).fetchone() == (0,)
    found = raw.execute("SELECT count(*) FROM product_lines WHERE crmid = ?", (crmid,)).fetchone()
    assert found == (0,)
