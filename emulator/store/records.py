"""One module's records: reading one by id, creating and updating its row, record numbers.

Functions here take the :class:`~emulator.store.executor.Executor` of the caller (a read, or
the transaction of a :class:`~emulator.store.unit.UnitOfWork`), so a create or an edit with
its audit entry and product lines commits, or fails, as one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.sql.dml import Insert

from emulator.domain.modules import NUMERIC_TYPES, Field, FieldType, Module
from emulator.domain.quoting import shown
from emulator.errors import RequestError
from emulator.store.executor import Executor, Row
from emulator.store.queries import ModuleQueries, as_number
from emulator.store.tables import Tables

NUMBER_LIKE = NUMERIC_TYPES | {FieldType.REF, FieldType.BOOLEAN}
#: Header columns an edit always changes: not worth an audit detail each time.
HEADER_SKIP = frozenset({"modifiedtime", "modifiedby"})
#: A number as SQLite's type affinity reads one: such text in a number column is stored as
#: a number, whatever its size.
NUMBER_LITERAL = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*", re.ASCII)


def store_value(field: Field, raw: str) -> object:
    """What to store for a value sent on the wire. No validation, as the real API: a value
    that is not a number in a number field is stored as sent (SQLite keeps the text).
    An empty value is NULL whatever the type, as vtiger stores an empty date, so a blanked
    field and a never-set one (both ``""`` on the wire) match the same query_string; except a
    checkbox, whose MySQL column is a number with default 0: MySQL (in vtiger's non-strict SQL
    mode) stores ``''`` as 0, so a blanked checkbox reads ``"0"`` like a never-set one."""
    if field.type is FieldType.BOOLEAN and raw.strip() == "":
        return 0
    if raw == "" or (field.type in NUMBER_LIKE and raw.strip() == ""):
        return None
    if field.type not in NUMBER_LIKE:
        return raw
    number = as_number(raw)
    if isinstance(number, str) and overflows(raw):
        # SQLite turns such text into the REAL Inf in a number column ("1e999" would read
        # back "Inf"), and MySQL refuses it as out of range: so does the emulator.
        raise RequestError(f"Invalid {field.name}: {shown(raw.strip())} is out of range")
    return raw if isinstance(number, str) else number


def unchecked(module: Module, row: Mapping[str, object]) -> dict[str, object]:
    """The checkboxes ``row`` leaves unset, as 0: MySQL's default for a checkbox column."""
    return {
        f.name: 0 for f in module.fields if f.type is FieldType.BOOLEAN and row.get(f.name) is None
    }


def overflows(raw: str) -> bool:
    """Whether ``raw`` is a number literal (as SQLite reads one) beyond a float's range."""
    return NUMBER_LITERAL.fullmatch(raw) is not None and math.isinf(float(raw))


def insert_of(table: Table, names: Iterable[str]) -> Insert:
    """An INSERT of the named columns as parameters; columns left out take their defaults."""
    named = set(names)
    values: dict[str, Any] = {name: bindparam(name) for name in sorted(named)}
    for column in table.columns:
        default = column.default
        if column.name not in named and default is not None and default.is_scalar:
            values[column.name] = default.arg  # type: ignore[attr-defined]
    return insert(table).values(values)


def fetch(ex: Executor, queries: ModuleQueries, crmid: int) -> Row | None:
    """A live record as wire strings, or None."""
    stmt = ex.prepare(("get", queries.module.noun), lambda: queries.get)
    return ex.one(stmt, {"crmid": crmid})


def header(module: Module, owner: object, actor_id: int, stamp: str) -> dict[str, object]:
    """The crmentity header of a new record (owner: the one sent, else the API user)."""
    if not module.crmentity:
        return {}
    return {
        "smownerid": owner if owner not in (None, "") else actor_id,
        "smcreatorid": actor_id,
        "modifiedby": actor_id,
        "createdtime": stamp,
        "modifiedtime": stamp,
    }


def insert_row(
    ex: Executor, tables: Tables, queries: ModuleQueries, crmid: int, row: Mapping[str, object]
) -> None:
    """The crmentity row and the module's row of a new record."""
    module = queries.module
    entity = ex.prepare(
        ("insert", "crmentity"), lambda: insert_of(tables.crmentity, ("crmid", "setype"))
    )
    ex.run(entity, {"crmid": crmid, "setype": module.record_module})
    names = ("crmid", *sorted(row))
    stmt = ex.prepare(("insert", module.noun, names), lambda: insert_of(queries.table, names))
    ex.run(stmt, {**queries.stored(row), "crmid": crmid})


def update_row(ex: Executor, queries: ModuleQueries, crmid: int, row: Mapping[str, object]) -> None:
    """UPDATE one record's columns: one statement per set of columns, compiled once."""
    names = tuple(sorted(row))

    def build() -> Any:
        stmt = update(queries.table).where(queries.key == bindparam("crmid_"))
        return stmt.values({name: bindparam(name) for name in names})

    stmt = ex.prepare(("update", queries.module.noun, names), build)
    ex.run(stmt, {**queries.stored(row), "crmid_": crmid})


def next_number(ex: Executor, tables: Tables, numbers: dict[str, int], module: Module) -> str:
    """The module's next record number (``CON123``), saved in ``modentity_num``."""
    key = module.record_module
    current = numbers.get(key, 0) + 1
    table = tables.numbers

    def build_update() -> Any:
        stmt = update(table).where(table.c.semodule == bindparam("semodule_"))
        return stmt.values(cur_id=bindparam("cur_id"))

    # Update, else insert: the in-memory counter may be ahead of the table when an earlier
    # transaction rolled back, and a lost counter row would reuse numbers after a restart.
    done = ex.run(
        ex.prepare(("number", "update"), build_update), {"semodule_": key, "cur_id": current}
    )
    if done.rowcount == 0:
        names = ("semodule", "prefix", "cur_id")
        stmt = ex.prepare(("number", "insert"), lambda: insert_of(table, names))
        ex.run(stmt, {"semodule": key, "prefix": module.number_prefix, "cur_id": current})
    numbers[key] = current
    return f"{module.number_prefix}{current}"
