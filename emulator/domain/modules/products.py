"""Products (data-model.md §2.9): the catalogue that sales product lines copy from."""

from __future__ import annotations

from emulator.domain.modules import blocks, picklists
from emulator.domain.modules.fields import Field, FieldType, Module, header_fields

PRODUCTS = blocks.with_main_table(
    Module(
        noun="product",
        seed_rank=4,
        record_module="Products",
        tables=("products", "productcf"),
        label_fields=("productname",),
        number_field="product_no",
        number_prefix="PRO",
        fields=(
            blocks.number("product_no"),
            Field("productname", in_list=True, keyword=True, indexed=True, faker="product_name"),
            Field("productcode", in_list=True, keyword=True, indexed=True, faker="ean8"),
            Field(
                "productcategory",
                FieldType.PICKLIST,
                picklist=("Hardware", "Software", "CRM Applications"),
                indexed=True,
            ),
            Field(
                "product_status", FieldType.PICKLIST, picklist=("Active", "Obsolete", "Coming Soon")
            ),
            Field("discontinued", FieldType.BOOLEAN),
            Field("product_description", FieldType.LONGTEXT, faker="paragraph"),
            Field("mini_description", FieldType.LONGTEXT, faker="sentence"),
            Field("unit_price", FieldType.CURRENCY, in_list=True),
            Field("buy_price", FieldType.CURRENCY),
            Field("commissionrate", FieldType.DECIMAL, in_list=True),
            Field("commission_band", FieldType.PICKLIST, picklist=picklists.COMMISSION_BANDS),
            Field("minimummargin", FieldType.DECIMAL),
            Field("maximumdiscount", FieldType.DECIMAL),
            Field("manufacturer", faker="company"),
            Field("vendor_id", FieldType.REF, ref="company", indexed=True),
            Field("vendor_part_no", faker="ean8"),
            Field("mfr_part_no", faker="ean8"),
            Field("qtyinstock", FieldType.INTEGER, in_list=True),
            Field("qtyindemand", FieldType.INTEGER),
            Field("reorderlevel", FieldType.INTEGER),
            Field("qty_per_unit", FieldType.DECIMAL, in_list=True),
            Field("usageunit", FieldType.PICKLIST, picklist=picklists.USAGE_UNITS),
            Field("serialno", aliases=("serial_no",), faker="ean13"),
            Field("taxclass", FieldType.PICKLIST, picklist=picklists.TAX_CLASSES),
            Field("prod_supplytype", FieldType.PICKLIST, picklist=picklists.SUPPLY_TYPES),
            Field("contract_term", FieldType.INTEGER),
            Field("def_currency", FieldType.PICKLIST, picklist=picklists.CURRENCIES),
            Field("nominal_code"),
            Field("purch_nom_code"),
            Field("glacct"),
            Field("sales_start_date", FieldType.DATE),
            Field("sales_end_date", FieldType.DATE),
            Field("start_date", FieldType.DATE),
            Field("expiry_date", FieldType.DATE),
            Field("location_warehouse", faker="city"),
            Field("location_shelf"),
            Field("location_bin"),
            Field("website", FieldType.URL, faker="url"),
            Field("productsheet"),
            Field("parentprodid", FieldType.REF, ref="product", link_rate=0.05),
            blocks.tags("products"),
            *header_fields(reassigned=True),
        ),
    )
)
