"""Tickets, vtiger's HelpDesk (data-model.md §2.7): support cases raised about any record,
with their status, priority, severity, queue and solution."""

from __future__ import annotations

from emulator.domain.modules import blocks, picklists
from emulator.domain.modules.fields import Field, FieldType, Module, header_fields

TICKETS = blocks.with_main_table(
    Module(
        noun="ticket",
        title="Tickets",
        seed_rank=16,
        record_module="HelpDesk",
        tables=("troubletickets", "ticketcf", "ticketcomments"),
        label_fields=("title",),
        number_field="ticket_no",
        number_prefix="TT",
        edit_aliases=("helpdesk",),
        fields=(
            blocks.number("ticket_no"),
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
                FieldType.PICKLIST,
                aliases=("ticketstatus",),
                picklist=picklists.TICKET_STATUSES,
                in_list=True,
                indexed=True,
            ),
            Field(
                "priority",
                FieldType.PICKLIST,
                aliases=("ticketpriorities",),
                picklist=("Low", "Normal", "High", "Urgent"),
                in_list=True,
                indexed=True,
            ),
            Field(
                "severity",
                FieldType.PICKLIST,
                aliases=("ticketseverities",),
                picklist=("Minor", "Major", "Feature", "Critical"),
            ),
            Field(
                "category",
                FieldType.PICKLIST,
                aliases=("ticketcategories",),
                picklist=("Fault", "Query", "Request", "Complaint"),
            ),
            Field(
                "support_queue", FieldType.PICKLIST, picklist=("Support", "Accounts", "Technical")
            ),
            Field("parent_id", FieldType.REF, ref="*", in_list=True, indexed=True),
            Field("contactid", FieldType.REF, ref="contact", indexed=True, link_rate=0.9),
            Field("extra_parent_id", FieldType.REF, ref="company", link_rate=0.2),
            Field("contractid", FieldType.REF, ref="contract", link_rate=0.3),
            Field("projectid", FieldType.REF, ref="project", link_rate=0.2),
            Field("product_id", FieldType.REF, ref="product", link_rate=0.6),
            Field("single_asset_id", FieldType.REF, ref="asset", link_rate=0.3),
            Field("solution", FieldType.LONGTEXT, faker="paragraph"),
            Field("tech_solution", FieldType.LONGTEXT, faker="paragraph"),
            Field("openedby", faker="name"),
            Field("closedby", faker="name"),
            Field("closedon", FieldType.DATE),
            Field("cost_net", FieldType.CURRENCY),
            Field("cost_gross", FieldType.CURRENCY),
            Field("showonportal", FieldType.BOOLEAN),
            Field("email_to", FieldType.MULTI, faker="email"),
            Field("sent_to_support_email", faker="company_email"),
            Field("hours", FieldType.INTEGER),
            Field("days", FieldType.INTEGER),
            Field("update_log", FieldType.LONGTEXT, read_only=True),
            *blocks.automation(),
            blocks.tags("troubletickets"),
            *header_fields(reassigned=True),
        ),
    )
)
