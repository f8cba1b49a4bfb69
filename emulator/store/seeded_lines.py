"""Seeded product lines, inserted from templates.

Seeding makes each record's lines from a few thousand planned templates
(emulator/control/seeding/lines.py): a line is its record, its number and a template.
On SQLite the templates go once into a temporary table and each chunk's lines are one
``INSERT ... SELECT`` that joins a JSON array of (crmid, linenumber, template) to it, so
Python binds three values a line, not some fifty (100,000 lines: 0.67 s -> about 0.3 s).
Elsewhere, or on a SQLite without the JSON functions, the lines are spelt out row by row.

The temporary table belongs to the connection, not to the database: images and snapshots
never hold it, and :func:`forget_templates` drops it before and after each seeding, so
one seeding's lines never meet another's templates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import orjson
from sqlalchemy import Table

from emulator.store.executor import Executor
from emulator.store.packing import has_json_array

#: The temporary table of templates (SQLite), numbered from 0 in the order they were made.
TEMPLATES = "seed_line_templates"


@dataclass(frozen=True)
class SeededLines:
    """Lines of new records: ``refs`` are (crmid, linenumber, template number); a template
    holds the line's values in ``columns`` order (the line's columns after its number).
    ``templates`` may grow between chunks of one seeding, never change."""

    columns: Sequence[str]
    templates: Sequence[Sequence[object]]
    refs: Sequence[tuple[int, str, int]]

    def rows(self) -> list[tuple[object, ...]]:
        """The lines spelt out: crmid, linenumber, then ``columns``."""
        return [(crmid, number, *self.templates[t]) for crmid, number, t in self.refs]


def by_template(ex: Executor) -> bool:
    """Whether lines go in through the templates table (SQLite with JSON functions)."""
    return ex.dialect.name == "sqlite" and has_json_array()


def insert_from_templates(ex: Executor, table: Table, lines: SeededLines) -> None:
    """One chunk's lines, joined to the templates (loading those not loaded yet)."""
    quote = ex.dialect.identifier_preparer.quote
    names = [quote(name) for name in lines.columns]
    columns = ", ".join(names)
    run(ex, f"CREATE TEMP TABLE IF NOT EXISTS {TEMPLATES} (id INTEGER PRIMARY KEY, {columns})")
    cursor = ex.run_sql(f"SELECT count(*) FROM {TEMPLATES}", ())
    loaded = int(cursor.fetchone()[0])
    cursor.close()
    fresh = [(n, *values) for n, values in enumerate(lines.templates[loaded:], loaded)]
    if fresh:
        marks = ", ".join("?" * (len(names) + 1))
        cursor = ex.connection.cursor()
        cursor.executemany(f"INSERT INTO {TEMPLATES} VALUES ({marks})", fresh)
        cursor.close()
    # CROSS JOIN keeps the JSON array the outer loop: lines get their ids in its order.
    cursor = ex.run_sql(
        f"INSERT INTO {quote(table.name)} (crmid, linenumber, {columns}) "
        f"SELECT json_extract(r.value, '$[0]'), json_extract(r.value, '$[1]'), "
        f"{', '.join('t.' + name for name in names)} "
        f"FROM json_each(?) AS r CROSS JOIN {TEMPLATES} AS t "
        f"ON t.id = json_extract(r.value, '$[2]')",
        (orjson.dumps(list(lines.refs)).decode(),),
    )
    inserted = cursor.rowcount
    cursor.close()
    if inserted != len(lines.refs):  # a line naming a template not loaded: never dropped
        raise RuntimeError(f"{len(lines.refs) - inserted} seeded lines name no loaded template")


def run(ex: Executor, sql: str) -> None:
    ex.run_sql(sql, ()).close()


def forget_templates(ex: Executor) -> None:
    """Drop the templates table, if seeding made one."""
    if by_template(ex):
        run(ex, f"DROP TABLE IF EXISTS temp.{TEMPLATES}")
