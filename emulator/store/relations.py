"""Record links and campaign memberships.

Links live in ``crmentityrel`` (vtiger's table: parent, parent module, child, child module) and
are read from both sides; memberships in ``campaign_members``, one row per (campaign, record).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Integer, and_, bindparam, func, or_, select, update

from emulator.store.executor import Executor
from emulator.store.records import insert_of
from emulator.store.tables import Tables

LINK_COLUMNS = ("crmid", "module", "relcrmid", "relmodule")


def record_module(ex: Executor, tables: Tables, crmid: int) -> str | None:
    """The vtiger module name of a live (not deleted) record, or None."""
    ent = tables.crmentity
    stmt = ex.prepare(
        ("setype",),
        lambda: select(ent.c.setype).where(ent.c.crmid == bindparam("crmid"), ent.c.deleted == 0),
    )
    found = ex.scalar(stmt, {"crmid": crmid})
    return str(found) if found else None


def linked(ex: Executor, tables: Tables, a: int, b: int) -> bool:
    """Whether a and b are linked, in either orientation."""
    rel = tables.links

    def build() -> Any:
        x, y = bindparam("a", type_=Integer), bindparam("b", type_=Integer)
        either = or_(
            and_(rel.c.crmid == x, rel.c.relcrmid == y), and_(rel.c.crmid == y, rel.c.relcrmid == x)
        )
        return select(func.count()).select_from(rel).where(either)

    return int(ex.scalar(ex.prepare(("linked",), build), {"a": a, "b": b})) > 0


def add_link(ex: Executor, tables: Tables, link: Mapping[str, object]) -> None:
    """Store a link: ``crmid``/``module`` (the parent), ``relcrmid``/``relmodule`` (the child)."""
    ex.run(ex.prepare(("link",), lambda: insert_of(tables.links, LINK_COLUMNS)), link)


def links(ex: Executor, tables: Tables, crmid: int) -> list[dict[str, Any]]:
    """The live records linked to ``crmid``, from both sides. ``linked_as`` says what each is
    to ``crmid``: its ``child`` (``crmid`` was the parent_id) or its ``parent``."""
    rel, ent = tables.links, tables.crmentity
    sides = (
        (rel.c.relcrmid, rel.c.relmodule, rel.c.crmid, "child"),
        (rel.c.crmid, rel.c.module, rel.c.relcrmid, "parent"),
    )
    found = []
    for other, module, mine, role in sides:

        def build(other: Any = other, module: Any = module, mine: Any = mine) -> Any:
            return (
                select(other.label("crmid"), module.label("module"))
                .join(ent, and_(ent.c.crmid == other, ent.c.deleted == 0))
                .where(mine == bindparam("crmid"))
            )

        rows = ex.rows(ex.prepare(("links", role), build), {"crmid": crmid})
        found += [{"crmid": r["crmid"], "module": r["module"], "linked_as": role} for r in rows]
    return sorted(found, key=lambda link: int(link["crmid"]))


def membership(ex: Executor, tables: Tables, campaignid: int, crmid: int) -> dict[str, str] | None:
    m = tables.campaign_members
    stmt = ex.prepare(
        ("membership",),
        lambda: select(m).where(
            m.c.campaignid == bindparam("campaignid"), m.c.crmid == bindparam("crmid")
        ),
    )
    row = ex.one(stmt, {"campaignid": campaignid, "crmid": crmid})
    return {k: str(v) for k, v in row.items()} if row else None


def save_membership(ex: Executor, tables: Tables, row: Mapping[str, object], new: bool) -> None:
    m = tables.campaign_members
    names = tuple(sorted(row))
    if new:
        ex.run(ex.prepare(("member", "insert", names), lambda: insert_of(m, names)), row)
        return

    def build() -> Any:
        mine = and_(m.c.campaignid == bindparam("campaignid_"), m.c.crmid == bindparam("crmid_"))
        return update(m).where(mine).values({name: bindparam(name) for name in names})

    key = {"campaignid_": row["campaignid"], "crmid_": row["crmid"]}
    ex.run(ex.prepare(("member", "update", names), build), {**row, **key})


def members(ex: Executor, tables: Tables, campaignid: int) -> list[dict[str, Any]]:
    m = tables.campaign_members
    stmt = ex.prepare(
        ("members",),
        lambda: select(m).where(m.c.campaignid == bindparam("campaignid")).order_by(m.c.crmid),
    )
    return ex.rows(stmt, {"campaignid": campaignid})


def memberships(ex: Executor, tables: Tables, crmid: int) -> list[dict[str, Any]]:
    """The campaigns ``crmid`` (a lead, contact or company) is a member of."""
    m = tables.campaign_members
    stmt = ex.prepare(
        ("memberships",),
        lambda: select(m).where(m.c.crmid == bindparam("crmid")).order_by(m.c.campaignid),
    )
    return ex.rows(stmt, {"crmid": crmid})
