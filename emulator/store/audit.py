"""The audit trail's rows: one ``audit_entries`` row per API write and one ``audit_details``
row per changed field (vtiger ModTracker's shape, data-model.md §5.4; the text and the status
codes are the domain's, emulator/domain/audit.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, select

from emulator.domain import audit
from emulator.domain.audit import Change
from emulator.domain.modules import Module
from emulator.store.executor import Executor
from emulator.store.records import insert_of
from emulator.store.tables import Tables

ENTRY_COLUMNS = ("crmid", "module", "whodid", "changedon", "status", "action", "ip", "text")
DETAIL_COLUMNS = ("entry_id", "fieldname", "prevalue", "postvalue")


def add_entry(
    ex: Executor,
    tables: Tables,
    who: str,
    stamp: str,
    module: Module,
    crmid: int,
    actor: audit.Actor,
    status: int,
    action: str,
    details: Sequence[Change],
) -> None:
    """One audit entry for a write by ``actor`` (shown as ``who``) at ``stamp``."""
    entry = {
        "crmid": crmid,
        "module": module.record_module,
        "whodid": actor.user_id,
        "changedon": stamp,
        "status": status,
        "action": action,
        "ip": actor.ip,
        "text": audit.entry_text(who, stamp, action, actor.ip),
    }
    insert = ex.prepare(
        ("audit", "entry"),
        lambda: insert_of(tables.audit, ENTRY_COLUMNS).returning(tables.audit.c.id),
    )
    entry_id = int(ex.scalar(insert, entry))
    rows = [
        {"entry_id": entry_id, "fieldname": f, "prevalue": old, "postvalue": new}
        for f, old, new in details
    ]
    ex.run_many(
        ex.prepare(("audit", "details"), lambda: insert_of(tables.audit_details, DETAIL_COLUMNS)),
        rows,
    )


def trail(ex: Executor, tables: Tables, crmid: int) -> list[dict[str, Any]]:
    """A record's audit entries, oldest first, each with its ``changes``."""
    a, d = tables.audit, tables.audit_details
    entries = ex.rows(
        ex.prepare(
            ("audit", "trail"),
            lambda: select(a).where(a.c.crmid == bindparam("crmid")).order_by(a.c.id),
        ),
        {"crmid": crmid},
    )
    details = ex.prepare(
        ("audit", "changes"), lambda: select(d).where(d.c.entry_id == bindparam("entry_id"))
    )
    for entry in entries:
        entry["changes"] = [
            {"field": r["fieldname"], "old": r["prevalue"], "new": r["postvalue"]}
            for r in ex.rows(details, {"entry_id": entry["id"]})
        ]
    return entries
