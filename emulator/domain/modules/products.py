"""Products (data-model.md §2.9): the catalogue that sales product lines copy from."""

from __future__ import annotations

from emulator.domain.modules import blocks as b
from emulator.domain.modules import picklists as p
from emulator.domain.modules.fields import Field, Module, header_fields
from emulator.domain.modules.fields import FieldType as T

PRODUCTS = b.with_main_table(
    Module(
        noun="product",
        record_module="Products",
        tables=("products", "productcf"),
        label_fields=("productname",),
        number_field="product_no",
        number_prefix="PRO",
        fields=(
            b.number("product_no"),
            Field("productname", in_list=True, keyword=True, indexed=True, faker="product_name"),
            Field("productcode", in_list=True, keyword=True, indexed=True, faker="ean8"),
            Field(
                "productcategory",
                T.PICKLIST,
                picklist=("Hardware", "Software", "CRM Applications"),
                indexed=True,
            ),
            Field("product_status", T.PICKLIST, picklist=("Active", "Obsolete", "Coming Soon")),
            Field("discontinued", T.BOOLEAN),
            Field("product_description", T.LONGTEXT, faker="paragraph"),
            Field("mini_description", T.LONGTEXT, faker="sentence"),
            Field("unit_price", T.CURRENCY, in_list=True),
            Field("buy_price", T.CURRENCY),
            Field("commissionrate", T.DECIMAL, in_list=True),
            Field("commission_band", T.PICKLIST, picklist=p.COMMISSION_BANDS),
            Field("minimummargin", T.DECIMAL),
            Field("maximumdiscount", T.DECIMAL),
            Field("manufacturer", faker="company"),
            Field("vendor_id", T.REF, ref="company", indexed=True),
            Field("vendor_part_no", faker="ean8"),
            Field("mfr_part_no", faker="ean8"),
            Field("qtyinstock", T.INTEGER, in_list=True),
            Field("qtyindemand", T.INTEGER),
            Field("reorderlevel", T.INTEGER),
            Field("qty_per_unit", T.DECIMAL, in_list=True),
            Field("usageunit", T.PICKLIST, picklist=p.USAGE_UNITS),
            Field("serialno", aliases=("serial_no",), faker="ean13"),
            Field("taxclass", T.PICKLIST, picklist=p.TAX_CLASSES),
            Field("prod_supplytype", T.PICKLIST, picklist=p.SUPPLY_TYPES),
            Field("contract_term", T.INTEGER),
            Field("def_currency", T.PICKLIST, picklist=p.CURRENCIES),
            Field("nominal_code"),
            Field("purch_nom_code"),
            Field("glacct"),
            Field("sales_start_date", T.DATE),
            Field("sales_end_date", T.DATE),
            Field("start_date", T.DATE),
            Field("expiry_date", T.DATE),
            Field("location_warehouse", faker="city"),
            Field("location_shelf"),
            Field("location_bin"),
            Field("website", T.URL, faker="url"),
            Field("productsheet"),
            Field("parentprodid", T.REF, ref="product"),
            b.tags("products"),
            *header_fields(reassigned=True),
        ),
    )
)
