"""Every strict-mode finding through HTTP, in ``warn`` mode (the real API's answer, plus a
header and the journal) and in ``error`` mode (a strict error, nothing written)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from emulator.domain.modules import FieldType, default_registry
from emulator.endpoints.review import HEADER, MOST
from emulator.endpoints.table import Kind, api_end_points
from emulator.pytest_plugin import OpenCRM
from emulator.settings import Settings
from emulator.systems import System
from emulator.wire.strict.lists import never_filled
from tests.strict.cases import CASES, Case

IDS = [f"{c.code}:{c.parameter}" for c in CASES]


def emulator(**settings: Any) -> Iterator[OpenCRM]:
    crm = OpenCRM(System(Settings(**settings)))
    yield crm
    crm.close()
    crm.system.close()


@pytest.fixture(scope="module")
def off() -> Iterator[OpenCRM]:
    yield from emulator(strict="off", waf="off")


@pytest.fixture(scope="module")
def warn() -> Iterator[OpenCRM]:
    yield from emulator(strict="warn", waf="off")


@pytest.fixture(scope="module")
def error() -> Iterator[OpenCRM]:
    yield from emulator(strict="error", waf="off")


def send(crm: OpenCRM, case: Case) -> httpx2.Response:
    crm.reset()
    params = {**(crm.credentials if case.credentials else {}), **case.extra, **case.params}
    url = f"/api/rest/{case.end_point}"
    if case.how == "get-body":
        body = "&".join(f"{k}={v}" for k, v in params.items())
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        request = crm.client.build_request("GET", url, content=body, headers=form)
    else:
        request = crm.client.build_request("POST", url, data=params)
    if case.user_agent:
        request.headers["User-Agent"] = case.user_agent
    return crm.client.send(request)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_in_warn_mode_a_finding_is_a_header_and_a_journal_entry_beside_the_real_apis_answer(
    warn: OpenCRM, off: OpenCRM, case: Case
) -> None:
    answer, real = send(warn, case), send(off, case)
    assert (answer.status_code, answer.content) == (real.status_code, real.content)
    assert answer.headers.get_list(HEADER) == [f"{case.message} [{case.code}]"]
    [entry] = warn.journal(case.end_point)
    assert entry["findings"] == [
        {"code": case.code, "parameter": case.parameter, "message": case.message}
    ]
    assert HEADER.lower() not in real.headers


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_in_error_mode_a_finding_is_the_answer_and_nothing_is_written(
    error: OpenCRM, case: Case
) -> None:
    error.reset()
    before = error.system.store.image()
    answer = send(error, case)
    assert answer.json() == {"error": f"strict: {case.message} [{case.code}]"}
    assert answer.headers.get_list(HEADER) == [f"{case.message} [{case.code}]"]
    assert error.system.store.image() == before
    [entry] = error.journal(case.end_point)
    assert [f["code"] for f in entry["findings"]] == [case.code]


@pytest.mark.opencrm(strict="error", error_status="http")
def test_a_strict_error_is_a_400_when_errors_use_http_statuses(opencrm: OpenCRM) -> None:
    answer = opencrm.client.post(
        "/api/rest/edit_contact", data={**opencrm.credentials, "crmid": "150", "lastnme": "X"}
    )
    assert answer.status_code == 400
    assert answer.json()["error"].startswith("strict: 'lastnme' is not a field of Contacts")
    assert [w.code for w in opencrm.warnings()] == ["unknown-field"]


def test_a_correct_call_has_no_finding(warn: OpenCRM) -> None:
    warn.reset()
    crmid = warn.call(
        "edit_contact", crmid="0", lastname="Ward", assigned_user_id="2", accountid="100",
        birthday="1980-03-12", do_not_email="1", mailingcountry="United Kingdom",
        leadsource="Web Site",
    )  # fmt: skip
    warn.call("edit_contact", crmid=str(crmid), tps="", birthday="")  # blanking is no mistake
    warn.call("edit_quote", crmid="420", products='[{"lineid": "0", "productid": "270"}]')
    warn.call("get_contact_list", query_string="lastname|=|Ward", limit_start="0", limit_end="5")
    assert warn.warnings() == []


def test_several_findings_in_one_call_give_a_header_each_in_the_order_found(
    warn: OpenCRM,
) -> None:
    warn.reset()
    answer = warn.client.post(
        "/api/rest/edit_lead",
        data={**warn.credentials, "crmid": "0", "lastnme": "x", "tps": "no", "converted": "1"},
    )
    found = [h.rsplit("[", 1)[1] for h in answer.headers.get_list(HEADER)]
    assert found == ["unknown-field]", "read-only-field]", "no-owner]", "bad-checkbox]"]
    assert [w.code for w in warn.warnings("edit_lead")] == [f[:-1] for f in found]


def test_a_call_reports_at_most_twenty_findings_and_says_there_are_more(warn: OpenCRM) -> None:
    warn.reset()
    fields = {f"nosuch{n}": "x" for n in range(5_000)}
    answer = warn.client.post(
        "/api/rest/edit_contact", data={**warn.credentials, "crmid": "150", **fields}
    )
    headers = answer.headers.get_list(HEADER)
    assert len(headers) == MOST + 1
    assert headers[-1] == f"more findings than the {MOST} shown [more]"
    assert answer.json() == 150


def test_a_header_carries_printable_ascii_whatever_the_caller_sent(warn: OpenCRM) -> None:
    warn.reset()
    answer = warn.client.post(
        "/api/rest/edit_contact",
        data={**warn.credentials, "crmid": "150", "caf\u00e9\r\nX-Injected: 1": "x"},
    )
    [header] = answer.headers.get_list(HEADER)
    assert "X-Injected" not in answer.headers
    assert header.startswith("'caf\\xe9??X-Injected: 1' is not a field of Contacts")
    assert all(" " <= c <= "~" for c in header)


@pytest.mark.opencrm(strict="warn", waf="warn")
def test_with_the_firewall_warning_a_blocked_user_agent_is_a_finding_too(
    opencrm: OpenCRM,
) -> None:
    answer = opencrm.client.post(
        "/api/rest/get_contact_list_count",
        data=opencrm.credentials,
        headers={"User-Agent": "curl/8.5.0"},
    )
    assert answer.json() == 11
    [header] = answer.headers.get_list(HEADER)
    assert header.startswith('the User-Agent "curl/8.5.0" is curl\'s default User-Agent')
    assert [w.code for w in opencrm.warnings()] == ["blocked-user-agent"]
    [entry] = opencrm.journal()
    assert entry["warnings"][0].startswith("firewall (waf=warn)")


@pytest.mark.opencrm(strict="error")
def test_with_the_firewall_blocking_a_blocked_user_agent_gets_the_page_not_a_finding(
    opencrm: OpenCRM,
) -> None:
    answer = opencrm.client.post(
        "/api/rest/get_contact_list_count",
        data=opencrm.credentials,
        headers={"User-Agent": "python-httpx/0.28.1"},
    )
    assert answer.status_code == 403
    assert HEADER.lower() not in answer.headers
    assert opencrm.warnings() == []


def test_strict_mode_changes_at_run_time_per_system(off: OpenCRM) -> None:
    off.reset()
    changed = off.client.put("/_emulator/settings", json={"strict": "error"})
    assert changed.json()["runtime"]["strict"] == "error"
    refused = off.call("edit_contact", crmid="150", lastnme="X", check=False)
    assert refused["error"].startswith("strict: 'lastnme' is not a field")
    off.settings(strict="off")
    assert off.call("edit_contact", crmid="150", lastnme="X") == 150
    bad = off.client.put("/_emulator/settings", json={"strict": "loud"})
    assert bad.status_code == 400


EDITED = sorted(
    {e.module.noun for e in api_end_points(default_registry()).values() if e.kind is Kind.EDIT}
)


@pytest.mark.parametrize("noun", EDITED)
def test_the_fields_called_never_filled_stay_empty_through_api_creates_and_edits(
    off: OpenCRM, noun: str
) -> None:
    module = off.system.registry.by_noun(noun)
    unfilled = never_filled(module)
    crmid = off.call(f"edit_{noun}", crmid="0", assigned_user_id="2", description="new")
    off.call(f"edit_{noun}", crmid=str(crmid), assigned_user_id="3", description="edited")
    record = off.call(f"get_{noun}", crmid=str(crmid))
    assert {name: record[name] for name in unfilled} == {
        name: "0" if module.field(name).type is FieldType.BOOLEAN else "" for name in unfilled
    }
    filled = {f.name for f in module.fields if f.read_only} - set(unfilled)
    assert all(record[name] != "" for name in filled), filled


def test_a_finding_never_quotes_a_passkey_a_stray_slash_shifted_into_a_name(
    warn: OpenCRM,
) -> None:
    warn.reset()
    # key/demo-key, then "/passkey" lost: the passkey becomes a name, crmid its value.
    path = "/api/rest/edit_contact/key/demo-key/demo-passkey/crmid/x/0/lastname/Ward"
    answer = warn.client.post(path, data={"passkey": "demo-passkey", "lastnme": "Ward"})
    headers = " ".join(answer.headers.get_list(HEADER))
    assert "lastnme" in headers
    assert "demo-passkey" not in headers
    assert "demo-passkey" not in str(warn.journal()[0]["findings"])
