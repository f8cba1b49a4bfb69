"""An edit's fields: what the real API drops without a word, and a create without an owner.

- a field the module does not have (the real API ignores it), with the nearest real name;
- a read-only field (the system sets it; the real API ignores it), record or product line;
- a create (``crmid`` 0) without ``assigned_user_id``: the guide, "On new records, you should
  always set assigned_user_id so the record has an owner";
- then each stored value, checked by ``strict.values``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from emulator.domain import product_lines
from emulator.domain.modules import Field, Module
from emulator.errors import InvalidProductLine
from emulator.wire.params import Params
from emulator.wire.requests import RESERVED
from emulator.wire.strict import Finding, quoted
from emulator.wire.strict.values import Lookups, value_findings

#: Names longer than this get no suggestion (difflib's cost grows with the length).
SUGGESTED_UP_TO = 64
OWNER = "smownerid"
#: Why a product line field cannot be set (guide, "Product line fields").
LINE_READ_ONLY = {
    **dict.fromkeys(product_lines.COMPUTED, "the system calculates it from the other values"),
    **dict.fromkeys(product_lines.FROM_PRODUCT, "it takes the product record's value"),
    **dict.fromkeys(product_lines.RETAINED, "it keeps its existing value"),
    "productname": "it is the name of the product given by productid",
}


def edit_findings(
    module: Module, params: Params, api_user_id: int, look: Lookups
) -> Iterator[Finding]:
    values: dict[Field, tuple[str, str]] = {}
    for name, value in params.items():
        if name in RESERVED or name == "apikey":
            continue
        field = module.edit_field(name)
        if field is None:
            yield unknown(module, name)
        elif field.read_only:
            yield Finding(
                "read-only-field",
                name,
                f"{name} is read-only on {module.display_title} (the system sets it):"
                " the real API ignores it",
            )
        elif isinstance(value, str):
            values[field] = (name, value)
    if params.text("crmid").strip() == "0" and module.crmentity:
        yield from owner(module, values, api_user_id)
    if module.sales and "products" in params:
        yield from line_findings(params["products"])
    yield from value_findings(module, values, look)


def unknown(module: Module, name: str) -> Finding:
    hint = suggestion(name, [n for f in module.fields for n in (f.name, *f.aliases)])
    return Finding(
        "unknown-field",
        name,
        f"{quoted(name)} is not a field of {module.display_title}: the real API ignores it"
        f" and stores nothing{hint}",
    )


def suggestion(name: str, names: list[str]) -> str:
    if len(name) > SUGGESTED_UP_TO:
        return ""
    by_lower = {n.lower(): n for n in names}
    near = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.75)
    return f" (did you mean {by_lower[near[0]]}?)" if near else ""


def owner(
    module: Module, values: dict[Field, tuple[str, str]], api_user_id: int
) -> Iterator[Finding]:
    sent = next((v for f, (_, v) in values.items() if f.name == OWNER), "")
    if sent.strip() == "":
        yield Finding(
            "no-owner",
            "assigned_user_id",
            f"a new {module.display_title} record without assigned_user_id: the real API"
            f' makes the API user (id {api_user_id}) its owner; the guide: "On new records,'
            ' you should always set assigned_user_id so the record has an owner"',
        )


def line_findings(products: object) -> Iterator[Finding]:
    """Product line fields the API cannot set, and names that are no line field."""
    try:
        lines = product_lines.parse_products(products)
    except InvalidProductLine:
        return  # the end point answers this error itself
    known = set(product_lines.LINE_FIELDS)
    for pos, line in enumerate(lines, 1):
        for key in line:
            name = product_lines.ALIASES.get(key.strip().lower(), key.strip().lower())
            where = f"products[{pos}].{key}"
            if name in LINE_READ_ONLY:
                yield Finding(
                    "read-only-field",
                    where,
                    f"{where} can't be set from the API ({LINE_READ_ONLY[name]}):"
                    " the real API ignores it",
                )
            elif name not in known:
                hint = suggestion(key, sorted(product_lines.SETTABLE))
                yield Finding(
                    "unknown-field",
                    where,
                    f"{quoted(key)} on line {pos} is not a product line field: the real API"
                    f" ignores it{hint}",
                )
