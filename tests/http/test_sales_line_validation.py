"""Invalid product lines through HTTP: each documented check answers a clear ``{"error": ...}``
and writes nothing at all, header included (guide, "Product line fields"; one transaction)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emulator.pytest_plugin import OpenCRM

# Lines 1 and 2 of every failing call are valid: an amendment and an addition.
VALID_FIRST = [
    {"lineid": "123", "description": "Changed", "quantity": "11"},
    {"lineid": "0", "productid": "273", "quantity": "2"},
]
# (line 3 as sent, the error answered). Fixtures: product 280 and company 108 are deleted,
# 100 is a company, 150 a contact, and lineid 1001 belongs to quote 421.
INVALID_LINES = [
    ({"lineid": "0"}, "Invalid productid on line 3: productid is required"),
    ({"lineid": "0", "productid": ""}, "Invalid productid on line 3: productid is required"),
    (
        {"lineid": "0", "productid": "999999"},
        "Invalid productid on line 3: product 999999 does not exist or is deleted",
    ),
    (
        {"lineid": "0", "productid": "280"},
        "Invalid productid on line 3: product 280 does not exist or is deleted",
    ),
    (
        {"lineid": "0", "productid": "100"},
        "Invalid productid on line 3: product 100 does not exist or is deleted",
    ),
    (
        {"lineid": "456", "productid": "280"},
        "Invalid productid on line 3: product 280 does not exist or is deleted",
    ),
    (
        {"lineid": "1001", "quantity": "1"},
        "Invalid lineid on line 3: 1001 is not a line of this record",
    ),
    (
        {"lineid": "999999"},
        "Invalid lineid on line 3: 999999 is not a line of this record",
    ),
    ({"productid": "270"}, "Invalid lineid on line 3: lineid is required (0 adds a line)"),
    ({"lineid": "123"}, "Invalid lineid on line 3: line 123 is sent more than once"),
    ({"lineid": "456", "quantity": "ten"}, 'Invalid quantity on line 3: "ten" is not a number'),
    ({"lineid": "456", "quantity": "1,5"}, 'Invalid quantity on line 3: "1,5" is not a number'),
    ({"lineid": "456", "quantity": ""}, 'Invalid quantity on line 3: "" is not a number'),
    (
        {"lineid": "456", "discount": "ten"},
        'Invalid discount on line 3: "ten" is not a number or a percentage such as "10%"',
    ),
    (
        {"lineid": "456", "discount": "10%%"},
        'Invalid discount on line 3: "10%%" is not a number or a percentage such as "10%"',
    ),
    (
        {"lineid": "456", "taxclass": "Luxury"},
        'Invalid taxclass on line 3: "Luxury" is not a configured tax class',
    ),
    (
        {"lineid": "456", "category": "Groceries"},
        'Invalid category on line 3: "Groceries" is not a configured category',
    ),
    (
        {"lineid": "456", "supplytype": "Teleport"},
        'Invalid supplytype on line 3: "Teleport" is not a configured supply type',
    ),
    (
        {"lineid": "456", "commission_band": "Gold"},
        'Invalid commission_band on line 3: "Gold" is not a configured commission band',
    ),
    (
        {"lineid": "456", "supplierid": "108"},
        "Invalid supplierid on line 3: company 108 does not exist or is deleted",
    ),
    (
        {"lineid": "456", "supplierid": "150"},
        "Invalid supplierid on line 3: company 150 does not exist or is deleted",
    ),
    (
        {"lineid": "456", "supplierid": "999999"},
        "Invalid supplierid on line 3: company 999999 does not exist or is deleted",
    ),
    (
        {"lineid": "456", "contract_term": "12.5"},
        'Invalid contract_term on line 3: "12.5" is not a whole number',
    ),
    (
        {"lineid": "456", "contract_term": "twelve"},
        'Invalid contract_term on line 3: "twelve" is not a whole number',
    ),
    (
        {"lineid": "456", "listprice1": "£10"},
        'Invalid listprice1 on line 3: "£10" is not a number',
    ),
    # A whole number must fit the store's integers: a 100-digit one was stored as a float,
    # read back as "1.0e+100" and sorted after the next new line (issue 12).
    (
        {"lineid": "456", "linenumber": "1" + "0" * 99},
        'Invalid linenumber on line 3: "1000000000000000000000000000000000000000..."'
        " (100 characters) is out of range",
    ),
    (
        {"lineid": "456", "contract_term": "9" * 16},
        'Invalid contract_term on line 3: "9999999999999999" is out of range',
    ),
    (
        {"lineid": "456", "quantity": "9" * 5000},
        'Invalid quantity on line 3: "9999999999999999999999999999999999999999..."'
        " (5000 characters) is out of range",
    ),
]


def snapshot(crm: OpenCRM, crmid: int = 420) -> tuple[bytes, int]:
    """The record as a client reads it, byte for byte, and the length of its audit trail."""
    data = {"key": crm.key, "passkey": crm.passkey, "crmid": str(crmid)}
    body = crm.client.post("/api/rest/get_quote", data=data).content
    return body, len(crm.system.backend.audit_trail(crmid))


def edit(crm: OpenCRM, products: Any, **fields: str) -> Any:
    text = products if isinstance(products, str) else json.dumps(products)
    return crm.call("edit_quote", crmid="420", products=text, **fields, check=False)


@pytest.mark.parametrize(("line", "error"), INVALID_LINES)
def test_an_invalid_third_line_answers_the_error_and_writes_nothing(
    opencrm: OpenCRM, line: dict[str, str], error: str
) -> None:
    before = snapshot(opencrm)
    opencrm.system.clock.advance(3600)  # a write would change modifiedtime
    answer = edit(
        opencrm, [*VALID_FIRST, line], subject="Changed", hdnDiscountPercent="10", s_h_amount="9"
    )
    assert answer == {"error": error}
    assert snapshot(opencrm) == before


def test_valid_lines_alone_are_written_so_the_checks_above_compare_something(
    opencrm: OpenCRM,
) -> None:
    before = snapshot(opencrm)
    opencrm.system.clock.advance(3600)
    assert edit(opencrm, VALID_FIRST, subject="Changed") == 420
    after = snapshot(opencrm)
    assert after[0] != before[0]
    assert after[1] == before[1] + 1


@pytest.mark.parametrize(
    ("products", "error"),
    [
        ("not json", "Invalid products: not valid JSON"),
        ('{"lineid": "123"}', "Invalid products: expected a JSON array of product lines"),
        ('["123"]', "Invalid products: line 1 is not a JSON object"),
        ('[{"lineid": "123", "description": ["a"]}]',
         "Invalid products: line 1 field description is not a single value"),
    ],
)  # fmt: skip
def test_a_malformed_products_value_answers_an_error_and_writes_nothing(
    opencrm: OpenCRM, products: str, error: str
) -> None:
    before = snapshot(opencrm)
    assert edit(opencrm, products, subject="Changed") == {"error": error}
    assert snapshot(opencrm) == before


def test_the_first_invalid_line_is_the_one_reported(opencrm: OpenCRM) -> None:
    answer = edit(
        opencrm,
        [{"lineid": "123", "quantity": "x"}, {"lineid": "0"}, {"lineid": "456", "taxclass": "No"}],
    )
    assert answer == {"error": 'Invalid quantity on line 1: "x" is not a number'}


def test_an_invalid_line_in_a_json_body_writes_nothing(opencrm: OpenCRM) -> None:
    before = snapshot(opencrm)
    body = {
        "key": opencrm.key,
        "passkey": opencrm.passkey,
        "crmid": "420",
        "subject": "A new one",
        "products": [*VALID_FIRST, {"lineid": "0", "productid": "280"}],
    }
    response = opencrm.client.post(
        "/api/rest/edit_quote", content=json.dumps(body), headers={"Content-Type": "text/plain"}
    )
    assert response.json() == {
        "error": "Invalid productid on line 3: product 280 does not exist or is deleted"
    }
    assert snapshot(opencrm) == before


def test_an_error_is_answered_with_http_200_and_journalled(opencrm: OpenCRM) -> None:
    data = {"key": opencrm.key, "passkey": opencrm.passkey, "crmid": "420"}
    products = json.dumps([{"lineid": "0", "productid": "280"}])
    response = opencrm.client.post("/api/rest/edit_quote", data={**data, "products": products})
    assert response.status_code == 200
    entry = opencrm.system.control.journal.entries("edit_quote")[-1]
    assert entry.response == {
        "error": "Invalid productid on line 1: product 280 does not exist or is deleted"
    }


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("discount", "10", "10.00"),
        ("discount", "10%", "10%"),
        ("discount", "12.5 %", "12.5%"),
        ("discount", "", ""),
        ("taxclass", "reduced", "Reduced"),
        ("category", "software", "Software"),
        ("supplytype", "drop ship", "Drop Ship"),
        ("commission_band", "PREMIUM", "Premium"),
        ("supplierid", "105", "105"),
        ("supplierid", "", ""),
        ("contract_term", "24", "24"),
        ("contract_term", "", ""),
        ("quantity", "4", "4.0"),
        ("quantity", "1e1", "10.0"),
    ],
)
def test_valid_values_of_checked_fields_are_accepted_and_stored(
    opencrm: OpenCRM, field: str, value: str, stored: str
) -> None:
    answer = edit(opencrm, [{"lineid": "456", field: value}])
    assert answer == 420
    (line,) = opencrm.call("get_quote", crmid="420")["products"]
    assert line[field] == stored


def test_the_largest_whole_linenumber_allowed_keeps_its_digits_and_its_order(
    opencrm: OpenCRM,
) -> None:
    largest = "9" * 15
    lines = [{"lineid": "123", "linenumber": largest}, {"lineid": "0", "productid": "273"}]
    assert edit(opencrm, lines) == 420
    numbers = [line["linenumber"] for line in opencrm.call("get_quote", crmid="420")["products"]]
    assert numbers == [largest, str(int(largest) + 1)]
