"""The emulated OpenCRM system: its settings, clock, store, credentials and journal, and the
domain verbs the end points call (``list_records``, ``get_record``, ``edit_record`` ...).

Like a moto backend, it knows nothing of HTTP: the end points read parameters and render,
this class decides what OpenCRM would do.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import asdict
from typing import Any

import orjson

from emulator.backend import fixtures, sales
from emulator.control import image_cache
from emulator.control.behaviour import Behaviour, RuntimeSettings
from emulator.control.journal import Journal
from emulator.domain import audit, campaigns, links
from emulator.domain.audit import Actor
from emulator.domain.clock import Clock
from emulator.domain.filters import QueryStringError, parse
from emulator.domain.modules import Field, Module, Registry, default_registry
from emulator.domain.product_lines import ReferenceData
from emulator.domain.reports import CustomReport, ReportBook, filters_on
from emulator.domain.reports import presenter as report_presenter
from emulator.errors import RecordNotFound, RequestError
from emulator.settings import Settings
from emulator.store import ListQuery, Snapshot, Store
from emulator.store.relations import Relations
from emulator.wire import envelope, output, paging
from emulator.wire.auth import Authenticator

#: progress(module noun, records done, records wanted), as seeding reports it.
Progress = Callable[[str, int, int], None]

SECRET_SETTINGS = frozenset({"passkey", "key_pairs", "control_token"})

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

#: The largest id the store can hold (a signed 64-bit integer, as SQLite and MySQL BIGINT).
MAX_ID = 2**63 - 1


class Backend:
    def __init__(self, settings: Settings, progress: Progress | None = None) -> None:
        self.settings = settings
        self.clock = Clock(settings.timezone)
        self.fixtures = fixtures.FixtureSet.load(settings.fixtures)
        self.registry: Registry = default_registry().with_custom_fields(self.fixtures.custom_fields)
        self.reference = ReferenceData.from_config(self.fixtures.reference)
        self.store = Store(settings.database, self.registry, self.clock)
        self.reports = ReportBook.from_config(self.fixtures.reports, self.registry)
        self.relations = Relations(self.store)
        self.auth = Authenticator(
            settings.credentials(), self.clock, settings.access_key_idle_minutes
        )
        self.journal = Journal(settings.journal_size)
        self.initial_behaviour = RuntimeSettings(
            access_key_idle_minutes=settings.access_key_idle_minutes,
            error_status=settings.error_status,
        )
        self.behaviour = Behaviour(self.initial_behaviour, seed=settings.seed)
        self.snapshots: dict[str, Snapshot] = {}
        if self.store.max_id("user") == 0:
            self.load_fixtures_cached()
        if settings.records:
            self.seed(settings.records, settings.seed, progress)
        self.initial = self.store.snapshot()

    def close(self) -> None:
        self.store.close()

    # -- state (the control plane's verbs) -----------------------------------------------

    def reset(self) -> None:
        """Back to the state at start-up: records, access keys, clock, journal, behaviour,
        named snapshots."""
        self.store.restore(self.initial)
        self.auth.forget_access_keys()
        self.clock.reset()
        self.journal.clear()
        self.behaviour.reset(self.initial_behaviour)
        self.snapshots.clear()
        self.auth.set_idle_minutes(self.initial_behaviour.access_key_idle_minutes)

    def save_snapshot(self, name: str) -> None:
        self.snapshots[name] = self.store.snapshot()

    def restore_snapshot(self, name: str) -> bool:
        copy = self.snapshots.get(name)
        if copy is not None:
            self.store.restore(copy)
        return copy is not None

    def seed(
        self,
        records: int,
        seed_value: int,
        progress: Progress | None = None,
        modules: Collection[str] | None = None,
    ) -> None:
        from emulator.control.seeding import top_up  # Faker is imported only when seeding

        top_up.top_up(self, records, seed_value, progress, modules)

    def change_behaviour(self, changes: Mapping[str, Any]) -> None:
        current = self.behaviour.update(changes)
        self.auth.set_idle_minutes(current.access_key_idle_minutes)

    def describe_settings(self) -> dict[str, Any]:
        """Runtime behaviour (changeable) and the start-up settings (fixed, secrets masked)."""
        fixed = {k: v for k, v in asdict(self.settings).items() if k not in SECRET_SETTINGS}
        described = {"runtime": asdict(self.behaviour.current), "startup": fixed}
        return dict(orjson.loads(orjson.dumps(described)))  # tuples as lists, as JSON has them

    # -- reading -------------------------------------------------------------------------

    def list_query(self, params: Mapping[str, Any], warnings: list[str] | None = None) -> ListQuery:
        try:
            conditions = parse(text(params, "query_string"))
        except QueryStringError as exc:
            raise RequestError(str(exc)) from None
        if warnings is not None:
            # The live API treats negative operators as "=" (observed-behaviour.md
            # "query_string"); the journal says so, since the client surely meant otherwise.
            warnings += [
                f"operator {c.written_op!r} on {c.field!r} treated as '='"
                for c in conditions
                if c.negation_ignored
            ]
        start, limit = paging.window(params, self.settings)
        return ListQuery(conditions, text(params, "keywords"), start, limit)

    def list_records(
        self,
        module: Module,
        params: Mapping[str, Any],
        full: bool,
        warnings: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        rows = self.store.list_records(module.noun, self.list_query(params, warnings), full)
        present = self.presenter(module, params)
        return [present(r) for r in rows] if present else rows

    def count_records(
        self, module: Module, params: Mapping[str, Any], warnings: list[str] | None = None
    ) -> int:
        # The count ignores limit_start/limit_end: it answers "how many records match", which
        # is what the guide says clients use it for before paging through a full list.
        query = self.list_query(params, warnings)
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
        return envelope.record(found, crmid, module.record_module)

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
        old = writer.fetch(conn, module.noun, crmid) if crmid else None
        if crmid and old is None:  # before the lines, whose errors would otherwise hide this one
            raise RecordNotFound(f"No {module.record_module} record with id {crmid}")
        lines = sales.LineContext(writer, conn, self.reference) if module.sales else None
        plan = lines.plan(crmid, products) if lines and products is not None else None
        if old is None:
            crmid, changes = writer.create(conn, module, values, actor)
            status = audit.CREATED
        else:
            changes = writer.update(conn, module, crmid, values, actor, old)
            status = audit.UPDATED
        if lines is not None:
            changes += sales.save_lines(lines, module, crmid, plan, warnings)
        writer.add_audit(conn, module, crmid, actor, status, changes)
        return crmid

    # -- fixtures ------------------------------------------------------------------------

    def load_fixtures_cached(self) -> None:
        """Load the fixtures, or (in memory) their cached image from an earlier start."""
        # Not when seeding: a deserialized database cannot grow past SQLite's memdb limit
        # (1 GiB), which a large --records would reach.
        cached = self.store.in_memory and not self.settings.records
        where = image_cache.folder(self.settings.cache_dir) if cached else None
        name = image_cache.key(self.fixtures.folder) if where is not None else ""
        image = image_cache.load(where, name)
        if image is not None:
            self.store.load_image(image)
            return
        self.load_fixtures()
        if where is not None:
            image_cache.save(where, name, self.store.image())

    def load_fixtures(self) -> None:
        """Insert the fixture users and records (sales records with their lines) in one
        transaction: start-up loads fixtures only into a database without users, so a crash
        half-way must leave none behind (a later start would take the rest for loaded)."""
        self.store.transaction(self.insert_fixtures)

    def insert_fixtures(self, conn: Any) -> None:
        writer = self.store.writer
        writer.bulk_insert(conn, "user", self.fixtures.users)
        for module in self.registry:
            rows = self.fixtures.records.get(module.noun, [])
            if rows and module.crmentity:
                writer.bulk_insert(conn, module.noun, rows)
        for module in self.registry:
            if module.sales:
                self.fixture_lines(conn, module)

    def fixture_lines(self, conn: Any, module: Module) -> None:
        ctx = sales.LineContext(self.store.writer, conn, self.reference)
        for row in self.fixtures.records.get(module.noun, []):
            crmid = int(row["crmid"])
            self.store.writer.insert_lines(
                conn, crmid, sales.fixture_lines(ctx, row.get("products", []))
            )
            sales.recompute_totals(ctx, module, crmid)

    # -- reports, record links and campaigns ---------------------------------------------

    def run_report(self, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        report = self.reports.find(params)
        start, limit = paging.window(params, self.settings)
        if isinstance(report, CustomReport):
            return self.relations.custom_rows(report, start, limit)
        filters = filters_on(report, self.clock.local().date())
        rows = self.relations.report_rows(report, filters, start, limit)
        options = output.options_from(
            params, self.settings.date_format, self.settings.datetime_format
        )
        present = report_presenter(report, options, self.usernames, self.clock.tz)
        return [present(r) for r in rows] if present else rows

    def link_records(self, params: Mapping[str, Any], actor: Actor) -> int:
        request = links.read_request(params)
        return self.store.transaction(lambda c: links.link(self.relations, c, request, actor))

    def add_to_campaign(self, params: Mapping[str, Any], actor: Actor, warnings: list[str]) -> str:
        request = campaigns.read_request(params, warnings)
        return self.store.transaction(lambda c: campaigns.add(self.relations, c, request, actor))

    def record_links(self, crmid: int) -> list[dict[str, Any]]:
        """The live records linked to ``crmid`` (either side of edit_record_link)."""
        return self.relations.links(crmid)

    def campaign_members(self, campaignid: int) -> list[dict[str, Any]]:
        return self.relations.members(campaignid)


def text(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name, "")
    return value if isinstance(value, str) else ""


def record_id(params: Mapping[str, Any], names: tuple[str, ...]) -> int:
    for name in names:
        value = params.get(name)
        if isinstance(value, str) and value.strip() != "":
            digits = value.strip()
            if not (digits.isascii() and digits.isdigit()) or int(digits) > MAX_ID:
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
