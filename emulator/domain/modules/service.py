"""Activities, Projects, Tickets, Assets, Products and Contracts (data-model.md §2.5-2.10).

Projects, Assets and Contracts are declared here; Activities (activities.py), Tickets
(tickets.py) and Products (products.py, which sales lines copy from) in modules of their own.
"""

from __future__ import annotations

from emulator.domain.modules import blocks, picklists
from emulator.domain.modules.activities import ACTIVITIES
from emulator.domain.modules.fields import Field, FieldType, Module, header_fields
from emulator.domain.modules.products import PRODUCTS
from emulator.domain.modules.tickets import TICKETS

PROJECTS = blocks.with_main_table(
    Module(
        noun="project",
        title="Projects",
        seed_rank=12,
        record_module="Project",
        tables=("projects", "project", "projectcf"),
        label_fields=("name",),
        number_field="projectnum",
        number_prefix="PROJ",
        fields=(
            blocks.number("projectnum", aliases=("project_no",)),
            Field(
                "name",
                aliases=("projectname",),
                in_list=True,
                keyword=True,
                indexed=True,
                faker="bs",
            ),
            Field(
                "projecttype", FieldType.PICKLIST, picklist=("administrative", "operative", "other")
            ),
            Field(
                "projectstatus",
                FieldType.PICKLIST,
                picklist=picklists.PROJECT_STATUSES,
                in_list=True,
                indexed=True,
            ),
            Field(
                "projpriority",
                FieldType.PICKLIST,
                aliases=("projectpriority",),
                picklist=("low", "normal", "high"),
            ),
            Field("accountid", FieldType.REF, ref="company", in_list=True, indexed=True),
            Field("contactid", FieldType.REF, ref="contact", indexed=True, link_rate=0.9),
            Field("salesorder_id", FieldType.REF, ref="salesorder", link_rate=0.5),
            Field("parent_id", FieldType.REF, ref="*"),
            Field("email", FieldType.EMAIL, keyword=True),
            Field("startdate", FieldType.DATE, in_list=True, indexed=True),
            Field(
                "targetend", FieldType.DATE, aliases=("targetenddate",), in_list=True, indexed=True
            ),
            Field("enddate", FieldType.DATE, in_list=True, indexed=True),
            Field("budget", FieldType.CURRENCY, aliases=("targetbudget",), in_list=True),
            Field("cost_net", FieldType.CURRENCY),
            Field("cost_gross", FieldType.CURRENCY),
            Field("vat_rate", FieldType.INTEGER),
            Field("time_m", FieldType.INTEGER),
            Field("time_taken_m", FieldType.INTEGER),
            Field("nc_time_m", FieldType.INTEGER),
            Field("sched_time_m", FieldType.INTEGER),
            Field("active", FieldType.BOOLEAN),
            Field("private", FieldType.BOOLEAN),
            Field("showonportal", FieldType.BOOLEAN),
            Field("showdocsonportal", FieldType.BOOLEAN),
            *blocks.automation(),
            blocks.tags("projects"),
            *header_fields(reassigned=True),
        ),
    )
)

ASSETS = blocks.with_main_table(
    Module(
        noun="asset",
        seed_rank=14,
        record_module="Assets",
        tables=("assets", "assetscf"),
        label_fields=("assetname",),
        number_field="asset_no",
        number_prefix="ASSET",
        fields=(
            blocks.number("asset_no"),
            Field("assetname", in_list=True, keyword=True, indexed=True, faker="product_name"),
            Field(
                "account_id",
                FieldType.REF,
                aliases=("account",),
                ref="company",
                in_list=True,
                indexed=True,
            ),
            Field("contact_id", FieldType.REF, ref="contact", indexed=True, link_rate=0.9),
            Field(
                "product_id",
                FieldType.REF,
                aliases=("product",),
                ref="product",
                in_list=True,
                link_rate=0.6,
            ),
            Field("serialnumber", faker="ean13"),
            Field("tagnumber", faker="ean8"),
            Field("datesold", FieldType.DATE),
            Field("dateinservice", FieldType.DATE),
            Field(
                "assetstatus",
                FieldType.PICKLIST,
                picklist=("In Service", "Out-of-service"),
                indexed=True,
            ),
            Field("invoiceid", FieldType.REF, ref="invoice", link_rate=0.5),
            Field("shippingmethod"),
            Field("shippingtrackingnumber", faker="ean13"),
            *header_fields(),
        ),
    )
)

CONTRACTS = blocks.with_main_table(
    Module(
        noun="contract",
        title="Contracts",
        seed_rank=13,
        record_module="ServiceContracts",
        tables=("contracts", "servicecontracts", "servicecontractscf"),
        label_fields=("subject",),
        number_field="contract_no",
        number_prefix="SERCON",
        edit_aliases=("contracts",),
        fields=(
            blocks.number("contract_no"),
            Field("subject", in_list=True, keyword=True, indexed=True, faker="catch_phrase"),
            Field(
                "contracttype",
                FieldType.PICKLIST,
                aliases=("contract_type",),
                picklist=("Support", "Services", "Administrative"),
            ),
            Field(
                "contract_status",
                FieldType.PICKLIST,
                picklist=picklists.CONTRACT_STATUSES,
                in_list=True,
                indexed=True,
            ),
            Field(
                "priority",
                FieldType.PICKLIST,
                aliases=("contract_priority",),
                picklist=picklists.LOW_NORMAL_HIGH,
            ),
            Field(
                "sc_related_to",
                FieldType.REF,
                aliases=("account_id",),
                ref="*",
                in_list=True,
                indexed=True,
            ),
            Field("contact_id", FieldType.REF, ref="contact", indexed=True, link_rate=0.9),
            Field("salesorder_id", FieldType.REF, ref="salesorder", link_rate=0.5),
            Field("start_date", FieldType.DATE, in_list=True, indexed=True),
            Field("due_date", FieldType.DATE, in_list=True, indexed=True),
            Field("end_date", FieldType.DATE),
            Field(
                "tracking_unit", FieldType.PICKLIST, picklist=("None", "Hours", "Days", "Incidents")
            ),
            Field("total_units", FieldType.DECIMAL),
            Field("used_units", FieldType.DECIMAL),
            Field("progress", FieldType.DECIMAL, in_list=True),
            Field("planned_duration", FieldType.INTEGER),
            Field("actual_duration", FieldType.INTEGER),
            Field("cost_net", FieldType.CURRENCY),
            Field("cost_gross", FieldType.CURRENCY),
            blocks.tags("contracts"),
            *header_fields(),
        ),
    )
)

SERVICE_MODULES: tuple[Module, ...] = (
    ACTIVITIES,
    PROJECTS,
    TICKETS,
    ASSETS,
    PRODUCTS,
    CONTRACTS,
)
