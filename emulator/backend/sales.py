"""Sales records (quotes, sales orders, invoices, purchase orders): the header edit plus the
product lines, in one transaction (guide, "Create/Edit Sales Records", "Product Lines").

The rules for lines are in :mod:`emulator.domain.product_lines` (pure); this module fetches
what those rules need through the unit of work, writes the plan they return, and recomputes
the header totals on every edit, so a failing line leaves the record exactly as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from emulator.domain.audit import Change
from emulator.domain.line_arithmetic import balance
from emulator.domain.modules import Module
from emulator.domain.product_lines import (
    LinePlan,
    ReferenceData,
    compute_line,
    compute_totals,
    parse_products,
    plan_lines,
)
from emulator.store import UnitOfWork

TOTALS = ("subtotal", "tax_total", "pre_tax_total", "total")


def line_product(found: Mapping[str, str] | None) -> Mapping[str, str] | None:
    """A product record as the line rules read it: its description is the product's."""
    if found is None:
        return None
    return {
        **found,
        "description": found.get("product_description") or found.get("description", ""),
    }


class LineContext:
    """The look-ups line rules need, answered inside the caller's transaction."""

    def __init__(self, work: UnitOfWork, ref: ReferenceData) -> None:
        self.work, self.ref = work, ref
        self._products: dict[str, Mapping[str, str] | None] = {}

    def product(self, productid: str) -> Mapping[str, str] | None:
        """A product, read once per transaction (an edit of 20,000 lines names few)."""
        if productid not in self._products:
            crmid = record_number(productid)
            found = None if crmid is None else self.work.fetch("product", crmid)
            self._products[productid] = line_product(found)
        return self._products[productid]

    def live_company(self, crmid: str) -> bool:
        number = record_number(crmid)
        return number is not None and self.work.fetch("company", number) is not None

    def plan(self, crmid: int, products: object) -> LinePlan:
        existing = self.work.product_lines(crmid) if crmid else []
        return plan_lines(
            existing,
            parse_products(products),
            product=self.product,
            live_company=self.live_company,
            ref=self.ref,
        )


def record_number(text: str) -> int | None:
    """The record id ``text`` names: ASCII digits that fit the store's 64-bit ids, else None."""
    digits = text.strip()
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 18 else None


def save_lines(
    ctx: LineContext, module: Module, crmid: int, plan: LinePlan | None
) -> tuple[list[Change], list[str]]:
    """Write ``plan`` (None: ``products`` not sent, lines untouched) and the recomputed totals;
    the audit details of both, and the line fields the plan ignored (for the journal)."""
    changes: list[Change] = []
    ignored: list[str] = []
    if plan is not None:
        changes += apply_plan(ctx, crmid, plan)
        ignored = [f"ignored product line field {name!r}" for name in plan.ignored]
    return changes + recompute_totals(ctx, module, crmid), ignored


def apply_plan(ctx: LineContext, crmid: int, plan: LinePlan) -> list[Change]:
    """Write the plan; its audit details, added lines named by the lineids they were given."""
    work = ctx.work
    work.delete_lines(plan.deletes)
    work.update_lines([compute_line(line, ctx.ref) for line in plan.updates])
    before = {line["lineid"] for line in work.product_lines(crmid)}
    work.insert_lines(crmid, [compute_line(line, ctx.ref) for line in plan.inserts])
    # Ids grow in insertion order (AUTOINCREMENT), so the new ids, sorted, follow plan.inserts.
    fresh = [int(line["lineid"]) for line in work.product_lines(crmid)]
    added = iter(sorted(lineid for lineid in fresh if str(lineid) not in before))
    return [
        (f"products[{next(added)}]", c.old, c.new) if c.action == "added" else c[:3]
        for c in plan.changes
    ]


def recompute_totals(ctx: LineContext, module: Module, crmid: int) -> list[Change]:
    """Recompute the header totals (guide silent; data-model.md §3: on every edit); the changes."""
    header = ctx.work.fetch(module.noun, crmid) or {}
    totals = compute_totals(header, ctx.work.product_lines(crmid), ctx.ref)
    values = {name: totals[name] for name in TOTALS}
    if module.has_field("balance"):
        values["balance"] = balance(values["total"], header.get("received", ""))
    ctx.work.set_fields(module, crmid, values)
    old = {name: header.get(name, "") for name in values}
    return [(name, old[name], new) for name, new in values.items() if old[name] != new]


def fixture_lines(ctx: LineContext, lines: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Fixture lines checked by the API's own rules, keeping their hand-picked lineids."""
    incoming = [{**{k: str(v) for k, v in line.items()}, "lineid": "0"} for line in lines]
    plan = plan_lines([], incoming, product=ctx.product, live_company=ctx.live_company, ref=ctx.ref)
    return [
        {**compute_line(new, ctx.ref), "lineid": str(line["lineid"])}
        if line.get("lineid")
        else compute_line(new, ctx.ref)
        for new, line in zip(plan.inserts, lines, strict=True)
    ]
