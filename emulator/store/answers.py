"""A record read as the JSON text its answer holds: ``get_contact`` with nothing to change in
its values (no output option) sends what SQLite wrote, with no value made a Python object
and encoded again (store/packing.py: ``json_object``). The text is the one orjson makes of
the dict :meth:`~emulator.store.Store.get_record` and the backend's ``products`` give: the
same keys in the same order, the same bytes (tests/http/test_record_json.py)."""

from __future__ import annotations

from emulator.store.executor import Executor
from emulator.store.lines import lines_select
from emulator.store.queries import ModuleQueries
from emulator.store.tables import Tables


def record_json(
    ex: Executor, queries: ModuleQueries, crmid: int, tables: Tables | None
) -> str | None:
    """A live record's JSON object, or None; with ``tables`` (a sales record's) its product
    lines as ``products``, after its fields."""
    stmt = ex.prepare(("get-json", queries.module.noun), lambda: queries.get, objects=True)
    found = ex.one_json(stmt, {"crmid": crmid})
    if found is None or tables is None:
        return found
    lines = ex.prepare(("lines-json",), lambda: lines_select(tables), objects=True)
    products = ",".join(ex.rows_json(lines, {"crmid": crmid}))
    return f'{found[:-1]}{"," if len(found) > 2 else ""}"products":[{products}]}}'
