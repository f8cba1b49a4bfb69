"""The audit trail of API writes (guide, "Request Recording/Logging/API Limits";
data-model.md §5.4): one entry per create or edit, with OpenCRM's text line and the changed
fields with their old and new values."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from starlette.testclient import TestClient

from emulator.pytest_plugin import OpenCRM
from emulator.settings import Settings
from emulator.systems import System

#: The guide's example moment: "Administrator (admin) 15-04-2016 15:54 Modified(API) ..."
GUIDE_MOMENT = datetime(2016, 4, 15, 15, 54, 30)
IP = "127.0.0.1"


class Caller:
    """Calls the emulator from a known client address."""

    def __init__(self, crm: OpenCRM, ip: str = IP) -> None:
        self.crm = crm
        self.client = TestClient(crm.app, base_url="http://127.0.0.1", client=(ip, 50123))

    def __call__(self, end_point: str, **params: str) -> Any:
        data = {"key": self.crm.key, "passkey": self.crm.passkey, **params}
        return self.client.post(f"/api/rest/{end_point}", data=data).json()


@pytest.fixture
def call(opencrm: OpenCRM) -> Caller:
    opencrm.system.clock.freeze(GUIDE_MOMENT)
    return Caller(opencrm)


def changes(entry: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {c["field"]: (c["old"], c["new"]) for c in entry["changes"]}


def test_an_api_edit_adds_an_entry_in_the_guides_words(opencrm: OpenCRM, call: Caller) -> None:
    call("edit_contact", crmid="150", lastname="Smith", title="Director")
    [entry] = opencrm.system.backend.audit_trail(150)
    assert entry["text"] == (
        "Administrator (admin) 15-04-2016 15:54 Modified(API) "
        "Record modified by API call from IP: 127.0.0.1"
    )
    assert (entry["whodid"], entry["changedon"], entry["action"]) == (
        1,
        "2016-04-15 15:54:30",
        "Modified(API)",
    )
    assert (entry["module"], entry["ip"], entry["status"]) == ("Contacts", IP, 0)
    assert changes(entry) == {
        "lastname": ("Jones", "Smith"),
        "title": ("Practice Manager", "Director"),
    }


def test_an_entrys_time_is_the_records_new_modifiedtime(opencrm: OpenCRM, call: Caller) -> None:
    call("edit_contact", crmid="150", lastname="Smith")
    [entry] = opencrm.system.backend.audit_trail(150)
    assert entry["changedon"] == call("get_contact", crmid="150")["modifiedtime"]


def test_an_api_create_adds_an_entry_in_the_guides_words_with_every_field_set(
    opencrm: OpenCRM, call: Caller
) -> None:
    # The guide: "Records modified or added by the API will show ... Modified(API)".
    crmid = call("edit_contact", crmid="0", firstname="Zed", lastname="Zulu", smownerid="2")
    [entry] = opencrm.system.backend.audit_trail(crmid)
    record = call("get_contact", crmid=str(crmid))
    # Every field the create set; not the checkboxes it left unticked (they read "0").
    set_fields = {k: v for k, v in record.items() if v not in ("", "0") and k[:7] != "record_"}
    assert record["do_not_email"] == "0"
    assert entry["action"] == "Modified(API)"
    assert entry["status"] == 2  # vtiger ModTracker's "create", whatever the text says
    assert entry["text"] == (
        "Administrator (admin) 15-04-2016 15:54 Modified(API) "
        "Record modified by API call from IP: 127.0.0.1"
    )
    assert changes(entry) == {k: ("", v) for k, v in set_fields.items()}
    assert changes(entry)["firstname"] == ("", "Zed")
    assert changes(entry)["smownerid"] == ("", "2")


def test_an_owner_change_by_either_name_is_recorded_as_smownerid(
    opencrm: OpenCRM, call: Caller
) -> None:
    call("edit_contact", crmid="150", assigned_user_id="2")
    call("edit_contact", crmid="150", smownerid="4")
    first, second = opencrm.system.backend.audit_trail(150)
    assert changes(first) == {"smownerid": ("3", "2")}
    assert changes(second) == {"smownerid": ("2", "4")}


def test_blanking_a_field_records_its_old_value(opencrm: OpenCRM, call: Caller) -> None:
    call("edit_contact", crmid="150", mobile="", accountid="")
    [entry] = opencrm.system.backend.audit_trail(150)
    assert changes(entry) == {"mobile": ("07700 900231", ""), "accountid": ("106", "")}


def test_entries_accumulate_oldest_first(opencrm: OpenCRM, call: Caller) -> None:
    crmid = call("edit_ticket", crmid="0", title="Printer jam")
    opencrm.system.clock.advance(120)
    call("edit_ticket", crmid=str(crmid), status="Closed")
    opencrm.system.clock.advance(120)
    call("edit_helpdesk", crmid=str(crmid), title="Printer jam (tray 2)")
    trail = opencrm.system.backend.audit_trail(crmid)
    assert [e["action"] for e in trail] == ["Modified(API)"] * 3
    assert [e["status"] for e in trail] == [2, 0, 0]
    assert [e["changedon"][11:16] for e in trail] == ["15:54", "15:56", "15:58"]
    assert changes(trail[2]) == {"title": ("Printer jam", "Printer jam (tray 2)")}


def test_an_edit_that_changes_nothing_still_leaves_an_entry(opencrm: OpenCRM, call: Caller) -> None:
    # Every API save writes OpenCRM's text line (guide); there are simply no field details.
    call("edit_contact", crmid="150", lastname="Jones")
    [entry] = opencrm.system.backend.audit_trail(150)
    assert (entry["action"], entry["changes"]) == ("Modified(API)", [])


def test_fixture_records_have_no_trail_and_reads_add_none(opencrm: OpenCRM, call: Caller) -> None:
    call("get_contact", crmid="150")
    call("get_contact_list")
    assert opencrm.system.backend.audit_trail(150) == []


def test_ignored_fields_are_not_in_the_trail(opencrm: OpenCRM, call: Caller) -> None:
    call("edit_contact", crmid="150", no_such_field="x", createdtime="2001-01-01 00:00:00")
    [entry] = opencrm.system.backend.audit_trail(150)
    assert entry["changes"] == []


def test_the_ip_is_the_callers(opencrm: OpenCRM) -> None:
    opencrm.system.clock.freeze(GUIDE_MOMENT)
    Caller(opencrm, "127.0.0.1")("edit_contact", crmid="150", title="A")
    Caller(opencrm, "::1")("edit_contact", crmid="150", title="B")
    first, second = opencrm.system.backend.audit_trail(150)
    assert first["text"].endswith("from IP: 127.0.0.1")
    assert second["text"].endswith("from IP: ::1")


@pytest.fixture(scope="module")
def as_sarah() -> Iterator[OpenCRM]:
    crm = OpenCRM(System(Settings(api_user_id=2)))
    yield crm
    crm.system.close()


def test_the_api_user_setting_names_who_wrote(as_sarah: OpenCRM) -> None:
    as_sarah.reset()
    as_sarah.system.clock.freeze(GUIDE_MOMENT)
    crmid = Caller(as_sarah)("edit_lead", crmid="0", lastname="Ward")
    [entry] = as_sarah.system.backend.audit_trail(crmid)
    record = as_sarah.call("get_lead", crmid=str(crmid))
    assert entry["text"].startswith(
        "Sarah Mitchell (sarah.mitchell) 15-04-2016 15:54 Modified(API)"
    )
    assert entry["whodid"] == 2
    assert (record["smcreatorid"], record["modifiedby"], record["smownerid"]) == ("2", "2", "2")


@pytest.fixture(scope="module")
def created_wording() -> Iterator[OpenCRM]:
    crm = OpenCRM(System(Settings(create_audit_action="Created(API)")))
    yield crm
    crm.system.close()


def test_the_create_audit_action_setting_brings_back_created_api(
    created_wording: OpenCRM,
) -> None:
    created_wording.reset()
    created_wording.system.clock.freeze(GUIDE_MOMENT)
    caller = Caller(created_wording)
    crmid = caller("edit_lead", crmid="0", lastname="Ward")
    caller("edit_lead", crmid=str(crmid), lastname="Warde")
    created, edited = created_wording.system.backend.audit_trail(crmid)
    assert (created["action"], created["status"]) == ("Created(API)", 2)
    assert created["text"] == (
        "Administrator (admin) 15-04-2016 15:54 Created(API) "
        "Record modified by API call from IP: 127.0.0.1"
    )
    assert (edited["action"], edited["status"]) == ("Modified(API)", 0)


def test_an_entry_names_the_user_as_the_user_record_says_at_the_time(
    opencrm: OpenCRM, call: Caller
) -> None:
    call("edit_contact", crmid="150", title="First")
    users = opencrm.system.registry.by_noun("user")
    store = opencrm.system.store
    with store.transaction() as work:
        old = work.fetch("user", 1) or {}
        work.update_record(users, 1, {users.field("first_name"): "Ada"}, 1, old)
    call("edit_contact", crmid="150", title="Second")
    first, second = opencrm.system.backend.audit_trail(150)
    assert first["text"].startswith("Administrator (admin) ")
    assert second["text"].startswith("Ada Administrator (admin) ")
