"""Single measurements: a server's start-up, one list call with its peak memory, the raw list
reference in its own process, a test as the ``opencrm`` pytest fixture runs it, and a page
of the dashboard."""

from __future__ import annotations

import http.client
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import orjson

from emulator.pytest_plugin import Emulators
from tests.benchmarks.servers import Server, api_call, post, reset_peak, status_kib


def first_answer(server: Server, timeout: float = 60) -> float:
    """Seconds from the server's spawn to its first successful API call."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            api_call(server.url, "get_contact_list_count")
            return time.perf_counter() - server.started
        except (OSError, RuntimeError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.005)


@dataclass(frozen=True)
class ListCall:
    seconds: float
    peak_kib: int  # the server's peak RSS during the call, above its RSS before it
    kept_kib: int  # its RSS after the call, above its RSS before it
    size: int  # answer bytes


def list_call(server: Server, rows: int) -> ListCall:
    """One ``get_contact_list_full`` call of ``rows`` contacts, timed, with its memory."""
    baseline = reset_peak(server.pid)
    started = time.perf_counter()
    body = api_call(server.url, "get_contact_list_full", f"limit_start=0&limit_end={rows}")
    seconds = time.perf_counter() - started
    peak, after = status_kib(server.pid, "VmHWM"), status_kib(server.pid, "VmRSS")
    return ListCall(seconds, peak - baseline, after - baseline, len(body))


def raw_list(database: Path, sql: Path, repeats: int = 1) -> dict[str, float]:
    """The raw reference in a fresh process: ``seconds`` (median of ``repeats``), ``peak_kib``,
    ``bytes``, ``rows``."""
    module = "tests.benchmarks.raw_list"
    command = [sys.executable, "-m", module, str(database), str(sql), str(repeats)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    result: dict[str, float] = orjson.loads(done.stdout)
    return result


def reset_seconds(server: Server) -> float:
    """One reset after an edit (not timed), as after a test that wrote: a reset with
    nothing written since the last copies nothing (emulator/store/sqlite.py: holds)."""
    api_call(server.url, "edit_contact", "crmid=150&lastname=Reset")
    started = time.perf_counter()
    post(server.root + "/_emulator/reset", "{}", "application/json")
    return time.perf_counter() - started


def fixture_test_ms(emulators: Emulators) -> float:
    """One test's worth of the fixture: ``Emulators.in_process`` (which finds the backend and
    resets it, as the ``opencrm`` fixture does before every test), then one API call."""
    started = time.perf_counter()
    answer = emulators.in_process({}).call("get_contact", crmid="150")
    elapsed = (time.perf_counter() - started) * 1000
    if answer.get("record_id") != "150":
        raise RuntimeError(f"get_contact answered {str(answer)[:200]}")
    return elapsed


def check_quote(url: str) -> None:
    lines = orjson.loads(api_call(url, "get_quote", "crmid=421")).get("products", [])
    if len(lines) != 10:
        raise RuntimeError(f"fixture quote 421 has {len(lines)} product lines, not 10")


#: The dashboard's page of contacts: the first 50 of them, with the total found.
DASHBOARD_PAGE = "/_emulator/ui/systems/demo/modules/contact"


def dashboard_page_ms(server: Server, repeats: int) -> float:
    """The median milliseconds of ``repeats`` GETs of the dashboard's first page of contacts
    (50 records) on one keep-alive connection: the server's render time plus one loopback
    round trip."""
    where = urlsplit(server.root)
    connection = http.client.HTTPConnection(where.hostname or "127.0.0.1", where.port, timeout=60)
    times = []
    try:
        for _ in range(repeats + 1):  # the first also loads the templates: not counted
            started = time.perf_counter()
            connection.request("GET", DASHBOARD_PAGE)
            response = connection.getresponse()
            page = response.read().decode()
            times.append((time.perf_counter() - started) * 1000)
            rows = page.count(f'href="{DASHBOARD_PAGE}/')
            if response.status != 200 or rows != 50:
                raise RuntimeError(f"the dashboard answered {response.status} with {rows} rows")
    finally:
        connection.close()
    return statistics.median(times[1:])
