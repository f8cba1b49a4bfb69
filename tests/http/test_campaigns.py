"""``add_to_campaign`` through HTTP (guide, "Campaigns (BETA)"; data-model.md §5.3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import text

from emulator.domain import audit
from emulator.pytest_plugin import OpenCRM
from emulator.settings import Settings
from emulator.systems import System

CAMPAIGN, OTHER_CAMPAIGN = 262, 260
BOB, LEAD, COMPANY = 150, 200, 100


def add(crm: OpenCRM, campaignid: object = CAMPAIGN, recordid: object = BOB, **extra: str) -> Any:
    return crm.call(
        "add_to_campaign", campaignid=str(campaignid), recordid=str(recordid), **extra, check=False
    )


def members(crm: OpenCRM, campaignid: int = CAMPAIGN) -> list[dict[str, Any]]:
    return crm.system.backend.campaign_members(campaignid)


def linked_entries(crm: OpenCRM, crmid: int) -> list[dict[str, Any]]:
    return [e for e in crm.system.backend.audit_trail(crmid) if e["status"] == audit.LINKED]


@pytest.fixture
def frozen(opencrm: OpenCRM) -> OpenCRM:
    opencrm.system.clock.freeze(datetime(2026, 9, 1, 10, 0, 0))
    return opencrm


def test_adding_answers_the_bare_string_success(opencrm: OpenCRM) -> None:
    response = opencrm.client.post(
        "/api/rest/add_to_campaign",
        data={
            "key": opencrm.key,
            "passkey": opencrm.passkey,
            "campaignid": "262",
            "recordid": "150",
        },
    )
    assert response.status_code == 200
    assert response.text == '"Success"'


@pytest.mark.parametrize(
    ("recordid", "module"), [(BOB, "Contacts"), (LEAD, "Leads"), (COMPANY, "Accounts")]
)
def test_leads_contacts_and_companies_can_join_a_campaign(
    frozen: OpenCRM, recordid: int, module: str
) -> None:
    assert add(frozen, recordid=recordid) == "Success"
    assert members(frozen) == [
        {
            "campaignid": CAMPAIGN,
            "crmid": recordid,
            "module": module,
            "relationship": "",
            "status": "--None--",
            "probability": "",
            "createdtime": "2026-09-01 10:00:00",
            "modifiedtime": "2026-09-01 10:00:00",
        }
    ]


def test_relationship_status_and_probability_are_stored(opencrm: OpenCRM) -> None:
    add(opencrm, relationship="Invited", status="Contacted - Successful", probability="75")
    (member,) = members(opencrm)
    assert (member["relationship"], member["status"], member["probability"]) == (
        "Invited",
        "Contacted - Successful",
        "75",
    )


def test_adding_again_updates_the_membership_and_keeps_what_was_not_sent(frozen: OpenCRM) -> None:
    add(frozen, relationship="Invited", status="--None--", probability="20")
    frozen.system.clock.advance(90)
    assert add(frozen, status="Contacted - Unsuccessful") == "Success"
    (member,) = members(frozen)
    assert (member["relationship"], member["status"], member["probability"]) == (
        "Invited",
        "Contacted - Unsuccessful",
        "20",
    )
    assert member["createdtime"] == "2026-09-01 10:00:00"
    assert member["modifiedtime"] == "2026-09-01 10:01:30"


def test_adding_again_unchanged_moves_modifiedtime_but_adds_no_audit_entry(
    frozen: OpenCRM,
) -> None:
    add(frozen, status="Contacted - Successful")
    before = linked_entries(frozen, BOB)
    frozen.system.clock.advance(60)
    assert add(frozen, status="Contacted - Successful") == "Success"
    assert members(frozen)[0]["modifiedtime"] == "2026-09-01 10:01:00"
    assert linked_entries(frozen, BOB) == before


def test_a_record_can_join_several_campaigns(opencrm: OpenCRM) -> None:
    add(opencrm)
    add(opencrm, campaignid=OTHER_CAMPAIGN)
    assert [m["crmid"] for m in members(opencrm)] == [BOB]
    assert [m["crmid"] for m in members(opencrm, OTHER_CAMPAIGN)] == [BOB]


def test_a_new_membership_is_audited_on_the_campaign_and_the_record(opencrm: OpenCRM) -> None:
    add(opencrm, probability="40")
    (on_campaign,) = linked_entries(opencrm, CAMPAIGN)
    (on_record,) = linked_entries(opencrm, BOB)
    assert on_campaign["action"] == on_record["action"] == "Linked(API)"
    assert on_campaign["module"] == "Campaigns"
    assert on_record["module"] == "Contacts"
    assert [(c["field"], c["old"], c["new"]) for c in on_campaign["changes"]] == [
        ("targetmodule", "", "Contacts"),
        ("targetid", "", str(BOB)),
        ("status", "", "--None--"),
        ("probability", "", "40"),
    ]
    assert on_record["changes"][:2] == [
        {"field": "targetmodule", "old": "", "new": "Campaigns"},
        {"field": "targetid", "old": "", "new": str(CAMPAIGN)},
    ]


def test_a_changed_membership_is_audited_with_old_and_new_values(opencrm: OpenCRM) -> None:
    add(opencrm, probability="40")
    add(opencrm, probability="90")
    latest = linked_entries(opencrm, BOB)[-1]
    assert latest["changes"][-1] == {"field": "probability", "old": "40", "new": "90"}


def test_a_status_outside_vtigers_list_is_stored_with_a_journal_warning(opencrm: OpenCRM) -> None:
    assert add(opencrm, status="Sent brochure") == "Success"
    assert members(opencrm)[0]["status"] == "Sent brochure"
    warnings = opencrm.system.control.journal.entries("add_to_campaign")[-1].warnings
    assert warnings == ["status 'Sent brochure' is not a campaignrelstatus value"]


def test_an_empty_status_means_none(opencrm: OpenCRM) -> None:
    add(opencrm, status="Contacted - Successful")
    add(opencrm, status="")
    assert members(opencrm)[0]["status"] == "--None--"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"recordid": "150"}, "Missing parameter: campaignid"),
        ({"campaignid": "262"}, "Missing parameter: recordid"),
        ({"campaignid": "x", "recordid": "150"}, "Invalid campaignid: 'x' is not a record id"),
        ({"campaignid": "262", "recordid": "1.5"}, "Invalid recordid: '1.5' is not a record id"),
        (
            {"campaignid": "999999", "recordid": "150"},
            "Invalid campaign: no campaign with id 999999",
        ),
        ({"campaignid": "150", "recordid": "262"}, "Invalid campaign: no campaign with id 150"),
        (
            {"campaignid": "262", "recordid": "999999"},
            "Invalid record: 999999 is not a lead, contact or company",
        ),
        (
            {"campaignid": "262", "recordid": "350"},
            "Invalid record: 350 is not a lead, contact or company",
        ),
        (
            {"campaignid": "262", "recordid": "161"},
            "Invalid record: 161 is not a lead, contact or company",
        ),
        (
            {"campaignid": "262", "recordid": "108"},
            "Invalid record: 108 is not a lead, contact or company",
        ),
        (
            {"campaignid": "262", "recordid": "150", "probability": "101"},
            "Invalid probability: '101' (a whole number from 0 to 100)",
        ),
        (
            {"campaignid": "262", "recordid": "150", "probability": "-1"},
            "Invalid probability: '-1' (a whole number from 0 to 100)",
        ),
        (
            {"campaignid": "262", "recordid": "150", "probability": "high"},
            "Invalid probability: 'high' (a whole number from 0 to 100)",
        ),
    ],
)
def test_a_failure_answers_an_error_message_string_and_writes_nothing(
    opencrm: OpenCRM, params: dict[str, str], message: str
) -> None:
    response = opencrm.client.post(
        "/api/rest/add_to_campaign", data={"key": opencrm.key, "passkey": opencrm.passkey, **params}
    )
    assert response.status_code == 200
    assert response.json() == message
    assert members(opencrm) == []
    assert linked_entries(opencrm, CAMPAIGN) == []


def test_a_deleted_campaign_cannot_be_joined(opencrm: OpenCRM) -> None:
    with opencrm.system.store.transaction() as work:
        work.ex.run(text("UPDATE crmentity SET deleted = 1 WHERE crmid = 262"))
    assert add(opencrm) == "Invalid campaign: no campaign with id 262"


def test_the_failure_string_is_journalled(opencrm: OpenCRM) -> None:
    add(opencrm, recordid=350)
    entry = opencrm.system.control.journal.entries("add_to_campaign")[-1]
    assert entry.response == "Invalid record: 350 is not a lead, contact or company"


def test_credentials_are_checked_first_and_refused_as_everywhere(opencrm: OpenCRM) -> None:
    answer = opencrm.call(
        "add_to_campaign", passkey="wrong", campaignid="262", recordid="150", check=False
    )
    assert answer == {"error": "Invalid User Details - AUTHENTICATION FAILED"}
    assert members(opencrm) == []


def test_a_membership_shows_in_the_campaign_members_custom_report(opencrm: OpenCRM) -> None:
    add(opencrm, relationship="Attended", probability="60")
    rows = opencrm.call("get_record_list_from_report", reportid="2", isCustomReport="true")
    assert [(r["id"], r["Campaigns_campaignname"], r["probability"]) for r in rows] == [
        (BOB, "Managed Support Webinar Series 2026", "60")
    ]


def test_with_http_error_statuses_a_failure_is_a_400_and_still_a_string() -> None:
    crm = OpenCRM(System(Settings(error_status="http")))
    try:
        response = crm.client.post(
            "/api/rest/add_to_campaign",
            data={"key": crm.key, "passkey": crm.passkey, "campaignid": "262", "recordid": "350"},
        )
    finally:
        crm.system.close()
    assert response.status_code == 400
    assert response.json() == "Invalid record: 350 is not a lead, contact or company"
