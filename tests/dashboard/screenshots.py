"""``python -m tests.dashboard.screenshots [FOLDER]``: the dashboard's main pages as PNGs
(default folder: docs/), taken in headless Chromium (tests/support/browser.py) from an
emulator on a 127.0.0.1 socket, after a few calls a client might make."""

from __future__ import annotations

import sys
from pathlib import Path

from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By

from emulator.pytest_plugin import LiveServer
from emulator.settings import Settings
from emulator.systems import System
from tests.dashboard.forms import DEMO, UI
from tests.support.browser import chromium_browser

PAGES = {
    "systems": f"{UI}/",
    "records": f"{DEMO}/modules/contact?query_string=email%7CCONTAINS%7C.co.uk",
    "record": f"{DEMO}/modules/quote/421",
    "journal": f"{DEMO}/journal",
    "controls": f"{DEMO}/controls",
}
WIDTH, MOST_HEIGHT = 1280, 1100


def sandbox_calls(server: LiveServer) -> None:
    """What a client under test might have done: reads, a filter, edits, an error, a fault."""
    server.call("get_contact_list", keywords="bob")
    server.call("get_contact", crmid="150")
    server.call("edit_quote", crmid="421", quotestage="Accepted")
    server.call("get_contact_list", query_string="lastname|!=|Jones", check=False)
    server.call("get_lead", crmid="999", check=False)
    server.fault("get_invoice", message="Service unavailable", times=1)
    server.call("get_invoice", crmid="441", check=False)
    server.latency(120, "edit_contact")
    server.call("edit_contact", crmid="151", title="Head of IT Operations")
    server.call("get_quote", crmid="421")


def shoot(browser: WebDriver, url: str, path: Path) -> None:
    browser.set_window_size(WIDTH, 800)
    browser.get(url)
    if "journal" in url:  # open the failed call, as someone finding out why would
        failed = '#journal .entry[data-end-point="get_invoice"] summary'
        browser.find_element(By.CSS_SELECTOR, failed).click()
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(WIDTH, min(int(height) + 90, MOST_HEIGHT))
    if not browser.save_screenshot(str(path)):
        raise RuntimeError(f"could not write {path}")


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    server = LiveServer(System(Settings()))
    try:
        sandbox_calls(server)
        with chromium_browser() as browser:
            for name, path in PAGES.items():
                shoot(browser, server.origin + path, folder / f"dashboard-{name}.png")
                print(folder / f"dashboard-{name}.png")
    finally:
        server.close()
        server.system.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
