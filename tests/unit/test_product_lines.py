"""Product lines: parsing, validation, the edit plan and the arithmetic (emulator/product_lines).

Expected amounts are worked out by hand in each test, from data-model.md §4.4.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.domain.line_arithmetic import balance
from emulator.domain.product_lines import (
    COMPUTED,
    FROM_PRODUCT,
    LINE_FIELDS,
    RETAINED,
    SETTABLE,
    LineChange,
    LinePlan,
    ReferenceData,
    compute_line,
    compute_totals,
    line_net,
    parse_products,
    plan_lines,
)
from emulator.errors import InvalidProductLine

REF = ReferenceData.from_config(
    {
        "tax_classes": {"Standard": "20", "Reduced": "5", "Zero": "0"},
        "categories": ["Hardware", "Services"],
        "supply_types": ["Stock", "Drop Ship"],
        "commission_bands": {"Standard": "5", "High": "10"},
        "group_tax_rate": "20",
    }
)
PRODUCTS: dict[str, dict[str, str]] = {
    "6437": {
        "productname": "Widget",
        "description": "A blue widget",
        "taxclass": "standard",
        "prod_supplytype": "Stock",
        "commission_band": "High",
        "minimummargin": "15.00",
        "maximumdiscount": "10.00",
        "unit_price": "19.99",
        "buy_price": "12.00",
    },
    "6435": {
        "productname": "Gadget",
        "description": "A red gadget",
        "taxclass": "Reduced",
        "prod_supplytype": "Drop Ship",
        "commission_band": "Standard",
        "minimummargin": "5.00",
        "maximumdiscount": "0.00",
        "unit_price": "50.00",
        "buy_price": "30.00",
    },
}
COMPANIES = {"500"}


def plan(
    incoming: Sequence[Mapping[str, str]], existing: Sequence[Mapping[str, str]] = ()
) -> LinePlan:
    return plan_lines(
        existing,
        incoming,
        product=PRODUCTS.get,
        live_company=COMPANIES.__contains__,
        ref=REF,
    )


def stored(lineid: str, **fields: str) -> dict[str, str]:
    """A line as the store would hold it: planned as new, then given its lineid."""
    new = plan([{"lineid": "0", "productid": "6437", **fields}]).inserts[0]
    return {"lineid": lineid, **new}


def error(incoming: Sequence[Mapping[str, str]], existing: Sequence[Mapping[str, str]] = ()) -> str:
    with pytest.raises(InvalidProductLine) as caught:
        plan(incoming, existing)
    return caught.value.message


# --- field sets --------------------------------------------------------------------------------


def test_the_field_sets_partition_the_line_fields_apart_from_lineid_and_productname() -> None:
    groups = [SETTABLE, COMPUTED, FROM_PRODUCT, RETAINED]
    assert sum(len(g) for g in groups) + 2 == len(LINE_FIELDS) == len(set(LINE_FIELDS))
    assert set().union(*groups) | {"lineid", "productname"} == set(LINE_FIELDS)


def test_line_fields_use_the_correct_commission_amount_spelling() -> None:
    assert "commission_amount" in LINE_FIELDS
    assert "commmission_amount" not in LINE_FIELDS


def test_every_line_dict_planned_has_exactly_the_line_fields() -> None:
    result = plan([{"lineid": "0", "productid": "6437"}, {"lineid": "1"}], [stored("1")])
    assert list(result.updates[0]) == list(LINE_FIELDS)
    assert list(result.inserts[0]) == [f for f in LINE_FIELDS if f != "lineid"]


# --- the plan ----------------------------------------------------------------------------------


def test_the_guides_example_deletes_910_adds_one_line_and_amends_the_others_as_sent() -> None:
    existing = [stored(i, quantity="2") for i in ("123", "456", "789", "910")]
    result = plan(
        [
            {"lineid": "123", "description": "Updated from API"},
            {"lineid": "456", "quantity": "5"},
            {"lineid": "789", "productid": "6437"},
            {"lineid": "0", "productid": "6435"},
        ],
        existing,
    )
    assert result.deletes == ["910"]
    assert [line["lineid"] for line in result.updates] == ["123", "456", "789"]
    assert [line["productname"] for line in result.inserts] == ["Gadget"]
    first, second, third = result.updates
    assert first == {**existing[0], "description": "Updated from API"}
    assert second["quantity"] == "5.0"
    assert {k: v for k, v in second.items() if k != "quantity" and k not in COMPUTED} == {
        k: v for k, v in existing[1].items() if k != "quantity" and k not in COMPUTED
    }
    assert third == existing[2]


def test_an_amended_line_changes_only_the_fields_sent() -> None:
    old = stored("7", quantity="2", listprice1="10", buyprice="4", discount="5%", prd_cf_3="blue")
    (new,) = plan([{"lineid": "7", "listprice1": "12.5"}], [old]).updates
    changed = {k for k in LINE_FIELDS if new[k] != old[k]}
    assert changed == {"listprice1", "taxvalue", "margin_percent", "markup", "commission_amount"}
    assert new["listprice1"] == "12.50"
    assert (new["quantity"], new["discount"], new["prd_cf_3"]) == ("2.0", "5%", "blue")


def test_an_amended_line_may_omit_productid_and_keeps_its_product() -> None:
    (new,) = plan([{"lineid": "7", "quantity": "3"}], [stored("7")]).updates
    assert (new["productid"], new["productname"]) == ("6437", "Widget")


def test_sending_another_productid_rereads_only_the_product_derived_fields() -> None:
    (new,) = plan([{"lineid": "7", "productid": "6435"}], [stored("7")]).updates
    assert (new["productid"], new["productname"]) == ("6435", "Gadget")
    assert (new["minimummargin"], new["maximumdiscount"]) == ("5.00", "0.00")
    assert (new["description"], new["taxclass"]) == ("A blue widget", "Standard")


def test_a_new_line_takes_its_defaults_from_the_product_but_not_its_prices() -> None:
    (line,) = plan([{"lineid": "0", "productid": "6437"}]).inserts
    assert line["productname"] == "Widget"
    assert line["description"] == "A blue widget"
    assert line["taxclass"] == "Standard"  # the configured spelling of the product's "standard"
    assert (line["supplytype"], line["commission_band"]) == ("Stock", "High")
    assert (line["minimummargin"], line["maximumdiscount"]) == ("15.00", "10.00")
    assert line["quantity"] == "1.0"
    assert (line["listprice1"], line["buyprice"]) == ("0.00", "0.00")  # unit_price not copied
    assert (line["discount"], line["category"], line["supplierid"]) == ("", "", "")


def test_supplementary_prices_default_to_zero_and_are_never_converted() -> None:
    (line,) = plan(
        [{"lineid": "0", "productid": "6437", "listprice1": "100", "buyprice": "60"}]
    ).inserts
    supplementary = [f"listprice{n}" for n in range(2, 6)] + [f"buyprice{n}" for n in range(2, 6)]
    assert {line[f] for f in supplementary} == {"0.00"}
    assert (line["listprice1"], line["buyprice"]) == ("100.00", "60.00")


def test_values_sent_on_a_new_line_win_over_the_product_defaults() -> None:
    sent = {"description": "", "taxclass": "zero", "supplytype": "drop ship", "quantity": "4"}
    (line,) = plan([{"lineid": "0", "productid": "6437", **sent}]).inserts
    assert (line["description"], line["taxclass"]) == ("", "Zero")
    assert (line["supplytype"], line["quantity"]) == ("Drop Ship", "4.0")


def test_new_lines_get_blank_retained_fields_and_remaining_quantity_equal_to_quantity() -> None:
    (line,) = plan([{"lineid": "0", "productid": "6437", "quantity": "2.5"}]).inserts
    assert {f: line[f] for f in sorted(RETAINED)} == {
        "despatched_quantity": "0",
        "pricebookid": "",
        "remaining_quantity": "2.5",
        "saved_pricing_tier": "",
        "saved_pricing_used": "0",
    }


def test_amended_lines_keep_their_retained_values() -> None:
    old = {**stored("7"), "pricebookid": "42", "despatched_quantity": "1.0"}
    (new,) = plan([{"lineid": "7", "quantity": "9", "pricebookid": "1"}], [old]).updates
    assert (new["pricebookid"], new["despatched_quantity"]) == ("42", "1.0")
    assert new["remaining_quantity"] == old["remaining_quantity"] == "1.0"


def test_new_lines_are_numbered_after_the_current_last_line_in_the_order_sent() -> None:
    existing = [stored("1", linenumber="1"), stored("2", linenumber="4")]
    result = plan(
        [
            {"lineid": "1"},
            {"lineid": "2"},
            {"lineid": "0", "productid": "6437"},
            {"lineid": "0", "productid": "6437", "linenumber": "9"},
            {"lineid": "0", "productid": "6437", "linenumber": ""},
        ],
        existing,
    )
    assert [line["linenumber"] for line in result.inserts] == ["10", "9", "11"]


def test_an_empty_array_removes_every_line() -> None:
    result = plan([], [stored("1"), stored("2")])
    assert (result.updates, result.inserts, result.deletes) == ([], [], ["1", "2"])


def test_lineids_are_matched_as_numbers_whether_sent_as_text_or_with_zeros() -> None:
    result = plan([{"lineid": "0123"}, {"lineid": "00", "productid": "6437"}], [stored("123")])
    assert [line["lineid"] for line in result.updates] == ["123"]
    assert len(result.inserts) == 1


def test_field_names_match_case_insensitively() -> None:
    (line,) = plan([{"LineID": "0", "ProductID": "6437", "Quantity": "2"}]).inserts
    assert line["quantity"] == "2.0"


def test_the_changes_list_every_amended_field_and_each_added_and_removed_line() -> None:
    existing = [stored("1", quantity="1", listprice1="10"), stored("2")]
    result = plan(
        [{"lineid": "1", "quantity": "2"}, {"lineid": "0", "productid": "6435"}], existing
    )
    assert LineChange("products[1].quantity", "1.0", "2.0", "amended") in result.changes
    assert {c.field for c in result.changes if c.action == "amended"} >= {
        "products[1].quantity",
        "products[1].taxvalue",
    }
    assert LineChange("products[new:2]", "", "productid 6435 (Gadget)", "added") in result.changes
    assert LineChange("products[2]", "productid 6437 (Widget)", "", "removed") in result.changes


def test_an_unchanged_resend_plans_no_changes() -> None:
    existing = [stored("1", quantity="3", listprice1="9.99")]
    result = plan([{"lineid": "1", "quantity": "3", "listprice1": "9.99"}], existing)
    assert result.changes == []
    assert result.updates == existing


# --- ignored fields ----------------------------------------------------------------------------


def test_read_only_and_unknown_fields_are_ignored_and_reported() -> None:
    sent = {
        "lineid": "7",
        "productname": "Renamed",
        "taxvalue": "999",
        "commmission_amount": "1",
        "minimummargin": "99",
        "pricebookid": "3",
        "colour": "red",
        "description": "kept",
    }
    result = plan([sent, {"lineid": "0", "productid": "6437", "taxvalue": "1"}], [stored("7")])
    assert result.ignored == (
        "productname",
        "taxvalue",
        "commission_amount",
        "minimummargin",
        "pricebookid",
        "colour",
    )
    (line,) = result.updates
    assert (line["productname"], line["minimummargin"], line["pricebookid"]) == (
        "Widget",
        "15.00",
        "",
    )
    assert line["description"] == "kept"


def test_nothing_is_reported_when_only_settable_fields_are_sent() -> None:
    assert plan([{"lineid": "0", "productid": "6437", "quantity": "1"}]).ignored == ()


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"productid": "6437"}, "Invalid lineid on line 1: lineid is required (0 adds a line)"),
        ({"lineid": "0"}, "Invalid productid on line 1: productid is required"),
        ({"lineid": "0", "productid": ""}, "Invalid productid on line 1: productid is required"),
        (
            {"lineid": "0", "productid": "999"},
            "Invalid productid on line 1: product 999 does not exist or is deleted",
        ),
        (
            {"lineid": "0", "productid": "6437", "quantity": "two"},
            'Invalid quantity on line 1: "two" is not a number',
        ),
        (
            {"lineid": "0", "productid": "6437", "quantity": ""},
            'Invalid quantity on line 1: "" is not a number',
        ),
        (
            {"lineid": "0", "productid": "6437", "quantity": "1e20"},
            'Invalid quantity on line 1: "1e20" is out of range',
        ),
        (
            {"lineid": "0", "productid": "6437", "listprice1": "£10"},
            'Invalid listprice1 on line 1: "£10" is not a number',
        ),
        (
            {"lineid": "0", "productid": "6437", "buyprice3": "1,000"},
            'Invalid buyprice3 on line 1: "1,000" is not a number',
        ),
        (
            {"lineid": "0", "productid": "6437", "discount": "ten"},
            'Invalid discount on line 1: "ten" is not a number or a percentage such as "10%"',
        ),
        (
            {"lineid": "0", "productid": "6437", "discount": "%"},
            'Invalid discount on line 1: "%" is not a number or a percentage such as "10%"',
        ),
        (
            {"lineid": "0", "productid": "6437", "taxclass": "Luxury"},
            'Invalid taxclass on line 1: "Luxury" is not a configured tax class',
        ),
        (
            {"lineid": "0", "productid": "6437", "category": "Toys"},
            'Invalid category on line 1: "Toys" is not a configured category',
        ),
        (
            {"lineid": "0", "productid": "6437", "supplytype": "Air"},
            'Invalid supplytype on line 1: "Air" is not a configured supply type',
        ),
        (
            {"lineid": "0", "productid": "6437", "commission_band": "Huge"},
            'Invalid commission_band on line 1: "Huge" is not a configured commission band',
        ),
        (
            {"lineid": "0", "productid": "6437", "supplierid": "501"},
            "Invalid supplierid on line 1: company 501 does not exist or is deleted",
        ),
        (
            {"lineid": "0", "productid": "6437", "contract_term": "12.5"},
            'Invalid contract_term on line 1: "12.5" is not a whole number',
        ),
        (
            {"lineid": "0", "productid": "6437", "linenumber": "first"},
            'Invalid linenumber on line 1: "first" is not a whole number',
        ),
        ({"lineid": "99"}, "Invalid lineid on line 1: 99 is not a line of this record"),
        ({"lineid": "abc"}, "Invalid lineid on line 1: abc is not a line of this record"),
        (
            {"lineid": "7", "productid": "1"},
            "Invalid productid on line 1: product 1 does not exist or is deleted",
        ),
        ({"lineid": "7", "productid": ""}, "Invalid productid on line 1: productid is required"),
    ],
)
def test_each_invalid_line_is_rejected_with_a_message_naming_field_and_line(
    line: dict[str, str], message: str
) -> None:
    assert error([line], [stored("7")]) == message


def test_the_same_lineid_sent_twice_is_rejected() -> None:
    message = error([{"lineid": "7"}, {"lineid": "007"}], [stored("7")])
    assert message == "Invalid lineid on line 2: line 007 is sent more than once"


def test_blank_optional_fields_are_accepted_and_blank_the_field() -> None:
    blanks = dict.fromkeys(
        ["taxclass", "category", "supplytype", "commission_band", "supplierid", "contract_term"],
        "",
    )
    old = stored("7", category="Hardware", supplierid="500", contract_term="12")
    (new,) = plan([{"lineid": "7", "discount": "", "listprice2": "", **blanks}], [old]).updates
    assert {new[f] for f in blanks} == {""}
    assert (new["discount"], new["listprice2"], new["taxpercent"]) == ("", "0.00", "0.00")


def test_valid_optional_fields_are_normalised() -> None:
    sent = {
        "lineid": "0",
        "productid": " 6437 ",
        "category": "hardware",
        "supplierid": "500",
        "contract_term": " 24 ",
        "discount": " 12.5 %",
        "listprice1": "19.995",
        "linenumber": "+3",
    }
    (line,) = plan([sent]).inserts
    assert (line["productid"], line["category"], line["contract_term"]) == (
        "6437",
        "Hardware",
        "24",
    )
    assert (line["discount"], line["listprice1"], line["linenumber"]) == ("12.5%", "20.00", "3")


def test_a_plain_discount_is_stored_as_an_amount_with_two_decimals() -> None:
    (line,) = plan([{"lineid": "0", "productid": "6437", "discount": "5"}]).inserts
    assert line["discount"] == "5.00"


def test_all_lines_are_validated_before_anything_is_planned() -> None:
    looked_up: list[str] = []

    def product(productid: str) -> Mapping[str, str] | None:
        looked_up.append(productid)
        return PRODUCTS.get(productid)

    incoming = [{"lineid": "7", "quantity": "2"}, {"lineid": "0", "productid": "6437"}]
    with pytest.raises(InvalidProductLine, match="on line 3"):
        plan_lines(
            [stored("7")],
            [*incoming, {"lineid": "0", "productid": "6437", "quantity": "x"}],
            product=product,
            live_company=COMPANIES.__contains__,
            ref=REF,
        )
    assert looked_up == ["6437", "6437"]  # validated lines 2 and 3, built nothing


def test_the_first_invalid_line_in_array_order_is_the_one_reported() -> None:
    incoming = [
        {"lineid": "0", "productid": "6437"},
        {"lineid": "0", "productid": "6437", "taxclass": "Nope"},
        {"lineid": "0", "productid": "999"},
    ]
    assert error(incoming).startswith("Invalid taxclass on line 2:")


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("2", "2.0"),
        ("2.5", "2.5"),
        ("2.25", "2.3"),
        ("2.24", "2.2"),
        ("2.05", "2.1"),
        ("0.04", "0.0"),
        ("-1.25", "-1.3"),
        ("1e1", "10.0"),
        (" 3 ", "3.0"),
    ],
)
def test_quantity_keeps_one_decimal_rounding_half_up(sent: str, kept: str) -> None:
    (line,) = plan([{"lineid": "0", "productid": "6437", "quantity": sent}]).inserts
    assert line["quantity"] == kept


# --- parse_products ----------------------------------------------------------------------------


def test_parse_products_reads_a_json_array_string_keeping_numbers_as_written() -> None:
    text = '[{"lineid": 0, "productid": "6437", "quantity": 2.50, "discount": null, "x": true}]'
    assert parse_products(text) == [
        {"lineid": "0", "productid": "6437", "quantity": "2.50", "discount": "", "x": "1"}
    ]


def test_parse_products_reads_a_list_from_a_json_body() -> None:
    value: list[Any] = [{"lineid": 268, "listprice1": 200000, "quantity": 1.5, "d": None}]
    assert parse_products(value) == [
        {"lineid": "268", "listprice1": "200000", "quantity": "1.5", "d": ""}
    ]


def test_parse_products_never_renders_floats_in_exponent_form() -> None:
    assert parse_products([{"listprice1": 1e16, "buyprice": 1e-5}]) == [
        {"listprice1": "10000000000000000", "buyprice": "0.00001"}
    ]


def test_parse_products_accepts_an_empty_array() -> None:
    assert parse_products("[]") == []
    assert parse_products([]) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[{", "Invalid products: not valid JSON"),
        ("", "Invalid products: not valid JSON"),
        ('[{"quantity": NaN}]', "Invalid products: not valid JSON"),
        ('{"lineid": "0"}', "Invalid products: expected a JSON array of product lines"),
        ('"[]"', "Invalid products: expected a JSON array of product lines"),
        (5, "Invalid products: expected a JSON array of product lines"),
        (None, "Invalid products: expected a JSON array of product lines"),
        ({"lineid": "0"}, "Invalid products: expected a JSON array of product lines"),
        ('[{"lineid": "0"}, 7]', "Invalid products: line 2 is not a JSON object"),
        ([["lineid", "0"]], "Invalid products: line 1 is not a JSON object"),
        (
            '[{"lineid": "0", "quantity": [1]}]',
            "Invalid products: line 1 field quantity is not a single value",
        ),
    ],
)
def test_parse_products_rejects_anything_but_an_array_of_objects(
    value: object, message: str
) -> None:
    with pytest.raises(InvalidProductLine) as caught:
        parse_products(value)
    assert caught.value.message == message


# --- reference data ----------------------------------------------------------------------------


def test_reference_data_reads_its_config_and_matches_names_case_insensitively() -> None:
    assert REF.tax_classes == {"Standard": Decimal(20), "Reduced": Decimal(5), "Zero": Decimal(0)}
    assert REF.canonical("supply_types", " drop SHIP ") == "Drop Ship"
    assert REF.canonical("categories", "Toys") is None
    assert REF.tax_rate("STANDARD") == Decimal(20)
    assert REF.commission_rate("") == Decimal(0)
    assert REF.group_tax_rate == Decimal(20)


def test_reference_data_defaults_to_uk_vat_classes() -> None:
    ref = ReferenceData.from_config({})
    assert ref.tax_classes == {
        "Standard": Decimal(20),
        "Reduced": Decimal(5),
        "Zero": Decimal(0),
        "Exempt": Decimal(0),
    }
    assert (ref.categories, ref.supply_types, dict(ref.commission_bands)) == (
        frozenset(),
        frozenset(),
        {},
    )


def test_reference_data_rejects_a_non_numeric_rate() -> None:
    with pytest.raises(ValueError, match="Luxury"):
        ReferenceData.from_config({"tax_classes": {"Luxury": "lots"}})


# --- line arithmetic ---------------------------------------------------------------------------


def line(**fields: str) -> dict[str, str]:
    return {"quantity": "1.0", "listprice1": "0.00", "buyprice": "0.00", "discount": "", **fields}


def computed(values: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in compute_line(values, REF).items() if k in COMPUTED}


def test_a_percentage_discount_line_worked_by_hand() -> None:
    # gross 3 x 19.99 = 59.97; discount 10% = 5.997 -> 6.00; net 53.97; tax 20% = 10.794 -> 10.79
    # cost 3 x 12.00 = 36.00; margin 17.97; margin% 17.97/53.97 = 33.296% -> 33.30
    # markup 17.97/36.00 = 49.917% -> 49.92; commission 5% of 53.97 = 2.6985 -> 2.70
    values = line(quantity="3.0", listprice1="19.99", discount="10%", buyprice="12.00")
    values |= {"taxclass": "Standard", "commission_band": "Standard"}
    assert line_net(values) == Decimal("53.97")
    assert computed(values) == {
        "taxpercent": "20.00",
        "taxvalue": "10.79",
        "margin_percent": "33.30",
        "markup": "49.92",
        "commission_percent": "5.00",
        "commission_amount": "2.70",
    }


def test_a_fixed_amount_discount_applies_to_the_whole_line_and_zero_cost_gives_zero_markup() -> (
    None
):
    # gross 2 x 50.00 = 100.00; discount 15.00 (not per unit); net 85.00; tax 5% = 4.25
    # cost 0: markup 0; margin 85.00 = 100% of net; no commission band: 0
    values = line(quantity="2.0", listprice1="50.00", discount="15.00", taxclass="reduced")
    assert line_net(values) == Decimal("85.00")
    assert computed(values) == {
        "taxpercent": "5.00",
        "taxvalue": "4.25",
        "margin_percent": "100.00",
        "markup": "0.00",
        "commission_percent": "0.00",
        "commission_amount": "0.00",
    }


def test_a_zero_net_line_has_zero_margin_percent_and_a_negative_markup() -> None:
    # gross 10.00, discount 100% -> net 0; cost 4.00; margin -4.00; markup -4/4 = -100%
    values = line(listprice1="10", discount="100%", buyprice="4", taxclass="Standard")
    got = computed(values)
    assert (got["taxvalue"], got["margin_percent"], got["markup"]) == ("0.00", "0.00", "-100.00")


def test_compute_line_keeps_the_other_fields_and_treats_unknown_classes_as_zero() -> None:
    values = line(listprice1="10", taxclass="Removed", commission_band="Gone", prd_cf_1="x")
    result = compute_line(values, REF)
    assert (result["prd_cf_1"], result["taxpercent"], result["commission_amount"]) == (
        "x",
        "0.00",
        "0.00",
    )


# --- document totals ---------------------------------------------------------------------------

LINE_A = line(
    quantity="3.0", listprice1="19.99", discount="10%", buyprice="12.00", taxclass="Standard"
)  # net 53.97, tax 10.79
LINE_B = line(
    quantity="2.0", listprice1="50.00", discount="15.00", taxclass="Reduced"
)  # net 85.00, tax 4.25


def test_individual_totals_scale_line_tax_by_the_overall_discount_and_add_s_and_h() -> None:
    # subtotal 53.97 + 85.00 = 138.97; 10% overall discount = 13.897 -> 13.90; after 125.07
    # line tax 10.79 + 4.25 = 15.04, scaled 15.04 x 125.07 / 138.97 = 13.5357 -> 13.54
    # S&H 10.00 at 20% = 2.00; tax_total 15.54; pre-tax 125.07 + 10.00 = 135.07
    # total 135.07 + 15.54 - 0.07 = 150.54
    header = {"discount_percent": "10", "s_h_amount": "10", "s_h_percent": "20"}
    assert compute_totals({**header, "adjustment": "-0.07"}, [LINE_A, LINE_B], REF) == {
        "subtotal": "138.97",
        "tax_total": "15.54",
        "pre_tax_total": "135.07",
        "total": "150.54",
    }


def test_individual_totals_without_an_overall_discount_sum_the_line_tax() -> None:
    assert compute_totals({}, [LINE_A, LINE_B], REF) == {
        "subtotal": "138.97",
        "tax_total": "15.04",
        "pre_tax_total": "138.97",
        "total": "154.01",
    }


def test_group_totals_tax_the_discounted_subtotal_at_the_group_rate() -> None:
    # subtotal 138.97 - discount_amount 8.97 = 130.00; group tax 20% = 26.00; total 156.00
    header = {"taxtype": "group", "discount_amount": "8.97"}
    assert compute_totals(header, [LINE_A, LINE_B], REF) == {
        "subtotal": "138.97",
        "tax_total": "26.00",
        "pre_tax_total": "130.00",
        "total": "156.00",
    }


def test_discount_percent_wins_over_discount_amount() -> None:
    header = {"discount_percent": "10", "discount_amount": "50"}
    assert compute_totals(header, [LINE_A, LINE_B], REF)["pre_tax_total"] == "125.07"


def test_blank_or_non_numeric_header_money_counts_as_zero() -> None:
    header = {
        "discount_percent": "",
        "discount_amount": "lots",
        "s_h_amount": "n/a",
        "adjustment": "",
    }
    assert compute_totals(header, [LINE_A], REF) == {
        "subtotal": "53.97",
        "tax_total": "10.79",
        "pre_tax_total": "53.97",
        "total": "64.76",
    }


def test_a_document_without_lines_totals_its_s_and_h_and_adjustment() -> None:
    header = {"s_h_amount": "5", "s_h_percent": "20", "adjustment": "1", "discount_percent": "50"}
    assert compute_totals(header, [], REF) == {
        "subtotal": "0.00",
        "tax_total": "1.00",
        "pre_tax_total": "5.00",
        "total": "7.00",
    }


def test_the_balance_is_the_total_less_what_was_received() -> None:
    assert balance("150.54", "100") == "50.54"
    assert balance("150.54", "") == "150.54"  # nothing received yet
    assert balance("150.54", "150.54") == "0.00"
    assert balance("150.54", "200.005") == "-49.47"  # overpaid; received rounded half-up


# --- property ----------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=10_000, places=2)
quantities = st.decimals(min_value=0, max_value=1_000, places=1)
percents = st.decimals(min_value=0, max_value=100, places=2)


@st.composite
def sent_lines(draw: st.DrawFn) -> dict[str, str]:
    quantity, price = draw(quantities), draw(money)
    amount = draw(st.decimals(min_value=0, max_value=quantity * price, places=2))
    discount = draw(st.sampled_from(["", f"{draw(percents)}%", str(amount)]))
    return {
        "lineid": "0",
        "productid": draw(st.sampled_from(sorted(PRODUCTS))),
        "quantity": str(quantity),
        "listprice1": str(price),
        "buyprice": str(draw(money)),
        "discount": discount,
        "taxclass": draw(st.sampled_from(["", "Standard", "Reduced", "Zero"])),
    }


@settings(database=None, max_examples=150, deadline=None)
@given(
    incoming=st.lists(sent_lines(), max_size=6),
    discount_percent=percents,
    s_h=money,
    s_h_percent=percents,
    adjustment=money,
    taxtype=st.sampled_from(["individual", "group", ""]),
)
def test_subtotal_is_the_sum_of_line_nets_and_total_is_never_negative(
    incoming: list[dict[str, str]],
    discount_percent: Decimal,
    s_h: Decimal,
    s_h_percent: Decimal,
    adjustment: Decimal,
    taxtype: str,
) -> None:
    lines = plan(incoming).inserts
    header = {
        "discount_percent": str(discount_percent),
        "s_h_amount": str(s_h),
        "s_h_percent": str(s_h_percent),
        "adjustment": str(adjustment),
        "taxtype": taxtype,
    }
    totals = compute_totals(header, lines, REF)
    assert Decimal(totals["subtotal"]) == sum((line_net(x) for x in lines), Decimal(0))
    assert Decimal(totals["total"]) >= 0
    assert Decimal(totals["total"]) == (
        Decimal(totals["pre_tax_total"]) + Decimal(totals["tax_total"]) + adjustment
    )
