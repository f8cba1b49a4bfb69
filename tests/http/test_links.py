"""``edit_record_link`` through HTTP (guide, "Record Linking (BETA)"; data-model.md §5.2)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from emulator.domain import audit
from emulator.pytest_plugin import OpenCRM

BOB, HARROWGATE, TICKET, ASSET = 150, 100, 350, 380
DELETED_CONTACT = 161


def link(crm: OpenCRM, parent: object, child: object) -> Any:
    return crm.call("edit_record_link", parent_id=str(parent), child_id=str(child))


def linked_ids(crm: OpenCRM, crmid: int) -> list[tuple[int, str, str]]:
    return [
        (r["crmid"], r["module"], r["linked_as"]) for r in crm.system.backend.record_links(crmid)
    ]


def links_entries(crm: OpenCRM, crmid: int) -> list[dict[str, Any]]:
    return [e for e in crm.system.backend.audit_trail(crmid) if e["status"] == audit.LINKED]


def test_a_link_answers_the_parent_id_as_a_bare_number(opencrm: OpenCRM) -> None:
    response = opencrm.client.post(
        "/api/rest/edit_record_link",
        data={
            "key": opencrm.key,
            "passkey": opencrm.passkey,
            "parent_id": "150",
            "child_id": "100",
        },
    )
    assert response.status_code == 200
    assert response.text == "150"


def test_a_link_is_visible_from_both_records(opencrm: OpenCRM) -> None:
    assert link(opencrm, BOB, HARROWGATE) == BOB
    assert linked_ids(opencrm, BOB) == [(HARROWGATE, "Accounts", "child")]
    assert linked_ids(opencrm, HARROWGATE) == [(BOB, "Contacts", "parent")]


def test_records_of_any_modules_can_be_linked(opencrm: OpenCRM) -> None:
    assert link(opencrm, TICKET, ASSET) == TICKET
    assert linked_ids(opencrm, ASSET) == [(TICKET, "HelpDesk", "parent")]


def test_linking_again_answers_the_parent_id_and_adds_nothing(opencrm: OpenCRM) -> None:
    link(opencrm, BOB, HARROWGATE)
    before = (links_entries(opencrm, BOB), links_entries(opencrm, HARROWGATE))
    assert link(opencrm, BOB, HARROWGATE) == BOB
    assert linked_ids(opencrm, BOB) == [(HARROWGATE, "Accounts", "child")]
    assert (links_entries(opencrm, BOB), links_entries(opencrm, HARROWGATE)) == before


def test_a_pair_linked_the_other_way_round_is_already_linked(opencrm: OpenCRM) -> None:
    link(opencrm, BOB, HARROWGATE)
    assert link(opencrm, HARROWGATE, BOB) == HARROWGATE
    assert linked_ids(opencrm, HARROWGATE) == [(BOB, "Contacts", "parent")]
    assert len(links_entries(opencrm, HARROWGATE)) == 1


def test_a_new_link_is_audited_on_both_records(opencrm: OpenCRM) -> None:
    link(opencrm, BOB, HARROWGATE)
    (on_parent,) = links_entries(opencrm, BOB)
    (on_child,) = links_entries(opencrm, HARROWGATE)
    assert on_parent["action"] == "Linked(API)"
    assert on_parent["whodid"] == opencrm.system.settings.api_user_id
    assert "Administrator (admin)" in on_parent["text"]
    assert on_parent["text"].endswith("Record modified by API call from IP: 127.0.0.1")
    assert [(c["field"], c["new"]) for c in on_parent["changes"]] == [
        ("targetmodule", "Accounts"),
        ("targetid", str(HARROWGATE)),
    ]
    assert [(c["field"], c["new"]) for c in on_child["changes"]] == [
        ("targetmodule", "Contacts"),
        ("targetid", str(BOB)),
    ]


def test_linking_changes_neither_record(opencrm: OpenCRM) -> None:
    before = opencrm.call("get_contact", crmid=str(BOB))
    opencrm.system.clock.advance(3600)
    link(opencrm, BOB, 101)
    after = opencrm.call("get_contact", crmid=str(BOB))
    assert after == before
    assert after["accountid"] == "106"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"child_id": "100"}, "Missing parameter: parent_id"),
        ({"parent_id": "150"}, "Missing parameter: child_id"),
        ({"parent_id": "", "child_id": "100"}, "Missing parameter: parent_id"),
        ({"parent_id": "abc", "child_id": "100"}, "Invalid parent_id: 'abc' is not a record id"),
        ({"parent_id": "150", "child_id": "-4"}, "Invalid child_id: '-4' is not a record id"),
        ({"parent_id": "999999", "child_id": "100"}, "No record with id 999999 (parent_id)"),
        ({"parent_id": "150", "child_id": "999999"}, "No record with id 999999 (child_id)"),
        ({"parent_id": "161", "child_id": "100"}, "No record with id 161 (parent_id)"),
        ({"parent_id": "150", "child_id": "108"}, "No record with id 108 (child_id)"),
        ({"parent_id": "1", "child_id": "100"}, "No record with id 1 (parent_id)"),
        (
            {"parent_id": "150", "child_id": "150"},
            "parent_id and child_id are the same record (150): a record cannot be linked to itself",
        ),
    ],
)
def test_a_bad_link_is_refused_with_a_clear_error_and_writes_nothing(
    opencrm: OpenCRM, params: dict[str, str], message: str
) -> None:
    assert opencrm.call("edit_record_link", **params, check=False) == {"error": message}
    assert linked_ids(opencrm, BOB) == []
    assert linked_ids(opencrm, HARROWGATE) == []
    assert links_entries(opencrm, BOB) == []


def test_a_deleted_record_does_not_show_among_the_links(opencrm: OpenCRM) -> None:
    link(opencrm, BOB, HARROWGATE)
    with opencrm.system.store.transaction() as work:
        work.ex.run(text("UPDATE crmentity SET deleted = 1 WHERE crmid = 100"))
    assert linked_ids(opencrm, BOB) == []


def test_linking_needs_credentials(opencrm: OpenCRM) -> None:
    response = opencrm.client.post(
        "/api/rest/edit_record_link", data={"parent_id": "150", "child_id": "100"}
    )
    assert response.json() == {"error": "Unauthorized"}
    assert linked_ids(opencrm, BOB) == []


def test_a_wrong_passkey_is_refused_before_linking(opencrm: OpenCRM) -> None:
    answer = opencrm.call(
        "edit_record_link", passkey="wrong", parent_id="150", child_id="100", check=False
    )
    assert answer == {"error": "Invalid User Details - AUTHENTICATION FAILED"}
    assert linked_ids(opencrm, BOB) == []


def test_the_ids_may_come_as_path_segments(opencrm: OpenCRM) -> None:
    path = f"/api/rest/edit_record_link/key/{opencrm.key}/passkey/{opencrm.passkey}"
    response = opencrm.client.get(f"{path}/parent_id/150/child_id/100")
    assert response.json() == BOB
    assert linked_ids(opencrm, BOB) == [(HARROWGATE, "Accounts", "child")]


def test_a_reset_forgets_the_links(opencrm: OpenCRM) -> None:
    link(opencrm, BOB, HARROWGATE)
    opencrm.reset()
    assert linked_ids(opencrm, BOB) == []
