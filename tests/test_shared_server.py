"""The pieces of the plugin's shared server (emulator/testing/): what a marker's settings
need, the User-Agent of the plugin's own requests, and a run that dies without stopping its
server (tests/test_pytest_plugin.py runs the whole of it, as users meet it)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx2

from emulator import pytest_plugin
from emulator.testing import shared
from emulator.testing.helpers import USER_AGENT
from emulator.testing.markers import Marker
from emulator.testing.remote import ControlPlane, SharedSystem


def test_a_marker_is_sorted_into_creation_options_runtime_and_start_up_settings() -> None:
    marker = Marker({"records": 5, "fixtures": "fx", "error_status": "http", "faults": []})
    assert marker.private == []
    assert marker.creation()["records"] == 5
    assert marker.creation()["fixtures"].endswith("/fx")  # absolute: the server's cwd may differ
    assert marker.runtime() == {"error_status": "http", "faults": []}
    assert marker.startup() == {"records": 5, "fixtures": "fx", "error_status": "http"}
    assert marker.behaviour() == {"faults": []}  # in-process, error_status is a setting
    assert Marker({"list_cap": 2, "key": "k", "seed": 1}).private == ["key", "list_cap"]


def test_the_plugins_own_requests_send_its_user_agent_not_pythons() -> None:
    seen: list[httpx2.Request] = []

    def answer(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        if request.url.path == "/_emulator/systems":
            made = {"name": "gw0-1", "key": "k", "passkey": "p", "host_url": "http://x/"}
            return httpx2.Response(201, json=made)
        if request.url.path.endswith("/settings"):
            return httpx2.Response(200, json={"runtime": {"faults": []}})
        return httpx2.Response(200, json=11)

    control = ControlPlane("http://127.0.0.1:9")
    mock = httpx2.MockTransport(answer)
    control.http = httpx2.Client(
        base_url=control.http.base_url, headers=control.http.headers, transport=mock
    )
    crm = SharedSystem.create(control, "gw0-1", Marker({"error_status": "http"}))
    crm.client = httpx2.Client(base_url=crm.origin, transport=mock)
    crm.fault("get_contact", times=1)
    assert crm.call("get_contact_list_count") == 11
    routes = [(r.method, r.url.path) for r in seen]
    assert ("PUT", "/_emulator/systems/gw0-1/settings") in routes
    assert routes[-1] == ("POST", "/api/rest/get_contact_list_count")
    assert {r.headers["user-agent"] for r in seen} == {USER_AGENT}
    assert "python" not in USER_AGENT.lower()
    assert seen[-1].headers["host"] == "gw0-1.localhost:9"


def test_the_plugin_names_the_same_environment_variables_as_the_shared_server() -> None:
    assert (pytest_plugin.FOLDER_ENV, pytest_plugin.OWNER_ENV) == (
        shared.FOLDER_ENV,
        shared.OWNER_ENV,
    )


OWNER = """
import json, os, sys
from pathlib import Path
from emulator.testing import shared

served = shared.server(shared.Run(Path(sys.argv[1]), os.getpid()))
print(json.dumps({"pid": served.pid}), flush=True)
os._exit(0)  # gone without stopping it
"""


def test_a_server_whose_run_died_without_stopping_it_stops_by_itself(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", OWNER, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    )
    pid = json.loads(done.stdout)["pid"]
    deadline = time.monotonic() + 15
    while shared.running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not shared.running(pid)
