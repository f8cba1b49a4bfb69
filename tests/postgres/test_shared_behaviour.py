"""Two emulator processes on one PostgreSQL schema keep one rate limit, one clock and one
set of access keys: what one process counts, moves or hands out, the other sees at once."""

from __future__ import annotations

import httpx

from emulator.control.behaviour import RATE_LIMITED
from tests.reliability.live import AGENT, DEMO, Emulator


def api(emulator: Emulator, end_point: str, **data: str) -> object:
    answer = httpx.post(emulator.base_url + end_point, data=data, headers=AGENT, timeout=30)
    return answer.json()


def control(emulator: Emulator, method: str, path: str, **body: object) -> object:
    return httpx.request(method, f"{emulator.root}/_emulator/{path}", json=body).json()


def test_a_rate_limit_counts_the_calls_of_every_process(
    two_processes: tuple[Emulator, Emulator],
) -> None:
    one, two = two_processes
    control(one, "PUT", "settings", rate_limit_per_minute=3)
    answers = [api(e, "get_contact_list_count", **DEMO) for e in (one, two, one, two)]
    assert answers == [11, 11, 11, {"error": RATE_LIMITED.format(limit=3, period="minute")}]


def test_a_clock_frozen_and_moved_through_one_process_is_the_others_clock(
    two_processes: tuple[Emulator, Emulator],
) -> None:
    one, two = two_processes
    control(one, "POST", "clock", set="2031-02-03T04:05:06", freeze=True)
    assert control(two, "GET", "clock") == {"now": "2031-02-03 04:05:06", "frozen": True}
    control(two, "POST", "clock", advance=60)
    assert control(one, "GET", "clock") == {"now": "2031-02-03 04:06:06", "frozen": True}
    made = api(one, "edit_contact", crmid="0", lastname="Stamped", **DEMO)
    record = api(two, "get_contact", crmid=str(made), **DEMO)
    assert isinstance(record, dict)
    assert record["createdtime"] == "2031-02-03 04:06:06"


def test_an_access_key_expires_for_every_process_when_the_shared_clock_passes_its_idle_time(
    two_processes: tuple[Emulator, Emulator],
) -> None:
    one, two = two_processes
    control(one, "POST", "clock", freeze=True)
    access_key = str(api(one, "login", **DEMO))
    assert api(two, "get_contact_list_count", accesskey=access_key) == 11
    control(two, "POST", "clock", advance=31 * 60)
    assert api(one, "get_contact_list_count", accesskey=access_key) == {"error": "Unauthorized"}
    assert api(two, "get_contact_list_count", accesskey=access_key) == {"error": "Unauthorized"}
