"""Reports, record links and campaigns (guide, "Reporting Functions", "Record Linking (BETA)",
"Campaigns (BETA)"): the actions that are not about one module."""

from __future__ import annotations

from typing import Any

from emulator.endpoints import Call


def get_record_list_from_report(call: Call) -> list[dict[str, Any]]:
    return call.backend.run_report(call.params)


def edit_record_link(call: Call) -> int:
    return call.backend.link_records(call.params, call.actor)


def add_to_campaign(call: Call) -> str:
    return call.backend.add_to_campaign(call.params, call.actor, call.warnings)
