"""Sales records through HTTP: reading them with their product lines, the guide's own edit
examples, both ways of sending ``products``, creating records, and their audit trail
(guide, "Consult / Retrieve Sales Records", "Create/Edit Sales Records", "Product Lines")."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from emulator.pytest_plugin import OpenCRM

#: Every product line field a read returns (guide, "Product line fields"; data-model.md §4.2).
LINE_KEYS = {
    "lineid", "linenumber", "productid", "productname", "description", "category", "quantity",
    *(f"listprice{n}" for n in range(1, 6)), "buyprice", *(f"buyprice{n}" for n in range(2, 6)),
    "taxclass", *(f"prd_cf_{n}" for n in range(1, 11)), "discount", "supplierid", "supplytype",
    "contract_term", "commission_band", "minimummargin", "maximumdiscount", "taxpercent",
    "taxvalue", "margin_percent", "markup", "commission_percent", "commission_amount",
    "pricebookid", "saved_pricing_used", "saved_pricing_tier", "despatched_quantity",
    "remaining_quantity",
}  # fmt: skip
#: (noun, a fixture record, its record_module, its number field, the number prefix)
SALES = [
    ("quote", "420", "Quotes", "quote_no", "QUO"),
    ("salesorder", "440", "SalesOrder", "salesorder_no", "SO"),
    ("invoice", "460", "Invoice", "invoice_no", "INV"),
    ("purchaseorder", "480", "PurchaseOrder", "purchaseorder_no", "PO"),
]
# The guide's "Removing product lines" example: quote 420 holds exactly these lines.
GUIDE_LINES = ["123", "456", "789", "910"]


def quote(crm: OpenCRM, crmid: str = "420") -> dict[str, Any]:
    found: dict[str, Any] = crm.call("get_quote", crmid=crmid)
    return found


def lines_by_id(crm: OpenCRM, crmid: str = "420") -> dict[str, dict[str, str]]:
    return {line["lineid"]: line for line in quote(crm, crmid)["products"]}


def edit_lines(crm: OpenCRM, products: list[dict[str, Any]], **fields: str) -> Any:
    return crm.call("edit_quote", crmid="420", products=json.dumps(products), **fields, check=False)


def post_json(crm: OpenCRM, body: dict[str, Any], content_type: str) -> Any:
    payload = {"key": crm.key, "passkey": crm.passkey, **body}
    response = crm.client.post(
        "/api/rest/edit_quote", content=json.dumps(payload), headers={"Content-Type": content_type}
    )
    return response.json()


def post_multipart(crm: OpenCRM, fields: dict[str, str]) -> Any:
    """What PHP's curl sends for an array payload (the guide's "Products as JSON String")."""
    boundary = "opencrm-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in {"key": crm.key, "passkey": crm.passkey, **fields}.items()
    ]
    body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    content_type = f"multipart/form-data; boundary={boundary}"
    response = crm.client.post(
        "/api/rest/edit_quote", content=body, headers={"Content-Type": content_type}
    )
    return response.json()


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("noun", "crmid", "record_module", "_number", "_prefix"), SALES)
def test_a_sales_record_is_read_with_every_line_field_as_strings(
    opencrm: OpenCRM, noun: str, crmid: str, record_module: str, _number: str, _prefix: str
) -> None:
    record = opencrm.call(f"get_{noun}", crmid=crmid)
    assert record["record_id"] == crmid
    assert record["record_module"] == record_module
    assert record["products"], "every fixture sales record has lines"
    for line in record["products"]:
        assert set(line) == LINE_KEYS
        assert all(isinstance(value, str) for value in line.values())
    numbers = [int(line["linenumber"]) for line in record["products"]]
    assert numbers == sorted(numbers)


def test_quote_420_holds_the_guides_four_lines_with_product_names(opencrm: OpenCRM) -> None:
    products = quote(opencrm)["products"]
    assert [line["lineid"] for line in products] == GUIDE_LINES
    assert [line["linenumber"] for line in products] == ["1", "2", "3", "4"]
    assert products[0]["productid"] == "270"
    assert products[0]["productname"] == "Lenovo ThinkPad T14 Gen 5 Laptop"
    assert products[3]["productname"] == "On-site Engineer Day"


def test_lines_are_returned_in_linenumber_order_not_lineid_order(opencrm: OpenCRM) -> None:
    edit_lines(
        opencrm,
        [
            {"lineid": "123", "linenumber": "9"},
            {"lineid": "456", "linenumber": "3"},
            {"lineid": "789", "linenumber": "1"},
            {"lineid": "910", "linenumber": "2"},
        ],
    )
    products = quote(opencrm)["products"]
    assert [line["lineid"] for line in products] == ["789", "910", "456", "123"]
    assert [line["linenumber"] for line in products] == ["1", "2", "3", "9"]


# --- the guide's examples --------------------------------------------------------------------


def test_the_guides_example_removes_910_adds_one_line_and_keeps_the_others(
    opencrm: OpenCRM,
) -> None:
    before = lines_by_id(opencrm)
    answer = edit_lines(
        opencrm,
        [{"lineid": "123"}, {"lineid": "456"}, {"lineid": "789"}, {"lineid": 0, "productid": 277}],
    )
    assert answer == 420
    after = quote(opencrm)["products"]
    assert [line["lineid"] for line in after[:3]] == ["123", "456", "789"]
    assert len(after) == 4
    added = after[3]
    assert added["lineid"] not in GUIDE_LINES
    assert (added["productid"], added["linenumber"]) == ("277", "4")
    assert added["productname"] == "Managed Support Plan (per device, annual)"
    assert after[:3] == [before[lineid] for lineid in ("123", "456", "789")]


def test_a_removed_line_is_gone_for_good(opencrm: OpenCRM) -> None:
    edit_lines(opencrm, [{"lineid": "123"}, {"lineid": "456"}, {"lineid": "789"}])
    answer = edit_lines(opencrm, [{"lineid": "910"}])
    assert answer == {"error": "Invalid lineid on line 1: 910 is not a line of this record"}
    assert [line["lineid"] for line in quote(opencrm)["products"]] == ["123", "456", "789"]


def test_the_id_of_a_removed_line_is_never_given_to_a_new_line(opencrm: OpenCRM) -> None:
    kept = [{"lineid": i} for i in GUIDE_LINES]
    edit_lines(opencrm, [*kept, {"lineid": "0", "productid": "270"}])
    first = quote(opencrm)["products"][-1]["lineid"]  # the newest line: the highest id of all
    edit_lines(opencrm, kept)
    edit_lines(opencrm, [*kept, {"lineid": "0", "productid": "270"}])
    second = quote(opencrm)["products"][-1]["lineid"]
    assert int(second) > int(first)


def test_an_amended_line_changes_only_the_fields_sent(opencrm: OpenCRM) -> None:
    before = lines_by_id(opencrm)
    edit_lines(
        opencrm,
        [*({"lineid": i} for i in GUIDE_LINES[:3]), {"lineid": "910", "description": "Imaging"}],
    )
    after = lines_by_id(opencrm)
    assert {k for k in after["910"] if after["910"][k] != before["910"][k]} == {"description"}
    assert after["910"]["description"] == "Imaging"
    assert [after[i] for i in GUIDE_LINES[:3]] == [before[i] for i in GUIDE_LINES[:3]]


def test_an_amended_price_changes_the_price_and_the_values_computed_from_it(
    opencrm: OpenCRM,
) -> None:
    before = lines_by_id(opencrm)["456"]
    edit_lines(
        opencrm,
        [{"lineid": "123"}, {"lineid": "456", "listprice1": "250"}, {"lineid": "789"},
         {"lineid": "910"}],
    )  # fmt: skip
    after = lines_by_id(opencrm)["456"]
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"listprice1", "taxvalue", "margin_percent", "markup", "commission_amount"}
    # 10 x 250.00 = 2500.00 net; VAT 20 % = 500.00; cost 10 x 171.40 = 1714.00; margin 786.00
    assert after["listprice1"] == "250.00"
    assert after["taxvalue"] == "500.00"
    assert after["margin_percent"] == "31.44"  # 786 / 2500 = 31.44 %
    assert after["markup"] == "45.86"  # 786 / 1714 = 45.857 %
    assert after["commission_amount"] == "125.00"  # 5 % of 2500
    assert after["listprice2"] == before["listprice2"]  # never converted from listprice1


# --- both encodings of products --------------------------------------------------------------


def test_products_as_a_json_string_in_a_form_field_with_module_and_code(opencrm: OpenCRM) -> None:
    answer = opencrm.call(
        "edit_quote",
        code="111111",
        crmid="420",
        module="Quotes",
        assigned_user_id="1",
        products=json.dumps(
            [
                {"lineid": "123", "productid": "270", "description": "Updated from API"},
                {"lineid": "456", "productid": "271", "description": "Updated from API"},
            ]
        ),
    )
    assert answer == 420
    record = quote(opencrm)
    assert [line["lineid"] for line in record["products"]] == ["123", "456"]
    assert {line["description"] for line in record["products"]} == {"Updated from API"}
    assert record["smownerid"] == "1"
    assert "code" not in record
    assert record["record_module"] == "Quotes"


def test_products_in_a_multipart_form_as_php_curl_sends_an_array(opencrm: OpenCRM) -> None:
    products = json.dumps([{"lineid": "123", "description": "Updated from API"}])
    answer = post_multipart(
        opencrm, {"code": "111111", "crmid": "420", "module": "Quotes", "products": products}
    )
    assert answer == 420
    assert [(x["lineid"], x["description"]) for x in quote(opencrm)["products"]] == [
        ("123", "Updated from API")
    ]


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_the_entire_post_as_a_json_string_edits_header_and_lines(
    opencrm: OpenCRM, content_type: str
) -> None:
    body = {
        "code": "111111",
        "crmid": "420",
        "module": "Quotes",
        "subject": "A new one",
        "products": [
            {"lineid": "123", "linenumber": "1", "productid": "270", "listprice1": "200000"}
        ],
    }
    assert post_json(opencrm, body, content_type) == 420
    record = quote(opencrm)
    assert record["subject"] == "A new one"
    assert [(x["lineid"], x["listprice1"]) for x in record["products"]] == [("123", "200000.00")]
    assert record["subtotal"] == "1900000.00"  # 10 x 200000.00 less 5 %


def test_json_numbers_are_accepted_in_a_json_body(opencrm: OpenCRM) -> None:
    products = [
        {"lineid": 456, "quantity": 12},
        {"lineid": 0, "productid": 273, "listprice1": 24.99},
    ]
    body = {"crmid": 420, "products": products}
    assert post_json(opencrm, body, "application/json") == 420
    products = quote(opencrm)["products"]
    assert [(x["productid"], x["quantity"], x["listprice1"]) for x in products] == [
        ("271", "12.0", "229.00"),
        ("273", "1.0", "24.99"),
    ]


def test_without_products_the_lines_are_untouched(opencrm: OpenCRM) -> None:
    before = quote(opencrm)["products"]
    assert opencrm.call("edit_quote", crmid="420", subject="Renamed") == 420
    record = quote(opencrm)
    assert record["subject"] == "Renamed"
    assert record["products"] == before


@pytest.mark.parametrize("encoding", ["form", "json"])
def test_an_empty_products_array_removes_every_line(opencrm: OpenCRM, encoding: str) -> None:
    if encoding == "form":
        assert opencrm.call("edit_quote", crmid="420", products="[]") == 420
    else:
        assert post_json(opencrm, {"crmid": "420", "products": []}, "application/json") == 420
    record = quote(opencrm)
    assert record["products"] == []
    assert (record["subtotal"], record["tax_total"], record["total"]) == ("0.00", "0.00", "0.00")


# --- creating --------------------------------------------------------------------------------


def next_number(crm: OpenCRM, noun: str, number_field: str, prefix: str) -> str:
    listed = crm.call(f"get_{noun}_list")
    top = max(int(row[number_field].removeprefix(prefix)) for row in listed)
    return f"{prefix}{top + 1}"


@pytest.mark.parametrize(("noun", "_crmid", "record_module", "number_field", "prefix"), SALES)
def test_crmid_0_creates_a_sales_record_with_its_lines_and_a_record_number(
    opencrm: OpenCRM, noun: str, _crmid: str, record_module: str, number_field: str, prefix: str
) -> None:
    expected_number = next_number(opencrm, noun, number_field, prefix)
    products = [
        {"lineid": "0", "productid": "270", "quantity": "2", "listprice1": "1000"},
        {"lineid": "0", "productid": "273", "quantity": "3", "listprice1": "20"},
    ]
    crmid = opencrm.call(
        f"edit_{noun}", crmid="0", subject="New", assigned_user_id="3",
        products=json.dumps(products),
    )  # fmt: skip
    assert isinstance(crmid, int)
    record = opencrm.call(f"get_{noun}", crmid=str(crmid))
    assert record["record_module"] == record_module
    assert record[number_field] == expected_number
    assert re.fullmatch(rf"{prefix}\d+", record[number_field])
    assert [(x["productid"], x["linenumber"]) for x in record["products"]] == [
        ("270", "1"),
        ("273", "2"),
    ]
    assert record["subtotal"] == "2060.00"  # 2 x 1000.00 + 3 x 20.00
    assert record["total"] == "2472.00"  # plus 20 % VAT on both lines


def test_a_created_sales_record_without_products_has_no_lines_and_zero_totals(
    opencrm: OpenCRM,
) -> None:
    crmid = opencrm.call("edit_salesorder", crmid="0", subject="Empty order")
    record = opencrm.call("get_salesorder", crmid=str(crmid))
    assert record["products"] == []
    assert (record["subtotal"], record["total"]) == ("0.00", "0.00")


def test_a_create_with_an_invalid_line_creates_nothing_and_uses_no_number(
    opencrm: OpenCRM,
) -> None:
    expected_number = next_number(opencrm, "quote", "quote_no", "QUO")
    count = opencrm.call("get_quote_list_count")
    answer = opencrm.call(
        "edit_quote", crmid="0", subject="Broken",
        products=json.dumps([{"lineid": "0", "productid": "280"}]), check=False,
    )  # fmt: skip
    assert answer == {
        "error": "Invalid productid on line 1: product 280 does not exist or is deleted"
    }
    assert opencrm.call("get_quote_list_count") == count
    crmid = opencrm.call("edit_quote", crmid="0", subject="Fixed")
    assert quote(opencrm, str(crmid))["quote_no"] == expected_number


@pytest.mark.parametrize("crmid", ["999999", "440"])  # 440 is a sales order, not a quote
def test_an_edit_of_a_missing_record_says_so_before_checking_its_lines(
    opencrm: OpenCRM, crmid: str
) -> None:
    before = opencrm.call("get_salesorder", crmid="440")
    answer = opencrm.call(
        "edit_quote", crmid=crmid, products=json.dumps([{"lineid": "123"}]), check=False
    )
    assert answer == {"error": f"No Quotes record with id {crmid}"}
    assert opencrm.call("get_salesorder", crmid="440") == before


# --- audit -----------------------------------------------------------------------------------


def details(crm: OpenCRM, crmid: int = 420) -> list[tuple[str, str, str]]:
    last = crm.system.backend.audit_trail(crmid)[-1]
    return [(c["field"], c["old"], c["new"]) for c in last["changes"]]


def test_line_additions_changes_and_removals_are_audited(opencrm: OpenCRM) -> None:
    count = len(opencrm.system.backend.audit_trail(420))
    edit_lines(
        opencrm,
        [
            {"lineid": "123"},
            {"lineid": "456", "quantity": "12"},
            {"lineid": "789"},
            {"lineid": "0", "productid": "277"},
        ],
    )
    trail = opencrm.system.backend.audit_trail(420)
    assert len(trail) == count + 1
    assert trail[-1]["action"] == "Modified(API)"
    new_id = quote(opencrm)["products"][-1]["lineid"]
    found = details(opencrm)
    assert ("products[456].quantity", "10.0", "12.0") in found
    assert ("products[456].taxvalue", "458.00", "549.60") in found  # 12 x 229.00 x 20 %
    assert (f"products[{new_id}]", "", "productid 277 (Managed Support Plan (per device, annual))"
            ) in found  # fmt: skip
    assert ("products[910]", "productid 276 (On-site Engineer Day)", "") in found
    assert not [f for f, _, _ in found if f.startswith(("products[123]", "products[789]"))]


def test_the_audit_records_the_recomputed_totals(opencrm: OpenCRM) -> None:
    edit_lines(opencrm, [{"lineid": i} for i in GUIDE_LINES[:3]])
    found = details(opencrm)
    # 910 (2.5 x 650.00 = 1625.00 net, 325.00 VAT) removed from 15720.50 / 3144.10 / 18864.60.
    assert ("subtotal", "15720.50", "14095.50") in found
    assert ("tax_total", "3144.10", "2819.10") in found
    assert ("total", "18864.60", "16914.60") in found


def test_a_created_record_audits_its_added_lines(opencrm: OpenCRM) -> None:
    crmid = opencrm.call(
        "edit_quote", crmid="0", subject="New",
        products=json.dumps([{"lineid": "0", "productid": "278"}]),
    )  # fmt: skip
    (entry,) = opencrm.system.backend.audit_trail(crmid)
    assert (entry["action"], entry["status"]) == ("Modified(API)", 2)  # the guide's text
    lineid = quote(opencrm, str(crmid))["products"][0]["lineid"]
    found = [(c["field"], c["old"], c["new"]) for c in entry["changes"]]
    assert (f"products[{lineid}]", "", "productid 278 (Kestrel CRM User Guide (printed))") in found
