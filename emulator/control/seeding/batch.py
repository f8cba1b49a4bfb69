"""A batch of new records of one module, generated a column at a time.

Rows share a context (their person, organisation, address, dates, catalogue item), kept as
columns whose names start with ``_`` and made on first use: so a contact's e-mail is at its
company's domain and its phone has its company's area code. emulator/seed.py sets the
organisation and address of records that belong to a company. The column rules for contact
details, which read this context, are here too; the others are in emulator/seeding/columns.py.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from emulator.control.seeding import vocabulary
from emulator.domain.modules import Field, Module

Value = str | int | float | None
Column = Sequence[Value]
Gen = Callable[["Batch", Field], Column]


class Org(NamedTuple):
    name: str  # "Harrowgate Digital Ltd"
    short: str  # "Harrowgate Digital", as subjects name it
    slug: str  # "harrowgatedigital": its domain is <slug>.example.co.uk ("" = example.co.uk)


class Address(NamedTuple):
    street: str
    street2: str
    city: str
    county: str
    postcode: str
    phone: str  # a landline number with ### for three digits


@dataclass
class Batch:
    """The columns of ``n`` new records of ``module`` (context columns start with ``_``)."""

    module: Module
    n: int
    rng: random.Random
    pools: vocabulary.Pools
    cols: dict[str, Sequence[Any]] = field(default_factory=dict)
    #: Product names by crmid, for records named after a product (assets).
    product_names: Mapping[int, str] = field(default_factory=dict)
    #: User names already in use.
    taken: frozenset[str] = frozenset()

    def pick(self, values: Sequence[Any]) -> list[Any]:
        return self.rng.choices(values, k=self.n)

    def ints(self, low: int, high: int) -> list[int]:
        """``n`` whole numbers from ``low`` to ``high`` inclusive."""
        rand, span = self.rng.random, high - low + 1
        return [low + int(rand() * span) for _ in range(self.n)]

    def chance(self, p: float) -> list[bool]:
        rand = self.rng.random
        return [rand() < p for _ in range(self.n)]

    def some(self, column: Sequence[Any], p: float) -> list[Any]:
        """``column`` with each value kept by :meth:`chance` (the same draws), else None."""
        rand = self.rng.random
        return [x if rand() < p else None for x in column]

    def context(self, name: str, make: Callable[[Batch], Sequence[Any]]) -> Sequence[Any]:
        if name not in self.cols:
            self.cols[name] = make(self)
        return self.cols[name]


def firsts(b: Batch) -> Sequence[str]:
    return b.context("_first", lambda b: b.pick(b.pools.first_names))


def lasts(b: Batch) -> Sequence[str]:
    return b.context("_last", lambda b: b.pick(b.pools.last_names))


def orgs(b: Batch) -> Sequence[Org]:
    return b.context("_org", fresh_orgs)


def addresses(b: Batch) -> Sequence[Address]:
    return b.context("_addr", fresh_addresses)


def items(b: Batch) -> Sequence[vocabulary.Item]:
    return b.context("_item", lambda b: b.pick(vocabulary.CATALOGUE))


def models(b: Batch) -> Sequence[str]:
    def make(b: Batch) -> list[str]:
        return [f"{a}{n}" for a, n in zip(b.pick("ABCEGKLMPRSTVX"), b.ints(100, 9899), strict=True)]

    return b.context("_model", make)


def brands(b: Batch) -> Sequence[str]:
    choose = b.rng.choice
    return b.context("_brand", lambda b: [choose(i.brands) for i in items(b)])


def fresh_orgs(b: Batch) -> list[Org]:
    rows = zip(
        b.pick(b.pools.stems), b.pick(vocabulary.TRADES), b.pick(vocabulary.SUFFIXES), strict=True
    )
    return [Org(f"{s} {t} {x}", f"{s} {t}", slug(f"{s}{t.split()[0]}")) for s, t, x in rows]


def fresh_addresses(b: Batch) -> list[Address]:
    towns, second, floor = b.pick(vocabulary.TOWNS), b.pick(vocabulary.SECOND_LINES), b.ints(1, 12)
    codes = postcodes(b, towns)
    return [
        Address(street, s2.format(n=n), t.name, t.county, pc, t.phone)
        for t, street, s2, n, pc in zip(towns, streets(b), second, floor, codes, strict=True)
    ]


def postcodes(b: Batch, towns: Sequence[vocabulary.Town]) -> list[str]:
    """Postcodes of the towns' areas: "LS11 5PS" (district, sector, two letters)."""
    letters = vocabulary.POSTCODE_LETTERS
    rows = zip(towns, b.ints(1, 29), b.ints(1, 9), b.pick(letters), b.pick(letters), strict=True)
    return [f"{t.area}{district} {sector}{x}{y}" for t, district, sector, x, y in rows]


def streets(b: Batch) -> list[str]:
    names, kinds = b.pick(b.pools.street_names), b.pick(vocabulary.STREET_KINDS)
    common, sites, use = b.pick(vocabulary.STREETS), b.pick(vocabulary.SITES), b.ints(0, 9)
    return [
        f"Unit {n % 20 + 1}, {name} {site}" if u < 3 else f"{n} {c if u < 6 else name + ' ' + k}"
        for n, name, k, c, site, u in zip(
            b.ints(1, 240), names, kinds, common, sites, use, strict=True
        )
    ]


@cache
def slug(text: str) -> str:
    """Lower-case letters and digits only: "O'Connor" -> "oconnor" (cached: names repeat)."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def domain(org: Org) -> str:
    return f"{org.slug}.example.co.uk" if org.slug else "example.co.uk"


# -- people, organisations and contact details ------------------------------------------------


def first_name(b: Batch, f: Field) -> Column:
    return firsts(b)


def last_name(b: Batch, f: Field) -> Column:
    return lasts(b)


def other_person(b: Batch, f: Field) -> Column:
    people = zip(b.pick(b.pools.first_names), b.pick(b.pools.last_names), strict=True)
    return [f"{a} {z}" for a, z in people]


def person_email(b: Batch, f: Field) -> Column:
    rows = zip(firsts(b), lasts(b), orgs(b), strict=True)
    return [f"{slug(a)}.{slug(z)}@{domain(o)}" for a, z, o in rows]


def private_email(b: Batch, f: Field) -> Column:
    rows = zip(firsts(b), lasts(b), b.ints(1, 99), strict=True)
    return [f"{slug(a)}.{slug(z)}{n}@example.com" for a, z, n in rows]


def company_email(b: Batch, f: Field) -> Column:
    if f.name == "sent_to_support_email":  # the CRM owner's own support box, as the fixtures
        return ["support@example.co.uk"] * b.n
    local = {"email1": "info", "shipemail": "deliveries"}.get(f.name, "accounts")
    return [f"{local}@{domain(o)}" for o in orgs(b)]


def website(b: Batch, f: Field) -> Column:
    if b.module.noun == "product":
        return [f"https://www.example.com/products/{slug(m)}" for m in models(b)]
    return [f"https://www.{domain(o)}" for o in orgs(b)]


def landline(b: Batch, f: Field) -> Column:
    rows = zip(addresses(b), b.ints(0, 999), strict=True)
    return [a.phone.replace("###", f"{n:03d}") for a, n in rows]


def home_phone(b: Batch, f: Field) -> Column:
    rows = zip(b.pick(vocabulary.TOWNS), b.ints(0, 999), strict=True)
    return [t.phone.replace("###", f"{n:03d}") for t, n in rows]


def mobile(b: Batch, f: Field) -> Column:
    return [vocabulary.MOBILE.replace("###", f"{n:03d}") for n in b.ints(0, 999)]


def user_names(b: Batch, f: Field) -> Column:
    """first.last, numbered when taken (usernames are unique)."""
    names: list[Value] = []
    used = set(b.taken)
    for a, z in zip(firsts(b), lasts(b), strict=True):
        name, n = f"{slug(a)}.{slug(z)}", 1
        while name in used:
            n += 1
            name = f"{slug(a)}.{slug(z)}{n}"
        used.add(name)
        names.append(name)
    return names


def org_name(b: Batch, f: Field) -> Column:
    return [o.name for o in orgs(b)]


def sage_ref(b: Batch, f: Field) -> Column:
    rows = zip(orgs(b), b.ints(1, 999), strict=True)
    return [f"{(o.slug or 'cust')[:4].upper()}{n:03d}" for o, n in rows]


def address_part(part: str) -> Gen:
    return lambda b, f: [getattr(a, part) or None for a in addresses(b)]
