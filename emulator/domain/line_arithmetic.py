"""Arithmetic of sales-record product lines and document totals (data-model.md §4.4). Pure, Decimal.

OpenCRM publishes no formula (guide, "Product line fields"); these are vtiger's, with the
emulator's Suggested readings. Every step is rounded half-up to 2 dp, as vtiger rounds each
component. Numbers are read leniently here: blank, non-numeric or out-of-range text (|x| >= 10^15)
counts as 0 (``product_lines`` rejects such values on line input before they reach storage).

Per line (base currency; ``p`` is the percentage of a ``"p%"`` discount):

    gross              = quantity * listprice1
    discount_value     = gross * p / 100 if discount is "p%", else discount (an amount for the
                         whole line); blank discount = 0
    net                = gross - discount_value
    taxpercent         = rate of taxclass        (0 when blank or not a configured class)
    taxvalue           = net * taxpercent / 100
    cost               = quantity * buyprice
    margin             = net - cost
    margin_percent     = margin / net * 100      (0 when net = 0)
    markup             = margin / cost * 100     (0 when cost = 0)
    commission_percent = rate of commission_band (0 when blank or not a configured band)
    commission_amount  = net * commission_percent / 100

Per document (header fields by API name; the caller maps hdn…/txt… aliases first):

    subtotal         = sum of line net (net of tax, as UK documents show it)
    overall_discount = subtotal * discount_percent / 100 when discount_percent != 0,
                       else discount_amount (percent wins when both are set)
    goods tax        individual (default; any taxtype but "group"):
                       sum of line taxvalue, scaled by (subtotal - overall_discount) / subtotal when
                       there is an overall discount and subtotal != 0
                     group: (subtotal - overall_discount) * group_tax_rate / 100
    s_h_tax          = s_h_amount * s_h_percent / 100
    tax_total        = goods tax + s_h_tax
    pre_tax_total    = subtotal - overall_discount + s_h_amount
    total            = pre_tax_total + tax_total + adjustment
    balance          = total - received (blank received = 0), on modules with a balance
                       (Invoices, Purchase Orders; data-model.md §2.11-2.14, Suggested)

Rendering, as MySQL decimals render: money and percentages with 2 dp ("120.00", "20.00"),
quantities with 1 dp ("3.0"); never a thousands separator, never "-0.00".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import wraps
from typing import Any, NamedTuple, ParamSpec, TypeVar

#: Numbers at or above this magnitude are rejected on input (and count as 0 when read leniently).
MAX_ABS = Decimal("1e15")
#: Tax classes used when the configuration names none (data-model.md §4.2, UK VAT).
DEFAULT_TAX_CLASSES = {"Standard": "20", "Reduced": "5", "Zero": "0", "Exempt": "0"}
# PHP is_numeric, with the exponent kept to 3 digits so Decimal can always hold the value.
# ASCII: PHP's is_numeric takes no other digits ("١٢") and no other white space.
_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?\s*", re.ASCII)
_PREC = 80
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _exact(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``func`` with enough precision that no product of in-range numbers is rounded."""

    @wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(prec=_PREC):
            return func(*args, **kwargs)

    return wrapper


def parse_decimal(text: str) -> Decimal | None:
    """The number ``text`` holds (PHP ``is_numeric`` syntax, exponent allowed), else None."""
    return Decimal(text.strip()) if _NUMBER.fullmatch(text) else None


def in_range(value: Decimal) -> bool:
    return abs(value) < MAX_ABS


def to_decimal(text: str | None) -> Decimal:
    """Lenient read: blank, non-numeric or out-of-range text is 0."""
    value = parse_decimal(text or "")
    return value if value is not None and in_range(value) else Decimal(0)


@_exact
def round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def render(value: Decimal, places: int = 2) -> str:
    """``value`` rounded half-up to ``places`` dp, as MySQL renders a decimal column."""
    rounded = round_half_up(value, places)
    return f"{abs(rounded) if rounded == 0 else rounded:f}"


def parse_discount(text: str) -> tuple[Decimal, bool] | None:
    """A line discount as (number, is_percent): "10" -> (10, False), "10%" -> (10, True).

    Blank is (0, False); anything else that is not a number, optionally followed by "%", is None.
    """
    stripped = text.strip()
    if not stripped:
        return Decimal(0), False
    percent = stripped.endswith("%")
    number = parse_decimal(stripped.removesuffix("%")) if percent else parse_decimal(stripped)
    return None if number is None else (number, percent)


def _canonical(name: str, names: Iterable[str]) -> str | None:
    folded = name.strip().casefold()
    return next((known for known in names if known.casefold() == folded), None)


def _rates(raw: Mapping[str, Any], what: str) -> dict[str, Decimal]:
    rates = {str(name): parse_decimal(str(rate)) for name, rate in raw.items()}
    bad = [name for name, rate in rates.items() if rate is None]
    if bad:
        raise ValueError(f"product line config: {what} {bad[0]!r} has a non-numeric rate")
    return {name: rate for name, rate in rates.items() if rate is not None}


@dataclass(frozen=True)
class ReferenceData:
    """The system's configured line vocabulary. Names match case-insensitively."""

    tax_classes: Mapping[str, Decimal] = field(
        default_factory=lambda: _rates(DEFAULT_TAX_CLASSES, "tax class")
    )
    categories: frozenset[str] = frozenset()
    supply_types: frozenset[str] = frozenset()
    commission_bands: Mapping[str, Decimal] = field(default_factory=dict)
    group_tax_rate: Decimal = Decimal(20)

    @classmethod
    def from_config(cls, d: Mapping[str, Any]) -> ReferenceData:
        """Read ``{"tax_classes": {"Standard": "20"}, "categories": [...], "supply_types": [...],
        "commission_bands": {"Standard": "5"}, "group_tax_rate": "20"}``. Missing keys: the UK VAT
        classes of :data:`DEFAULT_TAX_CLASSES`, no categories/supply types/bands, group rate 20.
        A non-numeric rate raises ValueError (a configuration error, not a request error)."""
        group = parse_decimal(str(d.get("group_tax_rate", "20")))
        if group is None:
            raise ValueError("product line config: group_tax_rate is not a number")
        return cls(
            tax_classes=_rates(d.get("tax_classes", DEFAULT_TAX_CLASSES), "tax class"),
            categories=frozenset(str(name) for name in d.get("categories", ())),
            supply_types=frozenset(str(name) for name in d.get("supply_types", ())),
            commission_bands=_rates(d.get("commission_bands", {}), "commission band"),
            group_tax_rate=group,
        )

    def canonical(self, kind: str, name: str) -> str | None:
        """The configured spelling of ``name`` among ``kind`` (an attribute name), else None."""
        names: Iterable[str] = getattr(self, kind)
        return _canonical(name, names)

    def tax_rate(self, name: str) -> Decimal:
        known = _canonical(name, self.tax_classes)
        return self.tax_classes[known] if known else Decimal(0)

    def commission_rate(self, name: str) -> Decimal:
        known = _canonical(name, self.commission_bands)
        return self.commission_bands[known] if known else Decimal(0)


class LineAmounts(NamedTuple):
    gross: Decimal
    discount: Decimal
    net: Decimal
    cost: Decimal
    margin: Decimal


@_exact
def line_amounts(line: Mapping[str, str]) -> LineAmounts:
    quantity = to_decimal(line.get("quantity"))
    gross = round_half_up(quantity * to_decimal(line.get("listprice1")), 2)
    number, percent = parse_discount(line.get("discount", "")) or (Decimal(0), False)
    number = number if in_range(number) else Decimal(0)
    discount = round_half_up(gross * number / 100 if percent else number, 2)
    cost = round_half_up(quantity * to_decimal(line.get("buyprice")), 2)
    net = gross - discount
    return LineAmounts(gross, discount, net, cost, net - cost)


def line_net(line: Mapping[str, str]) -> Decimal:
    """The line's net: gross less its discount, before tax."""
    return line_amounts(line).net


def _ratio(part: Decimal, whole: Decimal) -> Decimal:
    return Decimal(0) if whole == 0 else round_half_up(part / whole * 100, 2)


@_exact
def compute_line(line: Mapping[str, str], ref: ReferenceData) -> dict[str, str]:
    """A copy of ``line`` with its computed fields filled in (formulas in the module docstring)."""
    amounts = line_amounts(line)
    tax_rate = ref.tax_rate(line.get("taxclass", ""))
    commission_rate = ref.commission_rate(line.get("commission_band", ""))
    return {
        **line,
        "taxpercent": render(tax_rate),
        "taxvalue": render(amounts.net * tax_rate / 100),
        "margin_percent": render(_ratio(amounts.margin, amounts.net)),
        "markup": render(_ratio(amounts.margin, amounts.cost)),
        "commission_percent": render(commission_rate),
        "commission_amount": render(amounts.net * commission_rate / 100),
    }


@_exact
def _goods_tax(
    header: Mapping[str, str], lines: Sequence[Mapping[str, str]], ref: ReferenceData
) -> Decimal:
    subtotal = sum((line_net(line) for line in lines), Decimal(0))
    after_discount = subtotal - overall_discount(header, subtotal)
    if header.get("taxtype", "").strip().lower() == "group":
        return round_half_up(after_discount * ref.group_tax_rate / 100, 2)
    taxes = (to_decimal(compute_line(line, ref)["taxvalue"]) for line in lines)
    tax = sum(taxes, Decimal(0))
    if after_discount == subtotal or subtotal == 0:
        return tax
    return round_half_up(tax * after_discount / subtotal, 2)


@_exact
def overall_discount(header: Mapping[str, str], subtotal: Decimal) -> Decimal:
    """The whole-document discount: ``discount_percent`` of subtotal, else ``discount_amount``."""
    percent = to_decimal(header.get("discount_percent"))
    if percent != 0:
        return round_half_up(subtotal * percent / 100, 2)
    return round_half_up(to_decimal(header.get("discount_amount")), 2)


@_exact
def compute_totals(
    header: Mapping[str, str], lines: Sequence[Mapping[str, str]], ref: ReferenceData
) -> dict[str, str]:
    """``subtotal``, ``tax_total``, ``pre_tax_total`` and ``total`` (module docstring)."""
    subtotal = sum((line_net(line) for line in lines), Decimal(0))
    shipping = round_half_up(to_decimal(header.get("s_h_amount")), 2)
    shipping_tax = round_half_up(shipping * to_decimal(header.get("s_h_percent")) / 100, 2)
    pre_tax = subtotal - overall_discount(header, subtotal) + shipping
    tax = _goods_tax(header, lines, ref) + shipping_tax
    adjustment = round_half_up(to_decimal(header.get("adjustment")), 2)
    return {
        "subtotal": render(subtotal),
        "tax_total": render(tax),
        "pre_tax_total": render(pre_tax),
        "total": render(pre_tax + tax + adjustment),
    }


@_exact
def balance(total: str, received: str) -> str:
    """What is still owed on a document: ``total - received`` (module docstring)."""
    return render(to_decimal(total) - round_half_up(to_decimal(received), 2))
