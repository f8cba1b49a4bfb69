"""The floor of the throughput figures (tests/benchmarks/floor_app.py) does the work the
emulator's calls do, not less: its answers are the emulator's byte for byte, its edits land
in the store and its calls in the journal; and ``python -m tests.benchmarks.floor`` prints
every figure's three rates and their ratios."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from starlette.testclient import TestClient

from emulator.serving.app import create_app
from emulator.settings import Settings
from emulator.systems import Systems
from tests.benchmarks import floor_app
from tests.benchmarks.figures import THROUGHPUT

ROOT = Path(__file__).resolve().parents[1]
FORM = {"key": "demo-key", "passkey": "demo-passkey"}
HEADERS = {"User-Agent": "opencrm-emulator-benchmark/1.0"}


@pytest.fixture(scope="module")
def clients() -> Iterator[tuple[TestClient, TestClient, Systems]]:
    systems = Systems(Settings(cache_dir="off"))
    base = "http://127.0.0.1"
    emulator = TestClient(create_app(systems=systems), base_url=base, headers=HEADERS)
    floor = TestClient(floor_app.app(systems.default), base_url=base, headers=HEADERS)
    try:
        yield emulator, floor, systems
    finally:
        systems.close()


@pytest.mark.parametrize("end_point", ["get_contact", "get_quote"])
def test_the_floor_answers_a_record_as_the_emulator_does_byte_for_byte(
    clients: tuple[TestClient, TestClient, Systems], end_point: str
) -> None:
    emulator, floor, _ = clients
    crmid = next(p for _, e, p, _ in THROUGHPUT if e == end_point).removeprefix("crmid=")
    form = {**FORM, "crmid": crmid}
    expected = emulator.post(f"/api/rest/{end_point}", data=form)
    found = floor.post(f"/api/rest/{end_point}", data=form)
    assert expected.status_code == found.status_code == 200
    assert found.content == expected.content
    assert orjson.loads(found.content)["record_id"] == crmid


def test_the_floor_edits_the_record_and_journals_the_call_with_its_passkey_masked(
    clients: tuple[TestClient, TestClient, Systems],
) -> None:
    emulator, floor, systems = clients
    form = {**FORM, "crmid": "150", "title": "Floor Manager", "department": "Floors"}
    edited = floor.post("/api/rest/edit_contact", data=form)
    assert edited.status_code == 200
    assert orjson.loads(edited.content) == 150  # the emulator's answer to an edit: the crmid
    record = orjson.loads(
        emulator.post("/api/rest/get_contact", data={**FORM, "crmid": "150"}).content
    )
    assert (record["title"], record["department"]) == ("Floor Manager", "Floors")
    entries = [e.as_dict() for e in systems.default.control.journal.entries()]
    entry = next(e for e in reversed(entries) if e["end_point"] == "edit_contact")
    assert entry["params"]["title"] == "Floor Manager"
    assert entry["params"]["passkey"] == "********"
    assert "demo-passkey" not in orjson.dumps(entries).decode()


def last_entry(systems: Systems) -> int:
    entries = systems.default.control.journal.entries()
    return entries[-1].id if entries else 0


def test_the_floor_without_its_journal_and_log_answers_the_same_and_writes_neither(
    clients: tuple[TestClient, TestClient, Systems], caplog: pytest.LogCaptureFixture
) -> None:
    emulator, floor, systems = clients
    bare = floor_app.app(systems.default, frozenset({"journal", "log"}))
    lean = TestClient(bare, base_url="http://127.0.0.1", headers=HEADERS)
    form = {**FORM, "crmid": "150"}
    caplog.set_level(logging.INFO, logger="emulator.api")
    floor.post("/api/rest/get_contact", data=form)  # the whole floor journals and logs it
    assert last_entry(systems) > 0
    assert len(caplog.records) == 1
    before = last_entry(systems)
    found = lean.post("/api/rest/get_contact", data=form)
    assert last_entry(systems) == before
    assert len(caplog.records) == 1
    assert found.content == emulator.post("/api/rest/get_contact", data=form).content


def test_the_floor_is_reset_as_the_emulator_is_between_runs(
    clients: tuple[TestClient, TestClient, Systems],
) -> None:
    emulator, floor, _ = clients
    form = {**FORM, "crmid": "150"}
    floor.post("/_emulator/reset")  # what the tests before this one edited, undone
    original = emulator.post("/api/rest/get_contact", data=form).content
    assert b"Between Runs" not in original
    floor.post("/api/rest/edit_contact", data={**form, "title": "Between Runs"})
    assert emulator.post("/api/rest/get_contact", data=form).content != original
    assert floor.post("/_emulator/reset").json() == {"status": "reset"}
    assert emulator.post("/api/rest/get_contact", data=form).content == original


def test_the_floor_comparison_prints_each_figure_with_three_rates_and_two_ratios() -> None:
    command = [sys.executable, "-m", "tests.benchmarks.floor", "--runs", "1", "--seconds", "0.3"]
    command += ["--connections", "2", "--generator", "python", "--without", "log"]
    proc = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the script and its three servers
            proc.communicate()
    assert proc.returncode == 0, err[-2000:]
    assert "the floor without its log" in out, out
    rate = r"[\d,]+ req/s"
    for name, _, _, target in THROUGHPUT:
        line = (
            rf"^{re.escape(name)}: emulator {rate}, floor {rate}, reference {rate}; "
            rf"emulator / reference [\d.]+, floor / reference [\d.]+ \(target {target}\)$"
        )
        assert re.search(line, out, re.M), out
