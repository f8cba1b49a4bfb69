"""The places where a client passed against the emulator and then failed against the real
OpenCRM (issue 13): the 50,000 record limit and checkbox values. (The audit text of a create
is in test_audit.py, the web firewall in test_firewall.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from emulator.pytest_plugin import OpenCRM
from emulator.settings import Settings
from emulator.systems import System

# -- the 50,000 limit ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fifty_thousand_contacts() -> Iterator[OpenCRM]:
    """50,010 live contacts: the 11 fixtures and 49,999 more (inserted in bulk, no Faker)."""
    system = System(Settings())
    with system.store.transaction() as work:
        work.insert_records("contact", [{"lastname": f"Extra {n}"} for n in range(49_999)])
    crm = OpenCRM(system)
    yield crm
    crm.close()
    system.close()


def test_an_explicit_limit_end_above_the_number_of_records_returns_every_one(
    fifty_thousand_contacts: OpenCRM,
) -> None:
    # The guide: "the record limit is currently set at 50000 records. If you need more records
    # the set the limit_start to 0 and limit_end value to a reasonable amount above the number
    # of records".
    crm = fifty_thousand_contacts
    assert crm.call("get_contact_list_count") == 50_010
    rows = crm.call("get_contact_list", limit_start="0", limit_end="60000")
    assert len(rows) == 50_010
    assert rows[-1]["lastname"] == "Extra 49998"


def test_without_limit_end_a_list_stops_at_50000_records(fifty_thousand_contacts: OpenCRM) -> None:
    assert len(fifty_thousand_contacts.call("get_contact_list")) == 50_000
    assert len(fifty_thousand_contacts.call("get_contact_list", limit_start="0")) == 50_000


# -- checkboxes ---------------------------------------------------------------------------------

CONTACT_BOXES = ("do_not_email", "tps", "fps", "righttobeforgotten", "portal", "canesign")


def boxes(record: dict[str, Any], names: tuple[str, ...] = CONTACT_BOXES) -> dict[str, str]:
    return {name: record[name] for name in names}


def test_a_record_created_through_the_api_reads_0_for_every_checkbox_it_did_not_set(
    opencrm: OpenCRM,
) -> None:
    crmid = opencrm.call("edit_contact", crmid="0", lastname="Boxes", tps="1")
    record = opencrm.call("get_contact", crmid=str(crmid))
    assert boxes(record) == dict.fromkeys(CONTACT_BOXES, "0") | {"tps": "1"}
    company = opencrm.call("edit_company", crmid="0", accountname="Boxes Ltd")
    assert opencrm.call("get_company", crmid=str(company))["vatexempt"] == "0"


def test_a_fixture_record_without_a_checkbox_value_reads_0(opencrm: OpenCRM) -> None:
    # Contact 150's fixture sets do_not_email and tps, and no other checkbox.
    assert boxes(opencrm.call("get_contact", crmid="150")) == dict.fromkeys(CONTACT_BOXES, "0")
    [row] = opencrm.call("get_contact_list_full", limit_end="1")
    assert boxes(row) == dict.fromkeys(CONTACT_BOXES, "0")


def test_a_checkbox_blanked_by_an_edit_reads_0_as_mysql_stores_it(opencrm: OpenCRM) -> None:
    opencrm.call("edit_lead", crmid="202", tps="")
    assert opencrm.call("get_lead", crmid="202")["tps"] == "0"


def test_a_query_for_unticked_checkboxes_finds_the_unset_ones(opencrm: OpenCRM) -> None:
    created = opencrm.call("edit_contact", crmid="0", lastname="Unticked")
    opencrm.call("edit_contact", crmid="151", portal="")
    ticked = opencrm.call("get_contact_list", query_string="portal|=|1")
    unticked = opencrm.call("get_contact_list", query_string="portal|=|0", limit_end="100")
    assert {r["id"] for r in ticked}.isdisjoint({r["id"] for r in unticked})
    assert {150, 151, created} <= {r["id"] for r in unticked}
    total = opencrm.call("get_contact_list_count")
    assert len(ticked) + len(unticked) == total
    assert opencrm.call("get_contact_list_count", query_string="portal|=|") == len(unticked)
