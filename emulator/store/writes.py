"""Writing records: ids, record numbers, header columns, audit rows, product lines.

Every function takes the open connection of the caller's transaction, so a create or an edit
with its audit entry and product lines commits, or fails, as one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    Dialect,
    Select,
    String,
    bindparam,
    cast,
    delete,
    func,
    insert,
    select,
    update,
)

from emulator.domain import audit
from emulator.domain.clock import Clock
from emulator.domain.modules import NUMERIC_TYPES, Field, FieldType, Module
from emulator.store.prepared import Prepared, PreparedWrite, driver, plain
from emulator.store.queries import ModuleQueries, as_number
from emulator.store.render import BLANK
from emulator.store.tables import Tables

NUMBER_LIKE = NUMERIC_TYPES | {FieldType.REF, FieldType.BOOLEAN}
DETAIL_COLUMNS = ("entry_id", "fieldname", "prevalue", "postvalue")
HEADER_SKIP = frozenset({"modifiedtime", "modifiedby"})


def store_value(field: Field, raw: str) -> object:
    """What to store for a value sent on the wire. No validation, as the real API: a value
    that is not a number in a number field is stored as sent (SQLite keeps the text).
    An empty value is NULL whatever the type, as vtiger stores an empty date, so a blanked
    field and a never-set one (both ``""`` on the wire) match the same query_string."""
    if raw == "" or (field.type in NUMBER_LIKE and raw.strip() == ""):
        return None
    if field.type not in NUMBER_LIKE:
        return raw
    number = as_number(raw)
    return raw if isinstance(number, str) else number


class Writer:
    def __init__(
        self,
        tables: Tables,
        queries: Mapping[str, ModuleQueries],
        clock: Clock,
        dialect: Dialect | None = None,
    ) -> None:
        self.tables = tables
        self.queries = queries
        self.clock = clock
        #: The SQLite dialect when hot reads may use prepared statements (prepared.py).
        self.dialect = dialect
        self._prepared: dict[str, Prepared] = {}
        self._lines: Prepared | None = None
        self._writes: dict[tuple[str, ...], PreparedWrite] = {}
        self._audit_writes: list[PreparedWrite] = []
        self.next_crmid = 1
        self.numbers: dict[str, int] = {}

    def load_counters(self, conn: Connection) -> None:
        top = conn.execute(select(func.max(self.tables.crmentity.c.crmid))).scalar()
        self.next_crmid = int(top or 0) + 1
        num = self.tables.numbers
        self.numbers = {r.semodule: r.cur_id for r in conn.execute(select(num))}

    # -- reading inside a transaction -----------------------------------------------------

    def fetch(self, conn: Connection, noun: str, crmid: int) -> dict[str, str] | None:
        if self.dialect is not None:
            return self.prepared(noun).one(driver(conn), {"crmid": crmid})
        row = conn.execute(self.queries[noun].get, {"crmid": crmid}).first()
        return plain(row) if row is not None else None

    def fetch_raw(self, raw: sqlite3.Connection, noun: str, crmid: int) -> dict[str, str] | None:
        return self.prepared(noun).one(raw, {"crmid": crmid})

    def prepared(self, noun: str) -> Prepared:
        """The module's get-by-id SELECT, compiled on first use (not at start-up)."""
        found = self._prepared.get(noun)
        if found is None:
            assert self.dialect is not None
            found = self._prepared[noun] = Prepared.of(self.queries[noun].get, self.dialect)
        return found

    def lines(self, conn: Connection, crmid: int) -> list[dict[str, str]]:
        if self.dialect is not None:
            return self.lines_raw(driver(conn), crmid)
        return [plain(r) for r in conn.execute(lines_select(self.tables), {"crmid": crmid})]

    def lines_raw(self, raw: sqlite3.Connection, crmid: int) -> list[dict[str, str]]:
        if self._lines is None:
            assert self.dialect is not None
            self._lines = Prepared.of(lines_select(self.tables), self.dialect)
        return self._lines.all(raw, {"crmid": crmid})

    # -- creating ------------------------------------------------------------------------

    def allocate(self, count: int) -> range:
        start = self.next_crmid
        self.next_crmid += count
        return range(start, start + count)

    def next_number(self, conn: Connection, module: Module) -> str:
        key = module.record_module
        current = self.numbers.get(key, 0) + 1
        table = self.tables.numbers
        # Update, else insert: the in-memory counter may be ahead of the table when an earlier
        # transaction rolled back, and a lost counter row would reuse numbers after a restart.
        done = conn.execute(update(table).where(table.c.semodule == key).values(cur_id=current))
        if done.rowcount == 0:
            conn.execute(
                insert(table).values(semodule=key, prefix=module.number_prefix, cur_id=current)
            )
        self.numbers[key] = current
        return f"{module.number_prefix}{current}"

    def header(self, module: Module, owner: object, actor_id: int) -> dict[str, object]:
        if not module.crmentity:
            return {}
        now = self.clock.stamp()
        return {
            "smownerid": owner if owner not in (None, "") else actor_id,
            "smcreatorid": actor_id,
            "modifiedby": actor_id,
            "createdtime": now,
            "modifiedtime": now,
        }

    def create(
        self, conn: Connection, module: Module, values: Mapping[Field, str], actor: audit.Actor
    ) -> tuple[int, list[tuple[str, str, str]]]:
        """Insert a record; returns its id and the audit details (every field now set)."""
        crmid = self.allocate(1)[0]
        row: dict[str, object] = {f.name: store_value(f, v) for f, v in values.items()}
        row.update(self.header(module, row.get("smownerid"), actor.user_id))
        if module.number_field:
            row[module.number_field] = self.next_number(conn, module)
        conn.execute(insert(self.tables.crmentity).values(crmid=crmid, setype=module.record_module))
        conn.execute(insert(self.tables.modules[module.noun]).values(crmid=crmid, **row))
        new = self.fetch(conn, module.noun, crmid) or {}
        return crmid, [(k, "", v) for k, v in new.items() if v != ""]

    # -- editing -------------------------------------------------------------------------

    def update(
        self,
        conn: Connection,
        module: Module,
        crmid: int,
        values: Mapping[Field, str],
        actor: audit.Actor,
        old: Mapping[str, str],
    ) -> list[tuple[str, str, str]]:
        row: dict[str, object] = {f.name: store_value(f, v) for f, v in values.items()}
        if module.crmentity:
            row.update(modifiedtime=self.clock.stamp(), modifiedby=actor.user_id)
            owner = row.get("smownerid")
            reassigned = owner is not None and str(owner) != old.get("smownerid")
            if reassigned and has(module, "reassigned_date"):
                row["reassigned_date"] = self.clock.stamp()[:10]
        self.write_row(conn, module, row, crmid)
        new = self.fetch(conn, module.noun, crmid) or {}
        return audit.changed_fields(old, new, HEADER_SKIP)

    def write_row(
        self, conn: Connection, module: Module, row: Mapping[str, object], crmid: int
    ) -> None:
        """UPDATE one record's columns: one statement per set of columns, compiled once."""
        q = self.queries[module.noun]
        if self.dialect is None:
            conn.execute(update(q.table).where(q.key == crmid).values(**row))
            return
        key = ("update", module.noun, *sorted(row))
        stmt = self._writes.get(key)
        if stmt is None:
            sql = update(q.table).where(q.key == bindparam("crmid_"))
            sql = sql.values({name: bindparam(name) for name in row})
            stmt = self._writes[key] = PreparedWrite.of(sql, self.dialect)
        stmt.run(driver(conn), {**row, "crmid_": crmid})

    def insert_audit(
        self, conn: Connection, entry: Mapping[str, object], details: list[dict[str, object]]
    ) -> None:
        if self.dialect is None:
            key = conn.execute(insert(self.tables.audit), entry).inserted_primary_key
            assert key is not None, "audit_entries has an autoincrement key"
            rows = [{**d, "entry_id": key[0]} for d in details]
            if rows:
                conn.execute(insert(self.tables.audit_details), rows)
            return
        if not self._audit_writes:
            self._audit_writes = [
                PreparedWrite.insert(self.tables.audit, list(entry), self.dialect),
                PreparedWrite.insert(self.tables.audit_details, DETAIL_COLUMNS, self.dialect),
            ]
        entries, lines = self._audit_writes
        raw = driver(conn)
        entry_id = entries.run(raw, entry)
        if details:
            lines.run_many(raw, [{**d, "entry_id": entry_id} for d in details])

    def add_audit(
        self,
        conn: Connection,
        module: Module,
        crmid: int,
        actor: audit.Actor,
        status: int,
        details: Sequence[tuple[str, str, str]],
    ) -> None:
        who = audit.display_name(self.fetch(conn, "user", actor.user_id), actor.user_id)
        stamp = self.clock.stamp()
        entry = {
            "crmid": crmid,
            "module": module.record_module,
            "whodid": actor.user_id,
            "changedon": stamp,
            "status": status,
            "action": audit.ACTIONS[status],
            "ip": actor.ip,
            "text": audit.entry_text(who, stamp, status, actor.ip),
        }
        self.insert_audit(
            conn, entry, [{"fieldname": f, "prevalue": o, "postvalue": n} for f, o, n in details]
        )

    def audit_trail(self, conn: Connection, crmid: int) -> list[dict[str, Any]]:
        a, d = self.tables.audit, self.tables.audit_details
        entries = [  # str(): column keys are str subclasses, which orjson refuses as keys
            plain(r) for r in conn.execute(select(a).where(a.c.crmid == crmid).order_by(a.c.id))
        ]
        for entry in entries:
            rows = conn.execute(select(d).where(d.c.entry_id == entry["id"]))
            entry["changes"] = [
                {"field": r.fieldname, "old": r.prevalue, "new": r.postvalue} for r in rows
            ]
        return entries

    # -- bulk ----------------------------------------------------------------------------

    def bulk_insert(
        self, conn: Connection, noun: str, rows: Sequence[Mapping[str, Any]]
    ) -> list[int]:
        q = self.queries[noun]
        module = q.module
        key = q.key.name
        ids = self.bulk_ids(module, rows)
        stamp = self.clock.stamp()
        columns = [f.name for f in module.fields]
        prepared = [
            self.bulk_row(module, row, rid, stamp, columns)
            for row, rid in zip(rows, ids, strict=True)
        ]
        if module.crmentity:
            conn.execute(
                insert(self.tables.crmentity),
                [
                    {"crmid": r[key], "setype": module.record_module, "deleted": r["deleted"]}
                    for r in prepared
                ],
            )
        if prepared:
            conn.execute(insert(q.table), prepared)
        self.save_numbers(conn, [module])
        return ids

    def bulk_ids(self, module: Module, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        key = "crmid" if module.crmentity else "id"
        given = [int(r[key]) if r.get(key) not in (None, "") else None for r in rows]
        if module.crmentity:
            self.next_crmid = max([self.next_crmid, *((g or 0) + 1 for g in given)])
            fresh = iter(self.allocate(sum(g is None for g in given)))
        else:
            fresh = iter(range(max([0, *(g or 0 for g in given)]) + 1, 10**12))
        return [g if g is not None else next(fresh) for g in given]

    def bulk_row(
        self, module: Module, row: Mapping[str, Any], rid: int, stamp: str, columns: list[str]
    ) -> dict[str, object]:
        out: dict[str, object] = dict.fromkeys(columns)
        for f in module.fields:
            value = row.get(f.name)
            if value is not None:
                out[f.name] = store_value(f, str(value))
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
            current = self.numbers.get(module.record_module, 0) + 1
            self.numbers[module.record_module] = current
            out[module.number_field] = f"{module.number_prefix}{current}"
        return out

    def save_numbers(self, conn: Connection, modules: Sequence[Module]) -> None:
        table = self.tables.numbers
        for m in modules:
            if m.number_field and m.record_module in self.numbers:
                conn.execute(delete(table).where(table.c.semodule == m.record_module))
                conn.execute(
                    insert(table).values(
                        semodule=m.record_module,
                        prefix=m.number_prefix,
                        cur_id=self.numbers[m.record_module],
                    )
                )

    # -- product lines -------------------------------------------------------------------

    def insert_lines(
        self, conn: Connection, crmid: int, lines: Sequence[Mapping[str, str]]
    ) -> None:
        if lines:
            conn.execute(
                insert(self.tables.product_lines), [{**line, "crmid": crmid} for line in lines]
            )

    def update_lines(self, conn: Connection, lines: Sequence[Mapping[str, str]]) -> None:
        pl = self.tables.product_lines
        for line in lines:
            values = {k: v for k, v in line.items() if k != "lineid"}
            conn.execute(update(pl).where(pl.c.lineid == int(line["lineid"])).values(**values))

    def delete_lines(self, conn: Connection, lineids: Sequence[str]) -> None:
        if lineids:
            pl = self.tables.product_lines
            conn.execute(delete(pl).where(pl.c.lineid.in_([int(i) for i in lineids])))

    def set_fields(
        self, conn: Connection, module: Module, crmid: int, values: Mapping[str, object]
    ) -> None:
        """Write system-maintained fields (totals) that edits cannot set."""
        q = self.queries[module.noun]
        conn.execute(update(q.table).where(q.key == crmid).values(**values))


def has(module: Module, name: str) -> bool:
    return any(f.name == name for f in module.fields)


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
