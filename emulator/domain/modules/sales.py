"""Quotes, Sales Orders, Invoices and Purchase Orders (data-model.md §2.11-2.14, §3).

The four share one header, built by :func:`sales_module`; each adds its own fields, and
their records carry product lines (§4). Totals are computed by the store: read-only here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from emulator.domain.modules import blocks
from emulator.domain.modules.fields import Field, FieldType, Module, header_fields

CARRIERS = ("Royal Mail", "DPD", "Parcelforce", "DHL", "UPS", "Courier")
RECURRING_FREQUENCIES = ("Daily", "Weekly", "Monthly", "Quarterly", "Yearly")
#: Emulator choice: OpenCRM publishes no quote types.
QUOTE_TYPES = ("New", "Renewal", "Upgrade")


def _money() -> tuple[Field, ...]:
    """Currency, discounts and the computed totals (§3, §4.4)."""
    return (
        Field("currency_id", FieldType.INTEGER),
        Field("conversion_rate", FieldType.DECIMAL),
        Field("subtotal", FieldType.CURRENCY, aliases=("hdnSubTotal",), read_only=True),
        Field("discount_percent", FieldType.DECIMAL, aliases=("hdnDiscountPercent",)),
        Field("discount_amount", FieldType.CURRENCY, aliases=("hdnDiscountAmount",)),
        Field("s_h_amount", FieldType.CURRENCY, aliases=("hdnS_H_Amount",)),
        Field("s_h_percent", FieldType.DECIMAL),
        Field(
            "taxtype", FieldType.PICKLIST, aliases=("hdnTaxType",), picklist=("individual", "group")
        ),
        Field("adjustment", FieldType.CURRENCY, aliases=("txtAdjustment",)),
        Field("pre_tax_total", FieldType.CURRENCY, read_only=True),
        Field("tax_total", FieldType.CURRENCY, read_only=True),
        Field("total", FieldType.CURRENCY, aliases=("hdnGrandTotal",), read_only=True),
    )


def _addresses(billads: str, shipads: str) -> tuple[Field, ...]:
    return tuple(
        field
        for kind, table in (("bill", billads), ("ship", shipads))
        for field in blocks.address(
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
    title: str = "",
    seed_rank: int = 100,
) -> Module:
    """A sales module: the shared header (§3), ``specific`` fields, and the default list.

    ``tables`` is (main, billing address, shipping address, custom fields); ``customer``
    and ``potential`` say whether it has ``account_id`` and ``potential_id``.
    """
    main, billads, shipads, _ = tables
    fields = (
        blocks.number(number_field),
        Field("subject", keyword=True, indexed=True, faker="catch_phrase"),
        replace(status, indexed=True),
        *(
            (
                Field(
                    "account_id", FieldType.REF, aliases=("accountid",), ref="company", indexed=True
                ),
            )
            if customer
            else ()
        ),
        Field(
            "contact_id",
            FieldType.REF,
            aliases=("contactid",),
            ref="contact",
            indexed=True,
            link_rate=0.9,
        ),
        *(
            (
                Field(
                    "potential_id",
                    FieldType.REF,
                    aliases=("potentialid",),
                    ref="opportunity",
                    link_rate=0.7,
                ),
            )
            if potential
            else ()
        ),
        *specific,
        *_money(),
        *_addresses(billads, shipads),
        Field("carrier", FieldType.PICKLIST, picklist=CARRIERS),
        Field("terms_conditions", FieldType.LONGTEXT, faker="paragraph"),
        blocks.tags(main),
        *header_fields(),
    )
    listed = {number_field, "subject", "total", *list_fields}
    return blocks.with_main_table(
        Module(
            noun=noun,
            record_module=record_module,
            title=title,
            seed_rank=seed_rank,
            tables=tables,
            label_fields=("subject",),
            number_field=number_field,
            number_prefix=number_prefix,
            sales=True,
            fields=tuple(replace(f, in_list=True) if f.name in listed else f for f in fields),
        )
    )


def _status(name: str, values: tuple[str, ...]) -> Field:
    return Field(name, FieldType.PICKLIST, picklist=values)


QUOTES = sales_module(
    noun="quote",
    seed_rank=8,
    record_module="Quotes",
    tables=("quotes", "quotesbillads", "quotesshipads", "quotescf"),
    number_field="quote_no",
    number_prefix="QUO",
    status=_status("quotestage", ("Created", "Delivered", "Reviewed", "Accepted", "Rejected")),
    list_fields=("quotestage", "potential_id", "account_id"),
    specific=(
        Field("quotetype", FieldType.PICKLIST, aliases=("type",), picklist=QUOTE_TYPES),
        Field("validtill", FieldType.DATE, indexed=True),
        Field(
            "inventorymanager",
            FieldType.REF,
            aliases=("assigned_user_id1",),
            ref="user",
            link_rate=0.5,
        ),
    ),
)

SALES_ORDERS = sales_module(
    noun="salesorder",
    title="Sales Orders",
    seed_rank=9,
    record_module="SalesOrder",
    tables=("salesorder", "sobillads", "soshipads", "salesordercf"),
    number_field="salesorder_no",
    number_prefix="SO",
    status=_status("sostatus", ("Created", "Approved", "Delivered", "Cancelled")),
    list_fields=("account_id", "quote_id"),
    specific=(
        Field("customerno", indexed=True),
        Field(
            "quote_id",
            FieldType.REF,
            aliases=("quoteid",),
            ref="quote",
            indexed=True,
            link_rate=0.6,
        ),
        Field("duedate", FieldType.DATE, indexed=True),
        Field("purchaseorder", indexed=True),
        Field("pending"),
        Field("recurring_frequency", FieldType.PICKLIST, picklist=RECURRING_FREQUENCIES),
        Field("enable_recurring", FieldType.BOOLEAN),
        Field("salescommission", FieldType.CURRENCY),
        Field("exciseduty", FieldType.CURRENCY),
    ),
)

INVOICES = sales_module(
    noun="invoice",
    title="Invoices",
    seed_rank=10,
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
        Field(
            "salesorder_id",
            FieldType.REF,
            aliases=("salesorderid",),
            ref="salesorder",
            indexed=True,
            link_rate=0.5,
        ),
        Field("invoicedate", FieldType.DATE, indexed=True),
        Field("duedate", FieldType.DATE, indexed=True),
        Field("paiddate", FieldType.DATE),
        Field("purchaseorder", indexed=True),
        Field("received", FieldType.CURRENCY),
        Field("balance", FieldType.CURRENCY, read_only=True),
        Field("salescommission", FieldType.CURRENCY),
        Field("exciseduty", FieldType.CURRENCY),
    ),
)

PURCHASE_ORDERS = sales_module(
    noun="purchaseorder",
    title="Purchase Orders",
    seed_rank=11,
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
        Field("vendor_id", FieldType.REF, aliases=("vendorid",), ref="company", indexed=True),
        Field("requisition_no"),
        Field("tracking_no", indexed=True),
        Field("issue_date", FieldType.DATE, indexed=True),
        Field("duedate", FieldType.DATE, indexed=True),
        Field("balance", FieldType.CURRENCY, read_only=True),
        Field("salescommission", FieldType.CURRENCY),
        Field("exciseduty", FieldType.CURRENCY),
    ),
)

SALES_MODULES: tuple[Module, ...] = (QUOTES, SALES_ORDERS, INVOICES, PURCHASE_ORDERS)
