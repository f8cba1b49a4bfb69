"""What a client sends as ``products``, read and checked before any line is planned: the
parameter parsed into line dicts of strings (:func:`parse_products`), each line's keys split
into the settable fields and those ignored, its ``lineid`` matched to a current line, and each
field sent validated and put in its stored form (quantity 1 dp, prices 2 dp, discounts, whole
numbers, configured values, live products and companies). The rules are listed in
:mod:`emulator.domain.product_lines`, which plans the edit from what these return; every error
is an :class:`~emulator.errors.InvalidProductLine`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import NamedTuple

from emulator.domain.line_arithmetic import (
    ReferenceData,
    in_range,
    parse_decimal,
    parse_discount,
    render,
)
from emulator.domain.line_fields import ALIASES, BUYPRICES, CUSTOM, LISTPRICES, SETTABLE
from emulator.domain.quoting import cut, quoted
from emulator.errors import InvalidProductLine

WHOLE = re.compile(r"\s*[+-]?\d+\s*", re.ASCII)
#: Whole numbers (linenumber, contract_term) stay below 10^15, as every other line number does
#: (line_arithmetic.MAX_ABS): a larger one would be stored as a float ("1.0e+100").
_WHOLE_DIGITS = 15


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


class Lookups(NamedTuple):
    """What the checks ask of the record's system: a live product's fields by id (None when
    there is none), whether a company is live, and the configured reference data."""

    product: Callable[[str], Mapping[str, str] | None]
    live_company: Callable[[str], bool]
    ref: ReferenceData


_Validator = Callable[[str, Lookups], str]


def _number(value: str) -> Decimal:
    number = parse_decimal(value)
    if number is None:
        raise ValueError(f"{quoted(value)} is not a number")
    if not in_range(number):
        raise ValueError(f"{quoted(value)} is out of range")
    return number


def _text(value: str, _: Lookups) -> str:
    return value


def _quantity(value: str, _: Lookups) -> str:
    return render(_number(value), 1)


def _price(value: str, _: Lookups) -> str:
    return render(_number(value)) if value.strip() else "0.00"


def _whole(value: str, _: Lookups) -> str:
    if not value.strip():
        return ""
    if not WHOLE.fullmatch(value):
        raise ValueError(f"{quoted(value)} is not a whole number")
    if len(value.strip().lstrip("+-").lstrip("0")) > _WHOLE_DIGITS:  # before int(): 4,301 digits
        raise ValueError(f"{quoted(value)} is out of range")
    return str(int(value))


def _discount(value: str, _: Lookups) -> str:
    parsed = parse_discount(value)
    if parsed is None:
        raise ValueError(f'{quoted(value)} is not a number or a percentage such as "10%"')
    number, percent = parsed
    if not in_range(number):
        raise ValueError(f"{quoted(value)} is out of range")
    if not value.strip():
        return ""
    return f"{number:f}%" if percent else render(number)


def _productid(value: str, look: Lookups) -> str:
    if not value.strip():
        raise ValueError("productid is required")
    if look.product(value.strip()) is None:
        raise ValueError(f"product {cut(value.strip())} does not exist or is deleted")
    return value.strip()


def _supplier(value: str, look: Lookups) -> str:
    if value.strip() and not look.live_company(value.strip()):
        raise ValueError(f"company {cut(value.strip())} does not exist or is deleted")
    return value.strip()


def _choice(kind: str, noun: str) -> _Validator:
    def check(value: str, look: Lookups) -> str:
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
    **dict.fromkeys(LISTPRICES + BUYPRICES, _price), **dict.fromkeys(CUSTOM, _text),
    "discount": _discount, "supplierid": _supplier, "contract_term": _whole,
    "supplytype": _choice("supply_types", "supply type"),
    "commission_band": _choice("commission_bands", "commission band"),
}  # fmt: skip


# --- validating one line ---------------------------------------------------------------------


def _bad(name: str, pos: int, reason: str) -> InvalidProductLine:
    return InvalidProductLine(f"Invalid {name} on line {pos}: {reason}")


def norm_id(lineid: str) -> str:
    """A lineid without its leading zeros (not through ``int()``: it refuses 4,301 digits)."""
    text = lineid.strip()
    return (text.lstrip("0") or "0") if text.isascii() and text.isdigit() else text


def split_keys(raw: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
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


def line_key(sent: dict[str, str], pos: int, current: Mapping[str, object], seen: set[str]) -> str:
    """The normalised lineid of the current line amended, or "" for a new line."""
    if "lineid" not in sent:
        raise _bad("lineid", pos, "lineid is required (0 adds a line)")
    raw = sent.pop("lineid").strip()
    key = norm_id(raw)
    if key in ("", "0"):
        return ""
    if key not in current:
        raise _bad("lineid", pos, f"{cut(raw)} is not a line of this record")
    if key in seen:
        raise _bad("lineid", pos, f"line {cut(raw)} is sent more than once")
    seen.add(key)
    return key


def validate(sent: Mapping[str, str], pos: int, is_new: bool, look: Lookups) -> dict[str, str]:
    """Each field of line ``pos`` as it will be stored; InvalidProductLine at the first bad one."""
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
