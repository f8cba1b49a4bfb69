"""``opencrm-emulator``: the commands, their exit codes, and a real server on a free port
(issue 2, "CLI"). The server runs as a child process for a few seconds, always killed."""

from __future__ import annotations

import json
import os
import queue
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from emulator.domain.modules import default_registry
from emulator.endpoints.table import api_end_points
from emulator.serving.cli import main

START_TIMEOUT = 30  # seconds for the child to build its database and print its address
CALL_TIMEOUT = 5
URL_LINE = re.compile(r"OpenCRM emulator \S+ on (http://127\.0\.0\.1:(\d+)/api/rest/)")


def test_routes_lists_every_end_point_with_its_origin(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["routes"]) == 0
    lines = capsys.readouterr().out.splitlines()
    table = api_end_points(default_registry())
    assert len(lines) == len(table)
    assert "/api/rest/login\tguide" in lines
    assert "/api/rest/edit_ticket\tobserved" in lines
    assert {line.split("\t")[0] for line in lines} == {f"/api/rest/{name}" for name in table}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "--port", "abc"], "setting port must be a number, not 'abc'"),
        (["serve", "--error-status", "401"], "error_status must be '200' or 'http'"),
        (["routes", "--log-level", "loud"], "log_level must be one of"),
        (["serve", "--config", "/nonexistent/emulator.toml"], "/nonexistent/emulator.toml"),
        (["seed"], "give --database FILE"),
    ],
)
def test_a_bad_value_exits_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_a_database_that_cannot_be_opened_exits_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["seed", "--database", "/nonexistent/folder/crm.db"]) == 2
    assert "opencrm-emulator: cannot start: " in capsys.readouterr().err


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "emulator", *args],
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["serve", "--port", "abc"], {}, "setting port must be a number"),
        (["serve"], {"OPENCRM_EMULATOR_ACCESS_KEY_IDLE_MINUTES": "-1"}, "must be more than 0"),
        (["serve", "--no-such-flag"], {}, "unrecognized arguments: --no-such-flag"),
    ],
)
def test_the_program_exits_2_on_bad_values(
    args: list[str], env: dict[str, str], message: str
) -> None:
    done = run(*args, env=env)
    assert done.returncode == 2
    assert message in done.stderr


class Server:
    """``serve --port 0`` as a child process, its output (stdout and stderr merged) read by a
    thread, so every wait is bounded."""

    def __init__(self, *args: str, env: dict[str, str]) -> None:
        self.child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "emulator",
                "serve",
                "--port",
                "0",
                "--host",
                "127.0.0.1",
                *args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()
        self.base_url = ""

    def read(self) -> None:
        assert self.child.stdout is not None
        for line in self.child.stdout:
            self.lines.put(line)

    def wait_for_url(self) -> str:
        """The base URL, once the whole start-up banner (it ends with a "try:" line) is read."""
        deadline = time.monotonic() + START_TIMEOUT
        url = ""
        while time.monotonic() < deadline and self.child.poll() is None:
            try:
                self.output.append(self.lines.get(timeout=0.2))
            except queue.Empty:
                continue
            found = URL_LINE.search(self.output[-1])
            url = found[1] if found else url
            if url and self.output[-1].startswith("  try:"):
                return url
        raise AssertionError(f"no banner printed within {START_TIMEOUT} s: {self.output}")

    def stop(self) -> str:
        """Terminate the child; everything it printed after the start-up lines read so far."""
        seen = len(self.output)
        self.child.terminate()
        self.child.wait(timeout=CALL_TIMEOUT)
        self.reader.join(timeout=CALL_TIMEOUT)
        while not self.lines.empty():
            self.output.append(self.lines.get())
        return "".join(self.output[seen:])

    def kill(self) -> None:
        if self.child.poll() is None:
            self.child.kill()
            self.child.wait(timeout=CALL_TIMEOUT)
        self.reader.join(timeout=CALL_TIMEOUT)
        if self.child.stdout is not None:
            self.child.stdout.close()


@pytest.fixture
def server() -> Iterator[Server]:
    """A served emulator: key from the environment, passkey from a flag."""
    running = Server(
        "--passkey", "cli-passkey", "--log-level", "info", env={"OPENCRM_EMULATOR_KEY": "env-key"}
    )
    try:
        running.base_url = running.wait_for_url()
        yield running
    finally:
        running.kill()


#: A User-Agent of the tests' own: the firewall (setting waf) refuses httpx's.
AGENT = {"User-Agent": "cli-tests/1.0"}


def test_serve_on_port_0_prints_its_address_and_key_and_answers(server: Server) -> None:
    assert int(server.base_url.rsplit(":", 1)[1].split("/")[0]) > 0
    printed = "".join(server.output)
    assert "key:      env-key" in printed  # from the environment
    # A passkey of the user's own is never printed (only the demo one is, for a newcomer).
    assert "passkey:  ******** (as configured)" in printed
    assert "cli-passkey" not in printed
    response = httpx.post(
        f"{server.base_url}get_contact_list_count",
        data={"key": "env-key", "passkey": "cli-passkey"},
        headers=AGENT,
        timeout=CALL_TIMEOUT,
    )
    assert response.status_code == 200
    assert isinstance(response.json(), int)


def test_the_server_logs_each_call_but_never_the_path_that_carries_the_passkey(
    server: Server,
) -> None:
    response = httpx.get(
        f"{server.base_url}get_contact_list/key/env-key/passkey/cli-passkey/keywords/bob",
        headers=AGENT,
        timeout=CALL_TIMEOUT,
    )
    assert response.status_code == 200
    after = server.stop()
    assert re.search(r"emulator\.api: get_contact_list 200 \S+ 127\.0\.0\.1", after), after
    assert "cli-passkey" not in after
    assert "/api/rest/" not in after  # no access log line: the path may hold the passkey


def test_serve_prints_the_demo_passkey_so_a_newcomer_can_start() -> None:
    running = Server(env={})
    try:
        running.wait_for_url()
        printed = "".join(running.output)
        assert "key:      demo-key" in printed
        assert "passkey:  demo-passkey" in printed
    finally:
        running.kill()


def banner_line(server: Server, label: str) -> str:
    """The value of the banner's ``label:`` line."""
    found = [line for line in server.output if line.startswith(f"  {label}:")]
    assert found, server.output
    return found[0].split(":", 1)[1].strip()


def curl(line: str) -> subprocess.CompletedProcess[str]:
    """Run a pasted curl line as a shell would split it (its ``# ...`` comment dropped)."""
    argv = shlex.split(line, comments=True)
    return subprocess.run(argv, capture_output=True, text=True, timeout=CALL_TIMEOUT, check=False)


needs_curl = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


@needs_curl
def test_the_banners_curl_line_works_as_pasted_with_the_demo_pair() -> None:
    running = Server(env={})
    try:
        running.wait_for_url()
        line = banner_line(running, "try")
        assert line.startswith("curl -A my-integration/1.0 ")  # the real firewall refuses curl's
        done = curl(line)
        assert done.returncode == 0, done.stderr
        contacts = json.loads(done.stdout)
        assert len(contacts) == 5
        assert {"id", "crmid"} <= set(contacts[0])
    finally:
        running.kill()


@needs_curl
def test_with_a_passkey_of_your_own_the_curl_line_has_a_marked_placeholder(
    server: Server,
) -> None:
    line = banner_line(server, "try")
    assert "cli-passkey" not in line
    assert "passkey=YOUR-PASSKEY" in line
    assert line.endswith("# put your passkey in place of YOUR-PASSKEY")
    assert "error" in curl(line).stdout  # as pasted: refused, not a crash
    done = curl(line.replace("YOUR-PASSKEY", "cli-passkey"))
    assert isinstance(json.loads(done.stdout), list), done.stdout


def test_the_banner_gives_the_control_planes_url(server: Server) -> None:
    control = banner_line(server, "control")
    url = server.base_url.removesuffix("api/rest/") + "_emulator/"
    assert control.startswith(f"{url} ")
    health = httpx.get(url + "health", timeout=CALL_TIMEOUT)
    assert health.status_code == 200
    assert health.json()["status"] == "ok"


SEED_AND_TELL = (
    "import sys; from emulator.serving.cli import main; code = main(sys.argv[1:]); "
    "print('rich imported' if 'rich' in sys.modules else 'rich not imported'); sys.exit(code)"
)


@pytest.mark.parametrize(("level", "shown"), [("info", True), ("warning", False)])
def test_seeding_off_a_terminal_logs_one_line_per_module_at_info(
    tmp_path: Path, level: str, shown: bool
) -> None:
    database, cache = str(tmp_path / "crm.db"), str(tmp_path / "cache")
    argv = ["seed", "--database", database, "--records", "12", "--cache-dir", cache]
    done = subprocess.run(
        [sys.executable, "-c", SEED_AND_TELL, *argv, "--log-level", level],
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "rich not imported" in done.stdout  # the progress bars are for terminals only
    lines = [line for line in done.stderr.splitlines() if "seeding" in line]
    if shown:
        assert any(line.endswith("INFO emulator.seed: seeding contact: 1/1") for line in lines)
        assert len(lines) == len({line.split("seeding ")[1].split(":")[0] for line in lines})
    else:
        assert lines == []
