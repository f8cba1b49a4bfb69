"""One log line per request, and no passkey or access key in the log, the journal or any error
message (issue 2, "Logging"; the guide's "Request Recording" is the journal's model)."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

import orjson
import pytest

from emulator.endpoints.call import Call
from emulator.pytest_plugin import OpenCRM

WRONG_PASSKEY = "wrong-passkey-0451"
LINE = re.compile(r"^(?P<end_point>\S+) (?P<status>\d{3}) (?P<ms>\d+\.\d)ms (?P<ip>\S+)$")


def emulator_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the emulator logs (the test's HTTP client logs its own requests, URLs and all)."""
    return [r for r in caplog.records if r.name.split(".")[0] in ("emulator", "uvicorn")]


def api_lines(caplog: pytest.LogCaptureFixture) -> list[re.Match[str]]:
    lines = [
        r.getMessage()
        for r in emulator_records(caplog)
        if r.name == "emulator.api" and r.levelno == logging.INFO
    ]
    matches = [LINE.match(line) for line in lines]
    assert all(matches), lines
    return [m for m in matches if m]


def test_each_request_logs_one_line_with_end_point_status_duration_and_ip(
    opencrm: OpenCRM, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    opencrm.call("get_contact_list_count")
    opencrm.client.post("/api/rest/no_such_thing")
    opencrm.client.get("/api/rest/get_lead_list/key/x/passkey/y")
    lines = api_lines(caplog)
    assert [(m["end_point"], m["status"]) for m in lines] == [
        ("get_contact_list_count", "200"),
        ("no_such_thing", "200"),
        ("get_lead_list", "200"),
    ]
    assert {m["ip"] for m in lines} == {"127.0.0.1"}  # the in-process client's address
    assert all(float(m["ms"]) >= 0 for m in lines)


def test_a_log_line_escapes_control_characters_in_the_end_point_name(
    opencrm: OpenCRM, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    opencrm.client.get("/api/rest/get%0Dfake%1B[2J")
    (line,) = [r.getMessage() for r in emulator_records(caplog)]
    assert line.startswith("'get\\rfake\\x1b[2J' 200 ")


def log_of(records: list[logging.LogRecord]) -> str:
    """The records as a handler would write them, tracebacks included, plus their raw args."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(f"{formatter.format(r)} {r.args!r}" for r in records)


def run_a_session(crm: OpenCRM) -> tuple[list[str], list[Any]]:
    """Calls that carry secrets every way a client can; the access keys used, and every answer."""
    client, creds = crm.client, crm.credentials
    path_keys = f"key/{crm.key}/passkey/{crm.passkey}"
    access_key = crm.call("login")
    old_key = crm.call("login")
    crm.clock.advance(31 * 60)  # old_key expires ...
    fresh_key = crm.call("login")
    responses = [
        client.get(f"/api/rest/get_contact_list/{path_keys}/keywords/bob"),
        client.post(f"/api/rest/get_contact_list_count/{path_keys}", data={"keywords": "a"}),
        client.post("/api/rest/get_lead_list", headers={"KEY1": crm.key, "KEY2": crm.passkey}),
        client.post("/api/rest/get_lead_list_count", data={"accesskey": fresh_key}),
        client.post("/api/rest/get_lead_list_count", data={"accesscode": fresh_key}),
        client.post("/api/rest/get_lead_list_count", data={"accesskey": old_key}),
        client.post("/api/rest/get_lead_list_count", data={"accesskey": access_key}),
        client.post("/api/rest/get_lead_list_count", data={**creds, "passkey": WRONG_PASSKEY}),
        client.get(f"/api/rest/get_lead_list/key/{crm.key}/passkey/{WRONG_PASSKEY}"),
        client.post("/api/rest/get_contact", content=orjson.dumps({**creds, "crmid": "nope"})),
        client.post("/api/rest/get_contact", data={"accesskey": fresh_key, "crmid": "1"}),
        client.post("/api/rest/edit_contact", data={**creds, "crmid": "150", "Passkey": "x"}),
        client.post("/api/rest/get_quote", files={"key": (None, crm.key), "passkey": (None, "p")}),
        client.post(f"/api/rest/no_such_end_point/{path_keys}"),
        client.post("/api/rest/get_contact_list", content=b"{not json", params=creds),
        client.post("/api/rest/login", headers={"KEY1": crm.key, "KEY2": crm.passkey}),
    ]
    assert all(r.status_code == 200 for r in responses)
    logins = [r.json() for r in responses[-1:]]
    return [access_key, old_key, fresh_key, *logins], [r.json() for r in responses]


def test_no_passkey_or_access_key_reaches_the_log_the_journal_or_an_error(
    opencrm: OpenCRM, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    opencrm.clock.freeze()
    access_keys, answers = run_a_session(opencrm)
    secrets = [opencrm.passkey, WRONG_PASSKEY, *access_keys]
    log_text = log_of(emulator_records(caplog))
    journal_text = orjson.dumps(
        [e.as_dict() for e in opencrm.system.control.journal.entries()]
    ).decode()
    errors = orjson.dumps([a for a in answers if isinstance(a, dict) and "error" in a]).decode()
    assert len(api_lines(caplog)) == len(opencrm.system.control.journal.entries()) == 19
    assert errors.count('"error"') >= 8
    for secret in secrets:
        assert secret not in log_text
        assert secret not in journal_text
        assert secret not in errors
    assert opencrm.key in journal_text  # the key is not secret, and shows the check can see


def test_a_bug_in_an_end_point_is_a_500_logged_without_the_path(
    opencrm: OpenCRM, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(call: Call) -> Any:
        raise RuntimeError("a bug")

    table = opencrm.app.state.end_points
    monkeypatch.setitem(table, "get_lead_list", replace(table["get_lead_list"], handler=broken))
    caplog.set_level(logging.INFO)
    response = opencrm.client.get(
        f"/api/rest/get_lead_list/key/{opencrm.key}/passkey/{opencrm.passkey}"
    )
    assert response.status_code == 500
    assert response.json() == {"error": "Internal emulator error. See the emulator's log."}
    assert [(m["end_point"], m["status"]) for m in api_lines(caplog)] == [("get_lead_list", "500")]
    records = emulator_records(caplog)
    assert len([r for r in records if r.levelno == logging.ERROR]) == 1
    assert "RuntimeError: a bug" in log_of(records)  # the traceback
    assert opencrm.passkey not in log_of(records)
    assert opencrm.system.control.journal.entries()[-1].status == 500
