"""Quotes, Sales Orders, Invoices and Purchase Orders (data-model.md §2.11-2.14, §3).

The four share one header, built by :func:`sales_module`; each adds its own fields, and
their records carry product lines (§4). Totals are computed by the store: read-only here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from emulator.domain.modules import blocks as b
from emulator.domain.modules.fields import Field, Module, header_fields
from emulator.domain.modules.fields import FieldType as T

CARRIERS = ("Royal Mail", "DPD", "Parcelforce", "DHL", "UPS", "Courier")
RECURRING_FREQUENCIES = ("Daily", "Weekly", "Monthly", "Quarterly", "Yearly")
#: Emulator choice: OpenCRM publishes no quote types.
QUOTE_TYPES = ("New", "Renewal", "Upgrade")


def _money() -> tuple[Field, ...]:
    """Currency, discounts and the computed totals (§3, §4.4)."""
    return (
        Field("currency_id", T.INTEGER),
        Field("conversion_rate", T.DECIMAL),
        Field("subtotal", T.CURRENCY, aliases=("hdnSubTotal",), read_only=True),
        Field("discount_percent", T.DECIMAL, aliases=("hdnDiscountPercent",)),
        Field("discount_amount", T.CURRENCY, aliases=("hdnDiscountAmount",)),
        Field("s_h_amount", T.CURRENCY, aliases=("hdnS_H_Amount",)),
        Field("s_h_percent", T.DECIMAL),
        Field("taxtype", T.PICKLIST, aliases=("hdnTaxType",), picklist=("individual", "group")),
        Field("adjustment", T.CURRENCY, aliases=("txtAdjustment",)),
        Field("pre_tax_total", T.CURRENCY, read_only=True),
        Field("tax_total", T.CURRENCY, read_only=True),
        Field("total", T.CURRENCY, aliases=("hdnGrandTotal",), read_only=True),
    )


def _addresses(billads: str, shipads: str) -> tuple[Field, ...]:
    return tuple(
        field
        for kind, table in (("bill", billads), ("ship", shipads))
        for field in b.address(
            table,
            street=f"{kind}_street",
            city=f"{kind}_city",
            county=f"{kind}_state",
            postcode=f"{kind}_code",
            country=f"{kind}_country",
            pobox=f"{kind}_pobox",
        )
    )


def sales_module(
    *,
    noun: str,
    record_module: str,
    tables: tuple[str, str, str, str],
    number_field: str,
    number_prefix: str,
    status: Field,
    specific: Iterable[Field],
    list_fields: Iterable[str],
    customer: bool = True,
    potential: bool = True,
) -> Module:
    """A sales module: the shared header (§3), ``specific`` fields, and the default list.

    ``tables`` is (main, billing address, shipping address, custom fields); ``customer``
    and ``potential`` say whether it has ``account_id`` and ``potential_id``.
    """
    main, billads, shipads, _ = tables
    fields = (
        b.number(number_field),
        Field("subject", keyword=True, indexed=True, faker="catch_phrase"),
        replace(status, indexed=True),
        *(
            (Field("account_id", T.REF, aliases=("accountid",), ref="company", indexed=True),)
            if customer
            else ()
        ),
        Field("contact_id", T.REF, aliases=("contactid",), ref="contact", indexed=True),
        *(
            (Field("potential_id", T.REF, aliases=("potentialid",), ref="opportunity"),)
            if potential
            else ()
        ),
        *specific,
        *_money(),
        *_addresses(billads, shipads),
        Field("carrier", T.PICKLIST, picklist=CARRIERS),
        Field("terms_conditions", T.LONGTEXT, faker="paragraph"),
        b.tags(main),
        *header_fields(),
    )
    listed = {number_field, "subject", "total", *list_fields}
    return b.with_main_table(
        Module(
            noun=noun,
            record_module=record_module,
            tables=tables,
            label_fields=("subject",),
            number_field=number_field,
            number_prefix=number_prefix,
            sales=True,
            fields=tuple(replace(f, in_list=True) if f.name in listed else f for f in fields),
        )
    )


def _status(name: str, values: tuple[str, ...]) -> Field:
    return Field(name, T.PICKLIST, picklist=values)


QUOTES = sales_module(
    noun="quote",
    record_module="Quotes",
    tables=("quotes", "quotesbillads", "quotesshipads", "quotescf"),
    number_field="quote_no",
    number_prefix="QUO",
    status=_status("quotestage", ("Created", "Delivered", "Reviewed", "Accepted", "Rejected")),
    list_fields=("quotestage", "potential_id", "account_id"),
    specific=(
        Field("quotetype", T.PICKLIST, aliases=("type",), picklist=QUOTE_TYPES),
        Field("validtill", T.DATE, indexed=True),
        Field("inventorymanager", T.REF, aliases=("assigned_user_id1",), ref="user"),
    ),
)

SALES_ORDERS = sales_module(
    noun="salesorder",
    record_module="SalesOrder",
    tables=("salesorder", "sobillads", "soshipads", "salesordercf"),
    number_field="salesorder_no",
    number_prefix="SO",
    status=_status("sostatus", ("Created", "Approved", "Delivered", "Cancelled")),
    list_fields=("account_id", "quote_id"),
    specific=(
        Field("customerno", indexed=True),
        Field("quote_id", T.REF, aliases=("quoteid",), ref="quote", indexed=True),
        Field("duedate", T.DATE, indexed=True),
        Field("purchaseorder", indexed=True),
        Field("pending"),
        Field("recurring_frequency", T.PICKLIST, picklist=RECURRING_FREQUENCIES),
        Field("enable_recurring", T.BOOLEAN),
        Field("salescommission", T.CURRENCY),
        Field("exciseduty", T.CURRENCY),
    ),
)

INVOICES = sales_module(
    noun="invoice",
    record_module="Invoice",
    tables=("invoice", "invoicebillads", "invoiceshipads", "invoicecf"),
    number_field="invoice_no",
    number_prefix="INV",
    status=_status(
        "invoicestatus", ("AutoCreated", "Created", "Approved", "Sent", "Credit Invoice", "Paid")
    ),
    list_fields=("salesorder_id", "invoicestatus"),
    specific=(
        Field("customerno", indexed=True),
        Field("salesorder_id", T.REF, aliases=("salesorderid",), ref="salesorder", indexed=True),
        Field("invoicedate", T.DATE, indexed=True),
        Field("duedate", T.DATE, indexed=True),
        Field("paiddate", T.DATE),
        Field("purchaseorder", indexed=True),
        Field("received", T.CURRENCY),
        Field("balance", T.CURRENCY, read_only=True),
        Field("salescommission", T.CURRENCY),
        Field("exciseduty", T.CURRENCY),
    ),
)

PURCHASE_ORDERS = sales_module(
    noun="purchaseorder",
    record_module="PurchaseOrder",
    tables=("purchaseorder", "pobillads", "poshipads", "purchaseordercf"),
    number_field="purchaseorder_no",
    number_prefix="PO",
    status=_status(
        "postatus", ("Created", "Approved", "Delivered", "Cancelled", "Received Shipment")
    ),
    list_fields=("vendor_id", "tracking_no"),
    customer=False,
    potential=False,
    specific=(
        Field("vendor_id", T.REF, aliases=("vendorid",), ref="company", indexed=True),
        Field("requisition_no"),
        Field("tracking_no", indexed=True),
        Field("issue_date", T.DATE, indexed=True),
        Field("duedate", T.DATE, indexed=True),
        Field("balance", T.CURRENCY, read_only=True),
        Field("salescommission", T.CURRENCY),
        Field("exciseduty", T.CURRENCY),
    ),
)

SALES_MODULES: tuple[Module, ...] = (QUOTES, SALES_ORDERS, INVOICES, PURCHASE_ORDERS)
