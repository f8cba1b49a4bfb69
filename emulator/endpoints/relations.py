"""Reports, record links and campaigns (guide, "Reporting Functions", "Record Linking (BETA)",
"Campaigns (BETA)"): the actions that are not about one module."""

from __future__ import annotations

from emulator.domain.reports import StandardReport
from emulator.endpoints.call import Call, Row, presented
from emulator.wire import paging, requests


def get_record_list_from_report(call: Call) -> list[Row]:
    report = call.backend.report(*requests.report_request(call.params))
    start, limit = paging.window(call.params, call.settings)
    rows = call.backend.report_rows(report, start, limit)
    if not isinstance(report, StandardReport):
        return rows  # a custom report's columns are its SQL's: nothing to reformat
    return presented(call.report_presenter(report), rows)


def edit_record_link(call: Call) -> int:
    return call.backend.link_records(requests.link_request(call.params), call.actor)


def add_to_campaign(call: Call) -> str:
    request, warnings = requests.membership_request(call.params)
    call.warn(*warnings)
    return call.backend.add_to_campaign(request, call.actor)
