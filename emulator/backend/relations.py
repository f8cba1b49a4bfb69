"""The verbs that are not about one module: linking records, campaign membership, and reports
(guide, "Record Linking (BETA)", "Campaigns (BETA)", "Reporting Functions"). The rules are
the domain's (emulator/domain/links.py, campaigns.py, reports.py); here they run inside
the store's transactions."""

from __future__ import annotations

from datetime import date
from typing import Any

from emulator.domain import audit, campaigns, links
from emulator.domain.custom_reports import (
    MAX_RESULT_BYTES,
    MAX_VALUE_BYTES,
    checked_sql,
    custom_row,
    failure_message,
)
from emulator.domain.reports import CustomReport, StandardReport, filters_on
from emulator.errors import ReportError
from emulator.store import (
    CustomQueryError,
    QueryBounds,
    ReportColumn,
    ReportFilter,
    ReportOrder,
    ReportQuery,
    Store,
    UnitOfWork,
)

CUSTOM_REPORT_SECONDS = 5.0


def link(work: UnitOfWork, request: links.LinkRequest, actor: audit.Actor) -> int:
    """Link the two records; the parent id."""
    parent_module = links.live(work.record_module(request.parent), request.parent, "parent_id")
    child_module = links.live(work.record_module(request.child), request.child, "child_id")
    if work.linked(request.parent, request.child):
        return request.parent
    work.add_link(request.parent, parent_module, request.child, child_module)
    for module, crmid, other_module, other in (
        (parent_module, request.parent, child_module, request.child),
        (child_module, request.child, parent_module, request.parent),
    ):
        work.add_audit(module, crmid, actor, audit.LINKED, links.target(other_module, other))
    return request.parent


def add_member(work: UnitOfWork, request: campaigns.MembershipRequest, actor: audit.Actor) -> str:
    """Add or update the membership; ``"Success"``."""
    cid, rid = request.campaignid, request.recordid
    campaign = campaigns.campaign(work.record_module(cid), cid)
    member = campaigns.member(work.record_module(rid), rid)
    old = work.membership(cid, rid)
    row, changes = campaigns.merged(old, request, member, work.stamp())
    work.save_membership(row, new=old is None)
    if old is None or changes:
        for module, crmid, other, other_id in (
            (campaign, cid, member, rid),
            (member, rid, campaign, cid),
        ):
            details = links.target(other, other_id) + changes
            work.add_audit(module, crmid, actor, audit.LINKED, details)
    return campaigns.SUCCESS


def report_query(report: StandardReport, today: date) -> ReportQuery:
    """A standard report as the store takes it, its date words read from ``today``."""
    return ReportQuery(
        module=report.module,
        columns=[ReportColumn(c.key, c.path.via, c.field) for c in report.columns],
        filters=[ReportFilter(f.path.via, f.condition) for f in filters_on(report, today)],
        ordering=[ReportOrder(o.path.via, o.path.name, o.descending) for o in report.ordering],
    )


def custom_rows(
    store: Store,
    report: CustomReport,
    start: int,
    limit: int,
    seconds: float = CUSTOM_REPORT_SECONDS,
) -> list[dict[str, Any]]:
    """A custom report's rows (its SQL checked first, then run read-only for ``seconds``,
    its values and rows within the bytes of emulator/domain/custom_reports.py)."""
    sql = checked_sql(report)
    bounds = QueryBounds(seconds, MAX_VALUE_BYTES, MAX_RESULT_BYTES)
    try:
        names, values = store.custom_rows(sql, start, limit, bounds)
    except CustomQueryError as exc:
        raise ReportError(failure_message(report, exc.detail, seconds)) from None
    return [custom_row(names, v) for v in values]
