"""Seed data one column at a time: the rule that fills each field of a batch.

A field's column comes from the first of: its (module, name) label rule (subjects, titles,
product names), a rule for its name, its Faker hint (``Field.faker``), its type. Each rule
draws every row at once from the pools of :mod:`emulator.control.seeding.vocabulary` with the
batch's seeded ``random.Random``, which is what makes 10,000 records a second's work rather than a
minute's. Numbers, dates and flags are in :mod:`emulator.control.seeding.values`.
"""

from __future__ import annotations

from collections.abc import Sequence

from emulator.control.seeding import values, vocabulary
from emulator.control.seeding.batch import (
    Batch,
    Column,
    Gen,
    Value,
    address_part,
    brands,
    company_email,
    first_name,
    firsts,
    fresh_orgs,
    home_phone,
    items,
    landline,
    last_name,
    lasts,
    mobile,
    models,
    org_name,
    orgs,
    other_person,
    person_email,
    private_email,
    sage_ref,
    user_names,
    website,
)
from emulator.domain.modules import Field, FieldType, Module
from emulator.domain.modules.sales import CARRIERS


def generate(b: Batch) -> None:
    """Every writable field the batch has no column for yet, in registry order."""
    for f in b.module.fields:
        if f.name in b.cols or f.read_only or f.type is FieldType.REF:
            continue
        rate = values.fill_rate(b.module, f)
        if rate <= 0:
            continue
        column = resolve(b.module, f)(b, f)
        if rate < 1:
            column = b.some(column, rate)
        b.cols[f.name] = column


def resolve(module: Module, f: Field) -> Gen:
    """The rule that fills ``f``: label rule, name rule, Faker hint, then type."""
    return (
        LABELS.get((module.noun, f.name))
        or NAMED.get(f.name)
        or HINTS.get(f.faker)
        or TYPED.get(f.type, words)
    )


# -- labels and text --------------------------------------------------------------------------


def about(b: Batch, topics: Sequence[str]) -> list[str]:
    """Subjects as the fixtures name deals, quotes and projects: "<organisation> - <topic>"."""
    rows = zip(orgs(b), b.pick(topics), strict=True)
    return [f"{o.short} - {t}" if o.short else t.capitalize() for o, t in rows]


def deal_name(b: Batch, f: Field) -> Column:
    return about(b, vocabulary.TOPICS)


def contract_subject(b: Batch, f: Field) -> Column:
    return about(b, vocabulary.CONTRACT_KINDS)


def activity_subject(b: Batch, f: Field) -> Column:
    rows = zip(b.pick(vocabulary.ACTIVITY_VERBS), orgs(b), firsts(b), lasts(b), strict=True)
    return [f"{verb} {o.short or a + ' ' + z}" for verb, o, a, z in rows]


def campaign_name(b: Batch, f: Field) -> Column:
    rows = zip(b.pick(vocabulary.CAMPAIGN_EVENTS), values.days(b), strict=True)
    return [f"{event} {values.year(day)}" for event, day in rows]


def product_name(b: Batch, f: Field) -> Column:
    rows = zip(brands(b), models(b), items(b), strict=True)
    return [f"{brand} {model} {item.kind}" for brand, model, item in rows]


def unit_prices(b: Batch, f: Field) -> Column:
    """A price in the item's range, whole pounds or a penny under."""
    rand = b.rng.random
    rows = zip(items(b), b.pick((0.0, 0.01)), strict=True)
    return [float(int(i.low + rand() * (i.high - i.low))) - cut for i, cut in rows]


def product_code(b: Batch, f: Field) -> Column:
    return [
        f"{i.category[:2].upper()}-{i.code}-{m}" for i, m in zip(items(b), models(b), strict=True)
    ]


def product_summary(b: Batch, f: Field) -> Column:
    return [f"{i.kind} from {brand}" for i, brand in zip(items(b), brands(b), strict=True)]


def product_description(b: Batch, f: Field) -> Column:
    rows = zip(brands(b), models(b), items(b), b.pick(vocabulary.TERMS[2:]), strict=True)
    return [f"{brand} {model} {i.kind.lower()}. {note}" for brand, model, i, note in rows]


def asset_name(b: Batch, f: Field) -> Column:
    """An asset is named after its product (a made-up product name when it has none)."""
    products = b.cols.get("product_id") or [None] * b.n
    rows = zip(products, product_name(b, f), strict=True)
    return [b.product_names.get(p, made) if p else made for p, made in rows]


def notes(b: Batch, f: Field) -> Column:
    one, two, both = b.pick(vocabulary.NOTES), b.pick(vocabulary.NOTES), b.chance(0.3)
    return [f"{x} {y}" if pair and x != y else x for x, y, pair in zip(one, two, both, strict=True)]


def tags(b: Batch, f: Field) -> Column:
    values = vocabulary.SUBSCRIPTIONS if f.name == "subscription" else vocabulary.TAGS
    one, two, both = b.pick(values), b.pick(values), b.chance(0.3)
    return [f"{x},{y}" if pair and x != y else x for x, y, pair in zip(one, two, both, strict=True)]


def company_number(b: Batch, f: Field) -> Column:
    """Companies House numbers: eight digits, or SC and six for Scottish companies."""
    rows = zip(b.ints(1_000_000, 13_999_999), b.chance(0.1), strict=True)
    return [f"SC{n % 1_000_000:06d}" if scottish else f"{n:08d}" for n, scottish in rows]


def vat_number(b: Batch, f: Field) -> Column:
    return [f"GB{n}" for n in b.ints(100_000_000, 999_999_999)]


def choice_of(values: Sequence[Value]) -> Gen:
    return lambda b, f: b.pick(values)


def code(template: str, low: int, high: int) -> Gen:
    return lambda b, f: [template.format(n) for n in b.ints(low, high)]


def words(b: Batch, f: Field) -> Column:
    return b.pick(vocabulary.WORDS)


def towns(b: Batch, f: Field) -> Column:
    return [t.name for t in b.pick(vocabulary.TOWNS)]


LABELS: dict[tuple[str, str], Gen] = {
    ("ticket", "title"): choice_of(vocabulary.TICKET_TITLES),
    ("activity", "subject"): activity_subject,
    ("contract", "subject"): contract_subject,
    ("purchaseorder", "subject"): lambda b, f: about(b, vocabulary.PURCHASES),
    ("campaign", "campaignname"): campaign_name,
    ("product", "productname"): product_name,
    ("asset", "assetname"): asset_name,
}
NAMED: dict[str, Gen] = {
    "accountname": org_name,
    "company": org_name,
    "potentialname": deal_name,
    "name": deal_name,
    "subject": deal_name,
    "department": choice_of(vocabulary.DEPARTMENTS),
    "greeting": first_name,
    "cost_centre": code("CC{:03d}", 100, 999),
    "sage_ref": sage_ref,
    "customerno": code("CUST{:05d}", 1000, 99999),
    "purchaseorder": code("PO-{:05d}", 1000, 99999),
    "requisition_no": code("REQ-{:05d}", 1000, 99999),
    "tracking_no": lambda b, f: b.pick(b.pools.serials),
    "nominal_code": choice_of(("4000", "4010", "4020", "4100")),
    "purch_nom_code": choice_of(("5000", "5010", "5020")),
    "location_shelf": lambda b, f: [
        f"{a}{n}" for a, n in zip(b.pick("ABCDEF"), b.ints(1, 9), strict=True)
    ],
    "location_bin": code("{:02d}", 1, 40),
    "location_warehouse": towns,
    "shippingmethod": choice_of(CARRIERS),
    "manufacturer": lambda b, f: brands(b),
    "productcode": product_code,
    "productcategory": lambda b, f: [i.category for i in items(b)],
    "unit_price": unit_prices,
    "mini_description": product_summary,
    "product_description": product_description,
    "description": notes,
    "terms_conditions": lambda b, f: b.pick(vocabulary.TERMS),
    "solution": choice_of(vocabulary.SOLUTIONS),
    "tech_solution": choice_of(vocabulary.SOLUTIONS),
    "nextstep": choice_of(vocabulary.NEXT_STEPS),
    "targetaudience": choice_of(vocabulary.AUDIENCES),
    "homephone": home_phone,
    "phone_home": home_phone,
    "user_name": user_names,
    "login": user_names,
    "time_zone": choice_of(("Europe/London",)),
    "email_to": person_email,
}
HINTS: dict[str, Gen] = {
    "first_name": first_name,
    "last_name": last_name,
    "name": other_person,
    "company": lambda b, f: [o.name for o in fresh_orgs(b)],
    "job": lambda b, f: b.pick(b.pools.jobs),
    "cellphone_number": mobile,
    "password": lambda b, f: b.pick(b.pools.passwords),
    "free_email": private_email,
    "company_email": company_email,
    "email": person_email,
    "url": website,
    "ean8": lambda b, f: b.pick(b.pools.codes),
    "ean13": lambda b, f: b.pick(b.pools.serials),
    "company_number": company_number,
    "vat_id": vat_number,
    "street_address": address_part("street"),
    "secondary_address": address_part("street2"),
    "city": address_part("city"),
    "county": address_part("county"),
    "postcode": address_part("postcode"),
    "current_country": choice_of(("United Kingdom",)),
    "date_of_birth": values.birth_dates,
    "product_name": product_name,
}
TYPED: dict[FieldType, Gen] = {
    FieldType.LONGTEXT: notes,
    FieldType.EMAIL: person_email,
    FieldType.PHONE: landline,
    FieldType.URL: website,
    FieldType.PICKLIST: values.picklist,
    FieldType.MULTI: tags,
    FieldType.INTEGER: values.number,
    FieldType.DECIMAL: values.number,
    FieldType.CURRENCY: values.number,
    FieldType.DATE: values.dates,
    FieldType.DATETIME: values.created_stamps,
    FieldType.TIME: values.times,
    FieldType.BOOLEAN: values.flags,
}
