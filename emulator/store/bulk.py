"""Bulk inserts: fixture records (rows of wire values, no audit) and seed data (rows already
in storage form, one executemany per table), with ids and record numbers allocated here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, bindparam, delete
from sqlalchemy.schema import CreateIndex, DropIndex

from emulator.domain.modules import Module
from emulator.store.executor import Executor
from emulator.store.records import insert_of, store_value, unchecked
from emulator.store.schema import Counters, Schema
from emulator.store.seeded_lines import SeededLines, by_template, insert_from_templates


def insert_records(
    ex: Executor, schema: Schema, counters: Counters, noun: str, rows: Sequence[Mapping[str, Any]]
) -> list[int]:
    """Insert fixture rows (wire values by field name); their ids, given or allocated."""
    module = schema.registry.by_noun(noun)
    table = schema.tables.modules[noun]
    key = "crmid" if module.crmentity else "id"
    ids = bulk_ids(counters, module, rows)
    stamp = schema.clock.stamp()
    columns = [f.name for f in module.fields]
    prepared = [
        bulk_row(counters, module, row, rid, stamp, columns)
        for row, rid in zip(rows, ids, strict=True)
    ]
    if module.crmentity:
        entity = [
            {"crmid": r[key], "setype": module.record_module, "deleted": r["deleted"]}
            for r in prepared
        ]
        ex.run_many(insert_of(schema.tables.crmentity, ("crmid", "setype", "deleted")), entity)
    if prepared:
        stored = [schema.queries[noun].stored(row) for row in prepared]
        ex.run_many(insert_of(table, (key, "deleted", *columns)), stored)
    save_numbers(ex, schema, counters, [module])
    return ids


def bulk_ids(counters: Counters, module: Module, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    key = "crmid" if module.crmentity else "id"
    given = [int(r[key]) if r.get(key) not in (None, "") else None for r in rows]
    if module.crmentity:
        counters.next_crmid = max([counters.next_crmid, *((g or 0) + 1 for g in given)])
        fresh = iter(counters.allocate(sum(g is None for g in given)))
    else:
        fresh = iter(range(max([0, *(g or 0 for g in given)]) + 1, 10**12))
    return [g if g is not None else next(fresh) for g in given]


def bulk_row(
    counters: Counters,
    module: Module,
    row: Mapping[str, Any],
    rid: int,
    stamp: str,
    columns: list[str],
) -> dict[str, object]:
    out: dict[str, object] = dict.fromkeys(columns)
    for f in module.fields:
        value = row.get(f.name)
        if value is not None:
            out[f.name] = store_value(f, str(value))
    out.update(unchecked(module, out))
    out["crmid" if module.crmentity else "id"] = rid
    out["deleted"] = int(row.get("deleted", 0) or 0)
    if module.crmentity:
        owner = out.get("smownerid") or 1
        out.update(smownerid=owner)
        for name, default in (("smcreatorid", owner), ("modifiedby", owner)):
            out[name] = out.get(name) or default
        out["createdtime"] = out.get("createdtime") or stamp
        out["modifiedtime"] = out.get("modifiedtime") or out["createdtime"]
    if module.number_field and not out.get(module.number_field):
        current = counters.numbers.get(module.record_module, 0) + 1
        counters.numbers[module.record_module] = current
        out[module.number_field] = f"{module.number_prefix}{current}"
    return out


def save_numbers(
    ex: Executor, schema: Schema, counters: Counters, modules: Sequence[Module]
) -> None:
    """Write the modules' last record numbers (after a bulk insert took them in memory)."""
    table = schema.tables.numbers
    remove = ex.prepare(
        ("numbers", "delete"), lambda: delete(table).where(table.c.semodule == bindparam("m"))
    )
    add = ex.prepare(
        ("numbers", "insert"), lambda: insert_of(table, ("semodule", "prefix", "cur_id"))
    )
    for m in modules:
        if m.number_field and m.record_module in counters.numbers:
            ex.run(remove, {"m": m.record_module})
            number = counters.numbers[m.record_module]
            ex.run(add, {"semodule": m.record_module, "prefix": m.number_prefix, "cur_id": number})


def insert_seeded(
    ex: Executor,
    schema: Schema,
    counters: Counters,
    module: Module,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    lines: SeededLines | None = None,
) -> None:
    """Generated records (values in ``columns`` order, storage form) and their lines."""
    if module.crmentity:
        ids = [(row[0], module.record_module, 0) for row in rows]
        insert_ordered(ex, schema.tables.crmentity, ("crmid", "setype", "deleted"), ids)
    queries = schema.queries[module.noun]
    if queries.flavour.converts:
        rows = [list(queries.stored(dict(zip(columns, row, strict=True))).values()) for row in rows]
    insert_ordered(ex, schema.tables.modules[module.noun], columns, rows)
    if lines is not None and lines.refs:
        table = schema.tables.product_lines
        if by_template(ex):
            insert_from_templates(ex, table, lines)
        else:  # the line's id left out: the database numbers it
            insert_ordered(ex, table, ["crmid", "linenumber", *lines.columns], lines.rows())
    save_numbers(ex, schema, counters, [module])


def insert_ordered(
    ex: Executor, table: Table, columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """INSERT ``rows`` whose values are in ``columns`` order."""
    if not rows:
        return
    stmt = ex.prepare(("bulk", table.name, tuple(columns)), lambda: insert_of(table, columns))
    order = stmt.order
    if order is None:  # a named paramstyle
        ex.run_many(stmt, [dict(zip(columns, row, strict=True)) for row in rows])
        return
    if order != tuple(columns):
        at = {name: i for i, name in enumerate(columns)}
        rows = [tuple(row[at[name]] for name in order) for row in rows]
    ex.run_rows(stmt, rows)


def drop_indexes(ex: Executor, table: Table) -> None:
    for index in sorted(table.indexes, key=lambda i: str(i.name)):
        ex.run(DropIndex(index))


def create_indexes(ex: Executor, table: Table) -> None:
    for index in sorted(table.indexes, key=lambda i: str(i.name)):
        ex.run(CreateIndex(index))
