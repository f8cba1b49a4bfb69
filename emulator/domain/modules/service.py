"""Activities, Projects, Tickets, Assets, Products and Contracts (data-model.md §2.5-2.10)."""

from __future__ import annotations

from emulator.domain.modules import blocks as b
from emulator.domain.modules import picklists as p
from emulator.domain.modules.fields import Field, Module, header_fields
from emulator.domain.modules.fields import FieldType as T
from emulator.domain.modules.products import PRODUCTS

ACTIVITIES = b.with_main_table(
    Module(
        noun="activity",
        record_module="Calendar",
        tables=(
            "activity",
            "seactivityrel",
            "cntactivityrel",
            "activity_reminder",
            "recurringevents",
            "activitycf",
        ),
        label_fields=("subject",),
        fields=(
            Field("subject", in_list=True, keyword=True, indexed=True, faker="sentence"),
            Field(
                "activitytype",
                T.PICKLIST,
                picklist=("Task", "Call", "Meeting"),
                in_list=True,
                indexed=True,
            ),
            Field(
                "taskstatus",
                T.PICKLIST,
                table="activity",
                column="status",
                picklist=p.TASK_STATUSES,
                in_list=True,
                indexed=True,
            ),
            Field("eventstatus", T.PICKLIST, picklist=("Planned", "Held", "Not Held")),
            Field(
                "taskpriority",
                T.PICKLIST,
                table="activity",
                column="priority",
                picklist=("High", "Medium", "Low"),
            ),
            Field("date_start", T.DATE, in_list=True, indexed=True),
            Field("time_start", T.TIME),
            Field("due_date", T.DATE, in_list=True, indexed=True),
            Field("time_end", T.TIME),
            Field("duration_hours", T.INTEGER),
            Field("duration_minutes", T.PICKLIST, picklist=("00", "15", "30", "45")),
            Field(
                "parent_id",
                T.REF,
                aliases=("seactivityrel.crmid",),
                ref="*",
                in_list=True,
                indexed=True,
            ),
            Field(
                "contact_id",
                T.REF,
                aliases=("cntactivityrel.contactid",),
                ref="contact",
                indexed=True,
            ),
            Field("accountid", T.REF, ref="company", indexed=True),
            Field("single_asset_id", T.REF, ref="asset"),
            Field("category", T.PICKLIST, picklist=("Sales", "Support", "Admin")),
            Field("tasklist"),
            Field("location", faker="city"),
            Field("visibility", T.PICKLIST, picklist=("Private", "Public")),
            Field("chargetime"),
            Field("cost_net", T.CURRENCY),
            Field("cost_gross", T.CURRENCY),
            Field("vat_rate", T.INTEGER),
            Field("sendnotification", T.BOOLEAN),
            Field("sendnotificationcont", T.BOOLEAN),
            Field("reminder_time", T.BOOLEAN, table="activity_reminder"),
            Field("reminder_time_cont", T.BOOLEAN, table="activity_reminder"),
            Field("showonportal", T.BOOLEAN),
            *header_fields(),
        ),
    )
)

PROJECTS = b.with_main_table(
    Module(
        noun="project",
        record_module="Project",
        tables=("projects", "project", "projectcf"),
        label_fields=("name",),
        number_field="projectnum",
        number_prefix="PROJ",
        fields=(
            b.number("projectnum", aliases=("project_no",)),
            Field(
                "name",
                aliases=("projectname",),
                in_list=True,
                keyword=True,
                indexed=True,
                faker="bs",
            ),
            Field("projecttype", T.PICKLIST, picklist=("administrative", "operative", "other")),
            Field(
                "projectstatus", T.PICKLIST, picklist=p.PROJECT_STATUSES, in_list=True, indexed=True
            ),
            Field(
                "projpriority",
                T.PICKLIST,
                aliases=("projectpriority",),
                picklist=("low", "normal", "high"),
            ),
            Field("accountid", T.REF, ref="company", in_list=True, indexed=True),
            Field("contactid", T.REF, ref="contact", indexed=True),
            Field("salesorder_id", T.REF, ref="salesorder"),
            Field("parent_id", T.REF, ref="*"),
            Field("email", T.EMAIL, keyword=True),
            Field("startdate", T.DATE, in_list=True, indexed=True),
            Field("targetend", T.DATE, aliases=("targetenddate",), in_list=True, indexed=True),
            Field("enddate", T.DATE, in_list=True, indexed=True),
            Field("budget", T.CURRENCY, aliases=("targetbudget",), in_list=True),
            Field("cost_net", T.CURRENCY),
            Field("cost_gross", T.CURRENCY),
            Field("vat_rate", T.INTEGER),
            Field("time_m", T.INTEGER),
            Field("time_taken_m", T.INTEGER),
            Field("nc_time_m", T.INTEGER),
            Field("sched_time_m", T.INTEGER),
            Field("active", T.BOOLEAN),
            Field("private", T.BOOLEAN),
            Field("showonportal", T.BOOLEAN),
            Field("showdocsonportal", T.BOOLEAN),
            *b.automation(),
            b.tags("projects"),
            *header_fields(reassigned=True),
        ),
    )
)

TICKETS = b.with_main_table(
    Module(
        noun="ticket",
        record_module="HelpDesk",
        tables=("troubletickets", "ticketcf", "ticketcomments"),
        label_fields=("title",),
        number_field="ticket_no",
        number_prefix="TT",
        edit_aliases=("helpdesk",),
        fields=(
            b.number("ticket_no"),
            Field(
                "title",
                aliases=("ticket_title",),
                in_list=True,
                keyword=True,
                indexed=True,
                faker="sentence",
            ),
            Field(
                "status",
                T.PICKLIST,
                aliases=("ticketstatus",),
                picklist=p.TICKET_STATUSES,
                in_list=True,
                indexed=True,
            ),
            Field(
                "priority",
                T.PICKLIST,
                aliases=("ticketpriorities",),
                picklist=("Low", "Normal", "High", "Urgent"),
                in_list=True,
                indexed=True,
            ),
            Field(
                "severity",
                T.PICKLIST,
                aliases=("ticketseverities",),
                picklist=("Minor", "Major", "Feature", "Critical"),
            ),
            Field(
                "category",
                T.PICKLIST,
                aliases=("ticketcategories",),
                picklist=("Fault", "Query", "Request", "Complaint"),
            ),
            Field("support_queue", T.PICKLIST, picklist=("Support", "Accounts", "Technical")),
            Field("parent_id", T.REF, ref="*", in_list=True, indexed=True),
            Field("contactid", T.REF, ref="contact", indexed=True),
            Field("extra_parent_id", T.REF, ref="company"),
            Field("contractid", T.REF, ref="contract"),
            Field("projectid", T.REF, ref="project"),
            Field("product_id", T.REF, ref="product"),
            Field("single_asset_id", T.REF, ref="asset"),
            Field("solution", T.LONGTEXT, faker="paragraph"),
            Field("tech_solution", T.LONGTEXT, faker="paragraph"),
            Field("openedby", faker="name"),
            Field("closedby", faker="name"),
            Field("closedon", T.DATE),
            Field("cost_net", T.CURRENCY),
            Field("cost_gross", T.CURRENCY),
            Field("showonportal", T.BOOLEAN),
            Field("email_to", T.MULTI, faker="email"),
            Field("sent_to_support_email", faker="company_email"),
            Field("hours", T.INTEGER),
            Field("days", T.INTEGER),
            Field("update_log", T.LONGTEXT, read_only=True),
            *b.automation(),
            b.tags("troubletickets"),
            *header_fields(reassigned=True),
        ),
    )
)

ASSETS = b.with_main_table(
    Module(
        noun="asset",
        record_module="Assets",
        tables=("assets", "assetscf"),
        label_fields=("assetname",),
        number_field="asset_no",
        number_prefix="ASSET",
        fields=(
            b.number("asset_no"),
            Field("assetname", in_list=True, keyword=True, indexed=True, faker="product_name"),
            Field(
                "account_id", T.REF, aliases=("account",), ref="company", in_list=True, indexed=True
            ),
            Field("contact_id", T.REF, ref="contact", indexed=True),
            Field("product_id", T.REF, aliases=("product",), ref="product", in_list=True),
            Field("serialnumber", faker="ean13"),
            Field("tagnumber", faker="ean8"),
            Field("datesold", T.DATE),
            Field("dateinservice", T.DATE),
            Field(
                "assetstatus", T.PICKLIST, picklist=("In Service", "Out-of-service"), indexed=True
            ),
            Field("invoiceid", T.REF, ref="invoice"),
            Field("shippingmethod"),
            Field("shippingtrackingnumber", faker="ean13"),
            *header_fields(),
        ),
    )
)

CONTRACTS = b.with_main_table(
    Module(
        noun="contract",
        record_module="ServiceContracts",
        tables=("contracts", "servicecontracts", "servicecontractscf"),
        label_fields=("subject",),
        number_field="contract_no",
        number_prefix="SERCON",
        edit_aliases=("contracts",),
        fields=(
            b.number("contract_no"),
            Field("subject", in_list=True, keyword=True, indexed=True, faker="catch_phrase"),
            Field(
                "contracttype",
                T.PICKLIST,
                aliases=("contract_type",),
                picklist=("Support", "Services", "Administrative"),
            ),
            Field(
                "contract_status",
                T.PICKLIST,
                picklist=p.CONTRACT_STATUSES,
                in_list=True,
                indexed=True,
            ),
            Field(
                "priority", T.PICKLIST, aliases=("contract_priority",), picklist=p.LOW_NORMAL_HIGH
            ),
            Field(
                "sc_related_to", T.REF, aliases=("account_id",), ref="*", in_list=True, indexed=True
            ),
            Field("contact_id", T.REF, ref="contact", indexed=True),
            Field("salesorder_id", T.REF, ref="salesorder"),
            Field("start_date", T.DATE, in_list=True, indexed=True),
            Field("due_date", T.DATE, in_list=True, indexed=True),
            Field("end_date", T.DATE),
            Field("tracking_unit", T.PICKLIST, picklist=("None", "Hours", "Days", "Incidents")),
            Field("total_units", T.DECIMAL),
            Field("used_units", T.DECIMAL),
            Field("progress", T.DECIMAL, in_list=True),
            Field("planned_duration", T.INTEGER),
            Field("actual_duration", T.INTEGER),
            Field("cost_net", T.CURRENCY),
            Field("cost_gross", T.CURRENCY),
            b.tags("contracts"),
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
