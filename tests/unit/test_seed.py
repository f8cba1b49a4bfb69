"""Seed data without a store: pools, the column rules per field type, dates, line totals
(emulator/seeding/)."""

from __future__ import annotations

import random
import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.backend.fixtures import FixtureSet
from emulator.control.seeding import values
from emulator.control.seeding.batch import Batch, slug, user_names
from emulator.control.seeding.columns import generate
from emulator.control.seeding.lines import HEADER_FIELDS, LineBook, header, totals
from emulator.control.seeding.vocabulary import pools
from emulator.domain.line_arithmetic import render
from emulator.domain.modules import FieldType, Module, default_registry
from emulator.domain.product_lines import ReferenceData, compute_totals

REGISTRY = default_registry().with_custom_fields(FixtureSet.load().custom_fields)
MODULES = {m.noun: m for m in REGISTRY}
REF = ReferenceData.from_config(FixtureSet.load().reference)
N = 200
SHAPES = {
    FieldType.EMAIL: re.compile(r"[a-z0-9.]+@([a-z0-9]+\.)?example\.(co\.uk|com)"),
    FieldType.PHONE: re.compile(r"0\d{2,4} \d{3,4} ?\d{3,4}"),
    FieldType.URL: re.compile(r"https://www\.[a-z0-9./]+"),
    FieldType.DATE: re.compile(r"\d{4}-\d{2}-\d{2}"),
    FieldType.DATETIME: re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"),
    FieldType.TIME: re.compile(r"([01]\d|2[0-3]):[0-5]\d"),
}
STORED = {
    FieldType.INTEGER: int,
    FieldType.BOOLEAN: int,
    FieldType.CURRENCY: float | int,
    FieldType.DECIMAL: float | int,
}


def batch(module: Module, seed: int = 1, n: int = N) -> Batch:
    return Batch(module, n, random.Random(f"{seed}:{module.noun}"), pools(seed))


def generated(module: Module, seed: int = 1) -> Batch:
    b = batch(module, seed)
    generate(b)
    return b


def test_the_faker_pools_of_a_seed_are_the_same_every_time_and_differ_between_seeds() -> None:
    first = pools(11)
    pools.cache_clear()
    assert pools(11) == first
    assert pools(12).first_names != first.first_names
    assert len(set(first.first_names)) == len(first.first_names) > 100


def test_the_same_seed_gives_the_same_columns_and_another_seed_other_ones() -> None:
    contact = MODULES["contact"]
    assert generated(contact).cols == generated(contact).cols
    assert generated(contact).cols["lastname"] != generated(contact, seed=2).cols["lastname"]


@pytest.mark.parametrize("noun", sorted(MODULES))
def test_every_generated_value_has_its_field_types_storage_form(noun: str) -> None:
    module = MODULES[noun]
    b = generated(module)
    for f in module.fields:
        for value in b.cols.get(f.name, ()):
            if value is None:
                continue
            where = f"{noun}.{f.name} = {value!r}"
            if f.type in STORED:
                assert isinstance(value, STORED[f.type]), where
            else:
                assert isinstance(value, str), where
                assert value == value.strip() != "", where
            if f.type in SHAPES:
                assert SHAPES[f.type].fullmatch(str(value)), where
            if f.type is FieldType.PICKLIST:
                assert value in f.picklist, where
            if f.type is FieldType.BOOLEAN:
                assert value in (0, 1), where
            if f.type is FieldType.CURRENCY:
                assert round(value, 2) == value, where


def test_read_only_and_link_fields_are_left_to_the_seeder() -> None:
    b = generated(MODULES["quote"])
    assert {"quote_no", "subtotal", "total", "account_id", "createdtime"}.isdisjoint(b.cols)


@pytest.mark.parametrize("noun", sorted(MODULES))
def test_labels_and_listed_fields_are_always_filled(noun: str) -> None:
    module = MODULES[noun]
    b = generated(module)
    for f in module.fields:
        if f.name in b.cols and (f.in_list or f.name in module.label_fields):
            assert None not in b.cols[f.name], f"{noun}.{f.name}"


def test_people_have_names_and_e_mail_addresses_made_from_them() -> None:
    b = generated(MODULES["lead"])
    for first, last, email, company in zip(
        b.cols["firstname"], b.cols["lastname"], b.cols["email"], b.cols["company"], strict=True
    ):
        assert email.startswith(re.sub(r"[^a-z0-9]", "", str(first).lower()) + ".")
        assert slug(str(company).split()[0]) in str(email)
        assert str(last)[0].isupper()


def test_a_contacts_other_address_is_left_blank_and_labels_are_always_wanted() -> None:
    contact = MODULES["contact"]
    assert values.fill_rate(contact, contact.field("othercity")) == 0
    assert values.fill_rate(contact, contact.field("lastname")) == 1
    assert values.fill_rate(contact, contact.field("mailingcity")) == 1


def test_products_are_named_priced_and_categorised_by_catalogue_item() -> None:
    b = generated(MODULES["product"])
    for name, code, category, price, cost in zip(
        b.cols["productname"],
        b.cols["productcode"],
        b.cols["productcategory"],
        b.cols["unit_price"],
        b.cols["buy_price"],
        strict=True,
    ):
        assert str(code).startswith(str(category)[:2].upper() + "-")
        assert str(name).split()[1] in str(code)  # the model number
        assert isinstance(price, float)
        assert isinstance(cost, float)
        assert 0 < cost < price


def test_record_times_are_ordered_inside_the_fixed_window_never_the_wall_clock() -> None:
    b = batch(MODULES["ticket"])
    created, modified = values.created_stamps(b), values.modified_stamps(b)
    assert created == sorted(created)
    assert str(created[0]) >= "2023-01-02 08:00:00"
    assert all(str(m) >= str(c) for c, m in zip(created, modified, strict=True))
    assert max(str(m) for m in modified) <= "2026-10-30 18:00:00"


def test_dates_that_follow_another_come_after_it() -> None:
    b = generated(MODULES["activity"])
    pairs = zip(b.cols["date_start"], b.cols["due_date"], strict=True)
    assert all(
        date.fromisoformat(str(end)) >= date.fromisoformat(str(start)) for start, end in pairs
    )
    times = zip(b.cols["time_start"], b.cols["time_end"], strict=True)
    assert all(str(start) < str(end) for start, end in times)  # "09:30" < "10:15"


def test_user_names_are_unique_and_avoid_names_already_taken() -> None:
    field = MODULES["user"].field("user_name")
    first = user_names(batch(MODULES["user"], n=500), field)
    b = batch(MODULES["user"], n=500)  # the same people again
    b.taken = frozenset({str(first[0])})
    names = user_names(b, field)
    assert len(set(names)) == len(names) == 500
    assert names[0] == f"{first[0]}2"


# -- product lines and totals ---------------------------------------------------------------

PRODUCTS = {
    7: {"productname": "Dell X100 Laptop", "description": "A laptop", "taxclass": "Standard",
        "unit_price": "999.00", "buy_price": "700.00", "productcategory": "Hardware",
        "prod_supplytype": "Stock", "commission_band": "Standard", "minimummargin": "15.000",
        "maximumdiscount": "10.000", "vendor_id": "104"},
    8: {"productname": "Sage A1 Accounting Software", "description": "", "taxclass": "Zero",
        "unit_price": "249.99", "buy_price": "", "productcategory": "Software",
        "prod_supplytype": "Service", "commission_band": "", "minimummargin": "",
        "maximumdiscount": "", "vendor_id": "999"},
}  # fmt: skip


def test_lines_are_planned_by_the_api_rules_and_numbered_from_one() -> None:
    book = LineBook(PRODUCTS, frozenset({104}), REF)
    rng = random.Random(3)
    for _ in range(50):
        lines = book.lines_for(rng, purchase=True)
        assert 1 <= len(lines) <= 5
        for line in lines:
            row = dict(zip(("productid", "productname"), line.values[:2], strict=True))
            assert PRODUCTS[int(row["productid"])]["productname"] == row["productname"]
    laptop = book.template(7, "2", "5%", purchase=True).values
    software = book.template(8, "1", "", purchase=True).values
    assert "104" in laptop  # its supplier is a live company
    assert "999" not in software  # a supplier that is not: left off the line
    assert "Hardware" in laptop  # line categories
    assert "Software" in software


@settings(max_examples=150, deadline=None)
@given(
    picks=st.lists(
        st.tuples(
            st.sampled_from((7, 8)),
            st.sampled_from(("1", "3", "2.5", "10")),
            st.sampled_from(("", "5%", "10%", "25.00")),
        ),
        min_size=0,
        max_size=5,
    ),
    taxtype=st.sampled_from(("individual", "group", "", "Group")),
    discount_percent=st.sampled_from((None, 0, 5, 12.5)),
    discount_amount=st.sampled_from((None, 0, 50, 19.99)),
    shipping=st.sampled_from((None, 0, 9.95, 25)),
    shipping_percent=st.sampled_from((None, 0, 20)),
    adjustment=st.sampled_from((None, 0, -3.5, 1.25)),
)
def test_totals_from_line_templates_equal_compute_totals_over_the_lines(
    picks: list[tuple[int, str, str]],
    taxtype: str,
    discount_percent: float | None,
    discount_amount: float | None,
    shipping: float | None,
    shipping_percent: float | None,
    adjustment: float | None,
) -> None:
    book = LineBook(PRODUCTS, frozenset({104}), REF)
    templates = [book.template(*pick, purchase=False) for pick in picks]
    raw = (taxtype, discount_percent, discount_amount, shipping, shipping_percent, adjustment)
    wire = {k: "" if v is None else str(v) for k, v in zip(HEADER_FIELDS, raw, strict=True)}
    lines = [book.plan(book.spec(*pick, purchase=False)) for pick in picks]
    expected = compute_totals(wire, lines, REF)
    got = totals(header(raw), templates, REF)
    names = ("subtotal", "tax_total", "pre_tax_total", "total")
    assert {k: render(v) for k, v in zip(names, got, strict=True)} == expected
    assert all(isinstance(v, Decimal) for v in got)
