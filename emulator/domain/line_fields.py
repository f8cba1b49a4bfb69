"""The fields of a product line (guide, "Product Lines"; data-model.md §4) and which of them
a client may set: every name a line holds in the store's order (:data:`LINE_FIELDS`), the
ones computed on every edit (:data:`COMPUTED`), copied from the product (:data:`FROM_PRODUCT`)
or kept as the line holds them (:data:`RETAINED`), the rest (:data:`SETTABLE`), and the input
spellings of line fields (:data:`ALIASES`). Re-exported by :mod:`emulator.domain.product_lines`.
"""

from __future__ import annotations

LISTPRICES = tuple(f"listprice{n}" for n in range(1, 6))
BUYPRICES = ("buyprice", *(f"buyprice{n}" for n in range(2, 6)))
CUSTOM = tuple(f"prd_cf_{n}" for n in range(1, 11))
COMPUTED = frozenset({
    "taxpercent", "taxvalue", "margin_percent", "markup", "commission_percent", "commission_amount",
})  # fmt: skip
FROM_PRODUCT = frozenset({"minimummargin", "maximumdiscount"})
RETAINED_DEFAULTS = {
    "pricebookid": "", "saved_pricing_used": "0", "saved_pricing_tier": "",
    "despatched_quantity": "0", "remaining_quantity": "",
}  # fmt: skip
RETAINED = frozenset(RETAINED_DEFAULTS)
LINE_FIELDS: tuple[str, ...] = (
    "lineid", "linenumber", "productid", "productname", "description", "category", "quantity",
    *LISTPRICES, *BUYPRICES, "taxclass", *CUSTOM, "discount", "supplierid", "supplytype",
    "contract_term", "commission_band", "minimummargin", "maximumdiscount", "taxpercent",
    "taxvalue", "margin_percent", "markup", "commission_percent", "commission_amount",
    *RETAINED_DEFAULTS,
)  # fmt: skip
SETTABLE = frozenset(LINE_FIELDS) - COMPUTED - FROM_PRODUCT - RETAINED - {"lineid", "productname"}
#: Input spellings of line fields (the guide's typo).
ALIASES = {"commmission_amount": "commission_amount"}
