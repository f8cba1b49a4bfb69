"""Activities, vtiger's Calendar (data-model.md §2.5): tasks, calls and meetings, each linked
to any record through ``parent_id`` and to a contact through ``contact_id``."""

from __future__ import annotations

from emulator.domain.modules import blocks, picklists
from emulator.domain.modules.fields import Field, FieldType, Module, header_fields

ACTIVITIES = blocks.with_main_table(
    Module(
        noun="activity",
        title="Activities",
        seed_rank=15,
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
                FieldType.PICKLIST,
                picklist=("Task", "Call", "Meeting"),
                in_list=True,
                indexed=True,
            ),
            Field(
                "taskstatus",
                FieldType.PICKLIST,
                table="activity",
                column="status",
                picklist=picklists.TASK_STATUSES,
                in_list=True,
                indexed=True,
            ),
            Field("eventstatus", FieldType.PICKLIST, picklist=("Planned", "Held", "Not Held")),
            Field(
                "taskpriority",
                FieldType.PICKLIST,
                table="activity",
                column="priority",
                picklist=("High", "Medium", "Low"),
            ),
            Field("date_start", FieldType.DATE, in_list=True, indexed=True),
            Field("time_start", FieldType.TIME),
            Field("due_date", FieldType.DATE, in_list=True, indexed=True),
            Field("time_end", FieldType.TIME),
            Field("duration_hours", FieldType.INTEGER),
            Field("duration_minutes", FieldType.PICKLIST, picklist=("00", "15", "30", "45")),
            Field(
                "parent_id",
                FieldType.REF,
                aliases=("seactivityrel.crmid",),
                ref="*",
                in_list=True,
                indexed=True,
            ),
            Field(
                "contact_id",
                FieldType.REF,
                aliases=("cntactivityrel.contactid",),
                ref="contact",
                indexed=True,
                link_rate=0.9,
            ),
            Field("accountid", FieldType.REF, ref="company", indexed=True),
            Field("single_asset_id", FieldType.REF, ref="asset", link_rate=0.3),
            Field("category", FieldType.PICKLIST, picklist=("Sales", "Support", "Admin")),
            Field("tasklist"),
            Field("location", faker="city"),
            Field("visibility", FieldType.PICKLIST, picklist=("Private", "Public")),
            Field("chargetime"),
            Field("cost_net", FieldType.CURRENCY),
            Field("cost_gross", FieldType.CURRENCY),
            Field("vat_rate", FieldType.INTEGER),
            Field("sendnotification", FieldType.BOOLEAN),
            Field("sendnotificationcont", FieldType.BOOLEAN),
            Field("reminder_time", FieldType.BOOLEAN, table="activity_reminder"),
            Field("reminder_time_cont", FieldType.BOOLEAN, table="activity_reminder"),
            Field("showonportal", FieldType.BOOLEAN),
            *header_fields(),
        ),
    )
)
