"""A SQLite file database keeps what the API wrote across a restart (issue 3, "Store":
``--database`` a file path, WAL; data survives a restart)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from emulator.pytest_plugin import OpenCRM
from emulator.settings import Settings
from emulator.systems import System

Start = Callable[[], OpenCRM]


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Start]:
    """Starts the emulator on one database file; each start closes the previous run first."""
    running: list[OpenCRM] = []
    settings = Settings(database=str(tmp_path / "crm.sqlite"))

    def restart() -> OpenCRM:
        if running:
            running.pop().system.close()
        running.append(OpenCRM(System(settings)))
        return running[-1]

    yield restart
    for crm in running:
        crm.system.close()


def test_created_and_edited_records_survive_a_restart(start: Start) -> None:
    first = start()
    crmid = first.call("edit_contact", crmid="0", firstname="Pat", lastname="Persist")
    first.call("edit_contact", crmid="150", lastname="Jones-Edited")
    second = start()
    assert second.call("get_contact", crmid=str(crmid))["lastname"] == "Persist"
    assert second.call("get_contact", crmid="150")["lastname"] == "Jones-Edited"


def test_fixtures_are_loaded_once_not_again_on_restart(start: Start) -> None:
    first = start()
    counts = {n: first.call(f"get_{n}_list_count") for n in ("contact", "company", "user")}
    first.call("edit_contact", crmid="0", lastname="Extra")
    second = start()
    second_counts = second.system.backend.counts()  # before the next start closes it
    third = start()
    assert third.call("get_contact_list_count") == counts["contact"] + 1
    assert third.call("get_company_list_count") == counts["company"]
    assert third.call("get_user_list_count") == counts["user"]
    assert second_counts == third.system.backend.counts()


def test_ids_and_record_numbers_continue_after_a_restart(start: Start) -> None:
    first = start()
    a = first.call("edit_contact", crmid="0", lastname="A")
    b = first.call("edit_ticket", crmid="0", title="B")
    numbers = first.call("get_contact", crmid=str(a))["contact_no"]
    second = start()
    c = second.call("edit_contact", crmid="0", lastname="C")
    assert (a, b, c) == (a, a + 1, a + 2)
    assert second.call("get_contact", crmid=str(c))["contact_no"] == (
        f"CON{int(numbers.removeprefix('CON')) + 1}"
    )


def test_no_id_is_reused_after_a_restart_even_for_another_module(start: Start) -> None:
    first = start()
    made = [first.call(f"edit_{n}", crmid="0") for n in ("lead", "quote", "asset")]
    second = start()
    later = second.call("edit_company", crmid="0", accountname="Later Ltd")
    assert later == max(made) + 1
    assert {r["id"] for r in second.call("get_company_list")}.isdisjoint(made)


def test_the_audit_trail_survives_a_restart(start: Start) -> None:
    first = start()
    first.call("edit_contact", crmid="150", title="Partner")
    second = start()
    [entry] = second.system.backend.audit_trail(150)
    assert entry["action"] == "Modified(API)"
    assert [c["field"] for c in entry["changes"]] == ["title"]


def test_reset_after_a_restart_returns_to_that_starts_data(start: Start) -> None:
    first = start()
    kept = first.call("edit_contact", crmid="0", lastname="Kept")
    second = start()
    dropped = second.call("edit_contact", crmid="0", lastname="Dropped")
    second.reset()
    assert second.call("get_contact", crmid=str(kept))["lastname"] == "Kept"
    assert set(second.call("get_contact", crmid=str(dropped), check=False)) == {"error"}
