"""The web firewall in front of the API (observed-behaviour.md, "Authentication"): it refuses a
User-Agent containing ``python`` and curl's default one, with HTTP 403 and an HTML page; the
guide's PHP samples, which send no User-Agent, get through. Setting ``waf``: block | warn | off."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import requests

from emulator.pytest_plugin import LiveServer, OpenCRM

AGENT = {"User-Agent": "my-integration/1.0"}
BLOCKED = [
    pytest.param("python-httpx/0.28.1", "python-user-agent", id="httpx"),
    pytest.param("python-requests/2.32.3", "python-user-agent", id="requests"),
    pytest.param("Python-urllib/3.11", "python-user-agent", id="urllib"),
    pytest.param("aiohttp/3.9 Python/3.12", "python-user-agent", id="aiohttp"),
    pytest.param("curl/8.5.0", "curl-default-user-agent", id="curl"),
]
LET_THROUGH = ["my-integration/1.0", "Mozilla/5.0", "sync-tool/2 (built on curl)", "curl-sync/1"]


def post(crm: OpenCRM, end_point: str, agent: str | None, **params: str) -> Any:
    """A form POST with the key pair and this User-Agent (None: no User-Agent at all)."""
    request = crm.client.build_request(
        "POST", f"/api/rest/{end_point}", data={**crm.credentials, **params}
    )
    if agent is None:
        del request.headers["User-Agent"]
    else:
        request.headers["User-Agent"] = agent
    return crm.client.send(request)


@pytest.mark.parametrize(("agent", "rule"), BLOCKED)
def test_the_firewall_refuses_python_and_curls_default_user_agent_with_a_403_page(
    opencrm: OpenCRM, agent: str, rule: str
) -> None:
    answer = post(opencrm, "get_contact_list", agent)
    assert answer.status_code == 403
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    page = answer.text
    assert page.startswith("<!DOCTYPE html>")
    assert f"Rule: <strong>{rule}</strong>" in page
    assert agent in page
    assert "User-Agent: my-integration/1.0" in page  # how to fix it, in plain words
    assert "the shape of this page is assumed" in page


@pytest.mark.parametrize("agent", LET_THROUGH)
def test_other_user_agents_get_the_apis_answer(opencrm: OpenCRM, agent: str) -> None:
    assert post(opencrm, "get_contact_list_count", agent).json() == 11


def test_the_guides_php_samples_send_no_user_agent_and_get_through(opencrm: OpenCRM) -> None:
    # The guide's curl samples: a raw payload, an array (multipart), a JSON string; PHP's curl
    # sends no User-Agent unless told to.
    keys = opencrm.credentials
    bodies: list[dict[str, Any]] = [
        {
            "content": "&".join(f"{k}={v}" for k, v in keys.items()),
            "headers": {"Content-Type": "application/x-www-form-urlencoded"},
        },
        {"files": {k: (None, v) for k, v in keys.items()}},
        {
            "content": json.dumps(keys),
            "headers": {"Content-Type": "application/x-www-form-urlencoded"},
        },
    ]
    for body in bodies:
        request = opencrm.client.build_request("POST", "/api/rest/get_contact_list/", **body)
        del request.headers["User-Agent"]
        answer = opencrm.client.send(request)
        assert answer.status_code == 200
        assert len(answer.json()) == 11


def test_a_blocked_call_is_journaled_and_writes_nothing(opencrm: OpenCRM) -> None:
    before = opencrm.call("get_contact", crmid="150")["lastname"]
    answer = post(opencrm, "edit_contact", "python-requests/2.32.3", crmid="150", lastname="X")
    assert answer.status_code == 403
    assert opencrm.call("get_contact", crmid="150")["lastname"] == before
    [entry] = opencrm.journal("edit_contact")
    assert entry["status"] == 403
    assert entry["response"] == "(blocked by the web firewall: rule python-user-agent)"
    assert entry["params"] == {}  # refused before the parameters were read
    assert entry["warnings"] == [
        "firewall (waf=block): refused with HTTP 403 (rule python-user-agent: the User-Agent"
        ' "python-requests/2.32.3" contains "python")'
    ]


def test_the_firewall_stands_before_the_end_point_look_up_and_the_credentials(
    opencrm: OpenCRM,
) -> None:
    assert post(opencrm, "get_nothing_at_all", "python-httpx/0.28.1").status_code == 403
    request = opencrm.client.build_request("GET", "/api/rest/get_contact_list")
    request.headers["User-Agent"] = "curl/8.5.0"
    assert opencrm.client.send(request).status_code == 403


@pytest.mark.opencrm(error_status="http")
def test_the_page_is_html_whatever_error_status_says(opencrm: OpenCRM) -> None:
    answer = post(opencrm, "get_contact_list", "python-httpx/0.28.1")
    assert (answer.status_code, answer.headers["content-type"][:9]) == (403, "text/html")


def test_the_page_escapes_the_user_agent(opencrm: OpenCRM) -> None:
    page = post(opencrm, "get_contact_list", "python <script>alert(1)</script>").text
    assert "<script>" not in page
    assert "python &lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_control_plane_is_not_behind_the_firewall(opencrm: OpenCRM) -> None:
    answer = opencrm.client.get("/_emulator/health", headers={"User-Agent": "python-httpx/0.28"})
    assert answer.status_code == 200


def test_a_client_from_the_plugin_sends_its_librarys_user_agent_and_meets_the_firewall(
    opencrm: OpenCRM,
) -> None:
    url, keys = opencrm.base_url + "get_contact_list_count", opencrm.credentials
    assert opencrm.httpx_client().post(url, data=keys).status_code == 403
    assert opencrm.requests_session().post(url, data=keys).status_code == 403
    assert opencrm.httpx_client(headers=AGENT).post(url, data=keys).json() == 11
    session = opencrm.requests_session()
    session.headers.update(AGENT)
    assert session.post(url, data=keys).json() == 11
    assert opencrm.call("get_contact_list_count") == 11  # the plugin's own calls get through


def test_over_a_real_socket_the_firewall_refuses_httpx_and_requests_defaults(
    opencrm_server: LiveServer,
) -> None:
    url, keys = opencrm_server.base_url + "get_contact_list_count", opencrm_server.credentials
    assert httpx.post(url, data=keys, timeout=10).status_code == 403
    assert requests.post(url, data=keys, timeout=10).status_code == 403
    assert httpx.post(url, data=keys, headers=AGENT, timeout=10).json() == 11


@pytest.mark.opencrm(waf="warn")
def test_in_warn_mode_the_call_is_answered_and_the_journal_says_it_would_be_refused(
    opencrm: OpenCRM,
) -> None:
    answer = post(opencrm, "get_contact_list_count", "python-httpx/0.28.1")
    assert (answer.status_code, answer.json()) == (200, 11)
    assert "x-opencrm-emulator-warning" not in answer.headers  # strict is off
    [entry] = opencrm.journal("get_contact_list_count")
    assert entry["warnings"] == [
        "firewall (waf=warn): the live API's firewall refuses this call with HTTP 403 (rule"
        ' python-user-agent: the User-Agent "python-httpx/0.28.1" contains "python")'
    ]


@pytest.mark.opencrm(waf="off")
def test_off_the_firewall_lets_every_user_agent_through_without_a_word(opencrm: OpenCRM) -> None:
    answer = post(opencrm, "get_contact_list_count", "python-httpx/0.28.1")
    assert (answer.status_code, answer.json()) == (200, 11)
    assert opencrm.journal()[0]["warnings"] == []


def test_the_mode_changes_at_run_time_per_system(opencrm: OpenCRM) -> None:
    changed = opencrm.client.put("/_emulator/settings", json={"waf": "off"})
    assert changed.json()["runtime"]["waf"] == "off"
    assert post(opencrm, "get_contact_list_count", "python-httpx/0.28.1").json() == 11
    opencrm.settings(waf="block")
    assert post(opencrm, "get_contact_list_count", "python-httpx/0.28.1").status_code == 403
    refused = opencrm.client.put("/_emulator/settings", json={"waf": "maybe"})
    assert refused.status_code == 400
    assert "block" in refused.json()["error"]
