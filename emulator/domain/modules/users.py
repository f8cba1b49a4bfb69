"""Users (data-model.md §2.15): not crmentity records, so no header and no record number.

The store keys users by their own ``id`` sequence, so ``id`` is not declared as a field.
"""

from __future__ import annotations

from emulator.domain.modules import blocks
from emulator.domain.modules.fields import Field, FieldType, Module

USERS = blocks.with_main_table(
    Module(
        noun="user",
        seed_rank=1,
        record_module="Users",
        tables=("users",),
        label_fields=("first_name", "last_name"),
        crmentity=False,
        fields=(
            Field("user_name", in_list=True, keyword=True, indexed=True, faker="user_name"),
            Field("first_name", in_list=True, keyword=True, indexed=True, faker="first_name"),
            Field("last_name", in_list=True, keyword=True, indexed=True, faker="last_name"),
            Field("email1", FieldType.EMAIL, in_list=True, keyword=True, indexed=True),
            Field(
                "status",
                FieldType.PICKLIST,
                picklist=("Active", "Inactive"),
                in_list=True,
                indexed=True,
            ),
            Field("is_admin", FieldType.PICKLIST, picklist=("on", "off"), in_list=True),
            Field("email2", FieldType.EMAIL, keyword=True, faker="free_email"),
            Field("title", faker="job"),
            Field("department"),
            Field("phone_work", FieldType.PHONE, in_list=True, keyword=True),
            Field("phone_mobile", FieldType.PHONE, keyword=True, faker="cellphone_number"),
            Field("phone_home", FieldType.PHONE, keyword=True),
            Field("phone_fax", FieldType.PHONE),
            Field("reports_to_id", FieldType.REF, ref="user", link_rate=0.8),
            *blocks.address(
                "users",
                street="address_street",
                city="address_city",
                county="address_state",
                postcode="address_postalcode",
                country="address_country",
            ),
            Field(
                "date_format",
                FieldType.PICKLIST,
                picklist=("dd-mm-yyyy", "mm-dd-yyyy", "yyyy-mm-dd"),
            ),
            Field("time_zone", faker="timezone"),
            Field("currency_id", FieldType.INTEGER),
            Field("date_entered", FieldType.DATETIME, read_only=True),
            Field("date_modified", FieldType.DATETIME, read_only=True),
        ),
    )
)
