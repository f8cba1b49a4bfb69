"""Product lines of sales records (``product_lines``): read in display order, written as the
line rules plan them (emulator/domain/product_lines.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from itertools import groupby
from typing import Any

from sqlalchemy import Select, String, bindparam, cast, delete, func, select, update

from emulator.store.executor import Executor, Row
from emulator.store.flavours import BLANK
from emulator.store.records import insert_of
from emulator.store.tables import Tables


def lines_select(tables: Tables) -> Select[*tuple[Any, ...]]:
    """A record's product lines as wire strings, in display order."""
    pl = tables.product_lines
    columns = [
        func.coalesce(cast(c, String), BLANK).label(str(c.name))
        for c in pl.columns
        if c.name != "crmid"
    ]
    stmt = select(*columns).where(pl.c.crmid == bindparam("crmid"))
    return stmt.order_by(pl.c.linenumber, pl.c.lineid)


def lines_of(ex: Executor, tables: Tables, crmid: int) -> list[Row]:
    return ex.rows(ex.prepare(("lines",), lambda: lines_select(tables)), {"crmid": crmid})


def insert_lines(
    ex: Executor, tables: Tables, crmid: int, lines: Sequence[Mapping[str, object]]
) -> None:
    """Insert lines (ids assigned by the table, in insertion order)."""
    for names, group in groupby(lines, key=lambda line: ("crmid", *sorted(line))):
        stmt = ex.prepare(("insert-line", names), partial(insert_of, tables.product_lines, names))
        ex.run_many(stmt, [{**line, "crmid": crmid} for line in group])


def update_lines(ex: Executor, tables: Tables, lines: Sequence[Mapping[str, str]]) -> None:
    pl = tables.product_lines
    for line in lines:
        values = {k: v for k, v in line.items() if k != "lineid"}
        names = tuple(sorted(values))

        def build(names: tuple[str, ...] = names) -> Any:
            stmt = update(pl).where(pl.c.lineid == bindparam("lineid_"))
            return stmt.values({name: bindparam(name) for name in names})

        stmt = ex.prepare(("update-line", names), build)
        ex.run(stmt, {**values, "lineid_": int(line["lineid"])})


def delete_lines(ex: Executor, tables: Tables, lineids: Sequence[str]) -> None:
    pl = tables.product_lines
    stmt = ex.prepare(
        ("delete-line",), lambda: delete(pl).where(pl.c.lineid == bindparam("lineid"))
    )
    ex.run_many(stmt, [{"lineid": int(i)} for i in lineids])
