"""Who may use the dashboard (the control plane's rule, plus a login cookie) and which
forms it accepts (a CSRF token, and never from another site)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulator.pytest_plugin import OpenCRM
from emulator.settings import Settings
from emulator.systems import System
from tests.dashboard.forms import DEMO, UI, csrf_of, submit, visitor

TOKEN = "ctl-token-0123456789"


@pytest.fixture(scope="module")
def beyond_loopback() -> Iterator[OpenCRM]:
    """An emulator set to listen beyond loopback, so the control token is needed."""
    system = System(Settings(host="0.0.0.0", control_token=TOKEN))
    crm = OpenCRM(system)
    yield crm
    crm.close()
    system.close()


def test_beyond_loopback_a_page_sends_the_browser_to_the_login_form(
    beyond_loopback: OpenCRM,
) -> None:
    answer = visitor(beyond_loopback).get(f"{DEMO}/modules/contact?keywords=bob")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{UI}/login?next={DEMO}/modules/contact%3Fkeywords%3Dbob"


def test_the_login_form_sets_an_httponly_strict_cookie_that_holds_no_token(
    beyond_loopback: OpenCRM,
) -> None:
    client = visitor(beyond_loopback)
    wrong = submit(client, f"{UI}/login", f"{UI}/login", token="nope", next=f"{DEMO}/journal")
    assert wrong.status_code == 401
    assert "Wrong control token" in wrong.text
    right = submit(client, f"{UI}/login", f"{UI}/login", token=TOKEN, next=f"{DEMO}/journal")
    assert (right.status_code, right.headers["location"]) == (303, f"{DEMO}/journal")
    cookie = right.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert f"Path={UI}" in cookie
    assert TOKEN not in cookie
    assert client.get(f"{DEMO}/journal").status_code == 200


def test_logging_out_ends_the_session(beyond_loopback: OpenCRM) -> None:
    client = visitor(beyond_loopback)
    submit(client, f"{UI}/login", f"{UI}/login", token=TOKEN)
    assert client.get(f"{UI}/").status_code == 200
    assert submit(client, f"{UI}/", f"{UI}/logout").status_code == 303
    assert client.get(f"{UI}/").status_code == 303


def test_the_login_goes_on_only_to_a_dashboard_page(beyond_loopback: OpenCRM) -> None:
    client = visitor(beyond_loopback)
    for elsewhere in ("https://evil.example/", "//evil.example/_emulator/ui/", "/api/rest/x"):
        answer = submit(client, f"{UI}/login", f"{UI}/login", token=TOKEN, next=elsewhere)
        assert answer.headers["location"] == f"{UI}/", elsewhere


def test_the_bearer_header_opens_the_pages_as_on_the_control_plane(
    beyond_loopback: OpenCRM,
) -> None:
    bearer = visitor(beyond_loopback, authorization=f"Bearer {TOKEN}")
    assert bearer.get(f"{DEMO}/controls").status_code == 200
    wrong = visitor(beyond_loopback, authorization="Bearer wrong")
    assert wrong.get(f"{DEMO}/controls").status_code == 303


def test_without_a_control_token_a_server_beyond_loopback_shows_no_page() -> None:
    crm = OpenCRM(System(Settings(host="0.0.0.0")))
    try:
        answer = visitor(crm).get(f"{UI}/")
        assert answer.status_code == 403
        assert "control_token" in answer.text
    finally:
        crm.close()
        crm.system.close()


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(opencrm: OpenCRM) -> None:
    opencrm.call("edit_contact", crmid="0", lastname="Stays")
    client = visitor(opencrm)
    client.get(f"{DEMO}/controls")  # a session cookie, but no token sent below
    for fields in ({}, {"csrf": "0" * 64}):
        answer = client.post(f"{DEMO}/reset", data=fields)
        assert answer.status_code == 403
    assert opencrm.call("get_contact_list_count") == 12


def test_a_post_from_another_site_is_refused_even_with_the_token(opencrm: OpenCRM) -> None:
    client = visitor(opencrm)
    token = csrf_of(client.get(f"{DEMO}/controls").text)
    cross = [
        {"origin": "http://evil.example"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
    ]
    for headers in cross:
        answer = client.post(f"{DEMO}/reset", data={"csrf": token}, headers=headers)
        assert answer.status_code == 403, headers
    same = {"origin": "http://127.0.0.1", "sec-fetch-site": "same-origin"}
    answer = client.post(f"{DEMO}/reset", data={"csrf": token}, headers=same)
    assert answer.status_code == 303


def test_an_odd_cookie_or_form_is_refused_without_a_server_error(
    opencrm: OpenCRM, beyond_loopback: OpenCRM
) -> None:
    client = visitor(opencrm)
    token = csrf_of(client.get(f"{DEMO}/controls").text)
    assert client.post(f"{DEMO}/reset", data={"csrf": "é" * 64}).status_code == 403
    big = {"csrf": token, "padding": "x" * 70_000}
    assert client.post(f"{DEMO}/reset", data=big).status_code == 413
    odd_cookie = [(b"cookie", ("opencrm_ui=" + "0" * 32 + ".é").encode("latin-1"))]
    answer = visitor(beyond_loopback).get(f"{DEMO}/controls", headers=odd_cookie)
    assert answer.status_code == 303  # not signed in: to the login form


def test_a_csrf_token_is_good_for_its_own_session_only(opencrm: OpenCRM) -> None:
    mine, theirs = visitor(opencrm), visitor(opencrm)
    token = csrf_of(theirs.get(f"{DEMO}/controls").text)
    mine.get(f"{DEMO}/controls")
    assert mine.post(f"{DEMO}/reset", data={"csrf": token}).status_code == 403


def test_no_page_shows_a_passkey_an_access_key_or_the_control_token() -> None:
    passkey = "pk-own-secret-4242"
    settings = Settings(host="0.0.0.0", control_token=TOKEN, passkey=passkey)
    crm = OpenCRM(System(settings))
    try:
        access_key = crm.call("login")
        crm.call("get_contact", accesskey=access_key, crmid="150")
        crm.client.post("/api/rest/get_contact_list/passkey/" + passkey, data={"key": crm.key})
        client = visitor(crm, authorization=f"Bearer {TOKEN}")
        pages = [f"{UI}/", f"{UI}/login", f"{DEMO}", f"{DEMO}/journal", f"{DEMO}/controls"]
        pages += [f"{DEMO}/journal/entries?after=0", f"{DEMO}/modules/contact/150"]
        pages += [f"{DEMO}/modules/{m.noun}" for m in crm.system.registry]
        for path in pages:
            answer = client.get(path)
            assert answer.status_code == 200, path
            seen = answer.text + str(answer.headers)
            for secret in (passkey, access_key, TOKEN):
                assert secret not in seen, (path, secret)
    finally:
        crm.close()
        crm.system.close()
