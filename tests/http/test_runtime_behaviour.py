"""Runtime behaviour set through the control plane: faults, latency, rate limits, the API
switch, the IP allow-list, the access-key idle time and the error status."""

from __future__ import annotations

import logging
import socket
from typing import Any

import httpx
import pytest

from emulator.control.behaviour import API_DISABLED, IP_REFUSED, RATE_LIMITED
from emulator.pytest_plugin import LiveServer, OpenCRM

#: A User-Agent of the tests' own: the firewall (setting waf) refuses httpx's.
AGENT = {"User-Agent": "runtime-tests/1.0"}


def put_settings(crm: OpenCRM, **changes: Any) -> httpx.Response:
    return crm.client.put("/_emulator/settings", json=changes)


def test_an_error_fault_answers_its_message_for_the_next_n_calls_only(opencrm: OpenCRM) -> None:
    fault = {"end_point": "get_contact", "kind": "error", "message": "Down", "times": 2}
    assert put_settings(opencrm, faults=[fault]).status_code == 200
    answers = [opencrm.call("get_contact", crmid="150", check=False) for _ in range(3)]
    assert answers[:2] == [{"error": "Down"}, {"error": "Down"}]
    assert answers[2]["lastname"] == "Jones"


def test_a_fault_for_one_end_point_leaves_the_others_alone(opencrm: OpenCRM) -> None:
    put_settings(opencrm, faults=[{"end_point": "get_contact", "message": "Down"}])
    assert opencrm.call("get_lead_list_count") == 6
    assert opencrm.call("get_contact", crmid="150", check=False) == {"error": "Down"}


def test_a_status_fault_answers_that_http_status(opencrm: OpenCRM) -> None:
    fault = {"end_point": "*", "kind": "status", "status": 503, "message": "Busy", "times": 1}
    put_settings(opencrm, faults=[fault])
    first = opencrm.client.post("/api/rest/get_contact_list_count", data=opencrm.credentials)
    assert (first.status_code, first.json()) == (503, {"error": "Busy"})
    second = opencrm.client.post("/api/rest/get_contact_list_count", data=opencrm.credentials)
    assert (second.status_code, second.json()) == (200, 11)


def test_an_error_fault_uses_its_status_when_errors_are_http_statuses(opencrm: OpenCRM) -> None:
    fault = {"kind": "error", "status": 502, "message": "Bad gateway", "times": 1}
    put_settings(opencrm, faults=[fault], error_status="http")
    answer = opencrm.client.post("/api/rest/get_contact_list_count", data=opencrm.credentials)
    assert (answer.status_code, answer.json()) == (502, {"error": "Bad gateway"})


def test_a_fault_with_probability_zero_never_fires_and_one_always_does(opencrm: OpenCRM) -> None:
    put_settings(opencrm, faults=[{"message": "never", "probability": 0.0}])
    assert all(opencrm.call("get_lead_list_count") == 6 for _ in range(20))
    put_settings(opencrm, faults=[{"message": "always", "probability": 1.0}])
    assert all(
        opencrm.call("get_lead_list_count", check=False) == {"error": "always"} for _ in range(5)
    )


def test_a_fault_with_a_probability_fires_on_a_share_of_the_calls(opencrm: OpenCRM) -> None:
    put_settings(opencrm, faults=[{"message": "sometimes", "probability": 0.5}])
    answers = [opencrm.call("get_lead_list_count", check=False) for _ in range(200)]
    failed = sum(answer == {"error": "sometimes"} for answer in answers)
    assert 50 < failed < 150  # seeded: the same share every run


def test_a_dropped_connection_fault_breaks_off_the_answer_on_a_real_socket(
    opencrm_server: LiveServer,
) -> None:
    opencrm_server.fault("get_contact_list_count", kind="drop", times=1)
    url = opencrm_server.base_url + "get_contact_list_count"
    with pytest.raises(httpx.TransportError):
        httpx.post(url, data=opencrm_server.credentials, headers=AGENT, timeout=10)
    assert httpx.post(url, data=opencrm_server.credentials, headers=AGENT, timeout=10).json() == 11
    [entry, _] = opencrm_server.journal("get_contact_list_count")
    assert entry["status"] == 0
    assert entry["warnings"] == ["fault injected: drop"]


class Records(logging.Handler):
    """Every record of a logger that does not propagate to the root (uvicorn's)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_dropped_connection_sends_nothing_at_all_and_logs_no_error(
    opencrm_server: LiveServer,
) -> None:
    # It used to send "HTTP/1.1 200 OK" and its headers, then close, with uvicorn's
    # "Exception in ASGI application" traceback in the log (issue 12).
    opencrm_server.fault("get_contact_list_count", kind="drop", times=1)
    body = "&".join(f"{k}={v}" for k, v in opencrm_server.credentials.items()).encode()
    request = (
        b"POST /api/rest/get_contact_list_count HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    uvicorn_log = Records()
    logging.getLogger("uvicorn.error").addHandler(uvicorn_log)
    try:
        with socket.create_connection(("127.0.0.1", opencrm_server.port), timeout=10) as sock:
            sock.sendall(request)
            received = sock.recv(65536)
    finally:
        logging.getLogger("uvicorn.error").removeHandler(uvicorn_log)
    assert received == b""
    assert [r.getMessage() for r in uvicorn_log.records if r.levelno >= logging.WARNING] == []


def test_injected_faults_are_journaled_with_a_warning(opencrm: OpenCRM) -> None:
    opencrm.fault("get_contact", message="Down", times=1)
    opencrm.call("get_contact", crmid="150", check=False)
    [entry] = opencrm.journal("get_contact")
    assert entry["response"] == {"error": "Down"}
    assert entry["warnings"] == ["fault injected: error"]


def test_latency_delays_the_answer_by_at_least_the_time_asked(opencrm: OpenCRM) -> None:
    opencrm.latency(60, end_point="get_contact")
    opencrm.call("get_contact", crmid="150")
    opencrm.call("get_lead_list_count")
    [slow] = opencrm.journal("get_contact")
    assert slow["duration_ms"] >= 60


def test_a_latency_range_stays_within_its_bounds(opencrm: OpenCRM) -> None:
    opencrm.latency(20, max_ms=40)
    for _ in range(3):
        opencrm.call("get_lead_list_count")
    assert all(e["duration_ms"] >= 20 for e in opencrm.journal())


def test_the_per_minute_rate_limit_refuses_the_call_over_it_with_its_message(
    opencrm: OpenCRM,
) -> None:
    opencrm.clock.freeze()
    put_settings(opencrm, rate_limit_per_minute=3)
    answers = [opencrm.call("get_lead_list_count", check=False) for _ in range(4)]
    assert answers[:3] == [6, 6, 6]
    assert answers[3] == {"error": RATE_LIMITED.format(limit=3, period="minute")}
    opencrm.clock.advance(61)
    assert opencrm.call("get_lead_list_count") == 6


def test_the_per_day_rate_limit_counts_a_whole_day(opencrm: OpenCRM) -> None:
    opencrm.clock.freeze()
    put_settings(opencrm, rate_limit_per_day=2)
    assert opencrm.call("get_lead_list_count") == 6
    opencrm.clock.advance(3600)
    assert opencrm.call("get_lead_list_count") == 6
    opencrm.clock.advance(3600)
    assert opencrm.call("get_lead_list_count", check=False) == {
        "error": RATE_LIMITED.format(limit=2, period="day")
    }
    opencrm.clock.advance(86400)
    assert opencrm.call("get_lead_list_count") == 6


def test_rate_limits_count_per_api_key(opencrm: OpenCRM) -> None:
    put_settings(opencrm, rate_limit_per_minute=1)
    assert opencrm.call("get_lead_list_count") == 6
    assert "error" in opencrm.call("get_lead_list_count", check=False)
    other = opencrm.client.post(
        "/api/rest/get_lead_list_count", headers={"KEY1": "demo-key", "KEY2": "demo-passkey"}
    )
    assert "error" in other.json()  # the same key, however it is sent


def test_a_disabled_api_refuses_every_call_with_its_message(opencrm: OpenCRM) -> None:
    put_settings(opencrm, api_enabled=False)
    assert opencrm.call("get_lead_list_count", check=False) == {"error": API_DISABLED}
    assert opencrm.client.get("/_emulator/health").status_code == 200
    put_settings(opencrm, api_enabled=True)
    assert opencrm.call("get_lead_list_count") == 6


def test_the_ip_allow_list_refuses_a_caller_outside_it(opencrm: OpenCRM) -> None:
    put_settings(opencrm, ip_allow_list=["10.0.0.0/8"])
    # The in-process client calls from 127.0.0.1, outside the list.
    assert opencrm.call("get_lead_list_count", check=False) == {
        "error": IP_REFUSED.format(ip="127.0.0.1")
    }


def test_the_ip_allow_list_admits_listed_addresses_on_a_real_socket(
    opencrm_server: LiveServer,
) -> None:
    opencrm_server.settings(ip_allow_list=["127.0.0.0/8"])
    url = opencrm_server.base_url + "get_lead_list_count"
    assert httpx.post(url, data=opencrm_server.credentials, headers=AGENT, timeout=10).json() == 6
    opencrm_server.settings(ip_allow_list=["192.0.2.0/24"])
    refused = httpx.post(url, data=opencrm_server.credentials, headers=AGENT, timeout=10).json()
    assert refused == {"error": IP_REFUSED.format(ip="127.0.0.1")}


def test_the_access_key_idle_time_can_be_changed_at_run_time(opencrm: OpenCRM) -> None:
    opencrm.clock.freeze()
    put_settings(opencrm, access_key_idle_minutes=1)
    access_key = opencrm.call("login")
    opencrm.clock.advance(90)
    answer = opencrm.client.post("/api/rest/get_lead_list_count", data={"accesskey": access_key})
    assert answer.json() == {"error": "Unauthorized"}


def test_the_error_status_can_be_switched_at_run_time(opencrm: OpenCRM) -> None:
    put_settings(opencrm, error_status="http")
    answer = opencrm.client.post("/api/rest/get_lead_list_count", data={"key": "demo-key"})
    assert (answer.status_code, answer.json()) == (401, {"error": "Unauthorized"})


def test_reset_clears_every_runtime_behaviour(opencrm: OpenCRM) -> None:
    put_settings(opencrm, api_enabled=False, rate_limit_per_minute=1, faults=[{"message": "x"}])
    opencrm.client.post("/_emulator/reset")
    runtime = opencrm.settings()["runtime"]
    assert runtime["api_enabled"] is True
    assert runtime["rate_limit_per_minute"] == 0
    assert runtime["faults"] == []
    assert opencrm.call("get_lead_list_count") == 6
