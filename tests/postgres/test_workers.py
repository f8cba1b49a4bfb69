"""``serve --workers 4`` on one PostgreSQL database: 8 clients at once, each call on a new
connection (so any worker may answer it), doing interleaved creates, edits, logins and fault
settings. Every acknowledged write is there afterwards, ids are unique, the journal and the
audit trail hold every call whichever worker answered, a fault's ``times`` count once for
all workers, and nothing fails."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from tests.reliability.live import AGENT, DEMO, Emulator

WORKERS, CLIENTS, ROUNDS = 4, 8, 6
#: The end point only the fault-setting client calls (the others would spend its uses).
FAULTED = "get_lead_list_count"


class Fresh:
    """A client that opens a new connection for every call, counting its API calls."""

    def __init__(self, emulator: Emulator) -> None:
        self.root = emulator.root
        self.api = emulator.base_url
        self.calls = 0
        self.problems: list[str] = []

    def call(self, end_point: str, **params: Any) -> Any:
        data = {**DEMO, **params} if "accesskey" not in params else params
        answer = httpx.post(self.api + end_point, data=data, headers=AGENT, timeout=30)
        self.calls += 1
        if answer.status_code != 200:
            self.problems.append(f"{end_point}: HTTP {answer.status_code} {answer.text[:200]}")
        return answer.json()

    def control(self, method: str, path: str, **body: Any) -> Any:
        answer = httpx.request(method, f"{self.root}/_emulator/{path}", json=body, timeout=30)
        if answer.status_code >= 400:
            self.problems.append(f"{path}: HTTP {answer.status_code} {answer.text[:200]}")
        return answer.json()


def writer(client: Fresh, number: int) -> dict[int, str]:
    """Creates, edits and logins; the last name each record it made must have."""
    made: dict[int, str] = {}
    for round_ in range(ROUNDS):
        crmid = client.call("edit_contact", crmid="0", firstname=f"C{number}", lastname="New")
        edited = f"Edited-{number}-{round_}"
        assert client.call("edit_contact", crmid=str(crmid), lastname=edited) == crmid
        made[int(crmid)] = edited
        access_key = client.call("login")
        seen = client.call("get_contact", crmid=str(crmid), accesskey=access_key)
        assert seen["lastname"] == edited, seen
    return made


def fault_setter(client: Fresh) -> list[int]:
    """Sets a fault of 2 uses, then calls its end point 4 times: how many were faults."""
    faults = []
    for _ in range(ROUNDS):
        rule = {"end_point": FAULTED, "times": 2, "message": "injected"}
        client.control("PUT", "settings", faults=[rule])
        answers = [client.call(FAULTED) for _ in range(4)]
        faults.append(sum(a == {"error": "injected"} for a in answers))
        assert all(a == {"error": "injected"} or isinstance(a, int) for a in answers), answers
    return faults


def test_four_workers_and_eight_clients_share_one_state_with_nothing_lost(
    fresh_postgres_url: str,
) -> None:
    emulator = Emulator(
        fresh_postgres_url,  # type: ignore[arg-type]
        "--workers", str(WORKERS), "--journal-size", "10000",
    )  # fmt: skip
    output = ""
    try:
        assert wait_for_workers(emulator.child.pid) >= WORKERS
        clients = [Fresh(emulator) for _ in range(CLIENTS)]
        with ThreadPoolExecutor(CLIENTS) as pool:
            writes = [pool.submit(writer, c, n) for n, c in enumerate(clients[1:])]
            faults = pool.submit(fault_setter, clients[0])
            made = {k: v for w in writes for k, v in w.result(timeout=300).items()}
            assert faults.result(timeout=300) == [2] * ROUNDS  # each rule's 2 uses, once
        assert [p for c in clients for p in c.problems] == []
        assert len(made) == (CLIENTS - 1) * ROUNDS  # every id different
        check = Fresh(emulator)
        for crmid, lastname in made.items():
            assert check.call("get_contact", crmid=str(crmid))["lastname"] == lastname
            trail = check.control("GET", f"records/{crmid}/audit")["entries"]
            assert len(trail) == 2, trail  # the create and the edit, whoever answered
        journal = check.control("GET", "journal")["entries"]
        assert len(journal) == sum(c.calls for c in clients) + check.calls
        assert len({e["id"] for e in journal}) == len(journal)
    except AssertionError:
        raise AssertionError(emulator.output) from None
    finally:
        output = emulator.stop()
    assert "Traceback" not in output, output


def wait_for_workers(parent: int) -> int:
    """How many processes ``parent`` started, once it has started the workers (at most 60 s)."""
    deadline = time.monotonic() + 60
    while len(worker_pids(parent)) < WORKERS and time.monotonic() < deadline:
        time.sleep(0.1)
    return len(worker_pids(parent))


def worker_pids(parent: int) -> list[int]:
    """The processes whose parent is ``parent`` (uvicorn's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return found
