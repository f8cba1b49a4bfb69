"""Product lines of sales records: parse, validate and plan an edit (guide, "Product Lines").

Pure: no SQL, no I/O. The store calls :func:`plan_lines` inside its transaction and writes the
returned :class:`LinePlan`; the arithmetic (every formula, rounding and rendering rule) is in
:mod:`emulator.domain.line_arithmetic`, whose public names are re-exported here.

Rules (guide; data-model.md §4; "choice" marks where the guide is silent):

- ``products`` is a JSON array of objects, or a string holding one (:func:`parse_products`).
  Line field names match case-insensitively (choice). The caller skips planning when
  ``products`` is not sent; an empty array removes every line.
- ``lineid`` is required on every line. ``0`` (or ``""``) adds a line; a lineid of this record
  amends that line, changing only the fields sent; any other lineid is an error, and so is the
  same lineid twice (choice). Current lines whose lineid is not sent are deleted.
- ``productid`` is required on new lines and, wherever sent, must be a live product; an amended
  line may omit it. Sending it re-reads ``productname``, ``minimummargin`` and
  ``maximumdiscount`` from that product (choice); nothing else is re-defaulted.
- ``quantity`` must be numeric; it keeps 1 dp, more decimals are ROUNDED half-up ("2.25" ->
  "2.3"). Prices (``listprice1..5``, ``buyprice``, ``buyprice2..5``) must be numeric when sent
  non-empty and are stored rounded half-up to 2 dp; blank is "0.00" (choice: the guide only
  says the supplementary prices default to 0). ``discount`` is a number (an amount, stored with
  2 dp) or a percentage (``"10%"``, ``"12.5 %"``, stored as the number sent and "%", e.g.
  "12.5%"); blank is no discount. Numbers follow PHP ``is_numeric`` (exponent allowed) and
  must be below 10^15 in size.
- ``taxclass``, ``category``, ``supplytype``, ``commission_band`` must name a configured value
  when sent non-empty (matched case-insensitively, stored in the configured spelling);
  ``supplierid`` must be a live company when non-empty; ``contract_term`` and ``linenumber``
  must be whole numbers when non-empty (choice for linenumber). A blank ``linenumber`` is
  treated as not sent (choice).
- New lines: ``productname``, ``minimummargin``, ``maximumdiscount`` always come from the
  product; ``description``, ``taxclass``, ``supplytype`` (the product's ``prod_supplytype``) and
  ``commission_band`` do when not sent (copied as the product holds them, canonicalised when
  configured); quantity "1.0"; discount ""; all ten prices "0.00" when not sent: the guide says
  product-to-line mappings do not apply, so ``unit_price``/``buy_price`` are NOT copied;
  ``linenumber`` follows the highest linenumber among the resulting lines, in the order sent;
  pricebookid "", saved_pricing_used "0", saved_pricing_tier "", despatched_quantity "0",
  remaining_quantity = quantity.
- Not settable, so ignored on input and reported in :attr:`LinePlan.ignored` for the caller to
  warn about: ``productname``, :data:`COMPUTED` (recomputed on every kept and new line; the
  guide's ``commmission_amount`` spelling is an alias), :data:`FROM_PRODUCT`, :data:`RETAINED`
  (amended lines keep them), and unknown keys.
- All lines are validated before anything is planned; the first error raises
  :class:`~emulator.errors.InvalidProductLine`, always worded
  ``Invalid <field> on line <N>: <reason>`` (N = 1-based position in the array sent), or
  ``Invalid products: <reason>`` when the array itself is malformed.
- No ``net`` field is stored: totals recompute it from quantity, listprice1 and discount.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from emulator.domain.line_arithmetic import (
    ReferenceData,
    compute_line,
    compute_totals,
    in_range,
    line_net,
    parse_decimal,
    parse_discount,
    render,
)
from emulator.domain.quoting import cut, quoted
from emulator.errors import InvalidProductLine

__all__ = [
    "COMPUTED", "FROM_PRODUCT", "LINE_FIELDS", "RETAINED", "SETTABLE", "LineChange", "LinePlan",
    "ReferenceData", "compute_line", "compute_totals", "line_net", "parse_products", "plan_lines",
]  # fmt: skip

_LISTPRICES = tuple(f"listprice{n}" for n in range(1, 6))
_BUYPRICES = ("buyprice", *(f"buyprice{n}" for n in range(2, 6)))
_CUSTOM = tuple(f"prd_cf_{n}" for n in range(1, 11))
COMPUTED = frozenset({
    "taxpercent", "taxvalue", "margin_percent", "markup", "commission_percent", "commission_amount",
})  # fmt: skip
FROM_PRODUCT = frozenset({"minimummargin", "maximumdiscount"})
_RETAINED_DEFAULTS = {
    "pricebookid": "", "saved_pricing_used": "0", "saved_pricing_tier": "",
    "despatched_quantity": "0", "remaining_quantity": "",
}  # fmt: skip
RETAINED = frozenset(_RETAINED_DEFAULTS)
LINE_FIELDS: tuple[str, ...] = (
    "lineid", "linenumber", "productid", "productname", "description", "category", "quantity",
    *_LISTPRICES, *_BUYPRICES, "taxclass", *_CUSTOM, "discount", "supplierid", "supplytype",
    "contract_term", "commission_band", "minimummargin", "maximumdiscount", "taxpercent",
    "taxvalue", "margin_percent", "markup", "commission_percent", "commission_amount",
    *_RETAINED_DEFAULTS,
)  # fmt: skip
SETTABLE = frozenset(LINE_FIELDS) - COMPUTED - FROM_PRODUCT - RETAINED - {"lineid", "productname"}
#: Input spellings of line fields (the guide's typo).
ALIASES = {"commmission_amount": "commission_amount"}
_WHOLE = re.compile(r"\s*[+-]?\d+\s*", re.ASCII)
#: Whole numbers (linenumber, contract_term) stay below 10^15, as every other line number does
#: (line_arithmetic.MAX_ABS): a larger one would be stored as a float ("1.0e+100").
_WHOLE_DIGITS = 15
_NEW_LINE = {"quantity": "1.0", "discount": "", **dict.fromkeys(_LISTPRICES + _BUYPRICES, "0.00")}


class LineChange(NamedTuple):
    """One audit-trail entry; ``change[:3]`` is audit.changed_fields' (field, old, new)."""

    # products[<lineid>].<field>, products[<lineid>], or products[new:<N>] for an added line
    # (sales.apply_plan names it by the lineid it is given once written)
    field: str
    old: str
    new: str
    action: str  # "amended", "added" or "removed"


@dataclass(frozen=True)
class LinePlan:
    updates: list[dict[str, str]]  # every kept line, all LINE_FIELDS, in the order sent
    inserts: list[dict[str, str]]  # new lines, all LINE_FIELDS but lineid, in the order sent
    deletes: list[str]  # lineids (as stored) of the lines not sent
    changes: list[LineChange] = field(default_factory=list)
    ignored: tuple[str, ...] = ()  # field names sent but ignored, in first-seen order


# --- parsing -------------------------------------------------------------------------------


def _scalar(value: object, pos: int, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{Decimal(repr(value)):f}"
    if isinstance(value, str | int):
        return str(value)
    raise InvalidProductLine(f"Invalid products: line {pos} field {key} is not a single value")


def _reject_constant(name: str) -> object:
    raise ValueError(name)


def parse_products(value: object) -> list[dict[str, str]]:
    """The ``products`` parameter as line dicts of strings (JSON null -> "", numbers as written)."""
    if isinstance(value, str):
        try:
            value = json.loads(
                value, parse_float=str, parse_int=str, parse_constant=_reject_constant
            )
        except (ValueError, RecursionError):
            raise InvalidProductLine("Invalid products: not valid JSON") from None
    if not isinstance(value, list):
        raise InvalidProductLine("Invalid products: expected a JSON array of product lines")
    for pos, item in enumerate(value, 1):
        if not isinstance(item, dict):
            raise InvalidProductLine(f"Invalid products: line {pos} is not a JSON object")
    return [
        {str(k): _scalar(v, pos, str(k)) for k, v in item.items()}
        for pos, item in enumerate(value, 1)
    ]


# --- validating one field --------------------------------------------------------------------


class _Lookups(NamedTuple):
    product: Callable[[str], Mapping[str, str] | None]
    live_company: Callable[[str], bool]
    ref: ReferenceData


_Validator = Callable[[str, _Lookups], str]


def _number(value: str) -> Decimal:
    number = parse_decimal(value)
    if number is None:
        raise ValueError(f"{quoted(value)} is not a number")
    if not in_range(number):
        raise ValueError(f"{quoted(value)} is out of range")
    return number


def _text(value: str, _: _Lookups) -> str:
    return value


def _quantity(value: str, _: _Lookups) -> str:
    return render(_number(value), 1)


def _price(value: str, _: _Lookups) -> str:
    return render(_number(value)) if value.strip() else "0.00"


def _whole(value: str, _: _Lookups) -> str:
    if not value.strip():
        return ""
    if not _WHOLE.fullmatch(value):
        raise ValueError(f"{quoted(value)} is not a whole number")
    if len(value.strip().lstrip("+-").lstrip("0")) > _WHOLE_DIGITS:  # before int(): 4,301 digits
        raise ValueError(f"{quoted(value)} is out of range")
    return str(int(value))


def _discount(value: str, _: _Lookups) -> str:
    parsed = parse_discount(value)
    if parsed is None:
        raise ValueError(f'{quoted(value)} is not a number or a percentage such as "10%"')
    number, percent = parsed
    if not in_range(number):
        raise ValueError(f"{quoted(value)} is out of range")
    if not value.strip():
        return ""
    return f"{number:f}%" if percent else render(number)


def _productid(value: str, look: _Lookups) -> str:
    if not value.strip():
        raise ValueError("productid is required")
    if look.product(value.strip()) is None:
        raise ValueError(f"product {cut(value.strip())} does not exist or is deleted")
    return value.strip()


def _supplier(value: str, look: _Lookups) -> str:
    if value.strip() and not look.live_company(value.strip()):
        raise ValueError(f"company {cut(value.strip())} does not exist or is deleted")
    return value.strip()


def _choice(kind: str, noun: str) -> _Validator:
    def check(value: str, look: _Lookups) -> str:
        if not value.strip():
            return ""
        known = look.ref.canonical(kind, value)
        if known is None:
            raise ValueError(f"{quoted(value)} is not a configured {noun}")
        return known

    return check


_VALIDATORS: dict[str, _Validator] = {
    "linenumber": _whole, "productid": _productid, "description": _text, "quantity": _quantity,
    "category": _choice("categories", "category"), "taxclass": _choice("tax_classes", "tax class"),
    **dict.fromkeys(_LISTPRICES + _BUYPRICES, _price), **dict.fromkeys(_CUSTOM, _text),
    "discount": _discount, "supplierid": _supplier, "contract_term": _whole,
    "supplytype": _choice("supply_types", "supply type"),
    "commission_band": _choice("commission_bands", "commission band"),
}  # fmt: skip


# --- validating one line ---------------------------------------------------------------------


def _bad(name: str, pos: int, reason: str) -> InvalidProductLine:
    return InvalidProductLine(f"Invalid {name} on line {pos}: {reason}")


def _norm_id(lineid: str) -> str:
    """A lineid without its leading zeros (not through ``int()``: it refuses 4,301 digits)."""
    text = lineid.strip()
    return (text.lstrip("0") or "0") if text.isascii() and text.isdigit() else text


def _split_keys(raw: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """(settable fields and lineid as sent, names of the fields ignored)."""
    sent: dict[str, str] = {}
    ignored: list[str] = []
    for key, value in raw.items():
        name = str(key).strip().lower()
        name = ALIASES.get(name, name)
        if name in SETTABLE or name == "lineid":
            sent[name] = str(value)
        else:
            ignored.append(name)
    return sent, ignored


def _line_key(sent: dict[str, str], pos: int, current: Mapping[str, object], seen: set[str]) -> str:
    """The normalised lineid of the current line amended, or "" for a new line."""
    if "lineid" not in sent:
        raise _bad("lineid", pos, "lineid is required (0 adds a line)")
    raw = sent.pop("lineid").strip()
    key = _norm_id(raw)
    if key in ("", "0"):
        return ""
    if key not in current:
        raise _bad("lineid", pos, f"{cut(raw)} is not a line of this record")
    if key in seen:
        raise _bad("lineid", pos, f"line {cut(raw)} is sent more than once")
    seen.add(key)
    return key


def _validate(sent: Mapping[str, str], pos: int, is_new: bool, look: _Lookups) -> dict[str, str]:
    valid: dict[str, str] = {}
    for name, value in sent.items():
        try:
            valid[name] = _VALIDATORS[name](value, look)
        except ValueError as exc:
            raise _bad(name, pos, str(exc)) from None
    if is_new and "productid" not in valid:
        raise _bad("productid", pos, "productid is required")
    if valid.get("linenumber") == "":  # a blank linenumber is as if not sent
        del valid["linenumber"]
    return valid


# --- building the plan -----------------------------------------------------------------------


def _from_product(product: Mapping[str, str] | None) -> dict[str, str]:
    p = product or {}
    return {name: p.get(name, "") for name in ("productname", *sorted(FROM_PRODUCT))}


def _product_defaults(product: Mapping[str, str] | None, ref: ReferenceData) -> dict[str, str]:
    p = product or {}
    pairs = (
        ("taxclass", "taxclass", "tax_classes"),
        ("supplytype", "prod_supplytype", "supply_types"),
        ("commission_band", "commission_band", "commission_bands"),
    )
    defaults = {"description": p.get("description", "")}
    for name, source, kind in pairs:
        defaults[name] = ref.canonical(kind, p.get(source, "")) or p.get(source, "")
    return defaults


def _create(valid: Mapping[str, str], look: _Lookups) -> dict[str, str]:
    product = look.product(valid["productid"])
    line = {name: "" for name in LINE_FIELDS if name != "lineid"}
    line |= _RETAINED_DEFAULTS | _NEW_LINE | _product_defaults(product, look.ref)
    line |= {**valid, **_from_product(product)}
    line["remaining_quantity"] = line["quantity"]
    return compute_line(line, look.ref)


def _amend(old: Mapping[str, str], valid: Mapping[str, str], look: _Lookups) -> dict[str, str]:
    line = {name: old.get(name, "") for name in LINE_FIELDS} | dict(valid)
    if "productid" in valid:
        line |= _from_product(look.product(valid["productid"]))
    return compute_line(line, look.ref)


def _number_new_lines(kept: Sequence[dict[str, str]], fresh: Sequence[dict[str, str]]) -> None:
    numbers = [line["linenumber"] for line in (*kept, *fresh)]
    last = max((int(n) for n in numbers if _WHOLE.fullmatch(n)), default=0)
    for line in fresh:
        if not line["linenumber"]:
            last += 1
            line["linenumber"] = str(last)


def _summary(line: Mapping[str, str]) -> str:
    return f"productid {line.get('productid', '')} ({line.get('productname', '')})"


def _changes(
    current: Mapping[str, Mapping[str, str]],
    updates: Sequence[Mapping[str, str]],
    fresh: Sequence[tuple[int, Mapping[str, str]]],
    deletes: Sequence[str],
) -> list[LineChange]:
    changes: list[LineChange] = []
    for new in updates:
        old, lineid = current[_norm_id(new["lineid"])], new["lineid"]
        changes += [
            LineChange(f"products[{lineid}].{name}", old.get(name, ""), new[name], "amended")
            for name in LINE_FIELDS
            if old.get(name, "") != new[name]
        ]
    changes += [LineChange(f"products[new:{p}]", "", _summary(ln), "added") for p, ln in fresh]
    removed = (current[_norm_id(lineid)] for lineid in deletes)
    return changes + [
        LineChange(f"products[{ln['lineid']}]", _summary(ln), "", "removed") for ln in removed
    ]


def plan_lines(
    existing: Sequence[Mapping[str, str]],
    incoming: Sequence[Mapping[str, str]],
    *,
    product: Callable[[str], Mapping[str, str] | None],
    live_company: Callable[[str], bool],
    ref: ReferenceData,
) -> LinePlan:
    """Validate ``incoming`` (parsed ``products``) against the record's ``existing`` lines and
    plan the writes (rules in the module docstring). Raises InvalidProductLine, planning nothing."""
    look = _Lookups(product, live_company, ref)
    current = {_norm_id(str(line.get("lineid", ""))): line for line in existing}
    seen: set[str] = set()
    ignored: list[str] = []
    staged: list[tuple[int, str, dict[str, str]]] = []
    for pos, raw in enumerate(incoming, 1):
        sent, dropped = _split_keys(raw)
        ignored += dropped
        key = _line_key(sent, pos, current, seen)
        staged.append((pos, key, _validate(sent, pos, not key, look)))
    updates = [_amend(current[key], valid, look) for _, key, valid in staged if key]
    fresh = [(pos, _create(valid, look)) for pos, key, valid in staged if not key]
    _number_new_lines(updates, [line for _, line in fresh])
    deletes = [line.get("lineid", "") for key, line in current.items() if key not in seen]
    changes = _changes(current, updates, fresh, deletes)
    inserts = [line for _, line in fresh]
    return LinePlan(updates, inserts, deletes, changes, tuple(dict.fromkeys(ignored)))
