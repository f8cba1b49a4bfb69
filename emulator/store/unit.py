"""The unit of work: what the domain may do inside one transaction of the store.

:meth:`Store.transaction` yields a :class:`UnitOfWork`; everything done through it commits
together when the ``with`` block ends, or not at all when it raises. Values in and out are
plain: wire strings for records and lines, ids, and the registry's modules and fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from emulator.domain import audit as audit_rules
from emulator.domain.audit import Change
from emulator.domain.modules import Field, Module
from emulator.store import audit, bulk, lines, records, relations
from emulator.store.executor import Executor, Row
from emulator.store.schema import Counters, Schema

#: The most users' audit names the store keeps.
MOST_NAMES = 1000


class UnitOfWork:
    def __init__(
        self, ex: Executor, schema: Schema, counters: Counters, names: dict[int, str] | None = None
    ) -> None:
        self.ex = ex
        self.schema = schema
        self.tables = schema.tables
        self.counters = counters
        #: Whether a user was written (the store's users cache then needs rebuilding).
        self.touched_users = False
        #: The store's audit names of users by id (emptied by the store after user writes).
        self.names = {} if names is None else names

    def writes(self, noun: str) -> None:
        self.touched_users = self.touched_users or noun == "user"

    # -- records -----------------------------------------------------------------------------

    def fetch(self, noun: str, crmid: int) -> Row | None:
        """A live record of the module as wire strings, or None."""
        return records.fetch(self.ex, self.schema.queries[noun], crmid)

    def record_module(self, crmid: int) -> Module | None:
        """The module of a live record of any module, or None."""
        found = relations.record_module(self.ex, self.tables, crmid)
        return self.schema.registry.by_record_module(found) if found else None

    def create_record(
        self, module: Module, values: Mapping[Field, str], actor_id: int
    ) -> tuple[int, list[Change]]:
        """Insert a record; its id and the audit details (every field now set)."""
        self.writes(module.noun)
        crmid = self.counters.allocate(1)[0]
        row: dict[str, object] = {f.name: records.store_value(f, v) for f, v in values.items()}
        stamp = self.schema.clock.stamp()
        row.update(records.header(module, row.get("smownerid"), actor_id, stamp))
        if module.number_field:
            numbers = self.counters.numbers
            row[module.number_field] = records.next_number(self.ex, self.tables, numbers, module)
        defaults = records.unchecked(module, row)
        queries = self.schema.queries[module.noun]
        records.insert_row(self.ex, self.tables, queries, crmid, {**row, **defaults})
        new = self.fetch(module.noun, crmid) or {}
        # Every field the create set; not the checkboxes it left at their default.
        return crmid, [(k, "", v) for k, v in new.items() if v != "" and k not in defaults]

    def update_record(
        self,
        module: Module,
        crmid: int,
        values: Mapping[Field, str],
        actor_id: int,
        old: Mapping[str, str],
    ) -> list[Change]:
        """Update the fields sent (and the header); the audit details of what changed."""
        self.writes(module.noun)
        row: dict[str, object] = {f.name: records.store_value(f, v) for f, v in values.items()}
        if module.crmentity:
            stamp = self.schema.clock.stamp()
            row.update(modifiedtime=stamp, modifiedby=actor_id)
            owner = row.get("smownerid")
            reassigned = owner is not None and str(owner) != old.get("smownerid")
            if reassigned and module.has_field("reassigned_date"):
                row["reassigned_date"] = stamp[:10]
        records.update_row(self.ex, self.schema.queries[module.noun], crmid, row)
        new = self.fetch(module.noun, crmid) or {}
        return audit_rules.changed_fields(old, new, records.HEADER_SKIP)

    def set_fields(self, module: Module, crmid: int, values: Mapping[str, object]) -> None:
        """Write system-maintained fields (totals) that edits cannot set."""
        self.writes(module.noun)
        records.update_row(self.ex, self.schema.queries[module.noun], crmid, values)

    # -- product lines -----------------------------------------------------------------------

    def product_lines(self, crmid: int) -> list[Row]:
        return lines.lines_of(self.ex, self.tables, crmid)

    def insert_lines(self, crmid: int, new: Sequence[Mapping[str, object]]) -> None:
        lines.insert_lines(self.ex, self.tables, crmid, new)

    def update_lines(self, changed: Sequence[Mapping[str, str]]) -> None:
        lines.update_lines(self.ex, self.tables, changed)

    def delete_lines(self, lineids: Sequence[str]) -> None:
        lines.delete_lines(self.ex, self.tables, lineids)

    # -- audit, links, campaign members -------------------------------------------------------

    def add_audit(
        self,
        module: Module,
        crmid: int,
        actor: audit_rules.Actor,
        status: int,
        details: Sequence[Change],
        action: str = "",
    ) -> None:
        """An audit entry for a write by ``actor`` now, named as the user's display name;
        ``action``: its text (default: the status's, audit_rules.action)."""
        who = self.display_name(actor.user_id)
        stamp = self.schema.clock.stamp()
        action = action or audit_rules.action(status)
        audit.add_entry(
            self.ex, self.tables, who, stamp, module, crmid, actor, status, action, details
        )

    def display_name(self, user_id: int) -> str:
        """The user's name as audit entries show it: read once, then from the store's names
        while no write touches users (a transaction that writes one reads it afresh)."""
        name = None if self.touched_users else self.names.get(user_id)
        if name is None:
            name = audit_rules.display_name(self.fetch("user", user_id), user_id)
            if not self.touched_users:
                if len(self.names) >= MOST_NAMES:
                    self.names.clear()
                self.names[user_id] = name
        return name

    def linked(self, a: int, b: int) -> bool:
        return relations.linked(self.ex, self.tables, a, b)

    def add_link(
        self, parent: int, parent_module: Module, child: int, child_module: Module
    ) -> None:
        link = {
            "crmid": parent,
            "module": parent_module.record_module,
            "relcrmid": child,
            "relmodule": child_module.record_module,
        }
        relations.add_link(self.ex, self.tables, link)

    def membership(self, campaignid: int, crmid: int) -> dict[str, str] | None:
        return relations.membership(self.ex, self.tables, campaignid, crmid)

    def save_membership(self, row: Mapping[str, object], new: bool) -> None:
        relations.save_membership(self.ex, self.tables, row, new)

    def insert_records(self, noun: str, rows: Sequence[Mapping[str, object]]) -> list[int]:
        """Bulk insert fixture rows (wire values): no audit, ids allocated where missing."""
        self.writes(noun)
        return bulk.insert_records(self.ex, self.schema, self.counters, noun, rows)

    def stamp(self) -> str:
        """The store's clock as OpenCRM stores a time: ``YYYY-MM-DD HH:MM:SS``."""
        return self.schema.clock.stamp()
