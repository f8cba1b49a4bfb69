"""Headless Chromium: a real click on a page served on 127.0.0.1 runs the page's JavaScript."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.driver_finder import DriverFinder
from selenium.webdriver.common.selenium_manager import SeleniumManager
from selenium.webdriver.support.wait import WebDriverWait

from tests.support import browser as browser_support
from tests.support.browser import chrome_options, chrome_service

PAGE = b"""<!doctype html>
<html><head><meta charset="utf-8"><title>smoke</title></head>
<body>
  <button id="go" type="button">Go</button>
  <p id="out">waiting</p>
  <script>
    document.getElementById("go").addEventListener("click", () => {
      document.getElementById("out").textContent = "clicked " + [1, 2, 3].map((n) => n * 2);
    });
  </script>
</body></html>
"""


class Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path != "/":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def page_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_a_click_runs_the_pages_javascript(browser: WebDriver, page_url: str) -> None:
    browser.get(page_url)
    assert browser.title == "smoke"
    assert browser.find_element(By.ID, "out").text == "waiting"
    browser.find_element(By.ID, "go").click()
    WebDriverWait(browser, 10).until(
        lambda driver: driver.find_element(By.ID, "out").text == "clicked 2,4,6"
    )
    assert "HeadlessChrome" in browser.execute_script("return navigator.userAgent")


def test_selenium_manager_is_never_consulted(
    chromium_paths: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Selenium Manager would try to download a browser or a driver: the paths given skip it."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("Selenium Manager was called")

    monkeypatch.setattr(SeleniumManager, "binary_paths", refuse)
    chromium_path, chromedriver_path = chromium_paths
    finder = DriverFinder(chrome_service(chromedriver_path), chrome_options(chromium_path, "x"))
    assert finder.get_driver_path() == chromedriver_path
    assert finder.get_browser_path() == ""  # so selenium keeps Options.binary_location as given


def test_missing_binaries_say_which_packages_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser_support, "CHROMIUM", str(tmp_path / "chromium"))
    monkeypatch.setattr(browser_support, "CHROMEDRIVER", str(tmp_path / "chromedriver"))
    monkeypatch.setenv("PATH", str(tmp_path))
    message = "chromium and chromium-driver not installed"
    with pytest.raises(browser_support.BrowserUnavailable, match=message):
        browser_support.find_chromium()
