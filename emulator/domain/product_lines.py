"""Product lines of sales records: parse, validate and plan an edit (guide, "Product Lines").

Pure: no SQL, no I/O. The store calls :func:`plan_lines` inside its transaction and writes the
returned :class:`LinePlan`. A line's field names are in :mod:`emulator.domain.line_fields`,
the reading and checking of what is sent in :mod:`emulator.domain.line_input`, the arithmetic
(every formula, rounding and rendering rule) in :mod:`emulator.domain.line_arithmetic`; the
public names their callers use are re-exported here.

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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from emulator.domain.line_arithmetic import ReferenceData, compute_line, compute_totals, line_net
from emulator.domain.line_fields import (
    ALIASES,
    BUYPRICES,
    COMPUTED,
    FROM_PRODUCT,
    LINE_FIELDS,
    LISTPRICES,
    RETAINED,
    RETAINED_DEFAULTS,
    SETTABLE,
)
from emulator.domain.line_input import (
    WHOLE,
    Lookups,
    line_key,
    norm_id,
    parse_products,
    split_keys,
    validate,
)

__all__ = [
    "ALIASES", "COMPUTED", "FROM_PRODUCT", "LINE_FIELDS", "RETAINED", "SETTABLE", "LineChange",
    "LinePlan", "ReferenceData", "compute_line", "compute_totals", "line_net", "parse_products",
    "plan_lines",
]  # fmt: skip

_NEW_LINE = {"quantity": "1.0", "discount": "", **dict.fromkeys(LISTPRICES + BUYPRICES, "0.00")}


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


def _create(valid: Mapping[str, str], look: Lookups) -> dict[str, str]:
    product = look.product(valid["productid"])
    line = {name: "" for name in LINE_FIELDS if name != "lineid"}
    line |= RETAINED_DEFAULTS | _NEW_LINE | _product_defaults(product, look.ref)
    line |= {**valid, **_from_product(product)}
    line["remaining_quantity"] = line["quantity"]
    return compute_line(line, look.ref)


def _amend(old: Mapping[str, str], valid: Mapping[str, str], look: Lookups) -> dict[str, str]:
    line = {name: old.get(name, "") for name in LINE_FIELDS} | dict(valid)
    if "productid" in valid:
        line |= _from_product(look.product(valid["productid"]))
    return compute_line(line, look.ref)


def _number_new_lines(kept: Sequence[dict[str, str]], fresh: Sequence[dict[str, str]]) -> None:
    numbers = [line["linenumber"] for line in (*kept, *fresh)]
    last = max((int(n) for n in numbers if WHOLE.fullmatch(n)), default=0)
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
        old, lineid = current[norm_id(new["lineid"])], new["lineid"]
        changes += [
            LineChange(f"products[{lineid}].{name}", old.get(name, ""), new[name], "amended")
            for name in LINE_FIELDS
            if old.get(name, "") != new[name]
        ]
    changes += [LineChange(f"products[new:{p}]", "", _summary(ln), "added") for p, ln in fresh]
    removed = (current[norm_id(lineid)] for lineid in deletes)
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
    look = Lookups(product, live_company, ref)
    current = {norm_id(str(line.get("lineid", ""))): line for line in existing}
    seen: set[str] = set()
    ignored: list[str] = []
    staged: list[tuple[int, str, dict[str, str]]] = []
    for pos, raw in enumerate(incoming, 1):
        sent, dropped = split_keys(raw)
        ignored += dropped
        key = line_key(sent, pos, current, seen)
        staged.append((pos, key, validate(sent, pos, not key, look)))
    updates = [_amend(current[key], valid, look) for _, key, valid in staged if key]
    fresh = [(pos, _create(valid, look)) for pos, key, valid in staged if not key]
    _number_new_lines(updates, [line for _, line in fresh])
    deletes = [line.get("lineid", "") for key, line in current.items() if key not in seen]
    changes = _changes(current, updates, fresh, deletes)
    inserts = [line for _, line in fresh]
    return LinePlan(updates, inserts, deletes, changes, tuple(dict.fromkeys(ignored)))
