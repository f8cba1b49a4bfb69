"""One OpenCRM system's data and the verbs the API's actions are named after
(``list_records``, ``get_record``, ``edit_record``, ``run_report``, ``link_records`` ...).

Like a moto backend it knows nothing of HTTP: the end points read and check the parameters
(emulator/wire) and render the answers; the backend takes typed values, decides what
OpenCRM would do, and reads and writes through the store's facade.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from emulator.backend import relations, sales
from emulator.domain import audit
from emulator.domain.audit import Actor
from emulator.domain.campaigns import MembershipRequest
from emulator.domain.clock import Clock
from emulator.domain.links import LinkRequest
from emulator.domain.lists import ListQuery
from emulator.domain.modules import Field, Module, Registry
from emulator.domain.product_lines import ReferenceData
from emulator.domain.reports import CustomReport, Report, ReportBook
from emulator.errors import RecordNotFound
from emulator.store import Store, UnitOfWork

Row = dict[str, Any]


@dataclass(frozen=True)
class Edited:
    """What an edit did: the record's id, and what it ignored (for the journal)."""

    crmid: int
    warnings: tuple[str, ...] = ()


class Backend:
    def __init__(
        self,
        store: Store,
        reference: ReferenceData,
        reports: ReportBook,
        clock: Clock,
        create_action: str = audit.MODIFIED,
    ) -> None:
        self.store = store
        self.registry: Registry = store.registry
        self.reference = reference
        self.reports = reports
        self.clock = clock
        #: What a create's audit entry says (the create_audit_action setting).
        self.create_action = create_action

    # -- reading -----------------------------------------------------------------------------

    def list_records(self, module: Module, query: ListQuery, full: bool) -> list[Row]:
        return self.store.list_records(module.noun, query, full)

    def count_records(self, module: Module, query: ListQuery) -> int:
        # The count ignores limit_start/limit_end: it answers "how many records match", which
        # is what the guide says clients use it for before paging through a full list.
        return self.store.count_records(module.noun, query.unpaged())

    def get_record(self, module: Module, crmid: int) -> Row:
        """A record's fields (sales records with their ``products``)."""
        found = self.store.get_record(module.noun, crmid)
        if found is None:
            raise RecordNotFound(f"No {module.record_module} record with id {crmid}")
        if module.sales:
            found["products"] = self.store.product_lines(crmid)
        return found

    def get_record_json(self, module: Module, crmid: int) -> str:
        """:meth:`get_record`'s record as its JSON text (store/answers.py)."""
        found = self.store.record_json(module.noun, crmid, module.sales)
        if found is None:
            raise RecordNotFound(f"No {module.record_module} record with id {crmid}")
        return found

    def record_module(self, crmid: int) -> Module | None:
        """The module of a live record of any module, or None."""
        return self.store.record_module(crmid)

    def usernames(self) -> dict[int, str]:
        return {uid: u.get("user_name", "") for uid, u in self.store.users().items()}

    def audit_trail(self, crmid: int) -> list[dict[str, Any]]:
        return self.store.audit_trail(crmid)

    def record_links(self, crmid: int) -> list[dict[str, Any]]:
        """The live records linked to ``crmid`` (either side of edit_record_link)."""
        return self.store.links(crmid)

    def campaign_members(self, campaignid: int) -> list[dict[str, Any]]:
        return self.store.members(campaignid)

    def campaign_memberships(self, crmid: int) -> list[dict[str, Any]]:
        """The campaigns a lead, contact or company belongs to (add_to_campaign's other side)."""
        return self.store.memberships(crmid)

    def counts(self) -> dict[str, int]:
        return self.store.counts()

    def recent_counts(self, wait: float) -> tuple[dict[str, int], bool]:
        """The counts, and whether they are current (the last ones if the store stays busy
        for ``wait`` seconds: a long write runs)."""
        return self.store.recent_counts(wait)

    def line_products(self, ids: Sequence[int]) -> dict[int, Mapping[str, str]]:
        """Products as the line rules read them (seeding plans lines from these)."""
        found = {pid: sales.line_product(self.store.get_record("product", pid)) for pid in ids}
        return {pid: p for pid, p in found.items() if p is not None}

    # -- writing -----------------------------------------------------------------------------

    def edit_record(
        self,
        module: Module,
        crmid: int,
        values: Mapping[Field, str],
        products: object | None,
        actor: Actor,
    ) -> Edited:
        """Create (crmid 0) or update one record, its product lines (``products`` as sent,
        None when not sent) and its audit entry, in one transaction."""
        with self.store.transaction() as work:
            return self.save(work, module, crmid, values, products, actor)

    def save(
        self,
        work: UnitOfWork,
        module: Module,
        crmid: int,
        values: Mapping[Field, str],
        products: object | None,
        actor: Actor,
    ) -> Edited:
        old = work.fetch(module.noun, crmid) if crmid else None
        if crmid and old is None:  # before the lines, whose errors would otherwise hide this one
            raise RecordNotFound(f"No {module.record_module} record with id {crmid}")
        lines = sales.LineContext(work, self.reference) if module.sales else None
        plan = lines.plan(crmid, products) if lines and products is not None else None
        if old is None:
            crmid, changes = work.create_record(module, values, actor.user_id)
            status = audit.CREATED
        else:
            changes = work.update_record(module, crmid, values, actor.user_id, old)
            status = audit.UPDATED
        ignored: list[str] = []
        if lines is not None:
            line_changes, ignored = sales.save_lines(lines, module, crmid, plan)
            changes += line_changes
        work.add_audit(
            module, crmid, actor, status, changes, audit.action(status, self.create_action)
        )
        return Edited(crmid, tuple(ignored))

    # -- reports, record links and campaigns -------------------------------------------------

    def report(self, report_id: int, custom: bool) -> Report:
        return self.reports.find(report_id, custom)

    def report_rows(self, report: Report, start: int, limit: int) -> list[Row]:
        if isinstance(report, CustomReport):
            return relations.custom_rows(self.store, report, start, limit)
        query = relations.report_query(report, self.clock.local().date())
        return self.store.report_rows(query, start, limit)

    def link_records(self, request: LinkRequest, actor: Actor) -> int:
        with self.store.transaction() as work:
            return relations.link(work, request, actor)

    def add_to_campaign(self, request: MembershipRequest, actor: Actor) -> str:
        with self.store.transaction() as work:
            return relations.add_member(work, request, actor)
