"""The emulator served on PostgreSQL (issue 15): ``serve --database postgresql+psycopg://...``
starts on an empty database by making its schema, starts again on it with every record kept,
refuses a schema made by another version's layout in one clear line, keeps each system in a
schema of its own (removed with the system), and answers as on SQLite."""

from __future__ import annotations

import subprocess
import sys

import httpx
import psycopg
import pytest
from sqlalchemy import make_url

from tests.reliability.live import DEMO, Client, Emulator, Problems


def plain(url: str) -> str:
    """A URL psycopg itself takes (no SQLAlchemy driver name, no emulator parameter)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def schemas(url: str) -> set[str]:
    with psycopg.connect(plain(url)) as conn:
        rows = conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'opencrm_%'")
        return {row[0] for row in rows}


def test_an_empty_database_gets_the_schema_and_a_restart_keeps_every_record(
    fresh_postgres_url: str,
) -> None:
    server = Emulator(fresh_postgres_url)  # type: ignore[arg-type]
    try:
        with Client(server.base_url, Problems()) as crm:
            assert crm.call("get_contact_list_count") == 11
            crmid = crm.call("edit_contact", crmid="0", lastname="Kept", mailingzip="01234")
    finally:
        server.stop()
    assert schemas(fresh_postgres_url) == {"opencrm_demo"}
    again = Emulator(fresh_postgres_url)  # type: ignore[arg-type]
    try:
        with Client(again.base_url, Problems()) as crm:
            assert crm.call("get_contact_list_count") == 12
            kept = crm.call("get_contact", crmid=str(crmid))
            assert (kept["lastname"], kept["mailingzip"]) == ("Kept", "01234")
            assert crm.call("edit_contact", crmid="0", lastname="Next") == crmid + 1
    finally:
        again.stop()


def test_a_schema_of_another_layout_is_refused_in_one_clear_line(fresh_postgres_url: str) -> None:
    Emulator(fresh_postgres_url).stop()  # type: ignore[arg-type]
    with psycopg.connect(plain(fresh_postgres_url)) as conn:
        conn.execute("UPDATE opencrm_demo.emulator_layout SET version = 999")
    command = [sys.executable, "-m", "emulator", "serve", "--port", "0"]
    done = subprocess.run(
        [*command, "--database", fresh_postgres_url], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("opencrm-emulator: cannot start: schema opencrm_demo was made by")
    assert "layout 999; this one uses layout 1" in line


def test_each_system_is_a_schema_of_its_own_and_goes_with_the_system(
    fresh_postgres_url: str,
) -> None:
    server = Emulator(fresh_postgres_url)  # type: ignore[arg-type]
    control = httpx.Client(base_url=server.root + "/_emulator/", timeout=60)
    try:
        made = control.post("systems", json={"name": "acme"}).json()
        assert schemas(fresh_postgres_url) == {"opencrm_demo", "opencrm_acme"}
        acme = {"key": made["key"], "passkey": made["passkey"]}
        with Client(server.base_url, Problems(), acme) as crm:
            crm.call("edit_contact", crmid="0", lastname="Acme only")
            assert crm.call("get_contact_list_count") == 12
        with Client(server.base_url, Problems(), DEMO) as crm:
            assert crm.call("get_contact_list_count") == 11  # the other schema's
        assert control.delete("systems/acme").status_code == 200
        assert schemas(fresh_postgres_url) == {"opencrm_demo"}
    finally:
        control.close()
        server.stop()


def test_two_processes_on_one_schema_share_records_access_keys_settings_and_the_journal(
    two_processes: tuple[Emulator, Emulator],
) -> None:
    first, second = two_processes
    with Client(first.base_url, Problems()) as one, Client(second.base_url, Problems()) as two:
        made = one.call("edit_contact", crmid="0", firstname="Ada", lastname="Shared")
        assert two.call("get_contact", crmid=str(made))["lastname"] == "Shared"
        access = one.call("login")
        answer = two.http.post("get_contact_list_count", data={"accesskey": access})
        assert answer.json() == 12
        fault = {"faults": [{"end_point": "get_contact_list_count", "times": 1}]}
        httpx.put(f"{second.root}/_emulator/settings", json=fault).raise_for_status()
        assert one.call("get_contact_list_count") == {"error": "Internal error"}  # once
        assert one.call("get_contact_list_count") == 12
        journal = httpx.get(f"{first.root}/_emulator/journal").json()["entries"]
        ends = [e["end_point"] for e in journal]
        assert ends == ["edit_contact", "get_contact", "login", *["get_contact_list_count"] * 3]


def test_an_unreachable_server_is_one_clear_line() -> None:
    command = [sys.executable, "-m", "emulator", "serve", "--port", "0", "--database"]
    url = "postgresql+psycopg://nobody@127.0.0.1:9/none"
    done = subprocess.run([*command, url], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("opencrm-emulator: cannot start: ")
    assert "127.0.0.1" in line


@pytest.mark.parametrize("prefix", ["Bad", "x;drop", "9starts"])
def test_a_schema_prefix_that_is_no_name_is_refused(prefix: str) -> None:
    from emulator.store.postgres import schema_prefix

    with pytest.raises(ValueError, match="schema_prefix must be"):
        schema_prefix(f"postgresql+psycopg://u@127.0.0.1/db?schema_prefix={prefix}")
