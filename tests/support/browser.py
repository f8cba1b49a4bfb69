"""Headless Chromium for tests, from Debian's packages (``apt-get install chromium
chromium-driver``), driven by selenium.

- ``chromium`` (session fixture): one selenium ``WebDriver`` per test process (each xdist worker
  starts its own browser the first time one of its tests asks for it; a browser session cannot
  be shared between processes).
- ``browser`` (function fixture): that same driver, on ``about:blank`` with no cookies.
- ``chromium_browser()`` (context manager): a browser of its own, for scripts.

Selenium is given both paths (``/usr/bin/chromium`` through ``Options.binary_location``,
``/usr/bin/chromedriver`` through ``Service``), so it never runs Selenium Manager, which would
try to download a browser or a driver. Chromium runs with the flags this closed network needs
(no background networking, component updates, sync or QUIC), as root without its sandbox, and
with a new empty profile folder that is removed afterwards. Missing binaries: the test skips
locally, fails in CI (:func:`tests.support.components.unavailable`).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.components import unavailable

if TYPE_CHECKING:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.chrome.webdriver import WebDriver

__all__ = [
    "CHROMIUM_FLAGS",
    "BrowserUnavailable",
    "browser",
    "chrome_options",
    "chrome_service",
    "chromium",
    "chromium_browser",
    "chromium_paths",
    "find_chromium",
]

#: Debian's paths first; PATH after.
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",  # the sandbox refuses to run as root, which CI is
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,800",
)


class BrowserUnavailable(RuntimeError):
    """Chromium or ChromeDriver is not installed."""


def _find(preferred: str, name: str) -> str | None:
    if Path(preferred).is_file():
        return preferred
    return shutil.which(name)


def find_chromium() -> tuple[str, str]:
    """The paths of Chromium and ChromeDriver, or :class:`BrowserUnavailable` saying which."""
    chromium_path = _find(CHROMIUM, "chromium")
    chromedriver_path = _find(CHROMEDRIVER, "chromedriver")
    missing = [
        package
        for package, path in (("chromium", chromium_path), ("chromium-driver", chromedriver_path))
        if path is None
    ]
    if chromium_path is None or chromedriver_path is None:
        raise BrowserUnavailable(
            f"{' and '.join(missing)} not installed (Debian: apt-get install chromium "
            "chromium-driver; looked in /usr/bin and on PATH)"
        )
    return chromium_path, chromedriver_path


def chrome_options(chromium_path: str, profile: str) -> Options:
    """Selenium options: this browser binary, the closed-network flags, a new profile folder."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = chromium_path
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    return options


def chrome_service(chromedriver_path: str) -> Service:
    """Selenium's service for this chromedriver: an explicit path, so no Selenium Manager."""
    from selenium.webdriver.chrome.service import Service

    return Service(executable_path=chromedriver_path, log_output=subprocess.DEVNULL)


@contextlib.contextmanager
def chromium_browser(paths: tuple[str, str] | None = None) -> Iterator[WebDriver]:
    """A new headless Chromium under selenium, quit and its profile removed on exit."""
    from selenium.webdriver.chrome.webdriver import WebDriver

    chromium_path, chromedriver_path = paths or find_chromium()
    profile = tempfile.mkdtemp(prefix="opencrm-chromium-")
    try:
        driver = WebDriver(
            options=chrome_options(chromium_path, profile),
            service=chrome_service(chromedriver_path),
        )
        try:
            yield driver
        finally:
            driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium_paths() -> tuple[str, str]:
    """Chromium's and ChromeDriver's paths (skips locally, fails in CI, where missing)."""
    try:
        return find_chromium()
    except BrowserUnavailable as exc:
        unavailable("Chromium", str(exc))


@pytest.fixture(scope="session")
def chromium(chromium_paths: tuple[str, str]) -> Iterator[WebDriver]:
    """This process's headless Chromium, started on first use and quit at the end."""
    with chromium_browser(chromium_paths) as driver:
        yield driver


@pytest.fixture
def browser(chromium: WebDriver) -> WebDriver:
    """The headless Chromium, on ``about:blank`` with no cookies, for one test."""
    chromium.get("about:blank")
    chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})
    return chromium
