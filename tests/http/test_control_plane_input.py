"""The control plane under hostile or mistaken input: a clear 4xx with one line saying what
is wrong, never a 500 or a Python message (issue 12); and faults that fire as often as they
were asked to, whatever is changed afterwards."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.pytest_plugin import OpenCRM

HUGE = "9" * 4301


def control(crm: OpenCRM, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
    response = crm.client.request(method, f"/_emulator/{path}", **kwargs)
    return response.status_code, response.json()


def test_a_journal_limit_of_thousands_of_digits_keeps_every_entry(opencrm: OpenCRM) -> None:
    opencrm.call("get_contact_list_count")
    status, body = control(opencrm, "GET", f"journal?limit={HUGE}")
    assert status == 200
    assert len(body["entries"]) == 1


@pytest.mark.parametrize(
    "path",
    ["records/{}/audit", "records/{}/links", "campaigns/{}/members"],
)
@pytest.mark.parametrize("crmid", ["18446744073709551616", "9223372036854775808", HUGE])
def test_a_record_id_beyond_the_stores_ids_is_a_400(
    opencrm: OpenCRM, path: str, crmid: str
) -> None:
    status, body = control(opencrm, "GET", path.format(crmid))
    assert status == 400
    assert body["error"].startswith("not a record id: ")
    assert len(body["error"]) < 100


def test_the_largest_record_id_is_answered(opencrm: OpenCRM) -> None:
    status, body = control(opencrm, "GET", f"records/{2**63 - 1}/audit")
    assert (status, body["entries"]) == (200, [])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rate_limit_per_minute": None}, "invalid value for rate_limit_per_minute: expected"),
        ({"rate_limit_per_day": "10"}, "invalid value for rate_limit_per_day: expected"),
        ({"rate_limit_per_day": 1.5}, "invalid value for rate_limit_per_day: expected"),
        ({"rate_limit_per_day": 2**64 - 1}, "invalid value for rate_limit_per_day: expected"),
        ({"access_key_idle_minutes": None}, "invalid value for access_key_idle_minutes: expected"),
        ({"latency": [{"min_ms": None}]}, "invalid value for latency: expected"),
        ({"latency": [{"min_ms": "fast"}]}, "invalid value for latency: expected"),
        ({"faults": [{"status": None}]}, "invalid value for faults: expected"),
        ({"faults": [{"times": "twice"}]}, "invalid value for faults: expected"),
        ({"faults": [{"probability": None}]}, "invalid value for faults: expected"),
        ({"faults": [{"times": True}]}, "invalid value for faults: expected"),
    ],
)
def test_a_setting_of_the_wrong_type_gets_one_clear_line_not_pythons_words(
    opencrm: OpenCRM, change: dict[str, Any], message: str
) -> None:
    status, body = control(opencrm, "PUT", "settings", json=change)
    assert status == 400
    assert body["error"].startswith(message)
    assert "int()" not in body["error"]
    assert "float()" not in body["error"]
    assert "NoneType" not in body["error"]


@pytest.mark.parametrize("status", [100, 101, 199, 204, 304])
def test_a_fault_status_that_http_sends_without_a_body_is_refused(
    opencrm: OpenCRM, status: int
) -> None:
    fault = {"kind": "status", "status": status}
    code, body = control(opencrm, "PUT", "settings", json={"faults": [fault]})
    assert code == 400
    assert "200 to 599, but not 204 or 304" in body["error"]


@pytest.mark.parametrize("status", [200, 205, 418, 503, 599])
def test_a_fault_status_with_a_body_is_accepted(opencrm: OpenCRM, status: int) -> None:
    fault = {"end_point": "get_contact", "kind": "status", "status": status, "times": 1}
    assert control(opencrm, "PUT", "settings", json={"faults": [fault]})[0] == 200
    response = opencrm.client.post("/api/rest/get_contact", data=opencrm.credentials)
    assert response.status_code == status


def test_a_spent_fault_is_not_rearmed_by_a_later_settings_change(opencrm: OpenCRM) -> None:
    fault = {"end_point": "get_contact_list_count", "message": "Down", "times": 1}
    control(opencrm, "PUT", "settings", json={"faults": [fault]})
    assert opencrm.call("get_contact_list_count", check=False) == {"error": "Down"}
    control(opencrm, "PUT", "settings", json={"rate_limit_per_minute": 1000})
    assert opencrm.call("get_contact_list_count") == 11


def test_a_spent_fault_is_not_rearmed_by_adding_another_fault(opencrm: OpenCRM) -> None:
    opencrm.fault("get_contact_list_count", message="Down", times=1)
    assert opencrm.call("get_contact_list_count", check=False) == {"error": "Down"}
    opencrm.fault("get_lead_list_count", message="Leads down", times=1)
    assert opencrm.call("get_contact_list_count") == 11
    assert opencrm.call("get_lead_list_count", check=False) == {"error": "Leads down"}


def test_settings_show_how_many_times_a_fault_has_left(opencrm: OpenCRM) -> None:
    opencrm.fault("get_contact_list_count", message="Down", times=2)
    opencrm.call("get_contact_list_count", check=False)
    [fault] = control(opencrm, "GET", "settings")[1]["runtime"]["faults"]
    assert fault["times"] == 1
    opencrm.call("get_contact_list_count", check=False)
    [fault] = control(opencrm, "GET", "settings")[1]["runtime"]["faults"]
    assert fault["times"] == 0
    assert opencrm.call("get_contact_list_count") == 11


def test_sending_the_same_faults_again_rearms_them(opencrm: OpenCRM) -> None:
    fault = {"end_point": "get_contact_list_count", "message": "Down", "times": 1}
    control(opencrm, "PUT", "settings", json={"faults": [fault]})
    opencrm.call("get_contact_list_count", check=False)
    control(opencrm, "PUT", "settings", json={"faults": [fault]})  # asked for anew: fires again
    assert opencrm.call("get_contact_list_count", check=False) == {"error": "Down"}


@pytest.mark.parametrize(
    "allow", [[""], [" "], ["10.0.0.0/33"], ["1.2.3.4.5"], ["::1/129"], ["fe80::1%eth0"]]
)
def test_an_ip_allow_list_entry_that_is_no_address_is_refused(
    opencrm: OpenCRM, allow: list[str]
) -> None:
    status, body = control(opencrm, "PUT", "settings", json={"ip_allow_list": allow})
    assert status == 400
    assert body["error"].startswith("invalid value for ip_allow_list")


@pytest.mark.parametrize(
    "allow",
    [["127.0.0.1"], ["10.0.0.0/8"], ["10.1.2.3/8"], ["::1"], ["2001:db8::/32"], ["::ffff:1.2.3.4"]],
)
def test_addresses_and_networks_are_accepted_in_the_ip_allow_list(
    opencrm: OpenCRM, allow: list[str]
) -> None:
    assert control(opencrm, "PUT", "settings", json={"ip_allow_list": allow})[0] == 200


@pytest.mark.parametrize("moment", ["", " ", "yesterday", "2026-13-01"])
def test_a_clock_set_that_is_no_time_is_a_400(opencrm: OpenCRM, moment: str) -> None:
    status, body = control(opencrm, "POST", "clock", json={"set": moment})
    assert status == 400
    assert body["error"].startswith("invalid clock change")
