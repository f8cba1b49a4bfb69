"""Product line defaults, read-only line fields and the arithmetic of lines and document totals,
through HTTP, on examples worked by hand (guide, "Product line fields"; data-model.md §3, §4.4:
2 dp half-up at each step, VAT per line, subtotal net of VAT)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emulator.pytest_plugin import OpenCRM

GUIDE_LINES = ["123", "456", "789", "910"]
TOTALS = ("subtotal", "tax_total", "pre_tax_total", "total")
# Quote 420 as loaded, worked by hand (every line Standard, 20 % VAT):
#   123: 10 x 1049.00 = 10490.00 less 5 % (524.50) = 9965.50, VAT 1993.10
#   456: 10 x  229.00 =  2290.00,                    VAT  458.00
#   789: 10 x  189.00 =  1890.00 less 50.00         = 1840.00, VAT  368.00
#   910: 2.5 x 650.00 =  1625.00,                    VAT  325.00
#   subtotal 15720.50, tax 3144.10, no S&H, no adjustment: total 18864.60
QUOTE_420 = {
    "subtotal": "15720.50",
    "tax_total": "3144.10",
    "pre_tax_total": "15720.50",
    "total": "18864.60",
}


def quote(crm: OpenCRM, crmid: str = "420") -> dict[str, Any]:
    found: dict[str, Any] = crm.call("get_quote", crmid=crmid)
    return found


def totals(crm: OpenCRM, crmid: str = "420") -> dict[str, str]:
    record = quote(crm, crmid)
    return {name: record[name] for name in TOTALS}


def add_line(crm: OpenCRM, line: dict[str, str]) -> dict[str, str]:
    """Keep quote 420's lines, add ``line``; the added line as read back."""
    kept = [{"lineid": lineid} for lineid in GUIDE_LINES]
    answer = crm.call(
        "edit_quote", crmid="420", products=json.dumps([*kept, {"lineid": "0", **line}])
    )
    assert answer == 420
    added: dict[str, str] = quote(crm)["products"][-1]
    return added


def amend_456(crm: OpenCRM, **fields: str) -> dict[str, str]:
    """Amend line 456 of quote 420 (dropping the others); the line as read back."""
    answer = crm.call("edit_quote", crmid="420", products=json.dumps([{"lineid": "456", **fields}]))
    assert answer == 420
    (line,) = quote(crm)["products"]
    return line


# --- defaults --------------------------------------------------------------------------------


def test_the_fixture_quote_totals_match_the_hand_worked_figures(opencrm: OpenCRM) -> None:
    assert totals(opencrm) == QUOTE_420


def test_a_new_line_takes_its_defaults_from_the_product_but_not_its_prices(
    opencrm: OpenCRM,
) -> None:
    # Product 278: Kestrel CRM User Guide, Zero-rated, Drop Ship, band None, 19.99 / 6.50.
    line = add_line(opencrm, {"productid": "278"})
    assert line["productname"] == "Kestrel CRM User Guide (printed)"
    assert line["description"] == "Printed and bound user guide, 240 pages."
    assert (line["taxclass"], line["supplytype"], line["commission_band"]) == (
        "Zero",
        "Drop Ship",
        "None",
    )
    assert (line["minimummargin"], line["maximumdiscount"]) == ("50.000", "0.000")
    assert line["quantity"] == "1.0"
    assert line["linenumber"] == "5"
    prices = (
        [f"listprice{n}" for n in range(1, 6)]
        + ["buyprice"]
        + [f"buyprice{n}" for n in range(2, 6)]
    )
    assert {name: line[name] for name in prices} == dict.fromkeys(prices, "0.00")
    assert (line["discount"], line["category"], line["supplierid"]) == ("", "", "")
    assert (line["remaining_quantity"], line["despatched_quantity"]) == ("1.0", "0")


def test_values_sent_on_a_new_line_win_over_the_product_defaults(opencrm: OpenCRM) -> None:
    line = add_line(
        opencrm,
        {"productid": "278", "description": "Signed copy", "taxclass": "standard",
         "supplytype": "Stock", "commission_band": "Premium", "quantity": "3"},
    )  # fmt: skip
    assert (line["description"], line["taxclass"], line["supplytype"]) == (
        "Signed copy",
        "Standard",
        "Stock",
    )
    assert (line["commission_band"], line["quantity"]) == ("Premium", "3.0")
    assert line["remaining_quantity"] == "3.0"


def test_supplementary_prices_not_sent_are_zero_never_converted(opencrm: OpenCRM) -> None:
    # reference.json: EUR (slot 2) is 1.160 to the pound; 100.00 must not become 116.00.
    line = add_line(
        opencrm, {"productid": "270", "listprice1": "100", "buyprice": "80", "listprice3": "132"}
    )
    assert [line[f"listprice{n}"] for n in range(1, 6)] == [
        "100.00",
        "0.00",
        "132.00",
        "0.00",
        "0.00",
    ]
    assert [line["buyprice"], *(line[f"buyprice{n}"] for n in range(2, 6))] == [
        "80.00",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
    ]


@pytest.mark.parametrize(
    ("sent", "kept"), [("2.25", "2.3"), ("2.24", "2.2"), ("2.5", "2.5"), ("3", "3.0")]
)
def test_quantity_keeps_one_decimal_rounding_half_up(
    opencrm: OpenCRM, sent: str, kept: str
) -> None:
    assert amend_456(opencrm, quantity=sent)["quantity"] == kept


def test_the_line_is_priced_on_the_rounded_quantity(opencrm: OpenCRM) -> None:
    line = amend_456(opencrm, quantity="2.25")
    # 2.3 (not 2.25) x 229.00 = 526.70; VAT 20 % = 105.34
    assert line["taxvalue"] == "105.34"
    assert totals(opencrm)["subtotal"] == "526.70"


# --- fields the API cannot set ---------------------------------------------------------------

READ_ONLY = {
    "productname": "Renamed",
    "taxpercent": "99",
    "taxvalue": "1",
    "margin_percent": "1",
    "markup": "1",
    "commission_percent": "50",
    "commission_amount": "1",
    "commmission_amount": "2",  # the guide's spelling
    "minimummargin": "1",
    "maximumdiscount": "1",
    "pricebookid": "7",
    "saved_pricing_used": "1",
    "saved_pricing_tier": "Gold",
    "despatched_quantity": "5",
    "remaining_quantity": "1",
}


def test_read_only_line_fields_are_ignored_on_an_amended_line(opencrm: OpenCRM) -> None:
    before = {line["lineid"]: line for line in quote(opencrm)["products"]}["456"]
    assert amend_456(opencrm, **READ_ONLY) == before


def test_read_only_line_fields_are_ignored_on_a_new_line(opencrm: OpenCRM) -> None:
    line = add_line(opencrm, {"productid": "270", "listprice1": "100", **READ_ONLY})
    assert line["productname"] == "Lenovo ThinkPad T14 Gen 5 Laptop"
    assert (line["taxpercent"], line["taxvalue"]) == ("20.00", "20.00")
    assert (line["commission_percent"], line["commission_amount"]) == ("5.00", "5.00")
    assert (line["minimummargin"], line["maximumdiscount"]) == ("15.000", "10.000")
    assert (line["pricebookid"], line["saved_pricing_used"], line["saved_pricing_tier"]) == (
        "",
        "0",
        "",
    )
    assert (line["despatched_quantity"], line["remaining_quantity"]) == ("0", "1.0")


def test_ignored_line_fields_are_reported_as_warnings_in_the_journal(opencrm: OpenCRM) -> None:
    amend_456(opencrm, taxvalue="1", commmission_amount="2", colour="red")
    entry = opencrm.system.control.journal.entries("edit_quote")[-1]
    assert entry.warnings == [
        "ignored product line field 'taxvalue'",
        "ignored product line field 'commission_amount'",
        "ignored product line field 'colour'",
    ]


# --- line arithmetic -------------------------------------------------------------------------


def test_a_percentage_discount_line_worked_by_hand(opencrm: OpenCRM) -> None:
    # 3 x 100.00 = 300.00, less 10 % = 30.00: net 270.00; Standard VAT 20 % = 54.00;
    # cost 3 x 60.00 = 180.00, margin 90.00: 90 / 270 = 33.33 %, markup 90 / 180 = 50.00 %;
    # band Standard 5 % of 270.00 = 13.50.
    line = add_line(
        opencrm,
        {"productid": "270", "quantity": "3", "listprice1": "100", "buyprice": "60",
         "discount": "10%"},
    )  # fmt: skip
    assert (line["taxpercent"], line["taxvalue"]) == ("20.00", "54.00")
    assert (line["margin_percent"], line["markup"]) == ("33.33", "50.00")
    assert (line["commission_percent"], line["commission_amount"]) == ("5.00", "13.50")


def test_an_amount_discount_zero_rated_line_worked_by_hand(opencrm: OpenCRM) -> None:
    # 2.5 x 19.99 = 49.975 -> 49.98, less 5.00 (for the whole line): net 44.98; Zero VAT;
    # cost 2.5 x 6.50 = 16.25, margin 28.73: 28.73 / 44.98 = 63.87 %, 28.73 / 16.25 = 176.80 %;
    # band None: no commission.
    line = add_line(
        opencrm,
        {"productid": "278", "quantity": "2.5", "listprice1": "19.99", "buyprice": "6.50",
         "discount": "5"},
    )  # fmt: skip
    assert (line["discount"], line["taxpercent"], line["taxvalue"]) == ("5.00", "0.00", "0.00")
    assert (line["margin_percent"], line["markup"]) == ("63.87", "176.80")
    assert (line["commission_percent"], line["commission_amount"]) == ("0.00", "0.00")


def test_tax_class_and_commission_band_sent_set_the_rates(opencrm: OpenCRM) -> None:
    # 1 x 360.00 = 360.00; Reduced VAT 5 % = 18.00; band Enhanced 7.5 % = 27.00;
    # cost 240.00, margin 120.00: 33.33 %, markup 50.00 %.
    line = add_line(
        opencrm,
        {"productid": "275", "listprice1": "360", "buyprice": "240", "taxclass": "Reduced",
         "commission_band": "Enhanced"},
    )  # fmt: skip
    assert (line["taxpercent"], line["taxvalue"]) == ("5.00", "18.00")
    assert (line["commission_percent"], line["commission_amount"]) == ("7.50", "27.00")
    assert (line["margin_percent"], line["markup"]) == ("33.33", "50.00")


def test_a_line_without_cost_or_net_has_zero_margin_and_markup(opencrm: OpenCRM) -> None:
    line = add_line(opencrm, {"productid": "270"})  # no prices: 0.00 net, 0.00 cost
    assert (line["taxvalue"], line["margin_percent"], line["markup"]) == ("0.00", "0.00", "0.00")


def test_changing_the_tax_class_of_an_amended_line_recomputes_its_tax(opencrm: OpenCRM) -> None:
    line = amend_456(opencrm, taxclass="Zero")
    assert (line["taxpercent"], line["taxvalue"]) == ("0.00", "0.00")
    assert totals(opencrm) == {
        "subtotal": "2290.00",
        "tax_total": "0.00",
        "pre_tax_total": "2290.00",
        "total": "2290.00",
    }


# --- document totals -------------------------------------------------------------------------


def test_the_document_totals_of_three_worked_lines(opencrm: OpenCRM) -> None:
    products = [
        {"lineid": "0", "productid": "270", "quantity": "3", "listprice1": "100",
         "buyprice": "60", "discount": "10%"},
        {"lineid": "0", "productid": "278", "quantity": "2.5", "listprice1": "19.99",
         "buyprice": "6.50", "discount": "5"},
        {"lineid": "0", "productid": "275", "listprice1": "360", "taxclass": "Reduced"},
    ]  # fmt: skip
    crmid = opencrm.call("edit_quote", crmid="0", subject="Worked", products=json.dumps(products))
    # subtotal 270.00 + 44.98 + 360.00 = 674.98; VAT 54.00 + 0.00 + 18.00 = 72.00
    assert totals(opencrm, str(crmid)) == {
        "subtotal": "674.98",
        "tax_total": "72.00",
        "pre_tax_total": "674.98",
        "total": "746.98",
    }
    opencrm.call(
        "edit_quote", crmid=str(crmid), hdnDiscountPercent="10", hdnS_H_Amount="20",
        s_h_percent="20", txtAdjustment="-1.50",
    )  # fmt: skip
    # discount 10 % of 674.98 = 67.50 (67.498); goods VAT scaled by 607.48 / 674.98:
    # 72.00 x 0.89999... = 64.80; S&H VAT 20 % of 20.00 = 4.00; tax 68.80;
    # pre-tax 674.98 - 67.50 + 20.00 = 627.48; total 627.48 + 68.80 - 1.50 = 694.78
    assert totals(opencrm, str(crmid)) == {
        "subtotal": "674.98",
        "tax_total": "68.80",
        "pre_tax_total": "627.48",
        "total": "694.78",
    }


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # 10 % of 15720.50 = 1572.05 off; VAT 3144.10 x 0.9 = 2829.69
        ({"discount_percent": "10"}, ("15720.50", "2829.69", "14148.45", "16978.14")),
        ({"hdnDiscountPercent": "10"}, ("15720.50", "2829.69", "14148.45", "16978.14")),
        # 15720.50 - 720.50 = 15000.00; all lines at 20 %: VAT 3144.10 x 15000 / 15720.50 = 3000.00
        ({"hdnDiscountAmount": "720.50"}, ("15720.50", "3000.00", "15000.00", "18000.00")),
        # S&H 15.00 with no S&H tax (s_h_percent 0 on quote 420)
        ({"s_h_amount": "15"}, ("15720.50", "3144.10", "15735.50", "18879.60")),
        ({"hdnS_H_Amount": "15"}, ("15720.50", "3144.10", "15735.50", "18879.60")),
        ({"adjustment": "-0.60"}, ("15720.50", "3144.10", "15720.50", "18864.00")),
        ({"txtAdjustment": "-0.60"}, ("15720.50", "3144.10", "15720.50", "18864.00")),
        # every line is Standard, so group tax (20 % of 15720.50) is the same sum
        ({"hdnTaxType": "group"}, ("15720.50", "3144.10", "15720.50", "18864.60")),
    ],
)
def test_totals_are_recomputed_when_only_a_header_money_field_changes(
    opencrm: OpenCRM, fields: dict[str, str], expected: tuple[str, ...]
) -> None:
    assert opencrm.call("edit_quote", crmid="420", **fields) == 420
    assert totals(opencrm) == dict(zip(TOTALS, expected, strict=True))


def test_group_tax_applies_the_group_rate_to_every_line(opencrm: OpenCRM) -> None:
    opencrm.call("edit_quote", crmid="420", hdnTaxType="group")
    line = add_line(opencrm, {"productid": "278", "listprice1": "100"})  # a Zero-rated line
    assert line["taxvalue"] == "0.00"
    # group: (15720.50 + 100.00) x 20 % = 3164.10, whatever the lines' own classes say
    assert totals(opencrm)["tax_total"] == "3164.10"


def test_incoming_totals_are_ignored_and_reported(opencrm: OpenCRM) -> None:
    answer = opencrm.call(
        "edit_quote", crmid="420", subtotal="1", tax_total="2", pre_tax_total="3", total="4",
        hdnSubTotal="5", hdnGrandTotal="6",
    )  # fmt: skip
    assert answer == 420
    assert totals(opencrm) == QUOTE_420
    warnings = opencrm.system.control.journal.entries("edit_quote")[-1].warnings
    assert [w for w in warnings if "total" in w.lower()] == [
        "ignored parameter 'subtotal'",
        "ignored parameter 'tax_total'",
        "ignored parameter 'pre_tax_total'",
        "ignored parameter 'total'",
        "ignored parameter 'hdnSubTotal'",
        "ignored parameter 'hdnGrandTotal'",
    ]


def test_totals_follow_line_edits(opencrm: OpenCRM) -> None:
    amend_456(opencrm, quantity="12")  # the other three lines are removed
    # 12 x 229.00 = 2748.00; VAT 549.60
    assert totals(opencrm) == {
        "subtotal": "2748.00",
        "tax_total": "549.60",
        "pre_tax_total": "2748.00",
        "total": "3297.60",
    }


@pytest.mark.parametrize(
    ("noun", "crmid", "expected"),
    [
        ("invoice", "460", "0.00"),  # paid: received 18864.60 of 18864.60
        ("invoice", "461", "6480.00"),  # sent, received 0.00
        ("purchaseorder", "480", "13390.80"),  # no received field: the whole total
    ],
)
def test_the_balance_is_the_total_less_what_was_received(
    opencrm: OpenCRM, noun: str, crmid: str, expected: str
) -> None:
    assert opencrm.call(f"get_{noun}", crmid=crmid)["balance"] == expected


def test_the_balance_follows_a_payment_and_a_line_change(opencrm: OpenCRM) -> None:
    opencrm.call("edit_invoice", crmid="461", received="1000.50", balance="1")
    assert opencrm.call("get_invoice", crmid="461")["balance"] == "5479.50"  # 6480.00 - 1000.50
    # Invoice 461 is one line (120 x 45.00 + VAT) with no S&H: pricing it at 0 zeroes the total.
    products = json.dumps([{"lineid": "1205", "listprice1": "0"}])
    assert opencrm.call("edit_invoice", crmid="461", products=products) == 461
    invoice = opencrm.call("get_invoice", crmid="461")
    assert (invoice["total"], invoice["balance"]) == ("0.00", "-1000.50")
