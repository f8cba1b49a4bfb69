"""Seed data: numbers, dates, times, flags and picklist values, and how often fields are filled.

Record times fall in a fixed window (:data:`FIRST_DAY` to :data:`LAST_DAY`), never the wall
clock, so the same seed gives the same records on any day. Other dates are placed relative to
the record's creation day (a quote is valid 30 days, a contract ends a year on).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import cache, lru_cache

from emulator.control.seeding.batch import Batch, Column
from emulator.domain.modules import Field, FieldType, Module
from emulator.domain.modules.picklists import STAGE_PROBABILITIES

FIRST_DAY = date(2023, 1, 2).toordinal()
LAST_DAY = date(2026, 10, 30).toordinal()
DAY = 86_400
WORK_START, WORK_SECONDS = 8 * 3600, 10 * 3600  # records are made between 08:00 and 18:00

# -- how often a field is filled ----------------------------------------------------------

#: Left blank: ids of things seeding does not make (plans, price books), and rarely used boxes.
NEVER = frozenset({
    "actionplan_id", "emailplan", "pricebook", "pending", "folder", "tasklist", "chargetime",
    "productsheet", "bill_pobox", "ship_pobox", "righttobeforgotten_date", "previous_amount",
    "gain_loss", "exciseduty", "glacct",
})  # fmt: skip
RATES = {
    "description": 0.5, "email2": 0.3, "assistant": 0.1, "assistantphone": 0.1,
    "assistant_email": 0.1, "homephone": 0.2, "phone_home": 0.2, "otherphone": 0.3,
    "fax": 0.2, "phone_fax": 0.2, "mobile": 0.7, "phone_mobile": 0.8, "login": 0.1,
    "password": 0.1, "closedby": 0.3, "closedon": 0.3, "paiddate": 0.4, "dob": 0.3,
    "birthday": 0.3, "commission_approved_date": 0.3, "proprietor": 0.3, "solution": 0.4,
    "tech_solution": 0.2, "support_start_date": 0.3, "support_end_date": 0.3, "cost_centre": 0.3,
    "sage_ref": 0.5, "consent_given_to": 0.5, "date_consent_given": 0.7, "salescommission": 0.3,
    "cf_614": 0.5, "time_start": 1.0, "time_end": 1.0, "unit_price": 1.0, "buy_price": 1.0,
    "probability": 1.0,
    **dict.fromkeys(("currency_id", "conversion_rate", "discount_percent", "discount_amount",
                     "s_h_amount", "s_h_percent", "adjustment"), 1.0),
}  # fmt: skip
ADDRESS_HINTS = frozenset({"street_address", "secondary_address", "city", "county", "postcode",
                           "current_country"})  # fmt: skip


def fill_rate(module: Module, f: Field) -> float:
    """The share of new records that get a value in ``f``."""
    if f.name in NEVER or (f.name.startswith("other") and f.faker in ADDRESS_HINTS):
        return 0.0  # a contact's "other" address: most have none
    if f.name in RATES:
        return RATES[f.name]
    if f.faker == "secondary_address":
        return 0.3
    if f.faker in ADDRESS_HINTS or f.type in (FieldType.PICKLIST, FieldType.BOOLEAN):
        return 1.0
    if f.in_list or f.indexed or f.name in module.label_fields or f.keyword:
        return 1.0
    return 0.6


# -- picklists and flags --------------------------------------------------------------------

#: Shares of a picklist's usual values (when the picklist has them); the rest of the time
#: any value. Companies: mostly customers, some prospects, enough suppliers to buy from.
USUAL: dict[str, dict[str, float]] = {
    "def_currency": {"GBP": 0.9}, "taxtype": {"individual": 0.9}, "is_admin": {"off": 0.9},
    "status": {"Active": 0.9}, "date_format": {"dd-mm-yyyy": 0.9}, "taxclass": {"Standard": 0.9},
    "account_type": {"Customer": 0.6, "Prospect": 0.15, "Supplier": 0.1},
    "product_status": {"Active": 0.9}, "assetstatus": {"In Service": 0.9},
    "paymenttype": {"Credit Account": 0.9}, "credit_status": {"Good": 0.9},
    "usageunit": {"Each": 0.9}, "potentialtype": {"New Business": 0.9},
}  # fmt: skip
#: The share of records with a flag set ("1"); others 0.1.
FLAGS = {
    "consent_to_processing": 0.8, "data_processing_consent_given": 0.7, "active": 0.8,
    "addressinherit": 0.6, "address_inherit": 0.6, "includeinsync": 0.5, "showonportal": 0.3,
    "majoraccount": 0.15, "vatexempt": 0.03, "righttobeforgotten": 0.01, "email_bounced": 0.03,
    "discontinued": 0.05, "commission_approved": 0.3,
}  # fmt: skip


def picklist(b: Batch, f: Field) -> Column:
    drawn = b.pick(f.picklist or ("",))
    usual = [
        (value, share) for value, share in USUAL.get(f.name, {}).items() if value in f.picklist
    ]
    if not usual:
        return drawn
    rand, column = b.rng.random, []
    for x in drawn:
        r = rand()
        for value, share in usual:
            if r < share:
                x = value
                break
            r -= share
        column.append(x)
    return column


def flags(b: Batch, f: Field) -> Column:
    return [int(x) for x in b.chance(FLAGS.get(f.name, 0.1))]


# -- numbers --------------------------------------------------------------------------------

#: Whole numbers, inclusive ranges.
COUNTS = {
    "employees": (2, 800), "noofemployees": (1, 250), "qtyinstock": (0, 200),
    "qtyindemand": (0, 40), "reorderlevel": (2, 20), "duration_hours": (0, 2), "hours": (0, 8),
    "days": (0, 5), "activedays": (1, 180), "targetsize": (200, 5000), "numsent": (100, 5000),
    "expectedresponsecount": (10, 300), "actualresponsecount": (0, 300),
    "expectedsalescount": (1, 40), "actualsalescount": (0, 40), "time_m": (60, 6000),
    "time_taken_m": (30, 6000), "nc_time_m": (0, 600), "sched_time_m": (60, 6000),
    "planned_duration": (30, 365), "actual_duration": (30, 365),
}  # fmt: skip
#: Money and rates, ranges (rounded to the field's places).
AMOUNTS = {
    "amount": (500, 60_000), "annualrevenue": (50_000, 25_000_000), "budget": (1000, 80_000),
    "budgetcost": (500, 20_000), "actualcost": (500, 20_000), "expectedrevenue": (2000, 150_000),
    "cost_net": (40, 2500), "salescommission": (10, 1500), "minimummargin": (10, 30),
    "progress": (0, 100), "total_units": (10, 200), "expectedroi": (0, 250),
    "actualroi": (0, 250), "credit_limit": (1000, 50_000),
}  # fmt: skip
#: Numbers drawn from a few values.
CHOICES: dict[str, Sequence[int | float]] = {
    "vat_rate": (20, 20, 20, 0), "currency_id": (1,), "credit_limit_days": (30, 30, 45, 60),
    "contract_term": (12, 12, 24, 36), "commissionrate": (0, 2.5, 5, 5, 7.5, 10),
    "maximumdiscount": (0, 5, 10, 10, 15, 20), "qty_per_unit": (1,), "conversion_rate": (1,),
    "discount_percent": (0,) * 8 + (5, 10), "discount_amount": (0,) * 9 + (50,),
    "s_h_amount": (0, 0, 0, 9.95, 14.95, 25), "adjustment": (0,),
}  # fmt: skip


def number(b: Batch, f: Field) -> Column:
    derived = DERIVED.get(f.name)
    if derived is not None:
        return derived(b)
    if f.name in CHOICES:
        return b.pick(CHOICES[f.name])
    if f.type is FieldType.INTEGER:
        return b.ints(*COUNTS.get(f.name, (0, 100)))
    low, high = AMOUNTS.get(f.name, (10, 5000))
    places = 2 if f.type is FieldType.CURRENCY else 3
    rand = b.rng.random
    return [round(low + rand() * (high - low), places) for _ in range(b.n)]


def scaled(source: str, low: float, high: float, places: int = 2) -> Callable[[Batch], Column]:
    """A column of another field's values times a factor from ``low`` to ``high``."""

    def make(b: Batch) -> Column:
        rand = b.rng.random
        base = b.cols.get(source) or [None] * b.n
        return [
            round(x * (low + rand() * (high - low)), places) if isinstance(x, int | float) else None
            for x in base
        ]

    return make


def probabilities(b: Batch) -> Column:
    stages = b.cols.get("sales_stage") or [None] * b.n
    return [STAGE_PROBABILITIES.get(s, 50) if isinstance(s, str) else None for s in stages]


def shipping_tax(b: Batch) -> Column:
    return [20 if x else 0 for x in b.cols.get("s_h_amount") or [0] * b.n]


DERIVED: dict[str, Callable[[Batch], Column]] = {
    "buy_price": scaled("unit_price", 0.6, 0.85),
    "cost_gross": scaled("cost_net", 1.2, 1.2),
    "used_units": scaled("total_units", 0.0, 1.0, 3),
    "probability": probabilities,
    "s_h_percent": shipping_tax,
}


# -- dates and times ------------------------------------------------------------------------

#: Days after the record's creation day, by field name; others 0 to 90.
SPANS = {
    "date_consent_given": (0, 0), "closingdate": (14, 180), "validtill": (30, 30),
    "duedate": (30, 30), "start_date": (0, 30), "startdate": (0, 30), "targetend": (60, 365),
    "enddate": (60, 400), "end_date": (365, 365), "expiry_date": (365, 1095),
    "sales_start_date": (0, 0), "sales_end_date": (365, 1095), "date_start": (-20, 60),
    "due_date": (0, 7), "invoicedate": (0, 0), "paiddate": (10, 60), "issue_date": (0, 0),
    "closedon": (1, 30), "datesold": (-400, 0), "dateinservice": (-390, 0),
    "commission_approved_date": (30, 90), "support_start_date": (0, 30),
    "support_end_date": (365, 400),
}  # fmt: skip
#: Dates counted from another date of the record (when it has one), not from its creation.
FOLLOWS = {
    "due_date": "date_start", "targetend": "startdate", "enddate": "startdate",
    "end_date": "start_date", "sales_end_date": "sales_start_date", "paiddate": "invoicedate",
    "support_end_date": "support_start_date",
}  # fmt: skip


def moments(b: Batch) -> Sequence[int]:
    """Creation times in seconds from :data:`FIRST_DAY`, ascending: higher crmids are newer,
    as in a live system."""

    def make(b: Batch) -> list[int]:
        rand, span = b.rng.random, LAST_DAY - FIRST_DAY + 1
        return sorted(
            int(rand() * span) * DAY + WORK_START + int(rand() * WORK_SECONDS) for _ in range(b.n)
        )

    return b.context("_created", make)


def days(b: Batch) -> Sequence[int]:
    """Creation days, as ordinals."""
    return b.context("_day", lambda b: [FIRST_DAY + t // DAY for t in moments(b)])


def created_stamps(b: Batch, f: Field | None = None) -> Column:
    return [stamp(t) for t in moments(b)]


def modified_stamps(b: Batch) -> Column:
    """Two in five records are untouched since made; the rest edited up to 120 days later."""
    rand, last = b.rng.random, (LAST_DAY - FIRST_DAY) * DAY + WORK_START + WORK_SECONDS
    return [
        stamp(t if keep else t + int(rand() * min(120 * DAY, last - t)))
        for t, keep in zip(moments(b), b.chance(0.4), strict=True)
    ]


def stamp(t: int) -> str:
    """``YYYY-MM-DD HH:MM:SS`` of ``t`` seconds from :data:`FIRST_DAY`."""
    return f"{day_text(t // DAY)} {clock_text(t % DAY)}"


@cache
def day_text(day: int) -> str:
    return date.fromordinal(FIRST_DAY + day).isoformat()


@cache
def clock_text(second: int) -> str:
    return f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"


def dates(b: Batch, f: Field) -> Column:
    """Days after the record's creation, or after the date this one follows (a due date
    after the start date)."""
    low, high = SPANS.get(f.name, (0, 90))
    offsets = b.ints(low, high)
    before = b.cols.get(FOLLOWS.get(f.name, ""))
    if before is None:
        return [iso_date(d + k) for d, k in zip(days(b), offsets, strict=True)]
    return [
        iso_date(ordinal(x) + k) if isinstance(x, str) else None
        for x, k in zip(before, offsets, strict=True)
    ]


@lru_cache(maxsize=1 << 16)
def iso_date(day: int) -> str:
    """``YYYY-MM-DD`` of a day number (cached: seeded dates fall on a few thousand days)."""
    return date.fromordinal(day).isoformat()


@lru_cache(maxsize=1 << 16)
def ordinal(text: str) -> int:
    """The day number of a ``YYYY-MM-DD`` date."""
    return date.fromisoformat(text).toordinal()


def birth_dates(b: Batch, f: Field) -> Column:
    first, last = date(1955, 1, 1).toordinal(), date(2003, 12, 31).toordinal()
    return [iso_date(day) for day in b.ints(first, last)]


def year(day: int) -> int:
    return date.fromordinal(day).year


def times(b: Batch, f: Field) -> Column:
    """Quarter hours in the working day; ``time_end`` 15 to 90 minutes after ``time_start``."""
    starts = b.cols.get("time_start")
    if f.name == "time_end" and starts:
        rows = zip(starts, b.ints(1, 6), strict=True)
        return [add_minutes(s, 15 * k) if isinstance(s, str) else None for s, k in rows]
    return [f"{h:02d}:{q * 15:02d}" for h, q in zip(b.ints(8, 17), b.ints(0, 3), strict=True)]


def add_minutes(hhmm: str, minutes: int) -> str:
    total = int(hhmm[:2]) * 60 + int(hhmm[3:]) + minutes
    return f"{total // 60 % 24:02d}:{total % 60:02d}"
