"""Systems: many isolated OpenCRM systems in one emulator, reached by name as the real ones are
(issue 14). Each test talks HTTP to an app of its own, in-process, as a client would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from emulator.serving.app import create_app
from emulator.settings import Settings, load_settings
from emulator.systems import HOST_CACHED, name_in_host
from emulator.transports.httpx import InProcessTransport

DEMO = {"key": "demo-key", "passkey": "demo-passkey"}
AGENT = {"User-Agent": "systems-tests/1.0"}


class Emulator:
    """An emulator app and an httpx client that reaches it in-process."""

    def __init__(self, settings: Settings) -> None:
        self.app = create_app(settings)
        transport = InProcessTransport(self.app)
        self.client = httpx.Client(transport=transport, base_url="http://127.0.0.1", headers=AGENT)

    def new_system(self, **body: Any) -> dict[str, str]:
        response = self.client.post("/_emulator/systems", json=body)
        assert response.status_code == 201, response.text
        found: dict[str, str] = response.json()
        return found

    def call(self, end_point: str, host: str = "", **params: str) -> Any:
        headers = {"Host": host} if host else {}
        return self.client.post(f"/api/rest/{end_point}", data=params, headers=headers).json()

    def control(self, system: str, method: str, route: str, **body: Any) -> Any:
        response = self.client.request(method, f"/_emulator/systems/{system}/{route}", json=body)
        assert response.status_code < 300, response.text
        return response.json()

    def close(self) -> None:
        self.client.close()
        self.app.state.systems.close()


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    running = Emulator(Settings())
    yield running
    running.close()


@pytest.fixture
def acme(emulator: Emulator) -> dict[str, str]:
    return emulator.new_system(name="acme")


def pair(system: dict[str, str]) -> dict[str, str]:
    return {"key": system["key"], "passkey": system["passkey"]}


def test_a_new_system_answers_with_its_name_key_pair_and_base_url(emulator: Emulator) -> None:
    made = emulator.new_system(name="acme")
    assert made["name"] == "acme"
    assert made["base_url"] == "http://127.0.0.1/api/rest/"
    assert made["host_url"] == "http://acme.localhost/api/rest/"
    assert len(made["key"]) >= 16
    assert len(made["passkey"]) >= 32
    listed = emulator.client.get("/_emulator/systems").json()
    assert [s["name"] for s in listed["systems"]] == ["demo", "acme"]
    assert made["passkey"] not in str(listed)  # never listed
    assert listed["systems"][1]["keys"] == [made["key"]]


def test_a_system_made_without_a_name_gets_one_of_its_own(emulator: Emulator) -> None:
    one, two = emulator.new_system(), emulator.new_system()
    assert one["name"] != two["name"]
    assert one["key"] != two["key"]
    assert one["name"].startswith("system-")


def test_a_new_system_starts_from_the_fixtures(emulator: Emulator, acme: dict[str, str]) -> None:
    assert emulator.call("get_contact_list_count", **pair(acme)) == 11
    assert emulator.call("get_contact", **pair(acme), crmid="150")["lastname"] == "Jones"


def test_two_systems_never_see_each_others_records_or_ids(
    emulator: Emulator, acme: dict[str, str]
) -> None:
    made = emulator.call("edit_contact", **pair(acme), crmid="0", lastname="Only In Acme")
    assert emulator.call("get_contact_list_count", **pair(acme)) == 12
    assert emulator.call("get_contact_list_count", **DEMO) == 11
    assert emulator.call("get_contact", **DEMO, crmid=str(made)) == {
        "error": f"No Contacts record with id {made}"
    }
    in_demo = emulator.call("edit_contact", **DEMO, crmid="0", lastname="Only In Demo")
    assert in_demo == made  # each system counts its own ids
    assert emulator.call("get_contact", **pair(acme), crmid=str(made))["lastname"] == "Only In Acme"


def test_an_access_key_works_only_on_the_system_that_issued_it(
    emulator: Emulator, acme: dict[str, str]
) -> None:
    access_key = emulator.call("login", **pair(acme))
    assert emulator.call("get_lead_list_count", accesskey=access_key) == 6  # found by its key
    on_demo = emulator.call("get_lead_list_count", host="demo.localhost", accesskey=access_key)
    assert on_demo == {"error": "Unauthorized"}
    at_acme = emulator.call("get_lead_list_count", host="acme.localhost", accesskey=access_key)
    assert at_acme == 6


def test_credentials_of_one_system_at_another_systems_host_are_refused(
    emulator: Emulator, acme: dict[str, str]
) -> None:
    refused = {"error": "Invalid User Details - AUTHENTICATION FAILED"}
    assert emulator.call("get_lead_list_count", host="acme.localhost", **DEMO) == refused
    assert emulator.call("get_lead_list_count", host="demo.opencrm.co.uk", **pair(acme)) == refused


@pytest.mark.parametrize(
    "host",
    ["acme.localhost", "acme.localhost:8080", "acme.opencrm.co.uk", "ACME.opencrm.co.uk:443"],
)
def test_the_host_names_the_system_with_or_without_a_port(
    emulator: Emulator, acme: dict[str, str], host: str
) -> None:
    emulator.call("edit_lead", **pair(acme), crmid="0", lastname="Hosted")
    assert emulator.call("get_lead_list_count", host=host, **pair(acme)) == 7


def test_a_host_longer_than_a_dns_name_names_its_system_without_a_place_in_the_cache(
    emulator: Emulator, acme: dict[str, str]
) -> None:
    emulator.call("edit_lead", **pair(acme), crmid="0", lastname="Hosted")
    misses = name_in_host.cache_info().misses
    long_host = "acme.localhost" + "." * HOST_CACHED  # trailing dots: the same name
    assert emulator.call("get_lead_list_count", host=long_host, **pair(acme)) == 7
    assert name_in_host.cache_info().misses == misses  # worked out, never cached
    emulator.call("get_lead_list_count", host="acme.localhost" + "." * 7, **pair(acme))
    assert name_in_host.cache_info().misses == misses + 1  # a short one is


def test_a_host_naming_an_unknown_system_gets_an_error_naming_it(
    emulator: Emulator, acme: dict[str, str]
) -> None:
    answer = emulator.call("get_lead_list_count", host="globex.opencrm.co.uk", **DEMO)
    assert answer == {"error": "Unknown system: globex (this emulator's systems: acme, demo)"}


def test_each_system_keeps_its_own_journal_and_audit_trail(
    emulator: Emulator, acme: dict[str, str]
) -> None:
    emulator.call("edit_contact", **pair(acme), crmid="150", lastname="Acme-Jones")
    acme_journal = emulator.control("acme", "GET", "journal")["entries"]
    demo_journal = emulator.control("demo", "GET", "journal")["entries"]
    assert [e["end_point"] for e in acme_journal] == ["edit_contact"]
    assert demo_journal == []
    assert len(emulator.control("acme", "GET", "records/150/audit")["entries"]) == 1
    assert emulator.control("demo", "GET", "records/150/audit")["entries"] == []


def test_a_fault_in_one_system_leaves_the_other_untouched(
    emulator: Emulator, acme: dict[str, str]
) -> None:
    fault = {"end_point": "*", "kind": "error", "message": "Acme is down"}
    emulator.control("acme", "PUT", "settings", faults=[fault])
    assert emulator.call("get_lead_list_count", **pair(acme)) == {"error": "Acme is down"}
    assert emulator.call("get_lead_list_count", **DEMO) == 6


def test_each_system_has_its_own_clock(emulator: Emulator, acme: dict[str, str]) -> None:
    emulator.control("acme", "POST", "clock", set="2030-01-02 09:00:00", freeze=True)
    created = emulator.call("edit_lead", **pair(acme), crmid="0", lastname="Later")
    acme_lead = emulator.call("get_lead", **pair(acme), crmid=str(created))
    assert acme_lead["createdtime"] == "2030-01-02 09:00:00"
    assert emulator.control("demo", "GET", "clock")["frozen"] is False
    assert not emulator.control("demo", "GET", "clock")["now"].startswith("2030")


def test_a_reset_of_one_system_leaves_the_other_untouched(
    emulator: Emulator, acme: dict[str, str]
) -> None:
    emulator.call("edit_lead", **pair(acme), crmid="0", lastname="Acme's")
    emulator.call("edit_lead", **DEMO, crmid="0", lastname="Demo's")
    emulator.control("acme", "POST", "reset")
    assert emulator.call("get_lead_list_count", **pair(acme)) == 6
    assert emulator.call("get_lead_list_count", **DEMO) == 7


def test_the_unprefixed_control_routes_act_on_the_default_system(
    emulator: Emulator, acme: dict[str, str]
) -> None:
    emulator.call("edit_lead", **DEMO, crmid="0", lastname="Demo's")
    assert emulator.client.get("/_emulator/health").json()["records"]["lead"] == 7
    assert emulator.control("acme", "GET", "health")["records"]["lead"] == 6


def test_a_removed_system_is_gone_with_its_data(emulator: Emulator, acme: dict[str, str]) -> None:
    response = emulator.client.delete("/_emulator/systems/acme")
    assert response.json() == {"deleted": "acme"}
    refused = emulator.call("get_lead_list_count", host="acme.localhost", **pair(acme))
    assert refused == {"error": "Unknown system: acme (this emulator's systems: demo)"}
    assert emulator.client.get("/_emulator/systems/acme/health").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"name": "Not A Label"}, 400, "a system name is a DNS label"),
        ({"name": "demo"}, 409, "there is a system named demo already"),
        ({"records": -1}, 400, "records must be between 0 and 20000"),
        ({"fixtures": "/no/such/folder"}, 400, "fixtures folder not found"),
        ({"colour": "red"}, 400, "unknown keys: colour"),
    ],
)
def test_a_system_that_cannot_be_made_is_refused_clearly(
    emulator: Emulator, body: dict[str, Any], status: int, message: str
) -> None:
    response = emulator.client.post("/_emulator/systems", json=body)
    assert response.status_code == status
    assert message in response.json()["error"]


def test_the_default_system_cannot_be_removed(emulator: Emulator) -> None:
    response = emulator.client.delete("/_emulator/systems/demo")
    assert response.status_code == 409
    assert response.json() == {"error": "demo is the default system: it cannot be removed"}


def test_no_more_systems_than_max_systems() -> None:
    running = Emulator(Settings(max_systems=2))
    try:
        running.new_system(name="one")
        response = running.client.post("/_emulator/systems", json={"name": "two"})
        assert response.status_code == 409
        assert response.json() == {"error": "this emulator holds at most 2 systems (max_systems)"}
    finally:
        running.close()


def config_with_systems(tmp_path: Path, database: str = "") -> Settings:
    text = (
        (f'database = "{database}"\n' if database else "")
        + '[[systems]]\nname = "acme"\nrecords = 12\nseed = 3\n'
        + '[[systems.key_pairs]]\nkey = "acme-key"\npasskey = "acme-pass"\n'
        + '[[systems.key_pairs]]\nkey = "acme-erp"\npasskey = "acme-erp-pass"\n'
    )
    path = tmp_path / "emulator.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings({"config": str(path)})


def test_configured_systems_have_their_own_records_and_several_key_pairs(tmp_path: Path) -> None:
    running = Emulator(config_with_systems(tmp_path))
    try:
        first = {"key": "acme-key", "passkey": "acme-pass"}
        second = {"key": "acme-erp", "passkey": "acme-erp-pass"}
        assert running.call("get_contact_list_count", **first) == 12
        made = running.call("edit_contact", **first, crmid="0", lastname="Shared")
        assert running.call("get_contact", **second, crmid=str(made))["lastname"] == "Shared"
        assert running.call("get_contact_list_count", **DEMO) == 11
    finally:
        running.close()


def test_systems_on_a_database_file_survive_a_restart(tmp_path: Path) -> None:
    settings = config_with_systems(tmp_path, str(tmp_path / "crm.db"))
    first = Emulator(settings)
    made = first.new_system(name="globex")
    first.call("edit_contact", **pair(made), crmid="0", lastname="Kept")
    first.call("edit_contact", key="acme-key", passkey="acme-pass", crmid="0", lastname="Also")
    first.close()
    again = Emulator(settings)
    try:
        assert again.call("get_contact_list_count", **pair(made)) == 12
        assert again.call("get_contact_list_count", key="acme-key", passkey="acme-pass") == 13
        names = [s["name"] for s in again.client.get("/_emulator/systems").json()["systems"]]
        assert names == ["demo", "acme", "globex"]
    finally:
        again.close()
    assert (tmp_path / "crm.globex.db").is_file()


def test_a_removed_system_on_a_database_file_takes_its_file_along(tmp_path: Path) -> None:
    running = Emulator(Settings(database=str(tmp_path / "crm.db")))
    try:
        running.new_system(name="globex")
        assert (tmp_path / "crm.globex.db").is_file()
        running.client.delete("/_emulator/systems/globex")
        assert not (tmp_path / "crm.globex.db").exists()
    finally:
        running.close()
    again = Emulator(Settings(database=str(tmp_path / "crm.db")))
    try:
        assert [s["name"] for s in again.client.get("/_emulator/systems").json()["systems"]] == [
            "demo"
        ]
    finally:
        again.close()
