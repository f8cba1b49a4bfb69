"""The list benchmark's database: the default fixtures plus contacts up to N, and the SQL the
emulator runs for ``get_contact_list_full`` (for the raw sqlite3 reference to run too).

The extra contacts are copies of the fixture contacts with numbered names and e-mails, put
in with ``Store.insert_records``: it does not depend on Faker seeding (which tops up every
module, 16 times the work) and gives the same rows on every run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from emulator.domain.lists import ListQuery
from emulator.settings import Settings
from emulator.systems import System

#: Not copied: ids and numbers are allocated afresh, and every copy is live.
DROPPED = ("crmid", "contact_no", "createdtime", "modifiedtime", "deleted")


def contacts(template: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    rows = []
    for n in range(count):
        row = {k: v for k, v in template[n % len(template)].items() if k not in DROPPED}
        row["firstname"] = f"Bench{n}"
        row["email"] = f"bench{n}@example.co.uk"
        rows.append(row)
    return rows


def list_database(path: Path, total: int, sizes: tuple[int, ...]) -> dict[int, str]:
    """A SQLite file with the fixtures and ``total`` live contacts; for each size, the
    emulator's own ``get_contact_list_full`` SELECT of that many contacts, values inline
    (built as the server builds it), for the raw reference to run and read column by
    column, the plain way (the server reads the same SELECT packed as JSON arrays:
    emulator/store/packing.py)."""
    backend = System(Settings(database=str(path)))
    try:
        have = backend.store.count_records("contact", ListQuery())
        if total > have:
            template = backend.fixtures.records["contact"]
            backend.store.insert_records("contact", contacts(template, total - have))
        return {n: list_sql(backend, n) for n in sizes}
    finally:
        backend.close()


def list_sql(system: System, rows: int) -> str:
    stmt = system.store.queries("contact").list_stmt(ListQuery(limit=rows), full=True)
    dialect = system.store.db.engine.dialect
    return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
