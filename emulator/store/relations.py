"""The SQL behind record links, campaign memberships and reports.

Links live in ``crmentityrel`` (vtiger's table: parent, parent module, child, child module) and
are read from both sides; memberships in ``campaign_members``, one row per (campaign, record).
Standard reports are SELECTs built with each module's :class:`ModuleQueries` (the list end
points' conditions, so a report filter means what a query_string means), joined to the
records their reference fields point at. Custom reports run their own SQL, read-only: see
:func:`read_only_session`.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from itertools import islice
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Select,
    Table,
    and_,
    func,
    insert,
    or_,
    select,
    update,
)

from emulator.domain.custom_reports import checked_sql, custom_row, failure_message
from emulator.domain.modules import Field, Module
from emulator.domain.reports import CustomReport, Filter, Path, StandardReport
from emulator.errors import ReportError
from emulator.store import Store
from emulator.store.prepared import driver, plain
from emulator.store.queries import ModuleQueries
from emulator.store.render import wire

#: What a custom report may do: read tables and call functions (SQLite authorizer actions).
READ_ACTIONS = frozenset(
    {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
)
#: Functions that reach outside the database (most exist only in the sqlite3 shell).
REFUSED_FUNCTIONS = frozenset({"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"})
CUSTOM_REPORT_SECONDS = 5.0


class Relations:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.tables = store.tables
        self._joined: dict[tuple[str, str], ModuleQueries] = {}

    def live_module(self, conn: Connection, crmid: int) -> Module | None:
        """The module of a live (not deleted) record, inside the caller's transaction."""
        ent = self.tables.crmentity
        stmt = select(ent.c.setype).where(ent.c.crmid == crmid, ent.c.deleted == 0)
        setype = conn.execute(stmt).scalar()
        return self.store.registry.by_record_module(setype) if setype else None

    # -- links ---------------------------------------------------------------------------

    def linked(self, conn: Connection, a: int, b: int) -> bool:
        """Whether a and b are linked, in either orientation."""
        rel = self.tables.links
        either = or_(
            and_(rel.c.crmid == a, rel.c.relcrmid == b), and_(rel.c.crmid == b, rel.c.relcrmid == a)
        )
        return int(conn.execute(select(func.count()).where(either)).scalar_one()) > 0

    def add_link(
        self, conn: Connection, parent: int, parent_module: Module, child: int, child_module: Module
    ) -> None:
        conn.execute(
            insert(self.tables.links).values(
                crmid=parent,
                module=parent_module.record_module,
                relcrmid=child,
                relmodule=child_module.record_module,
            )
        )

    def links(self, crmid: int) -> list[dict[str, Any]]:
        """The live records linked to ``crmid``, from both sides. ``linked_as`` says what each is
        to ``crmid``: its ``child`` (``crmid`` was the parent_id) or its ``parent``."""
        rel, ent = self.tables.links, self.tables.crmentity
        sides = (
            (rel.c.relcrmid, rel.c.relmodule, rel.c.crmid == crmid, "child"),
            (rel.c.crmid, rel.c.module, rel.c.relcrmid == crmid, "parent"),
        )
        stmts = [
            (
                select(other.label("crmid"), module.label("module"))
                .join(ent, and_(ent.c.crmid == other, ent.c.deleted == 0))
                .where(mine),
                role,
            )
            for other, module, mine, role in sides
        ]

        def work(c: Connection) -> list[dict[str, Any]]:
            return [
                {"crmid": r.crmid, "module": r.module, "linked_as": role}
                for stmt, role in stmts
                for r in c.execute(stmt)
            ]

        return sorted(self.store.read(work), key=lambda link: int(link["crmid"]))

    # -- campaign memberships ------------------------------------------------------------

    def membership(self, conn: Connection, campaignid: int, crmid: int) -> dict[str, str] | None:
        m = self.tables.campaign_members
        stmt = select(m).where(m.c.campaignid == campaignid, m.c.crmid == crmid)
        row = conn.execute(stmt).first()
        return {str(k): str(v) for k, v in row._mapping.items()} if row else None

    def save_membership(self, conn: Connection, row: Mapping[str, object], new: bool) -> None:
        m = self.tables.campaign_members
        if new:
            conn.execute(insert(m).values(**row))
            return
        mine = and_(m.c.campaignid == row["campaignid"], m.c.crmid == row["crmid"])
        conn.execute(update(m).where(mine).values(**row))

    def members(self, campaignid: int) -> list[dict[str, Any]]:
        m = self.tables.campaign_members
        stmt = select(m).where(m.c.campaignid == campaignid).order_by(m.c.crmid)
        return self.store.read(lambda c: [plain(r) for r in c.execute(stmt)])

    # -- standard reports ----------------------------------------------------------------

    def report_rows(
        self, report: StandardReport, filters: tuple[Filter, ...], start: int, limit: int
    ) -> list[dict[str, Any]]:
        stmt = self.report_stmt(report, filters).offset(start).limit(limit)
        rows = self.store.read(lambda c: [plain(r) for r in c.execute(stmt)])
        return [{"id": r["id"], "crmid": r["id"], **r} for r in rows]

    def report_stmt(self, report: StandardReport, filters: tuple[Filter, ...]) -> Select[Any]:
        main = self.store.queries[report.module.noun]
        joined = {via.name: self.joined(report.module, via) for via in report.joins}

        def source(path: Path) -> ModuleQueries:
            return main if path.via is None else joined[path.via.name]

        columns = [
            wire(source(c.path).table.c[c.field.name], c.field, self.store.sqlite).label(c.key)
            for c in report.columns
        ]
        order: list[ColumnElement[Any]] = []
        for o in report.ordering:
            col = source(o.path).column(o.path.name)[0]
            order.append(col.desc() if o.descending else col.asc())
        return (
            select(main.key.label("id"), *columns)
            .select_from(self.joins(main, joined))
            .where(main.live, *(source(f.path).condition(f.condition) for f in filters))
            .order_by(*order, main.key)
        )

    def joined(self, module: Module, via: Field) -> ModuleQueries:
        """The queries of the module ``via`` points at, over an alias of its table."""
        key = (module.noun, via.name)
        if key not in self._joined:
            target = self.store.registry.by_noun(via.ref)
            alias = self.tables.modules[target.noun].alias(f"{via.name}_{target.key}")
            # ModuleQueries only reads columns from its table, which an alias has too.
            self._joined[key] = ModuleQueries(target, cast(Table, alias), self.store.sqlite)
        return self._joined[key]

    @staticmethod
    def joins(main: ModuleQueries, joined: Mapping[str, ModuleQueries]) -> FromClause:
        """Outer joins: a record whose reference is empty or deleted still shows, blank there."""
        clause: FromClause = main.table
        for via_name, other in joined.items():
            on = and_(other.key == main.table.c[via_name], other.live)
            clause = clause.outerjoin(other.table, on)
        return clause

    # -- custom reports ------------------------------------------------------------------

    def custom_rows(
        self, report: CustomReport, start: int, limit: int, seconds: float = CUSTOM_REPORT_SECONDS
    ) -> list[dict[str, Any]]:
        sql = checked_sql(report)
        if not self.store.sqlite:
            raise ReportError(f"Custom report {report.id}: custom reports need the SQLite store")
        with self.store.lock, self.store.engine.connect() as conn:
            raw = driver(conn)
            try:
                with read_only_session(raw, seconds):
                    cursor = raw.execute(sql)
                    names = [d[0] for d in cursor.description or ()]
                    values = list(islice(cursor, start, start + limit))
                    cursor.close()
            except (sqlite3.Error, sqlite3.Warning) as exc:
                raise ReportError(failure_message(report, str(exc), seconds)) from None
        return [custom_row(names, v) for v in values]


def read_only(action: int, _arg1: str | None, arg2: str | None, _db: Any, _source: Any) -> int:
    """A SQLite authorizer that allows reading only: any write, PRAGMA, ATTACH, transaction
    or schema change is refused when the statement is prepared, as is ``load_extension``."""
    if action not in READ_ACTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in REFUSED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@contextmanager
def read_only_session(raw: sqlite3.Connection, seconds: float) -> Iterator[None]:
    """The store's own connection, read-only for a moment: ``query_only`` and the authorizer
    (two locks, so one mistake does not open a door), and a time budget so a runaway query
    (a recursive CTE without end) cannot hold the store's lock. All undone afterwards."""
    deadline = time.monotonic() + seconds
    raw.execute("PRAGMA query_only = ON")
    raw.set_authorizer(read_only)
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 1_000)
    try:
        yield
    finally:
        raw.set_progress_handler(None, 0)
        raw.set_authorizer(None)
        raw.execute("PRAGMA query_only = OFF")
