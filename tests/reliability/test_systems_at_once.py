"""Many systems at once (issue 14): 50 CI jobs each make a system on one live emulator and
use it at the same time. Every call is answered, no system sees another's records, and
every acknowledged write is there afterwards."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.reliability.live import CALL_TIMEOUT, Client, Emulator, Problems

AGENT = {"User-Agent": "ci-job/1.0"}
JOBS = 50
WRITES = 4  # creates per job


def job(root: str, base_url: str, problems: Problems, number: int) -> tuple[str, list[int]]:
    """One CI job: make a system, write to it, read its writes back; its name and ids."""
    with httpx.Client(timeout=CALL_TIMEOUT, headers=AGENT) as http:
        response = http.post(f"{root}/_emulator/systems", json={"name": f"job-{number}"})
        problems.check("POST /_emulator/systems", response)
        assert response.status_code == 201, response.text
        made = response.json()
    credentials = {"key": made["key"], "passkey": made["passkey"]}
    with Client(base_url, problems, credentials) as client:
        ids = [
            client.call("edit_lead", crmid="0", lastname=f"Job {number}", firstname=str(n))
            for n in range(WRITES)
        ]
        assert client.call("get_lead_list_count") == 6 + WRITES  # its own, and the fixtures
        found = client.call("get_lead_list", query_string=f"lastname|=|Job {number}")
        assert sorted(row["id"] for row in found) == sorted(ids)
    return made["name"], ids


def test_fifty_systems_made_and_used_at_once_answer_every_call_and_keep_apart(
    tmp_path: Path,
) -> None:
    emulator = Emulator(tmp_path / "crm.db", "--max-systems", str(JOBS + 1))
    problems = Problems()
    try:
        with ThreadPoolExecutor(max_workers=JOBS) as pool:
            futures = [
                pool.submit(job, emulator.root, emulator.base_url, problems, n) for n in range(JOBS)
            ]
            done = [f.result(timeout=120) for f in futures]
        assert problems.found == []
        assert len({name for name, _ in done}) == JOBS
        systems = f"{emulator.root}/_emulator/systems"
        listed = httpx.get(systems, timeout=CALL_TIMEOUT, headers=AGENT).json()
        counts = {s["name"]: s["records"]["lead"] for s in listed["systems"]}
        assert counts == {"demo": 6, **{name: 6 + WRITES for name, _ in done}}
    finally:
        emulator.stop()
    assert problems.answers == JOBS * (WRITES + 3)
