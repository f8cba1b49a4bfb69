"""Product lines and totals for seeded sales records, through the API's own line rules.

Every line is made by :func:`emulator.domain.product_lines.plan_lines`, the rules an edit goes
through, with in-memory look-ups instead of queries. The rules and their Decimal arithmetic
cost some 100 us a line, so lines come from a book of templates, one per (product, quantity,
discount), each planned once; a record's lines are 1-5 templates, numbered 1..n. Totals add up
each template's net and VAT, worked out once: :func:`totals` is ``compute_totals`` over those
parts (tests/unit/test_seed.py checks the two agree) at a fraction of the cost.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cache
from itertools import accumulate
from typing import TYPE_CHECKING, NamedTuple

from emulator.control.seeding.batch import Batch
from emulator.domain.line_arithmetic import round_half_up, to_decimal
from emulator.domain.product_lines import LINE_FIELDS, ReferenceData, line_net, plan_lines

if TYPE_CHECKING:
    from emulator.control.seeding.target import SeedTarget

CENT = Decimal("0.01")
#: Line columns in table order: lineid (assigned on insert), crmid, linenumber, the rest.
LINE_COLUMNS = ("lineid", "crmid", "linenumber", *LINE_FIELDS[2:])
#: A template's columns: a line's after its number.
TEMPLATE_COLUMNS = LINE_COLUMNS[3:]
#: Line numbers as stored.
NUMBERS = tuple(str(n) for n in range(1, 6))
LINE_COUNTS, LINE_WEIGHTS = (1, 2, 3, 4, 5), (30, 25, 20, 15, 10)
CUMULATIVE_WEIGHTS = tuple(accumulate(LINE_WEIGHTS))
QUANTITIES = ("1", "1", "1", "2", "3", "5", "10")
DISCOUNTS = ("", "", "", "", "5%", "10%")
#: Line categories for the product categories of the registry, when the reference data has them.
CATEGORIES = {"Hardware": "Hardware", "Software": "Software", "CRM Applications": "Licences"}
#: Lines sell a "best sellers" sample of the catalogue, keeping the template book small.
BEST_SELLERS = 100


class Template(NamedTuple):
    """A planned line: its stored values after linenumber (LINE_COLUMNS[3:]), net and VAT."""

    values: tuple[str, ...]
    net: Decimal
    tax: Decimal


class LineBook:
    """Line templates, planned on first use (shared by the sales modules: a template does
    not depend on the module, so sharing keeps each module's records its own)."""

    def __init__(
        self,
        products: Mapping[int, Mapping[str, str]],
        companies: frozenset[int],
        ref: ReferenceData,
    ) -> None:
        """``products``: the products lines may sell, as ``LineContext.product`` reads them;
        ``companies``: the ids of live companies (suppliers on purchase lines)."""
        self.products, self.companies, self.ref = products, companies, ref
        self.best = sorted(products)
        #: Template numbers by (product, quantity, discount, purchase), and the templates.
        self.numbers: dict[tuple[int, str, str, bool], int] = {}
        self.templates: list[Template] = []
        #: Each template's values (``templates[n].values``), as the store loads them.
        self.values: list[tuple[str, ...]] = []

    def lines_for(self, rng: random.Random, purchase: bool) -> list[Template]:
        """1-5 lines for one record; ``purchase`` names the product's supplier on each."""
        return [self.templates[n] for n in self.draw(rng, 1, purchase)[0]]

    def draw(self, rng: random.Random, records: int, purchase: bool) -> list[list[int]]:
        """:meth:`lines_for` for each of ``records`` records, as template numbers: drawn a
        column at a time (how many lines, then every line's product, quantity, discount)."""
        if not self.best:
            return [[] for _ in range(records)]
        counts = rng.choices(LINE_COUNTS, cum_weights=CUMULATIVE_WEIGHTS, k=records)
        lines = sum(counts)
        picks = zip(
            rng.choices(self.best, k=lines),
            rng.choices(QUANTITIES, k=lines),
            rng.choices(DISCOUNTS, k=lines),
            strict=True,
        )
        number = self.number
        numbers = [number(p, q, d, purchase) for p, q, d in picks]
        ends = list(accumulate(counts))
        return [numbers[end - count : end] for count, end in zip(counts, ends, strict=True)]

    def template(self, productid: int, quantity: str, discount: str, purchase: bool) -> Template:
        return self.templates[self.number(productid, quantity, discount, purchase)]

    def number(self, productid: int, quantity: str, discount: str, purchase: bool) -> int:
        """The template's number, planned on first use."""
        key = (productid, quantity, discount, purchase)
        found = self.numbers.get(key)
        if found is None:
            line = self.plan(self.spec(productid, quantity, discount, purchase))
            values = tuple(line[name] for name in TEMPLATE_COLUMNS)
            found = self.numbers[key] = len(self.templates)
            self.templates.append(Template(values, line_net(line), to_decimal(line["taxvalue"])))
            self.values.append(values)
        return found

    def spec(self, productid: int, quantity: str, discount: str, purchase: bool) -> dict[str, str]:
        """The line as a client would send it: the product's prices, a line category."""
        product = self.products[productid]
        sent = {
            "lineid": "0",
            "productid": str(productid),
            "quantity": quantity,
            "listprice1": product.get("unit_price", ""),
            "buyprice": product.get("buy_price", ""),
            "discount": discount,
        }
        category = CATEGORIES.get(product.get("productcategory", ""), "")
        if self.ref.canonical("categories", category):
            sent["category"] = category
        vendor = product.get("vendor_id", "")
        if purchase and vendor.isdigit() and int(vendor) in self.companies:
            sent["supplierid"] = vendor
        return sent

    def plan(self, sent: dict[str, str]) -> dict[str, str]:
        plan = plan_lines(
            [],
            [sent],
            product=lambda pid: self.products.get(int(pid)) if pid.isdigit() else None,
            live_company=lambda cid: cid.isdigit() and int(cid) in self.companies,
            ref=self.ref,
        )
        return plan.inserts[0]


class Header(NamedTuple):
    """The header fields totals read, as ``compute_totals`` reads them (blank is 0)."""

    group: bool  # taxtype "group"
    discount_percent: Decimal
    discount_amount: Decimal
    shipping: Decimal  # s_h_amount, rounded
    shipping_percent: Decimal
    adjustment: Decimal  # rounded


#: The header fields of :class:`Header`, by API name.
HEADER_FIELDS = ("taxtype", "discount_percent", "discount_amount", "s_h_amount", "s_h_percent",
                 "adjustment")  # fmt: skip


@cache
def header(values: tuple[object, ...]) -> Header:
    """The :class:`Header` of these :data:`HEADER_FIELDS` values (cached: seeded headers
    repeat a few values)."""
    taxtype, *numbers = ("" if x is None else str(x) for x in values)
    percent, amount, shipping, shipping_percent, adjustment = map(to_decimal, numbers)
    return Header(
        taxtype.strip().lower() == "group",
        percent,
        amount,
        round_half_up(shipping, 2),
        shipping_percent,
        round_half_up(adjustment, 2),
    )


def totals(h: Header, lines: Sequence[Template], ref: ReferenceData) -> tuple[Decimal, ...]:
    """(subtotal, tax_total, pre_tax_total, total): ``compute_totals`` from each line's net and
    VAT, worked out once per template. The same formulas (data-model.md §4.4 and
    emulator/line_arithmetic.py, whose tests pin them); tests/unit/test_seed.py checks the two
    agree."""
    with localcontext(prec=80):
        subtotal = sum((line.net for line in lines), Decimal(0))
        if h.discount_percent != 0:
            after_discount = subtotal - cents(subtotal * h.discount_percent / 100)
        else:
            after_discount = subtotal - cents(h.discount_amount)
        if h.group:
            goods_tax = cents(after_discount * ref.group_tax_rate / 100)
        else:
            goods_tax = sum((line.tax for line in lines), Decimal(0))
            if after_discount != subtotal and subtotal != 0:
                goods_tax = cents(goods_tax * after_discount / subtotal)
        pre_tax = after_discount + h.shipping
        tax = goods_tax + cents(h.shipping * h.shipping_percent / 100)
        return subtotal, tax, pre_tax, pre_tax + tax + h.adjustment


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def sales_lines(
    target: SeedTarget, book: LineBook, b: Batch, ids: Sequence[int]
) -> list[list[tuple[int, str, int]]]:
    """Each new record's product lines, as (crmid, linenumber, template number); sets its
    totals and, on invoices, what has been received (paid invoices in full) and the balance."""
    rng, ref = b.rng, target.reference
    purchase = b.module.noun == "purchaseorder"
    headers = zip(*(b.cols.get(name) or [None] * b.n for name in HEADER_FIELDS), strict=True)
    sums: list[tuple[Decimal, ...]] = []
    out: list[list[tuple[int, str, int]]] = []
    templates = book.templates
    for crmid, values, numbers in zip(ids, headers, book.draw(rng, b.n, purchase), strict=True):
        sums.append(totals(header(values), [templates[n] for n in numbers], ref))
        out.append([(crmid, NUMBERS[k], n) for k, n in enumerate(numbers)])
    for name, column in zip(TOTALS, zip(*sums, strict=True), strict=True):
        b.cols[name] = [float(x) for x in column]
    settle(b)
    return out


TOTALS = ("subtotal", "tax_total", "pre_tax_total", "total")


def line_book(target: SeedTarget, ids: Mapping[str, Sequence[int]], seed: int) -> LineBook:
    """Templates over a sample of the live products (``ids``: live records by module),
    read as the line rules read them."""
    rng = random.Random(f"{seed}:lines")
    products = ids.get("product", [])
    best = sorted(rng.sample(products, min(len(products), BEST_SELLERS)))
    found = target.line_products(best)
    return LineBook(found, frozenset(ids.get("company", [])), target.reference)


def settle(b: Batch) -> None:
    """Invoices: paid ones received in full (data-model.md §2.13: balance = total - received)."""
    total = b.cols["total"]
    if b.module.has_field("received"):
        status = b.cols.get("invoicestatus") or [None] * b.n
        b.cols["received"] = [t if s == "Paid" else 0.0 for t, s in zip(total, status, strict=True)]
    if b.module.has_field("balance"):
        received = b.cols.get("received") or [0.0] * b.n
        b.cols["balance"] = [round(t - r, 2) for t, r in zip(total, received, strict=True)]
