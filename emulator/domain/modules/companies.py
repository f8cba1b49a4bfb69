"""Companies, vtiger's Accounts (data-model.md §2.3); suppliers are Companies too."""

from __future__ import annotations

from emulator.domain.modules import blocks as b
from emulator.domain.modules import picklists as p
from emulator.domain.modules.fields import Field, Module, header_fields
from emulator.domain.modules.fields import FieldType as T

COMPANIES = b.with_main_table(
    Module(
        noun="company",
        record_module="Accounts",
        tables=("account", "accountbillads", "accountshipads", "accountscf"),
        label_fields=("accountname",),
        number_field="account_no",
        number_prefix="ACC",
        fields=(
            b.number("account_no"),
            Field("accountname", in_list=True, keyword=True, indexed=True, faker="company"),
            Field("account_type", T.PICKLIST, aliases=("accounttype",), picklist=p.ACCOUNT_TYPES),
            Field("industry", T.PICKLIST, picklist=p.INDUSTRIES),
            Field("ownership", T.PICKLIST, picklist=p.OWNERSHIPS),
            Field("rating", T.PICKLIST, picklist=p.RATINGS),
            Field("employees", T.INTEGER),
            Field("annualrevenue", T.CURRENCY, aliases=("annual_revenue",)),
            Field("companynumber", faker="company_number"),
            Field("proprietor", faker="name"),
            Field("parentid", T.REF, aliases=("account_id",), ref="company", indexed=True),
            Field("email1", T.EMAIL, keyword=True, indexed=True, faker="company_email"),
            Field("email2", T.EMAIL, keyword=True, faker="company_email"),
            Field("phone", T.PHONE, in_list=True, keyword=True),
            Field("otherphone", T.PHONE, keyword=True),
            Field("fax", T.PHONE),
            Field("website", T.URL, in_list=True, faker="url"),
            *b.address(
                "accountbillads",
                street="street",
                street2="bill_street_2",
                city="city",
                county="state",
                postcode="code",
                country="country",
                aliases={
                    "street": ("bill_street",),
                    "city": ("bill_city",),
                    "state": ("bill_state",),
                    "code": ("bill_code",),
                    "country": ("bill_country",),
                },
                listed=("city",),
            ),
            Field(
                "billemail", T.EMAIL, table="accountbillads", keyword=True, faker="company_email"
            ),
            *b.address(
                "accountshipads",
                street="ship_street",
                street2="ship_street_2",
                city="ship_city",
                county="ship_state",
                postcode="ship_code",
                country="ship_country",
            ),
            Field(
                "shipemail", T.EMAIL, table="accountshipads", keyword=True, faker="company_email"
            ),
            *b.address(
                "account",
                street="reg_street",
                street2="reg_street_2",
                city="reg_city",
                county="reg_state",
                postcode="reg_code",
                country="reg_country",
            ),
            Field("address_inherit", T.BOOLEAN),
            Field("vatnumber", faker="vat_id"),
            Field("vatexempt", T.BOOLEAN),
            Field("def_currency", T.PICKLIST, picklist=p.CURRENCIES),
            Field("pricebook", T.INTEGER),
            Field("paymenttype", T.PICKLIST, picklist=p.PAYMENT_TYPES),
            Field("credit_limit", T.CURRENCY),
            Field("credit_limit_days", T.INTEGER),
            Field("credit_status", T.PICKLIST, picklist=p.CREDIT_STATUSES),
            *(
                Field(name, T.CURRENCY, read_only=True)
                for name in (
                    "outstanding_balance",
                    "due_balance",
                    "overdue_balance",
                    "currentspend",
                    "year_to_date",
                )
            ),
            Field("majoraccount", T.BOOLEAN),
            Field("sage_ref"),
            *b.privacy(live_chat=False),
            *b.gdpr(),
            b.tags("account"),
            b.subscription(),
            *header_fields(),
        ),
    )
)
