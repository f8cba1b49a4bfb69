"""The declarative module registry transcribes data-model.md faithfully and stays consistent."""

from __future__ import annotations

import pytest
from faker import Faker

from emulator.domain.modules import CustomField, FieldType, Module, default_registry

REGISTRY = default_registry()
MODULES = REGISTRY.modules
NOUNS = {m.noun for m in MODULES}

RECORD_MODULES = {
    "lead": "Leads",
    "contact": "Contacts",
    "company": "Accounts",
    "opportunity": "Potentials",
    "activity": "Calendar",
    "project": "Project",
    "ticket": "HelpDesk",
    "asset": "Assets",
    "product": "Products",
    "contract": "ServiceContracts",
    "quote": "Quotes",
    "salesorder": "SalesOrder",
    "invoice": "Invoice",
    "purchaseorder": "PurchaseOrder",
    "user": "Users",
    "campaign": "Campaigns",
}

NUMBERS = {
    "lead": ("lead_no", "LEA"),
    "contact": ("contact_no", "CON"),
    "company": ("account_no", "ACC"),
    "opportunity": ("potential_no", "POT"),
    "ticket": ("ticket_no", "TT"),
    "quote": ("quote_no", "QUO"),
    "salesorder": ("salesorder_no", "SO"),
    "invoice": ("invoice_no", "INV"),
    "purchaseorder": ("purchaseorder_no", "PO"),
    "product": ("product_no", "PRO"),
    "campaign": ("campaign_no", "CAM"),
    "contract": ("contract_no", "SERCON"),
    "asset": ("asset_no", "ASSET"),
    "project": ("projectnum", "PROJ"),
}

HEADER = ("smownerid", "smcreatorid", "modifiedby", "createdtime", "modifiedtime", "description")

#: Hints seed.py maps itself because Faker has no generator of that name.
NON_FAKER_HINTS = {"company_number", "product_name"}


def by_module(modules: tuple[Module, ...] = MODULES) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("module", modules, ids=[m.noun for m in modules])


def test_the_registry_serves_the_sixteen_modules_of_the_data_model() -> None:
    assert {m.noun: m.record_module for m in MODULES} == RECORD_MODULES


def test_every_module_has_a_unique_noun_and_record_module() -> None:
    assert len({m.noun for m in MODULES}) == len(MODULES)
    assert len({m.record_module for m in MODULES}) == len(MODULES)
    for m in MODULES:
        assert REGISTRY.by_noun(m.noun) is m
        assert REGISTRY.by_record_module(m.record_module) is m


@pytest.mark.parametrize(
    ("alias", "noun"),
    [
        ("helpdesk", "ticket"),
        ("contracts", "contract"),
        ("contact_custom1", "contact"),
        ("contact_custom2", "contact"),
    ],
)
def test_edit_aliases_reach_the_module_they_stand_for(alias: str, noun: str) -> None:
    assert REGISTRY.by_noun(alias) is REGISTRY.by_noun(noun)


@by_module()
def test_no_two_fields_of_a_module_share_a_name_or_an_alias(module: Module) -> None:
    names = [n.lower() for f in module.fields for n in (f.name, *f.aliases)]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


@by_module()
def test_every_query_name_of_a_field_finds_that_field_in_any_case(module: Module) -> None:
    for f in module.fields:
        for q in f.query_names():
            assert module.query_field(q) is f, q
            assert module.query_field(q.upper()) is f, q
        for n in (f.name, *f.aliases):
            assert module.edit_field(n.upper()) is f, n


@by_module()
def test_every_field_names_a_table_of_its_module(module: Module) -> None:
    for f in module.fields:
        assert f.table in (*module.tables, "crmentity"), f.name


@by_module()
def test_every_reference_names_a_module_that_exists(module: Module) -> None:
    for f in module.fields:
        if f.type is FieldType.REF:
            assert f.ref in NOUNS | {"*", "user"}, f.name
        else:
            assert f.ref == "", f.name


@by_module()
def test_every_picklist_field_has_distinct_values_and_no_other_field_has_any(
    module: Module,
) -> None:
    for f in module.fields:
        if f.type is FieldType.PICKLIST:
            assert f.picklist, f.name
            assert len(set(f.picklist)) == len(f.picklist), f.name
        else:
            assert f.picklist == (), f.name


@by_module(tuple(m for m in MODULES if m.noun != "user"))
def test_every_module_except_users_carries_the_record_header(module: Module) -> None:
    assert module.crmentity
    for name in HEADER:
        assert module.field(name).table == "crmentity"
    assert module.field("smownerid").in_list


def test_users_have_no_header_no_record_number_and_no_id_field() -> None:
    users = REGISTRY.by_noun("user")
    names = {f.name for f in users.fields}
    assert not users.crmentity
    assert users.tables == ("users",)
    assert names.isdisjoint({*HEADER, "id"})
    assert {"date_entered", "date_modified"} <= names
    assert users.number_field == ""


@by_module()
def test_each_module_lists_and_searches_at_least_one_field(module: Module) -> None:
    assert module.list_fields
    assert module.keyword_fields


@by_module()
def test_label_fields_are_fields_searched_by_keyword(module: Module) -> None:
    assert module.label_fields
    for name in module.label_fields:
        f = module.field(name)
        assert f.keyword
        assert f.indexed


@by_module()
def test_email_and_phone_fields_are_searched_by_keyword(module: Module) -> None:
    for f in module.fields:
        if f.type is FieldType.EMAIL or (f.type is FieldType.PHONE and "fax" not in f.name):
            assert f.keyword, f.name


@by_module(tuple(m for m in MODULES if m.noun in NUMBERS))
def test_record_numbers_are_read_only_listed_searched_and_prefixed(module: Module) -> None:
    name, prefix = NUMBERS[module.noun]
    assert (module.number_field, module.number_prefix) == (name, prefix)
    f = module.field(name)
    assert f.read_only
    assert f.in_list
    assert f.keyword


def test_activities_and_users_have_no_record_number() -> None:
    assert {m.noun for m in MODULES if not m.number_field} == {"activity", "user"}


@pytest.mark.parametrize(
    ("noun", "query", "expected"),
    [
        ("ticket", "status", "status"),
        ("ticket", "ticketstatus", "status"),
        ("ticket", "troubletickets.status", "status"),
        ("ticket", "TroubleTickets.Status", "status"),
        ("ticket", " TicketStatus ", "status"),
        ("ticket", "ticket_title", "title"),
        ("activity", "activity.status", "taskstatus"),
        ("activity", "activity.priority", "taskpriority"),
        ("activity", "seactivityrel.crmid", "parent_id"),
        ("activity", "cntactivityrel.contactid", "contact_id"),
        ("contact", "crmentity.modifiedtime", "modifiedtime"),
        ("contact", "assigned_user_id", "smownerid"),
        ("contact", "ASSIGNED_USER_ID", "smownerid"),
        ("contact", "crmentity.smownerid", "smownerid"),
        ("contact", "account_id", "accountid"),
        ("contact", "salutationtype", "salutation"),
        ("contact", "contactaddress.mailingcity", "mailingcity"),
        ("company", "bill_street", "street"),
        ("company", "accountbillads.street", "street"),
        ("company", "accountshipads.ship_city", "ship_city"),
        ("company", "annual_revenue", "annualrevenue"),
        ("lead", "leadsubdetails.website", "website"),
        ("opportunity", "opportunity_type", "potentialtype"),
        ("project", "projectname", "name"),
        ("project", "project.name", "name"),
        ("project", "project_no", "projectnum"),
        ("contract", "servicecontracts.subject", "subject"),
        ("contract", "account_id", "sc_related_to"),
        ("asset", "product", "product_id"),
        ("product", "serial_no", "serialno"),
        ("quote", "hdnGrandTotal", "total"),
        ("quote", "quotesbillads.bill_city", "bill_city"),
        ("quote", "assigned_user_id1", "inventorymanager"),
        ("salesorder", "quoteid", "quote_id"),
        ("invoice", "salesorderid", "salesorder_id"),
        ("purchaseorder", "vendorid", "vendor_id"),
        ("user", "users.user_name", "user_name"),
    ],
)
def test_query_names_find_fields_by_api_name_alias_and_table_column(
    noun: str, query: str, expected: str
) -> None:
    f = REGISTRY.by_noun(noun).query_field(query)
    assert f is not None
    assert f.name == expected


@pytest.mark.parametrize("query", ["nosuchfield", "crmentity.nosuch", "account.status", ""])
def test_unknown_query_names_find_nothing(query: str) -> None:
    assert REGISTRY.by_noun("company").query_field(query) is None


def test_custom_fields_are_added_to_their_module_and_queryable_by_custom_table() -> None:
    registry = REGISTRY.with_custom_fields(
        [
            CustomField("contact", "cf_612", label="Favourite colour"),
            CustomField("helpdesk", "cf_700", FieldType.PICKLIST, picklist=("A", "B")),
        ]
    )
    contacts = registry.by_noun("contact")
    cf = contacts.query_field("contactscf.cf_612")
    assert cf is not None
    assert cf.name == "cf_612"
    assert contacts.query_field("CF_612") is cf
    assert contacts.edit_field("cf_612") is cf
    ticket_cf = registry.by_noun("ticket").query_field("ticketcf.cf_700")
    assert ticket_cf is not None
    assert ticket_cf.picklist == ("A", "B")
    assert registry.by_noun("lead").query_field("cf_612") is None
    assert REGISTRY.by_noun("contact").query_field("cf_612") is None


def test_custom_field_names_must_be_cf_and_a_number() -> None:
    with pytest.raises(ValueError, match="cf_NNN"):
        REGISTRY.with_custom_fields([CustomField("contact", "favourite")])


def test_only_the_four_sales_modules_carry_product_lines_and_computed_totals() -> None:
    sales = {m.noun for m in MODULES if m.sales}
    assert sales == {"quote", "salesorder", "invoice", "purchaseorder"}
    for noun in sales:
        module = REGISTRY.by_noun(noun)
        for name in ("subtotal", "pre_tax_total", "tax_total", "total"):
            f = module.field(name)
            assert f.type is FieldType.CURRENCY
            assert f.read_only
        assert module.label_fields == ("subject",)


@pytest.mark.parametrize(
    ("noun", "listed"),
    [
        ("quote", {"quote_no", "subject", "quotestage", "potential_id", "account_id", "total"}),
        ("salesorder", {"salesorder_no", "subject", "account_id", "quote_id", "total"}),
        ("invoice", {"invoice_no", "subject", "salesorder_id", "invoicestatus", "total"}),
        ("purchaseorder", {"purchaseorder_no", "subject", "vendor_id", "tracking_no", "total"}),
    ],
)
def test_sales_default_lists_follow_the_data_model(noun: str, listed: set[str]) -> None:
    names = {f.name for f in REGISTRY.by_noun(noun).list_fields}
    assert names == listed | {"smownerid"}


def test_purchase_orders_have_a_supplier_instead_of_a_customer() -> None:
    po = REGISTRY.by_noun("purchaseorder")
    assert po.field("vendor_id").ref == "company"
    assert po.edit_field("account_id") is None
    assert po.edit_field("potential_id") is None


def test_reassigned_date_is_kept_on_opportunities_tickets_projects_and_products() -> None:
    having = {m.noun for m in MODULES if m.edit_field("reassigned_date")}
    assert having == {"opportunity", "ticket", "project", "product"}


def test_tags_fields_are_named_after_their_table() -> None:
    tags = {m.noun: f.name for m in MODULES for f in m.fields if f.name.endswith("_tags")}
    assert tags == {
        "lead": "leaddetails_tags",
        "contact": "contactdetails_tags",
        "company": "account_tags",
        "opportunity": "potential_tags",
        "ticket": "troubletickets_tags",
        "product": "products_tags",
        "project": "projects_tags",
        "contract": "contracts_tags",
        "quote": "quotes_tags",
        "salesorder": "salesorder_tags",
        "invoice": "invoice_tags",
        "purchaseorder": "purchaseorder_tags",
    }


@pytest.mark.parametrize(
    ("field", "nouns"),
    [
        ("do_not_email", {"lead", "contact", "company"}),
        ("donotlivechat", {"lead", "contact"}),
        ("righttobeforgotten", {"lead", "contact", "company"}),
        ("subscription", {"lead", "contact", "company"}),
        ("portal_islocked", {"lead", "contact"}),
        ("canesign", {"contact"}),
        ("actionplan_id", {"lead", "opportunity", "ticket", "project"}),
    ],
)
def test_shared_blocks_appear_where_the_data_model_puts_them(field: str, nouns: set[str]) -> None:
    assert {m.noun for m in MODULES if m.edit_field(field)} == nouns


@pytest.mark.parametrize(
    ("noun", "field", "table"),
    [
        ("contact", "mailingstreet", "contactaddress"),
        ("contact", "birthday", "contactsubdetails"),
        ("contact", "portal", "customerdetails"),
        ("company", "street", "accountbillads"),
        ("company", "ship_street", "accountshipads"),
        ("lead", "lane", "leadaddress"),
        ("lead", "website", "leadsubdetails"),
        ("quote", "bill_street", "quotesbillads"),
        ("purchaseorder", "ship_code", "poshipads"),
        ("activity", "taskstatus", "activity"),
    ],
)
def test_fields_live_in_the_opencrm_table_that_holds_them(
    noun: str, field: str, table: str
) -> None:
    assert REGISTRY.by_noun(noun).field(field).table == table


def test_faker_hints_name_en_gb_generators_or_hints_seed_maps_itself() -> None:
    fake = Faker("en_GB")
    hints = {f.faker for m in MODULES for f in m.fields if f.faker}
    unknown = {h for h in hints if not callable(getattr(fake, h, None))}
    assert unknown <= NON_FAKER_HINTS


def test_campaigns_are_the_only_marked_extension() -> None:
    assert [m.noun for m in MODULES if m.extension] == ["campaign"]


def test_products_carry_the_values_new_product_lines_copy() -> None:
    products = REGISTRY.by_noun("product")
    for name in ("minimummargin", "maximumdiscount"):
        assert products.field(name).type is FieldType.DECIMAL
    for name in ("taxclass", "commission_band", "prod_supplytype"):
        assert products.field(name).picklist


def test_industries_are_alphabetical_with_other_last() -> None:
    industries = REGISTRY.by_noun("lead").field("industry").picklist
    assert len(industries) == 31
    assert industries[-1] == "Other"
    assert list(industries[:-1]) == sorted(industries[:-1])
    assert REGISTRY.by_noun("company").field("industry").picklist == industries
