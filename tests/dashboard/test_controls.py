"""The controls page's forms: each does what its control-plane route does."""

from __future__ import annotations

from emulator.pytest_plugin import OpenCRM
from tests.dashboard.forms import DEMO, control, submit, text_of, visitor


def test_reset_puts_the_fixtures_back_and_says_so(opencrm: OpenCRM) -> None:
    opencrm.call("edit_contact", crmid="0", lastname="Temporary")
    client = visitor(opencrm)
    done = control(client, "reset")
    assert (done.status_code, done.headers["location"]) == (303, f"{DEMO}/controls?done=reset")
    assert opencrm.call("get_contact_list_count") == 11
    assert "Back to the fixtures" in client.get(done.headers["location"]).text


def test_a_snapshot_saved_and_restored_brings_its_records_back(opencrm: OpenCRM) -> None:
    client = visitor(opencrm)
    opencrm.call("edit_contact", crmid="0", lastname="Kept")
    assert control(client, "snapshots", snapshot="with kept").status_code == 303
    opencrm.call("edit_contact", crmid="0", lastname="Dropped")
    assert "with kept" in client.get(f"{DEMO}/controls").text
    assert control(client, "snapshots/restore", snapshot="with kept").status_code == 303
    assert opencrm.call("get_contact_list_count") == 12
    missing = control(client, "snapshots/restore", snapshot="none such")
    assert missing.status_code == 400
    assert "no snapshot named 'none such'" in text_of(missing.text)


def test_seeding_tops_up_the_modules_ticked(opencrm: OpenCRM) -> None:
    client = visitor(opencrm)
    assert control(client, "seed", records="20", seed="3", modules=["lead"]).status_code == 303
    assert opencrm.call("get_lead_list_count") == 20
    assert opencrm.call("get_contact_list_count") == 11
    too_many = control(client, "seed", records="20001")
    assert too_many.status_code == 400


def test_a_fault_rule_makes_the_next_calls_fail_and_removing_it_heals_them(
    opencrm: OpenCRM,
) -> None:
    client = visitor(opencrm)
    rule = {"end_point": "get_contact", "kind": "error", "message": "Down for lunch", "times": "1"}
    assert control(client, "faults", **rule).status_code == 303
    assert "Down for lunch" in client.get(f"{DEMO}/controls").text
    assert opencrm.call("get_contact", crmid="150", check=False) == {"error": "Down for lunch"}
    assert opencrm.call("get_contact", crmid="150")["lastname"] == "Jones"
    control(client, "faults", kind="status", status="503")
    assert len(opencrm.settings()["runtime"]["faults"]) == 2
    assert control(client, "faults/remove", index="0").status_code == 303
    assert [f["kind"] for f in opencrm.settings()["runtime"]["faults"]] == ["status"]
    control(client, "faults/remove")
    assert opencrm.settings()["runtime"]["faults"] == []


def test_a_wrong_fault_rule_is_refused_with_the_reason(opencrm: OpenCRM) -> None:
    answer = control(visitor(opencrm), "faults", kind="explode")
    assert answer.status_code == 400
    assert "fault kind must be error, status or drop" in answer.text
    assert opencrm.settings()["runtime"]["faults"] == []


def test_latency_rules_are_added_and_removed(opencrm: OpenCRM) -> None:
    client = visitor(opencrm)
    control(client, "latency", end_point="get_lead", min_ms="5", max_ms="10")
    latency = opencrm.settings()["runtime"]["latency"]
    assert latency == [{"end_point": "get_lead", "min_ms": 5.0, "max_ms": 10.0}]
    control(client, "latency/remove")
    assert opencrm.settings()["runtime"]["latency"] == []


def test_the_clock_is_frozen_advanced_set_and_unfrozen(opencrm: OpenCRM) -> None:
    client = visitor(opencrm)
    control(client, "clock", change="set", at="2026-01-02T09:00")
    control(client, "clock", change="freeze")
    control(client, "clock", change="advance", seconds="90")
    assert (opencrm.clock.stamp(), opencrm.clock.frozen) == ("2026-01-02 09:01:30", True)
    assert "2026-01-02 09:01:30" in client.get(f"{DEMO}/controls").text
    control(client, "clock", change="unfreeze")
    assert not opencrm.clock.frozen
    wrong = control(client, "clock", change="set", at="next tuesday")
    assert wrong.status_code == 400
    assert "invalid clock change" in wrong.text


def test_clearing_the_journal_empties_the_page(opencrm: OpenCRM) -> None:
    opencrm.call("get_contact", crmid="150")
    client = visitor(opencrm)
    page = client.get(f"{DEMO}/journal").text
    assert 'data-end-point="get_contact"' in page
    assert submit(client, f"{DEMO}/journal", f"{DEMO}/journal/clear").status_code == 303
    assert opencrm.journal() == []
