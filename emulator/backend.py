"""The emulated OpenCRM system: its settings, clock, store, credentials and journal, and the
domain verbs the end points call (``list_records``, ``get_record``, ``edit_record`` ...).

Like a moto backend, it knows nothing of HTTP: the end points read parameters and render,
this class decides what OpenCRM would do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from emulator import audit, fixtures, output, paging, sales, seed
from emulator.audit import Actor
from emulator.auth import Authenticator
from emulator.clock import Clock
from emulator.errors import RecordNotFound, RequestError
from emulator.filters import QueryStringError, parse
from emulator.journal import Journal
from emulator.modules import Field, Module, Registry, default_registry
from emulator.product_lines import ReferenceData
from emulator.settings import Settings
from emulator.store import ListQuery, Store

#: Parameters every end point may carry that are not record fields.
RESERVED = frozenset(
    {
        "key",
        "passkey",
        "accesskey",
        "accesscode",
        "crmid",
        "module",
        "code",
        "products",
        "dateTimeOverride",
        "dateOverride",
        "change_assignedidtouser",
    }
)


class Backend:
    def __init__(self, settings: Settings, progress: seed.Progress | None = None) -> None:
        self.settings = settings
        self.clock = Clock(settings.timezone)
        self.fixtures = fixtures.FixtureSet.load(settings.fixtures)
        self.registry: Registry = default_registry().with_custom_fields(self.fixtures.custom_fields)
        self.reference = ReferenceData.from_config(self.fixtures.reference)
        self.store = Store(settings.database, self.registry, self.clock)
        self.auth = Authenticator(
            settings.credentials(), self.clock, settings.access_key_idle_minutes
        )
        self.journal = Journal(settings.journal_size)
        if self.store.max_id("user") == 0:
            self.load_fixtures()
        if settings.records:
            seed.top_up(self, settings.records, settings.seed, progress)
        self.initial = self.store.snapshot()

    def reset(self) -> None:
        """Back to the state at start-up: records, access keys, clock and journal."""
        self.store.restore(self.initial)
        self.auth.forget_access_keys()
        self.clock.reset()
        self.journal.clear()

    def close(self) -> None:
        self.store.close()

    # -- reading -------------------------------------------------------------------------

    def list_query(self, params: Mapping[str, Any]) -> ListQuery:
        try:
            conditions = parse(text(params, "query_string"))
        except QueryStringError as exc:
            raise RequestError(str(exc)) from None
        start, limit = paging.window(params, self.settings)
        return ListQuery(conditions, text(params, "keywords"), start, limit)

    def list_records(
        self, module: Module, params: Mapping[str, Any], full: bool
    ) -> list[dict[str, Any]]:
        rows = self.store.list_records(module.noun, self.list_query(params), full)
        present = self.presenter(module, params)
        with_crmid = module.crmentity
        if with_crmid:
            rows = [{"id": r["id"], "crmid": r["id"], **r} for r in rows]
        return [present(r) for r in rows] if present else rows

    def count_records(self, module: Module, params: Mapping[str, Any]) -> int:
        query = self.list_query(params)
        return self.store.count_records(module.noun, ListQuery(query.conditions, query.keywords))

    def get_record(
        self, module: Module, params: Mapping[str, Any], id_names: tuple[str, ...]
    ) -> dict[str, Any]:
        crmid = record_id(params, id_names)
        found: dict[str, Any] | None = self.store.get_record(module.noun, crmid)
        if found is None:
            raise RecordNotFound(f"No {module.record_module} record with id {crmid}")
        if module.sales:
            found["products"] = self.store.product_lines(crmid)
        present = self.presenter(module, params)
        found = present(found) if present else found
        found["record_id"] = str(crmid)
        found["record_module"] = module.record_module
        return found

    def presenter(
        self, module: Module, params: Mapping[str, Any]
    ) -> Callable[[output.Row], output.Row] | None:
        options = output.options_from(
            params, self.settings.date_format, self.settings.datetime_format
        )
        return output.presenter(module, options, self.usernames, self.clock.tz)

    def usernames(self) -> dict[int, str]:
        return {uid: u.get("user_name", "") for uid, u in self.store.users().items()}

    # -- writing -------------------------------------------------------------------------

    def edit_record(
        self, module: Module, params: Mapping[str, Any], actor: Actor, warnings: list[str]
    ) -> int:
        crmid = record_id(params, ("crmid",))
        values = edit_values(module, params, warnings)
        products = params.get("products") if module.sales else None
        return self.store.transaction(
            lambda conn: self.save(conn, module, crmid, values, products, actor, warnings)
        )

    def save(
        self,
        conn: Any,
        module: Module,
        crmid: int,
        values: dict[Field, str],
        products: object,
        actor: Actor,
        warnings: list[str],
    ) -> int:
        """Create (crmid 0) or update one record, its product lines and its audit entry."""
        writer = self.store.writer
        lines = sales.LineContext(writer, conn, self.reference) if module.sales else None
        plan = lines.plan(crmid, products) if lines and products is not None else None
        if crmid == 0:
            crmid, changes = writer.create(conn, module, values, actor)
            status = audit.CREATED
        else:
            old = writer.fetch(conn, module.noun, crmid)
            if old is None:
                raise RecordNotFound(f"No {module.record_module} record with id {crmid}")
            changes = writer.update(conn, module, crmid, values, actor, old)
            status = audit.UPDATED
        if lines is not None:
            if plan is not None:
                sales.apply_plan(lines, crmid, plan)
                changes += [c[:3] for c in plan.changes]
                warnings += [f"ignored product line field {n!r}" for n in plan.ignored]
            sales.recompute_totals(lines, module, crmid)
        writer.add_audit(conn, module, crmid, actor, status, changes)
        return crmid

    # -- fixtures ------------------------------------------------------------------------

    def load_fixtures(self) -> None:
        """Insert the fixture users and records (sales records with their lines)."""
        self.store.insert_records("user", self.fixtures.users)
        for module in self.registry:
            rows = self.fixtures.records.get(module.noun, [])
            if rows and module.crmentity:
                self.store.insert_records(module.noun, rows)
        for module in self.registry:
            if module.sales:
                self.store.transaction(partial(self.fixture_lines, module=module))

    def fixture_lines(self, conn: Any, module: Module) -> None:
        ctx = sales.LineContext(self.store.writer, conn, self.reference)
        for row in self.fixtures.records.get(module.noun, []):
            crmid = int(row["crmid"])
            self.store.writer.insert_lines(
                conn, crmid, sales.fixture_lines(ctx, row.get("products", []))
            )
            sales.recompute_totals(ctx, module, crmid)


def text(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name, "")
    return value if isinstance(value, str) else ""


def record_id(params: Mapping[str, Any], names: tuple[str, ...]) -> int:
    for name in names:
        value = params.get(name)
        if isinstance(value, str) and value.strip() != "":
            if not value.strip().isdigit():
                raise RequestError(f"Invalid {name}: {value!r} is not a record id")
            return int(value)
    raise RequestError(f"Missing parameter: {names[0]}")


def edit_values(module: Module, params: Mapping[str, Any], warnings: list[str]) -> dict[Field, str]:
    """The fields an edit sets. Names the module does not have, and read-only fields, are
    ignored (the real API ignores them too) and reported as warnings for the journal."""
    values: dict[Field, str] = {}
    for name, value in params.items():
        if name in RESERVED:
            continue
        field = module.edit_field(name)
        if field is None or field.read_only or not isinstance(value, str):
            warnings.append(f"ignored parameter {name!r}")
            continue
        values[field] = value
    return values
