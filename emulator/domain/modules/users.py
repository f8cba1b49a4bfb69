"""Users (data-model.md §2.15): not crmentity records, so no header and no record number.

The store keys users by their own ``id`` sequence, so ``id`` is not declared as a field.
"""

from __future__ import annotations

from emulator.domain.modules import blocks as b
from emulator.domain.modules.fields import Field, Module
from emulator.domain.modules.fields import FieldType as T

USERS = b.with_main_table(
    Module(
        noun="user",
        record_module="Users",
        tables=("users",),
        label_fields=("first_name", "last_name"),
        crmentity=False,
        fields=(
            Field("user_name", in_list=True, keyword=True, indexed=True, faker="user_name"),
            Field("first_name", in_list=True, keyword=True, indexed=True, faker="first_name"),
            Field("last_name", in_list=True, keyword=True, indexed=True, faker="last_name"),
            Field("email1", T.EMAIL, in_list=True, keyword=True, indexed=True),
            Field(
                "status", T.PICKLIST, picklist=("Active", "Inactive"), in_list=True, indexed=True
            ),
            Field("is_admin", T.PICKLIST, picklist=("on", "off"), in_list=True),
            Field("email2", T.EMAIL, keyword=True, faker="free_email"),
            Field("title", faker="job"),
            Field("department"),
            Field("phone_work", T.PHONE, in_list=True, keyword=True),
            Field("phone_mobile", T.PHONE, keyword=True, faker="cellphone_number"),
            Field("phone_home", T.PHONE, keyword=True),
            Field("phone_fax", T.PHONE),
            Field("reports_to_id", T.REF, ref="user"),
            *b.address(
                "users",
                street="address_street",
                city="address_city",
                county="address_state",
                postcode="address_postalcode",
                country="address_country",
            ),
            Field("date_format", T.PICKLIST, picklist=("dd-mm-yyyy", "mm-dd-yyyy", "yyyy-mm-dd")),
            Field("time_zone", faker="timezone"),
            Field("currency_id", T.INTEGER),
            Field("date_entered", T.DATETIME, read_only=True),
            Field("date_modified", T.DATETIME, read_only=True),
        ),
    )
)
