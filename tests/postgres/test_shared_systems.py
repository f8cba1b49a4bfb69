"""Systems made or removed at run time through one process are seen by every process on the
same PostgreSQL database (the catalogue is a table of the default system's schema)."""

from __future__ import annotations

import httpx

from tests.reliability.live import AGENT, Emulator


def api(emulator: Emulator, end_point: str, host: str = "", **data: str) -> httpx.Response:
    headers = {**AGENT, **({"Host": host} if host else {})}
    return httpx.post(emulator.base_url + end_point, data=data, headers=headers, timeout=30)


def test_a_system_made_on_one_process_answers_on_another_and_goes_from_both_when_removed(
    two_processes: tuple[Emulator, Emulator],
) -> None:
    one, two = two_processes
    made = httpx.post(f"{one.root}/_emulator/systems", json={"name": "acme"}).json()
    pair = {"key": made["key"], "passkey": made["passkey"]}
    by_host = api(two, "get_contact_list_count", "acme.localhost", **pair)
    assert by_host.json() == 11
    by_key = api(two, "edit_contact", crmid="0", lastname="Acme", **pair).json()
    assert (
        api(one, "get_contact", "acme.localhost", crmid=str(by_key), **pair).json()["lastname"]
        == "Acme"
    )
    listed = httpx.get(f"{two.root}/_emulator/systems").json()["systems"]
    assert sorted(s["name"] for s in listed) == ["acme", "demo"]
    again = httpx.post(f"{two.root}/_emulator/systems", json={"name": "acme"})
    assert again.status_code == 409
    assert httpx.delete(f"{two.root}/_emulator/systems/acme").status_code == 200
    gone = api(one, "get_contact_list_count", "acme.localhost", **pair)
    assert gone.json() == {"error": "Unknown system: acme (this emulator's systems: demo)"}
    assert httpx.get(f"{one.root}/_emulator/systems/acme/health").status_code == 404


def test_a_system_removed_and_made_again_through_one_process_is_the_new_one_on_the_other(
    two_processes: tuple[Emulator, Emulator],
) -> None:
    one, two = two_processes
    old = httpx.post(f"{one.root}/_emulator/systems", json={"name": "acme"}).json()
    old_pair = {"key": old["key"], "passkey": old["passkey"]}
    assert api(two, "get_contact_list_count", "acme.localhost", **old_pair).json() == 11
    assert httpx.delete(f"{one.root}/_emulator/systems/acme").status_code == 200
    body = {"name": "acme", "records": 20, "seed": 1}
    new = httpx.post(f"{one.root}/_emulator/systems", json=body).json()
    pair = {"key": new["key"], "passkey": new["passkey"]}
    assert api(two, "get_contact_list_count", "acme.localhost", **pair).json() == 20
    refused = api(two, "get_contact_list_count", "acme.localhost", **old_pair).json()
    assert refused == {"error": "Invalid User Details - AUTHENTICATION FAILED"}
    reset = httpx.post(f"{one.root}/_emulator/systems/acme/reset")
    assert reset.status_code == 200  # the new system has its own reset target
    assert api(one, "get_contact_list_count", "acme.localhost", **pair).json() == 20
