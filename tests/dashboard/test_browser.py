"""The dashboard in a real headless Chromium (tests/support/browser.py), served on a
127.0.0.1 socket by the plugin's ``opencrm_server``: what a person at the sandbox does."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.wait import WebDriverWait

from emulator.pytest_plugin import LiveServer
from emulator.settings import Settings
from emulator.systems import System
from emulator.testing.emulators import PrivateServer
from tests.dashboard.forms import UI, here

WAIT = 5  # seconds: every page here answers in milliseconds; the journal polls each second


def until(browser: WebDriver, found: Callable[[WebDriver], object]) -> object:
    return WebDriverWait(browser, WAIT).until(found)


def element(browser: WebDriver, css: str) -> WebElement:
    return browser.find_element(By.CSS_SELECTOR, css)


def test_a_person_browses_from_the_systems_to_a_record(
    browser: WebDriver, opencrm_server: LiveServer
) -> None:
    browser.get(opencrm_server.origin + "/")
    assert browser.current_url == f"{opencrm_server.origin}{UI}/"
    element(browser, f'a[href="{here(opencrm_server)}/modules/contact"]').click()
    until(browser, lambda b: b.title.startswith("Contacts"))
    element(browser, f'a[href="{here(opencrm_server)}/modules/contact/150"]').click()
    until(browser, lambda b: element(b, "#record-title").text.startswith("Bob Jones"))
    assert element(browser, 'td[data-field="lastname"]').text == "Jones"
    labels = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#fields th")]
    assert {"First Name", "Last Name", "Email", "Company", "Assigned To"} <= set(labels)


def test_a_filter_typed_in_the_box_narrows_the_list_by_the_apis_rules(
    browser: WebDriver, opencrm_server: LiveServer
) -> None:
    browser.get(f"{opencrm_server.origin}{here(opencrm_server)}/modules/contact")
    box = element(browser, "#query_string")
    box.send_keys("email|CONTAINS|example.co.uk;lastname|BEGINS|m")
    box.submit()
    until(browser, lambda b: "query_string=" in b.current_url)
    ids = [
        a.text for a in browser.find_elements(By.CSS_SELECTOR, "#records tbody td:first-child a")
    ]
    wanted = opencrm_server.call(
        "get_contact_list", query_string="email|CONTAINS|example.co.uk;lastname|BEGINS|m"
    )
    assert ids == [str(row["crmid"]) for row in wanted]
    assert 0 < len(ids) < 11


def test_an_api_call_appears_in_the_journal_without_a_reload(
    browser: WebDriver, opencrm_server: LiveServer
) -> None:
    browser.get(f"{opencrm_server.origin}{here(opencrm_server)}/journal")
    browser.execute_script("window.notReloaded = true;")
    opencrm_server.call("get_contact", crmid="152")
    row = until(
        browser, lambda b: b.find_elements(By.CSS_SELECTOR, '.entry[data-end-point="get_contact"]')
    )
    assert isinstance(row, list)
    assert browser.execute_script("return window.notReloaded === true;")
    row[0].find_element(By.TAG_NAME, "summary").click()
    assert '"crmid": "152"' in row[0].find_element(By.CSS_SELECTOR, "pre.params").text
    assert '"passkey": "********"' in row[0].find_element(By.CSS_SELECTOR, "pre.params").text
    opencrm_server.reset()  # the journal is emptied: so is the page, still without a reload
    until(browser, lambda b: not b.find_elements(By.CSS_SELECTOR, "#journal .entry"))
    assert element(browser, "#journal-empty").is_displayed()
    assert browser.execute_script("return window.notReloaded === true;")


def test_pressing_reset_brings_the_data_back_to_the_fixtures(
    browser: WebDriver, opencrm_server: LiveServer
) -> None:
    opencrm_server.call("edit_contact", crmid="0", lastname="Temporary")
    browser.get(f"{opencrm_server.origin}{UI}/")
    contacts = f'#system-{opencrm_server.name} td[data-module="contact"]'
    assert element(browser, contacts).text == "12"
    browser.get(f"{opencrm_server.origin}{here(opencrm_server)}/controls")
    element(browser, "#reset-button").click()
    until(browser, lambda b: b.find_elements(By.ID, "done"))
    assert opencrm_server.call("get_contact_list_count") == 11
    browser.get(f"{opencrm_server.origin}{UI}/")
    assert element(browser, contacts).text == "11"


def test_a_fault_set_in_the_form_makes_the_next_call_fail(
    browser: WebDriver, opencrm_server: LiveServer
) -> None:
    browser.get(f"{opencrm_server.origin}{here(opencrm_server)}/controls")
    form = element(browser, "#add-fault")
    for name, value in (("end_point", "get_contact"), ("message", "Down for lunch")):
        field = form.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    form.find_element(By.NAME, "times").send_keys("1")
    form.submit()
    until(browser, lambda b: b.find_elements(By.ID, "faults"))
    assert opencrm_server.call("get_contact", crmid="150", check=False) == {
        "error": "Down for lunch"
    }
    assert opencrm_server.call("get_contact", crmid="150")["lastname"] == "Jones"
    browser.get(f"{opencrm_server.origin}{here(opencrm_server)}/journal?end_point=get_contact")
    statuses = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#journal .entry .status")]
    assert statuses == ["200", "200 error"]


class Attacker(BaseHTTPRequestHandler):
    """Another site whose page posts a form to the dashboard's reset as soon as it loads."""

    target = ""

    def do_GET(self) -> None:
        page = (
            f'<!doctype html><form id="f" method="post" action="{self.target}">'
            '<input name="csrf" value="guessed"></form>'
            "<script>document.getElementById('f').submit()</script>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def attacker(opencrm_server: LiveServer) -> Iterator[str]:
    Attacker.target = f"{opencrm_server.origin}{here(opencrm_server)}/reset"
    server = ThreadingHTTPServer(("127.0.0.1", 0), Attacker)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"  # another site than 127.0.0.1
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_a_form_posted_from_another_site_is_refused(
    browser: WebDriver, opencrm_server: LiveServer, attacker: str
) -> None:
    opencrm_server.call("edit_contact", crmid="0", lastname="Survivor")
    browser.get(
        f"{opencrm_server.origin}{here(opencrm_server)}/controls"
    )  # the browser has a session
    browser.get(attacker)
    until(browser, lambda b: b.current_url.startswith(opencrm_server.origin))
    until(browser, lambda b: "Form refused" in b.page_source)
    assert opencrm_server.call("get_contact_list_count") == 12


@pytest.fixture(scope="module")
def guarded_server() -> Iterator[PrivateServer]:
    server = PrivateServer(System(Settings(host="0.0.0.0", control_token="browser-token")))
    yield server
    server.close()
    server.system.close()


def test_beyond_loopback_the_login_form_lets_the_browser_in(
    browser: WebDriver, guarded_server: PrivateServer
) -> None:
    browser.get(f"{guarded_server.origin}{here(guarded_server)}/journal")
    until(browser, lambda b: b.find_elements(By.ID, "token"))
    element(browser, "#token").send_keys("browser-token")
    element(browser, "#login").submit()
    until(
        browser, lambda b: b.current_url == f"{guarded_server.origin}{here(guarded_server)}/journal"
    )
    assert element(browser, "#live").text == "live"
    cookies = browser.get_cookies()
    assert [(c["name"], c["httpOnly"], c["sameSite"]) for c in cookies] == [
        ("opencrm_ui", True, "Strict")
    ]
