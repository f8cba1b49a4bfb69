"""The benchmark (``python -m tests.benchmarks``) run at tiny sizes, so it never rots: every
figure of issue 7 must come out as a number (or a stated n/a), whatever its value.

Targets are not judged here (the quick sizes are not the targets' sizes). The run is a
subprocess in its own process group, killed whole if it overruns, so no server outlives it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.benchmarks import load, systems
from tests.benchmarks.table import Figure, Target, render

ROOT = Path(__file__).resolve().parents[1]
FIGURES = (
    "get_contact by crmid (POST form, key auth)",
    "get_quote with 10 product lines",
    "edit_contact, 3 fields",
    "get_contact_list_full, 10 rows: time",
    "get_contact_list_full, 100 rows: time",
    "get_contact_list_full, 100 rows: peak memory",
    "dashboard: a page of 50 records, server-side render time",
    "start-up to first API answer, default fixtures",
    "seeding 5 records per module (to first answer)",
    "/_emulator/reset after an edit, 5 records per module",
    "in-process fixture: reset + one API call",
)
NUMBER = r"[\d,]+(\.\d+)? (req/s|ms|s|MiB)"


def run_quick_benchmark(timeout: float = 120) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "tests.benchmarks", "--quick", "--generator", "python"]
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the benchmark and every server it started
        proc.communicate()
        raise
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


def table_row(output: str, figure: str) -> list[str]:
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == figure:
            return cells
    raise AssertionError(f"no table row for {figure!r} in:\n{output}")


def test_the_quick_benchmark_prints_every_figure_with_its_reference_and_machine() -> None:
    # One test for the one run: split across pytest-xdist workers it would run twice.
    run = run_quick_benchmark()
    assert run.returncode == 0, run.stderr[-2000:]
    for figure in FIGURES:
        emulator = table_row(run.stdout, figure)[1]
        assert re.fullmatch(NUMBER, emulator) or emulator.startswith("n/a"), (figure, emulator)
    for figure in FIGURES[:6]:
        _, _, reference, ratio, *_ = table_row(run.stdout, figure)
        assert re.fullmatch(NUMBER, reference), (figure, reference)
        # At --quick sizes a memory delta can round to 0 MiB; times and rates cannot.
        assert float(ratio) > 0 or "memory" in figure, (figure, ratio)
    assert re.search(r"^machine: \d+ CPUs", run.stdout, re.MULTILINE)
    assert "load generator: Python" in run.stdout
    assert "targets not judged" in run.stdout


def test_a_ratio_target_is_judged_on_the_medians() -> None:
    figure = Figure("x", "req/s", Target("ratio", ">=", 0.5), [40, 60, 900], [100, 100, 100])
    assert figure.ratio == pytest.approx(0.6)
    assert figure.verdict(judged=True) == "pass"
    figure.emulator = [40, 45, 900]
    assert figure.verdict(judged=True) == "FAIL"


def test_a_missing_figure_reads_as_such_in_the_table() -> None:
    figure = Figure("seeding", "s", Target("value", "<=", 30), missing="n/a (seeding unavailable)")
    row = table_row(render([figure], judged=True), "seeding")
    assert row[1:] == ["n/a (seeding unavailable)", "-", "-", "value <= 30", "n/a"]


WRK_REPORT = """Running 3s test @ http://127.0.0.1:1/api/rest/get_contact
  1 threads and 8 connections
  3412 requests in 3.00s, 7.1MB read
Requests/sec:   1137.21
Transfer/sec:      2.37MB
"""


def test_wrk_requests_per_second_are_read_from_its_report() -> None:
    assert load.parse_wrk(WRK_REPORT) == pytest.approx(1137.21)


def test_a_wrk_run_with_failed_answers_is_refused() -> None:
    report = WRK_REPORT.replace("Requests/sec", "  Non-2xx or 3xx responses: 12\nRequests/sec")
    with pytest.raises(load.LoadFailed, match="Non-2xx"):
        load.parse_wrk(report)


def test_the_systems_server_holds_every_system_the_runs_make_and_the_default() -> None:
    # each run makes one untimed system and `count` timed ones; the default system counts too
    assert systems.most(count=20, runs=3) == 3 * 21 + 1


def test_the_moto_peer_comparison_prints_both_rates_and_their_ratio() -> None:
    """``python -m tests.benchmarks.moto_peer``: moto's server and the emulator, one short run
    each (moto is in the ``test`` extra, so CI runs this)."""
    command = [sys.executable, "-m", "tests.benchmarks.moto_peer", "--runs", "1"]
    command += ["--seconds", "0.5", "--connections", "2", "--generator", "python"]
    proc = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the script and both servers
            proc.communicate()
    assert proc.returncode == 0, err[-2000:]
    assert re.search(r"^moto server, DynamoDB GetItem: [\d,]+ req/s", out, re.M), out
    assert re.search(r"^emulator, get_contact: +[\d,]+ req/s", out, re.M), out
    assert re.search(r"^emulator / moto: [\d.]+x", out, re.M), out
