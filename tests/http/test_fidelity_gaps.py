"""The places where a client passed against the emulator and then failed against the real
OpenCRM (issue 13): the 50,000 record limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulator.pytest_plugin import OpenCRM
from emulator.settings import Settings
from emulator.system import System

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
