"""Faker top-up: fill every module up to N live records with deterministic en_GB data.

``--records N --seed S`` counts the records already there (fixtures, earlier runs) and adds
the rest, module by module in ``Module.seed_rank`` order, so links point at records that
exist: contacts belong to companies, deals, quotes, orders, invoices, projects, tickets and
assets to a company and one of its contacts, quotes to its opportunities, and so on (a
reference field's ``link_rate`` is the share of new records that link through it). Users
are topped up to at most :data:`MOST_USERS`: a CRM has a few dozen users, not thousands.

Deterministic: every module draws from its own ``random.Random("<seed>:<noun>")`` and the
Faker pools of the seed, never the wall clock, so the same seed and N give byte-identical
records. Fast: values are drawn a column at a time (seeding/columns.py) and inserted
with one executemany per table and chunk; sales lines come from planned templates
(seeding/lines.py), inserted as references to them (emulator/store/seeded_lines.py).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from emulator.control.seeding import columns as rules
from emulator.control.seeding import values as seed_values
from emulator.control.seeding.batch import Batch, Org, addresses, orgs
from emulator.control.seeding.known import Known, anchor_field
from emulator.control.seeding.lines import TEMPLATE_COLUMNS, LineBook, line_book, sales_lines
from emulator.control.seeding.vocabulary import pools
from emulator.domain.modules import Field, FieldType, Module
from emulator.settings import SEEDED_USERS
from emulator.store import SeededLines

if TYPE_CHECKING:
    from emulator.control.seeding.target import SeedTarget

#: progress(module noun, records added so far, records to add) after each chunk inserted.
Progress = Callable[[str, int, int], None]

MOST_USERS = SEEDED_USERS  # the settings' help names it
CHUNK = 2000


def top_up(
    target: SeedTarget,
    records: int,
    seed: int,
    progress: Progress | None = None,
    modules: Collection[str] | None = None,
) -> None:
    """Add Faker records until every module (or those named) has ``records`` live ones
    (users: up to 50)."""
    store = target.store
    with store.lock:  # the control plane may seed a running emulator
        have = store.counts()
        chosen = [m for m in target.registry if modules is None or m.noun in modules]
        wanted = {m.noun: wanted_count(m, records) - have[m.noun] for m in chosen}
        if max(wanted.values(), default=0) <= 0:
            return
        known = Known.load(target)
        known.seed = seed
        store.forget_line_templates()  # no templates left over from an earlier seeding
        try:
            for noun in sorted(wanted, key=lambda n: target.registry.by_noun(n).seed_rank):
                if wanted[noun] > 0:
                    add(target, known, target.registry.by_noun(noun), wanted[noun], seed, progress)
        finally:
            store.forget_line_templates()


def wanted_count(module: Module, records: int) -> int:
    return min(records, MOST_USERS) if not module.crmentity else records


# -- making one module's records ------------------------------------------------------------


def add(
    target: SeedTarget,
    known: Known,
    module: Module,
    count: int,
    seed: int,
    progress: Progress | None,
) -> None:
    store = target.store
    if module.crmentity:
        ids = list(store.allocate(count))
    else:
        first = store.max_id(module.noun) + 1
        ids = list(range(first, first + count))
    rng = random.Random(f"{seed}:{module.noun}")
    b = Batch(module, count, rng, pools(seed))
    b.product_names, b.taken = known.product_names, frozenset(known.user_names)
    companies = link(b, known)
    rules.generate(b)
    derive(b)
    if module.sales and known.book is None:  # made for the first sales module, then shared
        known.book = line_book(target, known.ids, seed)
    lines = sales_lines(target, known.book, b, ids) if known.book and module.sales else []
    learn_batch(known, b, ids, companies)
    insert(target, b, ids, known.book if module.sales else None, lines, progress)


def link(b: Batch, known: Known) -> list[int | None]:
    """Times, owners and links to other records; returns the company each record belongs to."""
    module, users = b.module, known.users or [1]
    if module.crmentity:
        owners = b.pick(users)
        others = zip(owners, b.pick(users), b.chance(0.8), strict=True)
        b.cols.update(smownerid=owners, smcreatorid=owners)
        b.cols["modifiedby"] = [owner if same else other for owner, other, same in others]
        b.cols.update(
            createdtime=seed_values.created_stamps(b), modifiedtime=seed_values.modified_stamps(b)
        )
    else:
        b.cols.update(
            date_entered=seed_values.created_stamps(b), date_modified=seed_values.modified_stamps(b)
        )
        b.cols["_org"] = [Org("", "", "")] * b.n  # staff: first.last@example.co.uk
    companies = belong(b, known)
    for f in module.fields:
        if f.type is FieldType.REF and f.name not in b.cols:
            b.cols[f.name] = links(b, f, known, companies)
    return companies


def belong(b: Batch, known: Known) -> list[int | None]:
    """Pick each record's company (suppliers for vendor links); take its name and address."""
    anchor = anchor_field(b.module)
    if anchor is None or not known.ids.get("company"):
        return [None] * b.n
    pool = known.suppliers if anchor.name == "vendor_id" else []
    companies: list[int] = b.pick(pool or known.ids["company"])
    b.cols[anchor.name] = companies
    b.cols["_org"] = [known.orgs[c] for c in companies]
    b.cols["_addr"] = [known.addresses[c] for c in companies]
    return list(companies)


def links(b: Batch, f: Field, known: Known, companies: Sequence[int | None]) -> list[int | None]:
    """A link column: the record's own company, one of that company's records, a user, or
    any record of a module not kept per company (products, campaigns)."""
    if f.ref == "user":
        chosen: list[int | None] = b.pick(known.users or [1])
    elif f.ref in ("*", "company") and f.name != "parentid" and any(companies):
        chosen = list(companies)
    elif f.ref in ("product", "campaign", "company", "*") or not any(companies):
        pool = known.ids.get(f.ref, known.ids.get("company", []))
        chosen = b.pick(pool) if pool else [None] * b.n
    else:
        index, choose = known.by_company.get(f.ref, {}), b.rng.choice
        chosen = [choose(index[c]) if c in index else None for c in companies]
    rate = f.link_rate
    if rate < 1:
        chosen = b.some(chosen, rate)
    return chosen


def derive(b: Batch) -> None:
    """Fields worked out from others (data-model.md §2.4: amount x probability / 100)."""
    if b.module.has_field("weightedamount") and "amount" in b.cols:
        rows = zip(b.cols["amount"], b.cols.get("probability") or [None] * b.n, strict=True)
        b.cols["weightedamount"] = [
            round(a * p / 100, 2) if a is not None and p is not None else None for a, p in rows
        ]


def learn_batch(
    known: Known, b: Batch, ids: Sequence[int], companies: Sequence[int | None]
) -> None:
    if b.module.noun == "company":
        orgs(b), addresses(b)  # made on first use: make sure both are there
    known.learn(b.module, ids, companies, b.cols)


# -- inserting ------------------------------------------------------------------------------


def insert(
    target: SeedTarget,
    b: Batch,
    ids: Sequence[int],
    book: LineBook | None,
    lines: Sequence[Sequence[tuple[int, str, int]]],
    progress: Progress | None,
) -> None:
    """Insert in chunks, one transaction each, reporting progress after each; ``lines``:
    each record's (crmid, linenumber, template number), numbers into ``book``."""
    module, store = b.module, target.store
    if module.number_field:
        b.cols[module.number_field] = store.take_numbers(module, b.n)
    names = [f.name for f in module.fields if f.name in b.cols]  # the rest stay NULL
    columns = ["crmid" if module.crmentity else "id", "deleted", *names]
    rows = list(zip(ids, [0] * b.n, *(b.cols[name] for name in names), strict=True))
    with store.bulk_load(module.noun, b.n):
        for start in range(0, b.n, CHUNK):
            end = min(start + CHUNK, b.n)
            refs = [line for record in lines[start:end] for line in record]
            chunk = SeededLines(TEMPLATE_COLUMNS, book.values, refs) if book else None
            store.insert_seeded(module, columns, rows[start:end], chunk)
            if progress is not None:
                progress(module.noun, end, b.n)
