"""The hand-written fixtures in ``fixtures/``: shape, ids, references, picklists and field names.

The emulator loads these files at start, and docs and tests rely on the named records in them,
so every value must be one the emulator would itself produce: API field names from the module
registry, wire formats from data-model.md §1.3, references to records that exist.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

#: Each module's crmid range (fixtures/README.md).
RANGES: dict[str, range] = {
    "company": range(100, 150),
    "contact": range(150, 200),
    "lead": range(200, 230),
    "opportunity": range(230, 260),
    "campaign": range(260, 270),
    "product": range(270, 300),
    "activity": range(300, 330),
    "project": range(330, 350),
    "ticket": range(350, 380),
    "asset": range(380, 400),
    "contract": range(400, 420),
    "quote": range(420, 440),
    "salesorder": range(440, 460),
    "invoice": range(460, 480),
    "purchaseorder": range(480, 500),
}
NOUNS = tuple(RANGES)
SALES_NOUNS = ("quote", "salesorder", "invoice", "purchaseorder")
#: Modules with exactly one soft-deleted record, for soft-delete tests.
WITH_ONE_DELETED = ("company", "contact", "product")

#: Keys of a fixture record that are not fields: the id, the soft-delete flag, the product lines.
NOT_FIELDS = frozenset({"crmid", "deleted", "products"})
#: Read-only fields a fixture may still set (the loader keeps them as given).
SETTABLE_READ_ONLY = frozenset({"createdtime", "modifiedtime"})
#: Record numbers and computed totals: the emulator assigns them, fixtures must not.
ASSIGNED_BY_EMULATOR = frozenset(
    {
        *(
            f"{n}_no"
            for n in ("lead", "contact", "account", "potential", "ticket", "quote", "salesorder")
        ),
        *(f"{n}_no" for n in ("invoice", "purchaseorder", "product", "campaign", "contract")),
        "asset_no",
        "projectnum",
        "subtotal",
        "tax_total",
        "pre_tax_total",
        "total",
    }
)

#: Product-line fields a fixture may set (data-model.md §4.2, the settable ones).
LINE_FIELDS = frozenset(
    {
        "lineid",
        "linenumber",
        "productid",
        "quantity",
        "description",
        "category",
        "taxclass",
        "discount",
        "supplierid",
        "supplytype",
        "contract_term",
        "commission_band",
        *(f"listprice{i}" for i in range(1, 6)),
        "buyprice",
        *(f"buyprice{i}" for i in range(2, 6)),
        *(f"prd_cf_{i}" for i in range(1, 11)),
    }
)
LINE_REQUIRED = ("lineid", "linenumber", "productid", "quantity", "listprice1", "taxclass")

#: Product fields whose values are the system's configured reference data, not fixed picklists.
FROM_REFERENCE = {
    "taxclass": "tax_classes",
    "prod_supplytype": "supply_types",
    "commission_band": "commission_bands",
}

EXAMPLE_DOMAIN = re.compile(r"@([a-z0-9-]+\.)*example\.(co\.uk|com)$")
DIGITS = re.compile(r"-?\d+")
DECIMAL = re.compile(r"-?\d+(\.\d+)?")
MONEY = re.compile(r"-?\d+(\.\d{1,2})?")
QUANTITY = re.compile(r"\d+(\.\d)?")
DISCOUNT = re.compile(r"\d+(\.\d{1,2})?%?")
TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


@cache
def load(relative: str) -> Any:
    return json.loads((FIXTURES / relative).read_text(encoding="utf-8"))


def records(noun: str) -> list[dict[str, Any]]:
    return load(f"records/{noun}.json")  # type: ignore[no-any-return]


def all_records() -> dict[int, tuple[str, dict[str, Any]]]:
    return {r["crmid"]: (noun, r) for noun in NOUNS for r in records(noun)}


def live_ids(noun: str) -> set[int]:
    return {r["crmid"] for r in records(noun) if not r.get("deleted")}


def as_id(value: object) -> int:
    """A reference value: a JSON integer or a string of digits."""
    if isinstance(value, bool):
        raise TypeError(f"{value!r} is not an id")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise TypeError(f"{value!r} is not an id")


def is_date(value: str) -> bool:
    try:
        return dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def is_datetime(value: str) -> bool:
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").strftime("%Y-%m-%d %H:%M:%S") == (
            value
        )
    except ValueError:
        return False


def fields_of(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in NOT_FIELDS}


@pytest.fixture(scope="module")
def registry() -> Any:
    from emulator.domain.modules import custom_fields_from_config, default_registry

    custom = custom_fields_from_config(load("custom_fields.json"))
    return default_registry().with_custom_fields(custom)


# --------------------------------------------------------------------------- users


def test_users_file_is_a_list_of_five_users_with_ids_one_to_five() -> None:
    users = load("users.json")
    assert isinstance(users, list)
    assert all(isinstance(u, dict) for u in users)
    assert [u["id"] for u in users] == [1, 2, 3, 4, 5]
    assert len({u["user_name"] for u in users}) == len(users)


def test_user_one_is_the_admin_printed_as_administrator_admin() -> None:
    admin = load("users.json")[0]
    assert admin["user_name"] == "admin"
    assert admin["first_name"] == ""
    assert admin["last_name"] == "Administrator"
    assert admin["is_admin"] == "on"
    assert admin["status"] == "Active"
    full_name = f"{admin['first_name']} {admin['last_name']}".strip()
    assert f"{full_name} ({admin['user_name']})" == "Administrator (admin)"


def test_exactly_one_user_is_inactive_and_only_the_admin_is_an_administrator() -> None:
    users = load("users.json")
    assert Counter(u["status"] for u in users) == {"Active": 4, "Inactive": 1}
    assert [u["id"] for u in users if u["is_admin"] == "on"] == [1]
    assert {u["is_admin"] for u in users} == {"on", "off"}


def test_every_user_field_is_a_field_of_the_users_module(registry: Any) -> None:
    users_module = registry.by_noun("user")
    for user in load("users.json"):
        for name in set(user) - {"id"}:
            field = users_module.edit_field(name)
            assert field is not None, f"user {user['id']}: {name} is not a Users field"
            assert field.name == name, f"user {user['id']}: use the API name {field.name}"


def test_user_emails_are_on_example_domains() -> None:
    for user in load("users.json"):
        for key in ("email1", "email2"):
            if user.get(key):
                assert EXAMPLE_DOMAIN.search(user[key]), user[key]


# --------------------------------------------------------------------------- reference data


def test_reference_file_holds_tax_classes_with_uk_vat_rates() -> None:
    reference = load("reference.json")
    assert reference["tax_classes"] == {
        "Standard": "20",
        "Reduced": "5",
        "Zero": "0",
        "Exempt": "0",
    }
    assert reference["group_tax_rate"] == "20"


def test_reference_file_holds_categories_supply_types_and_commission_bands() -> None:
    reference = load("reference.json")
    for key in ("categories", "supply_types"):
        values = reference[key]
        assert isinstance(values, list)
        assert values
        assert all(isinstance(v, str) and v for v in values)
        assert len(set(values)) == len(values)
    bands = reference["commission_bands"]
    assert isinstance(bands, dict)
    assert bands["None"] == "0"
    assert all(DECIMAL.fullmatch(rate) for rate in bands.values())


def test_reference_currencies_are_five_slots_with_gbp_as_the_only_base() -> None:
    currencies = load("reference.json")["currencies"]
    assert [c["id"] for c in currencies] == [1, 2, 3, 4, 5]
    assert len({c["code"] for c in currencies}) == 5
    assert [c["code"] for c in currencies if c["base"] is True] == ["GBP"]
    assert currencies[0] == {
        "id": 1,
        "code": "GBP",
        "symbol": "£",
        "conversion_rate": "1.000",
        "base": True,
    }
    for currency in currencies:
        assert re.fullmatch(r"\d+\.\d{3}", currency["conversion_rate"]), currency
        assert currency["symbol"]


# --------------------------------------------------------------------------- custom fields


def test_custom_fields_are_cf_fields_of_registry_types_with_globally_unique_ids() -> None:
    from emulator.domain.modules.fields import FieldType

    config = load("custom_fields.json")
    names = []
    for noun, items in config.items():
        assert noun in RANGES, noun
        for item in items:
            assert re.fullmatch(r"cf_\d+", item["name"]), item
            assert FieldType(item["type"])
            assert item["label"]
            if item["type"] == "picklist":
                assert item["picklist"], item
            names.append(item["name"])
    assert len(set(names)) == len(names)


def test_every_custom_field_is_used_by_some_record() -> None:
    for noun, items in load("custom_fields.json").items():
        for item in items:
            assert any(item["name"] in r for r in records(noun)), f"{noun}.{item['name']} unused"


# --------------------------------------------------------------------------- records: shape and ids


@pytest.mark.parametrize("noun", NOUNS)
def test_every_module_has_a_records_file_holding_a_list_of_records(noun: str) -> None:
    recs = records(noun)
    assert isinstance(recs, list)
    assert recs, f"records/{noun}.json is empty"
    for record in recs:
        assert isinstance(record, dict)
        assert isinstance(record["crmid"], int)
        assert record.get("deleted", 0) in (0, 1)


def test_no_records_file_exists_for_an_unknown_module() -> None:
    assert {p.stem for p in (FIXTURES / "records").glob("*.json")} == set(NOUNS)


def test_crmids_are_unique_across_all_files() -> None:
    counts = Counter(r["crmid"] for noun in NOUNS for r in records(noun))
    assert [crmid for crmid, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("noun", NOUNS)
def test_crmids_lie_inside_their_modules_range(noun: str) -> None:
    outside = [r["crmid"] for r in records(noun) if r["crmid"] not in RANGES[noun]]
    assert outside == []


@pytest.mark.parametrize("noun", NOUNS)
def test_every_record_is_owned_by_a_fixture_user(noun: str) -> None:
    user_ids = {u["id"] for u in load("users.json")}
    for record in records(noun):
        assert record["smownerid"] in user_ids, record["crmid"]


@pytest.mark.parametrize("noun", NOUNS)
def test_created_and_modified_times_are_wire_datetimes_in_order(noun: str) -> None:
    for record in records(noun):
        created, modified = record.get("createdtime"), record.get("modifiedtime")
        for value in (created, modified):
            if value is not None:
                assert is_datetime(value), (record["crmid"], value)
                assert value[:4] in ("2025", "2026"), (record["crmid"], value)
        if created and modified:
            assert created <= modified, record["crmid"]


def test_companies_contacts_and_products_each_have_exactly_one_deleted_record() -> None:
    for noun in NOUNS:
        deleted = [r["crmid"] for r in records(noun) if r.get("deleted")]
        expected = 1 if noun in WITH_ONE_DELETED else 0
        assert len(deleted) == expected, (noun, deleted)


@pytest.mark.parametrize("noun", NOUNS)
def test_records_leave_record_numbers_and_computed_totals_to_the_emulator(noun: str) -> None:
    for record in records(noun):
        assert set(record) & ASSIGNED_BY_EMULATOR == set(), record["crmid"]


@pytest.mark.parametrize("noun", NOUNS)
def test_record_emails_are_on_example_domains(noun: str, registry: Any) -> None:
    module = registry.by_noun(noun)
    for record in records(noun):
        for name, value in fields_of(record).items():
            field = module.edit_field(name)
            if field is not None and field.type == "email" and value:
                assert EXAMPLE_DOMAIN.search(value), (record["crmid"], name, value)


# --------------------------------------------------------------------------- records: the registry


@pytest.mark.parametrize("noun", NOUNS)
def test_every_field_name_in_a_record_is_an_api_field_of_its_module(
    noun: str, registry: Any
) -> None:
    module = registry.by_noun(noun)
    unknown, aliases = set(), set()
    for record in records(noun):
        for name in fields_of(record):
            field = module.edit_field(name)
            if field is None:
                unknown.add(name)
            elif field.name != name:
                aliases.add(f"{name} (API name {field.name})")
    assert sorted(unknown) == [], f"not {noun} fields"
    assert sorted(aliases) == [], f"{noun} fields named by an alias"


@pytest.mark.parametrize("noun", NOUNS)
def test_records_set_no_read_only_field_but_the_created_and_modified_times(
    noun: str, registry: Any
) -> None:
    module = registry.by_noun(noun)
    found = set()
    for record in records(noun):
        for name in fields_of(record):
            field = module.edit_field(name)
            if field is not None and field.read_only and name not in SETTABLE_READ_ONLY:
                found.add(name)
    assert sorted(found) == []


@pytest.mark.parametrize("noun", NOUNS)
def test_every_reference_points_at_an_existing_record_of_the_right_module(
    noun: str, registry: Any
) -> None:
    module = registry.by_noun(noun)
    everything = all_records()
    user_ids = {u["id"] for u in load("users.json")}
    for record in records(noun):
        for name, value in fields_of(record).items():
            field = module.edit_field(name)
            if field is None or field.type != "ref" or value in ("", None):
                continue
            target_id = as_id(value)
            where = (record["crmid"], name, target_id)
            if field.ref == "user":
                assert target_id in user_ids, where
                continue
            assert target_id in everything, where
            target_noun, target = everything[target_id]
            allowed = set(re.findall(r"\w+", field.ref)) - {"*"}
            if allowed:
                assert target_noun in allowed, (*where, target_noun)
            if not record.get("deleted"):
                assert not target.get("deleted"), (*where, "is deleted")


@pytest.mark.parametrize("noun", NOUNS)
def test_every_picklist_value_is_one_of_the_listed_values(noun: str, registry: Any) -> None:
    module = registry.by_noun(noun)
    reference = load("reference.json")
    for record in records(noun):
        for name, value in fields_of(record).items():
            field = module.edit_field(name)
            if field is None or value == "":
                continue
            if name in FROM_REFERENCE and noun == "product":
                allowed = list(reference[FROM_REFERENCE[name]])
            elif field.type in ("picklist", "multi") and field.picklist:
                allowed = list(field.picklist)
            else:
                continue
            values = value.split(",") if field.type == "multi" else [value]
            for item in values:
                assert item in allowed, (record["crmid"], name, item, allowed)


@pytest.mark.parametrize("noun", NOUNS)
def test_every_value_is_in_the_wire_format_of_its_field_type(noun: str, registry: Any) -> None:
    module = registry.by_noun(noun)
    for record in records(noun):
        for name, value in fields_of(record).items():
            field = module.edit_field(name)
            if field is None:
                continue
            where = (record["crmid"], name, value)
            if field.type == "ref":
                as_id(value)
                continue
            assert isinstance(value, str), where
            if value == "":
                continue
            match field.type:
                case "boolean":
                    assert value in ("0", "1"), where
                case "date":
                    assert is_date(value), where
                case "datetime":
                    assert is_datetime(value), where
                case "time":
                    assert TIME.fullmatch(value), where
                case "integer":
                    assert DIGITS.fullmatch(value), where
                case "decimal":
                    assert DECIMAL.fullmatch(value), where
                case "currency":
                    assert MONEY.fullmatch(value), where
                case "email":
                    assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", value), where
                case "url":
                    assert value.startswith("https://"), where


# --------------------------------------------------------------------------- product lines


def all_lines() -> list[tuple[str, int, dict[str, Any]]]:
    return [
        (noun, r["crmid"], line)
        for noun in SALES_NOUNS
        for r in records(noun)
        for line in r.get("products", [])
    ]


@pytest.mark.parametrize("noun", SALES_NOUNS)
def test_every_sales_record_carries_numbered_product_lines(noun: str) -> None:
    for record in records(noun):
        lines = record["products"]
        assert isinstance(lines, list)
        assert lines, record["crmid"]
        assert sorted(line["linenumber"] for line in lines) == list(range(1, len(lines) + 1))


def test_only_sales_records_carry_product_lines() -> None:
    for noun in set(NOUNS) - set(SALES_NOUNS):
        assert not any("products" in r for r in records(noun)), noun


def test_every_product_line_sets_only_settable_line_fields_and_the_required_ones() -> None:
    for noun, crmid, line in all_lines():
        assert set(line) <= LINE_FIELDS, (noun, crmid, sorted(set(line) - LINE_FIELDS))
        for name in LINE_REQUIRED:
            assert name in line, (noun, crmid, line.get("lineid"), name)


def test_lineids_are_unique_across_all_sales_records() -> None:
    counts = Counter(as_id(line["lineid"]) for _, _, line in all_lines())
    assert [lineid for lineid, n in counts.items() if n > 1] == []
    assert 0 not in counts


def test_every_line_is_for_a_live_product_and_any_supplier_is_a_live_company() -> None:
    products, companies = live_ids("product"), live_ids("company")
    for noun, crmid, line in all_lines():
        assert as_id(line["productid"]) in products, (noun, crmid, line["lineid"])
        if "supplierid" in line:
            assert as_id(line["supplierid"]) in companies, (noun, crmid, line["lineid"])


def test_every_line_uses_tax_classes_categories_supply_types_and_bands_from_reference() -> None:
    reference = load("reference.json")
    known = {
        "taxclass": set(reference["tax_classes"]),
        "category": set(reference["categories"]),
        "supplytype": set(reference["supply_types"]),
        "commission_band": set(reference["commission_bands"]),
    }
    for noun, crmid, line in all_lines():
        for name, allowed in known.items():
            if name in line:
                assert line[name] in allowed, (noun, crmid, line["lineid"], name, line[name])


def test_every_line_quantity_price_and_discount_is_well_formed() -> None:
    for noun, crmid, line in all_lines():
        where = (noun, crmid, line["lineid"])
        assert QUANTITY.fullmatch(line["quantity"]), where
        for name in ("listprice1", "buyprice"):
            if name in line:
                assert MONEY.fullmatch(line[name]), (*where, name)
        if "discount" in line:
            assert DISCOUNT.fullmatch(line["discount"]), where
        if "contract_term" in line:
            assert DIGITS.fullmatch(str(line["contract_term"])), where


def test_products_use_tax_classes_supply_types_and_bands_from_reference() -> None:
    reference = load("reference.json")
    for product in records("product"):
        for name, key in FROM_REFERENCE.items():
            assert product[name] in reference[key], (product["crmid"], name)


def test_product_vendors_are_supplier_companies() -> None:
    suppliers = {r["crmid"] for r in records("company") if r.get("account_type") == "Supplier"}
    assert len(suppliers) >= 2
    for product in records("product"):
        if "vendor_id" in product:
            assert as_id(product["vendor_id"]) in suppliers, product["crmid"]
    for order in records("purchaseorder"):
        assert as_id(order["vendor_id"]) in suppliers, order["crmid"]


# --------------------------------------------------------------------------- named records


def test_quote_420_has_the_guides_four_lines_123_456_789_and_910() -> None:
    quote = next(r for r in records("quote") if r["crmid"] == 420)
    assert [(line["lineid"], line["linenumber"]) for line in quote["products"]] == [
        (123, 1),
        (456, 2),
        (789, 3),
        (910, 4),
    ]


def test_quote_421_has_ten_product_lines_for_the_benchmark() -> None:
    quote = next(r for r in records("quote") if r["crmid"] == 421)
    assert len(quote["products"]) == 10


def test_contacts_include_bob_jones_at_a_company_and_robert_onetwo() -> None:
    by_name = {(r["firstname"], r["lastname"]): r for r in records("contact")}
    bob = by_name[("Bob", "Jones")]
    assert as_id(bob["accountid"]) in live_ids("company")
    assert not bob.get("deleted")
    assert not by_name[("Robert", "Onetwo")].get("deleted")


def test_every_live_contact_belongs_to_a_live_company() -> None:
    companies = live_ids("company")
    for contact in records("contact"):
        if not contact.get("deleted"):
            assert as_id(contact["accountid"]) in companies, contact["crmid"]


def test_companies_have_companies_house_numbers_gb_vat_numbers_and_uk_postcodes() -> None:
    postcode = re.compile(r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}")
    for company in records("company"):
        where = company["crmid"]
        assert re.fullmatch(r"(\d{8}|(SC|OC|NI)\d{6})", company["companynumber"]), where
        assert re.fullmatch(r"GB\d{9}", company["vatnumber"]), where
        for key in ("code", "ship_code", "reg_code"):
            if key in company:
                assert postcode.fullmatch(company[key]), (where, key)


def test_the_readme_documents_every_file_and_id_range() -> None:
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    for name in ("users.json", "reference.json", "custom_fields.json"):
        assert name in readme
    for noun, ids in RANGES.items():
        assert f"records/{noun}.json" in readme or f"`{noun}`" in readme, noun
        assert f"{ids.start}-{ids.stop - 1}" in readme, noun


def test_the_registry_picklists_for_line_reference_data_match_the_shipped_reference_file() -> None:
    from emulator.domain.modules import picklists

    reference = json.loads((FIXTURES / "reference.json").read_text(encoding="utf-8"))
    assert set(picklists.TAX_CLASSES) == set(reference["tax_classes"])
    assert set(picklists.SUPPLY_TYPES) == set(reference["supply_types"])
    assert set(picklists.COMMISSION_BANDS) == set(reference["commission_bands"])
