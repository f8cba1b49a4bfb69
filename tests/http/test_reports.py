"""``get_record_list_from_report`` through HTTP (guide, "Reporting Functions"): the shipped
standard and custom reports, the errors, and custom report SQL that tries to write."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from emulator.backend.fixtures import default_folder
from emulator.backend.relations import custom_rows
from emulator.domain.reports import CustomReport
from emulator.errors import ReportError
from emulator.pytest_plugin import OpenCRM
from emulator.settings import Settings
from emulator.systems import System

OPEN_TICKETS, CUSTOMER_CONTACTS, BIG_QUOTES, LOW_STOCK, WEB_LEADS = 1, 2, 3, 4, 5
TICKETS_PER_COMPANY = 1


def report(crm: OpenCRM, reportid: object, **params: str) -> Any:
    return crm.call("get_record_list_from_report", reportid=str(reportid), **params, check=False)


def ids(rows: list[dict[str, Any]]) -> list[int]:
    return [r["id"] for r in rows]


# -- standard reports -------------------------------------------------------------------------


def test_rows_carry_numeric_ids_and_module_fieldname_keys(opencrm: OpenCRM) -> None:
    rows = report(opencrm, OPEN_TICKETS)
    assert ids(rows) == [350, 354]
    first = rows[0]
    assert list(first)[:2] == ["id", "crmid"]
    assert first["id"] == first["crmid"] == 350
    assert first["HelpDesk_title"] == "Docking station not charging laptop"
    assert first["HelpDesk_status"] == "Open"
    assert first["HelpDesk_parent_id"] == "100"
    assert all(isinstance(v, str) for k, v in first.items() if k not in ("id", "crmid"))


def test_a_report_follows_reference_fields_to_filter_and_show_the_company(
    opencrm: OpenCRM,
) -> None:
    rows = report(opencrm, CUSTOMER_CONTACTS)
    # Ordered by company then surname; suppliers (156, 157), the prospect (154) and the
    # deleted contact (161) are left out.
    assert ids(rows) == [155, 150, 160, 158, 151, 153, 152, 159]
    assert rows[1] == {
        "id": 150,
        "crmid": 150,
        "Contacts_contact_no": "CON1",
        "Contacts_firstname": "Bob",
        "Contacts_lastname": "Jones",
        "Contacts_email": "bob.jones@fenlandvets.example.co.uk",
        "Contacts_phone": "01353 960 119",
        "Accounts_accountname": "Fenland Veterinary Group",
        "Accounts_city": "Ely",
    }


def test_this_year_in_a_filter_is_the_year_of_the_emulators_clock(opencrm: OpenCRM) -> None:
    opencrm.system.clock.freeze(datetime(2025, 6, 1, 9, 0, 0))
    assert ids(report(opencrm, BIG_QUOTES)) == [420]
    opencrm.system.clock.set(datetime(2026, 6, 1, 9, 0, 0))
    rows = report(opencrm, BIG_QUOTES)
    assert ids(rows) == [421, 422]  # largest total first
    assert [r["Quotes_total"] for r in rows] == ["46726.94", "9023.86"]


@pytest.mark.parametrize(
    ("reportid", "expected"),
    [(LOW_STOCK, [270, 272]), (WEB_LEADS, [201]), (6, [233, 230])],
)
def test_each_shipped_standard_report_finds_its_records(
    opencrm: OpenCRM, reportid: int, expected: list[int]
) -> None:
    assert ids(report(opencrm, reportid)) == expected


def test_a_report_reads_live_data(opencrm: OpenCRM) -> None:
    assert opencrm.call("edit_ticket", crmid="352", status="Open") == 352
    assert ids(report(opencrm, OPEN_TICKETS)) == [350, 352, 354]


def test_a_user_column_is_joined_to_the_users_table(opencrm: OpenCRM) -> None:
    (lead,) = report(opencrm, WEB_LEADS)
    assert lead["Users_user_name"] == "tom.hughes"


def test_limit_start_and_limit_end_page_through_a_report(opencrm: OpenCRM) -> None:
    rows = report(opencrm, CUSTOMER_CONTACTS, limit_start="2", limit_end="5")
    assert ids(rows) == [160, 158, 151]


def test_date_overrides_apply_to_report_date_columns(opencrm: OpenCRM) -> None:
    rows = report(opencrm, OPEN_TICKETS, dateTimeOverride="d*m*Y")
    assert rows[0]["HelpDesk_createdtime"] == "19/10/2026"


def test_change_assignedidtouser_accepts_a_row_key(opencrm: OpenCRM) -> None:
    rows = report(opencrm, OPEN_TICKETS, change_assignedidtouser="HelpDesk_smownerid")
    assert rows[0]["HelpDesk_smownerid"] == "james.patel"


def test_an_empty_report_is_an_empty_list(opencrm: OpenCRM) -> None:
    opencrm.call("edit_lead", crmid="201", leadsource="Cold Call")
    assert report(opencrm, WEB_LEADS) == []


# -- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Missing parameter: reportid"),
        ({"reportid": "weekly"}, "Invalid reportid: 'weekly' is not a report id"),
        ({"reportid": "99"}, "No report with id 99"),
        ({"reportid": "99", "isCustomReport": "true"}, "No custom report with id 99"),
    ],
)
def test_a_missing_or_unknown_report_is_a_clear_error(
    opencrm: OpenCRM, params: dict[str, str], message: str
) -> None:
    assert opencrm.call("get_record_list_from_report", **params, check=False) == {"error": message}


def test_a_wrong_passkey_is_refused_with_the_exact_message(opencrm: OpenCRM) -> None:
    answer = opencrm.call("get_record_list_from_report", passkey="nope", reportid="1", check=False)
    assert answer == {"error": "Invalid User Details - AUTHENTICATION FAILED"}


# -- custom reports ---------------------------------------------------------------------------


def test_a_custom_report_runs_with_is_custom_report(opencrm: OpenCRM) -> None:
    rows = report(opencrm, TICKETS_PER_COMPANY, isCustomReport="true")
    assert rows[0] == {
        "id": 107,
        "crmid": 107,
        "Accounts_accountname": "Caledonian Energy Services Ltd",
        "open_tickets": "1",
    }
    assert ids(rows) == [107, 106, 100]


def test_custom_report_ids_are_their_own_id_space(opencrm: OpenCRM) -> None:
    standard = report(opencrm, 1)
    custom = report(opencrm, 1, isCustomReport="true")
    assert "HelpDesk_title" in standard[0]
    assert "open_tickets" in custom[0]


def test_a_custom_report_is_paged_too(opencrm: OpenCRM) -> None:
    rows = report(opencrm, TICKETS_PER_COMPANY, isCustomReport="1", limit_start="1")
    assert ids(rows) == [106, 100]


def test_a_custom_report_that_runs_too_long_is_stopped(opencrm: OpenCRM) -> None:
    endless = CustomReport(
        9,
        "endless",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n",
    )
    with pytest.raises(ReportError, match="Custom report 9 stopped"):
        custom_rows(opencrm.system.store, endless, 0, 10, seconds=0.05)
    assert opencrm.call("edit_contact", crmid="150", lastname="Still Writable") == 150


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT randomblob(300000000)",
        "SELECT length(zeroblob(900000000))",
        "SELECT replace(hex(zeroblob(20000000)), '0', 'ab')",
    ],
)
def test_one_expensive_function_in_a_custom_report_is_stopped_at_once(
    opencrm: OpenCRM, sql: str
) -> None:
    # randomblob(300000000) ran 13 s and took 570 MB: the time limit is checked between
    # SQLite's steps, and one function call is one step (issue 12).
    started = time.monotonic()
    with pytest.raises(ReportError, match="Custom report 9 stopped: a value larger than"):
        custom_rows(opencrm.system.store, CustomReport(9, "big", sql), 0, 10)
    assert time.monotonic() - started < 2
    assert opencrm.call("edit_contact", crmid="150", lastname=long_name()) == 150


def long_name() -> str:
    return "x" * 2_000_000  # the store's own values are not bound by a report's limit


def test_a_custom_report_whose_rows_exceed_the_result_budget_is_stopped(opencrm: OpenCRM) -> None:
    sql = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) "
        "SELECT i AS crmid, randomblob(10000) AS data FROM n"
    )
    started = time.monotonic()
    with pytest.raises(ReportError, match="Custom report 9 stopped: its rows are larger than"):
        custom_rows(opencrm.system.store, CustomReport(9, "wide", sql), 0, 50_000)
    assert time.monotonic() - started < 5


#: Custom report SQL that tries to write, to reach outside the database, or to switch the
#: read-only guard off. Ids from 101.
ATTACKS = {
    101: "DELETE FROM contactdetails",
    102: "UPDATE contactdetails SET lastname = 'Pwned'",
    103: "INSERT INTO crmentity (crmid, setype, deleted) VALUES (9999, 'Contacts', 0)",
    104: "DROP TABLE contactdetails",
    105: "ATTACH DATABASE ':memory:' AS elsewhere",
    106: "PRAGMA writable_schema = ON",
    107: "SELECT 1; DELETE FROM contactdetails",
    108: "WITH doomed AS (SELECT crmid FROM contactdetails) "
    "DELETE FROM contactdetails WHERE crmid IN (SELECT crmid FROM doomed)",
    109: "SELECT load_extension('/nonexistent/evil')",
    110: "WITH x AS (SELECT 1) UPDATE crmentity SET deleted = 1",
    111: "-- a report\nREPLACE INTO crmentity (crmid, setype, deleted) VALUES (150, 'Leads', 1)",
    112: "SELECT crmid FROM contactdetails; PRAGMA query_only = OFF",
    113: "VACUUM",
    114: "/* SELECT */ CREATE TABLE stolen AS SELECT * FROM users",
}

#: A custom report that is read-only but wrong.
BROKEN = 120


@pytest.fixture(scope="module")
def hostile_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenCRM]:
    """An emulator whose fixtures folder adds custom reports that try to write."""
    folder: Path = tmp_path_factory.mktemp("fixtures") / "fixtures"
    shutil.copytree(default_folder(), folder)
    shipped = json.loads((folder / "reports.json").read_text(encoding="utf-8"))
    attacks = [
        {"id": rid, "name": f"attack {rid}", "sql": sql}
        for rid, sql in [*ATTACKS.items(), (BROKEN, "SELECT nope FROM account")]
    ]
    (folder / "reports.json").write_text(json.dumps(shipped + attacks), encoding="utf-8")
    crm = OpenCRM(System(Settings(fixtures=str(folder))))
    yield crm
    crm.system.close()


@pytest.fixture
def hostile(hostile_session: OpenCRM) -> OpenCRM:
    hostile_session.reset()
    return hostile_session


def fingerprint(crm: OpenCRM) -> dict[str, Any]:
    """Everything an attack could change: record counts, the schema, Bob, the guard pragmas."""

    def read(conn: Any) -> dict[str, Any]:
        def one(sql: str) -> Any:
            return conn.execute(sql).fetchall()

        return {
            "crmentity": one("SELECT count(*), sum(deleted) FROM crmentity"),
            "schema": one("SELECT type, name, sql FROM sqlite_master ORDER BY name"),
            "databases": one("PRAGMA database_list"),
            "pragmas": one("PRAGMA query_only") + one("PRAGMA writable_schema"),
            "bob": one("SELECT lastname FROM contactdetails WHERE crmid = 150"),
        }

    store = crm.system.store
    with store.lock:
        state = read(store.db.raw)
    return {"counts": crm.system.backend.counts(), **state}


@pytest.mark.parametrize("reportid", sorted(ATTACKS))
def test_custom_report_sql_cannot_modify_data(hostile: OpenCRM, reportid: int) -> None:
    before = fingerprint(hostile)
    answer = report(hostile, reportid, isCustomReport="true")
    assert set(answer) == {"error"}
    assert answer["error"].startswith(f"Custom report {reportid} refused: ")
    assert fingerprint(hostile) == before
    # The guard is lifted afterwards: ordinary writes still work.
    assert hostile.call("edit_contact", crmid="150", lastname="Jones-Smith") == 150


def test_a_failing_custom_report_names_sqlites_complaint(hostile: OpenCRM) -> None:
    answer = report(hostile, BROKEN, isCustomReport="true")
    assert answer == {"error": f"Custom report {BROKEN} failed: no such column: nope"}
