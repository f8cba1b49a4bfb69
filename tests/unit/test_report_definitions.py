"""Report definitions, the custom-report SQL checks and the read-only session (no HTTP)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from emulator.backend.fixtures import FixtureSet
from emulator.domain.custom_reports import checked_sql, custom_row, statements
from emulator.domain.modules import default_registry
from emulator.domain.reports import (
    CustomReport,
    Report,
    ReportBook,
    StandardReport,
    expand,
    filters_on,
)
from emulator.errors import ReportError
from emulator.store.sqlite import QueryBounds, read_only_session
from emulator.wire.params import Params
from emulator.wire.requests import report_request

REGISTRY = default_registry().with_custom_fields(FixtureSet.load().custom_fields)


def book(*items: dict[str, Any]) -> ReportBook:
    return ReportBook.from_config(list(items), REGISTRY)


def one(**item: Any) -> StandardReport:
    report = book({"id": 1, "name": "r", **item}).standard[1]
    assert isinstance(report, StandardReport)
    return report


# -- definitions ----------------------------------------------------------------------------


def test_the_shipped_reports_all_load() -> None:
    shipped = ReportBook.from_config(FixtureSet.load().reports, REGISTRY)
    assert len(shipped.standard) >= 5
    assert len(shipped.custom) >= 1


def test_row_keys_are_the_record_module_and_the_api_field_name() -> None:
    report = one(module="ticket", columns=["status", "title"])
    assert [c.key for c in report.columns] == ["HelpDesk_status", "HelpDesk_title"]


def test_an_alias_column_is_keyed_by_the_fields_api_name() -> None:
    report = one(module="ticket", columns=["ticketstatus"])
    assert [c.key for c in report.columns] == ["HelpDesk_status"]


def test_a_column_through_a_reference_field_is_keyed_by_the_module_it_points_at() -> None:
    report = one(module="contact", columns=["lastname", "accountid.accountname"])
    assert [c.key for c in report.columns] == ["Contacts_lastname", "Accounts_accountname"]
    assert [j.name for j in report.joins] == ["accountid"]


def test_the_module_may_be_named_by_its_vtiger_name() -> None:
    assert one(module="HelpDesk", columns=["title"]).module.noun == "ticket"


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ({"module": "widget", "columns": ["x"]}, "unknown module 'widget'"),
        ({"module": "contact", "columns": []}, '"columns" must be a non-empty list'),
        ({"module": "contact", "columns": ["shoe_size"]}, "unknown field 'shoe_size'"),
        ({"module": "contact", "columns": ["accountid.nope"]}, "unknown field 'nope' in Accounts"),
        ({"module": "ticket", "columns": ["parent_id.accountname"]}, "may point at several"),
        ({"module": "contact", "columns": ["crmid"]}, "is not a field"),
        ({"module": "contact", "columns": ["lastname", "lastname"]}, "same row key"),
        ({"module": "contact", "columns": ["lastname"], "filters": "lastname"}, '"filters"'),
        ({"module": "contact", "columns": ["lastname"], "filters": "nope|=|1"}, "'nope'"),
        (
            {
                "module": "contact",
                "columns": ["lastname"],
                "ordering": [{"field": "lastname", "direction": "up"}],
            },
            '"asc" or "desc"',
        ),
        ({"sql": ""}, '"sql" must be a non-empty string'),
    ],
)
def test_a_bad_definition_stops_start_up_with_a_message_naming_the_report(
    item: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ValueError, match="report 7 \\(Bad\\)") as caught:
        book({"id": 7, "name": "Bad", **item})
    assert problem in str(caught.value)


@pytest.mark.parametrize("rid", [0, -1, "3", True, None])
def test_a_report_needs_a_whole_number_id(rid: object) -> None:
    with pytest.raises(ValueError, match='needs an "id"'):
        book({"id": rid, "name": "x", "module": "contact", "columns": ["lastname"]})


def test_two_reports_of_one_kind_may_not_share_an_id() -> None:
    item = {"id": 1, "name": "x", "module": "contact", "columns": ["lastname"]}
    with pytest.raises(ValueError, match="have id 1"):
        book(item, item)


def test_a_standard_and_a_custom_report_may_share_an_id() -> None:
    both = book(
        {"id": 1, "name": "x", "module": "contact", "columns": ["lastname"]},
        {"id": 1, "name": "y", "sql": "SELECT 1"},
    )
    assert isinstance(both.standard[1], StandardReport)
    assert isinstance(both.custom[1], CustomReport)


# -- finding a report -------------------------------------------------------------------------

BOOK = book(
    {"id": 1, "name": "x", "module": "contact", "columns": ["lastname"]},
    {"id": 2, "name": "y", "sql": "SELECT 1"},
)


def find(params: dict[str, str]) -> Report:
    """A report as ``get_record_list_from_report`` finds it from its parameters."""
    return BOOK.find(*report_request(Params(params, "form")))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Missing parameter: reportid"),
        ({"reportid": " "}, "Missing parameter: reportid"),
        ({"reportid": "abc"}, "Invalid reportid: 'abc' is not a report id"),
        ({"reportid": "9"}, "No report with id 9"),
        ({"reportid": "9", "isCustomReport": "true"}, "No custom report with id 9"),
        ({"reportid": "2"}, "No report with id 2; report 2 is a custom report"),
        (
            {"reportid": "1", "isCustomReport": "1"},
            "No custom report with id 1; report 1 is a standard",
        ),
    ],
)
def test_finding_a_report_fails_with_a_clear_message(params: dict[str, str], message: str) -> None:
    with pytest.raises(ReportError) as caught:
        find(params)
    assert caught.value.message.startswith(message)


@pytest.mark.parametrize("flag", ["true", "TRUE", "1", "yes", "on"])
def test_is_custom_report_accepts_the_usual_true_words(flag: str) -> None:
    assert isinstance(find({"reportid": "2", "isCustomReport": flag}), CustomReport)


@pytest.mark.parametrize("flag", ["false", "0", ""])
def test_is_custom_report_false_picks_the_standard_reports(flag: str) -> None:
    assert isinstance(find({"reportid": "1", "isCustomReport": flag}), StandardReport)


# -- date words -----------------------------------------------------------------------------


def test_date_words_in_filters_are_read_from_the_day_the_report_runs() -> None:
    text = "{today} {year} {last_year} {next_year} {month}"
    assert expand(text, date(2026, 3, 5)) == "2026-03-05 2026 2025 2027 03"


def test_filters_on_expands_only_the_values() -> None:
    report = one(module="quote", columns=["subject"], filters="createdtime|>=|{year}-01-01")
    (only,) = filters_on(report, date(2031, 7, 1))
    assert (only.condition.field, only.condition.value) == ("createdtime", "2031-01-01")


# -- custom report SQL ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "found"),
    [
        ("SELECT 1", ["SELECT 1"]),
        ("SELECT 1;", ["SELECT 1"]),
        ("SELECT 1; -- done", ["SELECT 1"]),
        ("SELECT ';' AS a", ["SELECT ';' AS a"]),
        ("SELECT 'it''s;' AS a", ["SELECT 'it''s;' AS a"]),
        ('SELECT 1 AS "a;b"', ['SELECT 1 AS "a;b"']),
        ("SELECT 1 /* ; */", ["SELECT 1"]),
        ("SELECT 1; DELETE FROM t", ["SELECT 1", "DELETE FROM t"]),
        ("SELECT 1 -- ;\n; UPDATE t SET a = 1", ["SELECT 1", "UPDATE t SET a = 1"]),
    ],
)
def test_statements_split_only_at_semicolons_outside_quotes_and_comments(
    sql: str, found: list[str]
) -> None:
    assert statements(sql) == found


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM contactdetails",
        "-- looks harmless\nUPDATE contactdetails SET lastname = 'x'",
        "/* SELECT */ INSERT INTO crmentity VALUES (1, 'Contacts', 0)",
        "PRAGMA writable_schema = ON",
        "ATTACH DATABASE ':memory:' AS other",
        "SELECT 1; DELETE FROM contactdetails",
        "",
    ],
)
def test_only_one_select_or_with_statement_passes_the_check(sql: str) -> None:
    with pytest.raises(ReportError, match="Custom report 3 refused"):
        checked_sql(CustomReport(3, "x", sql))


def test_a_with_statement_passes_the_check_and_is_left_to_the_authorizer() -> None:
    sql = "WITH gone AS (SELECT 1) DELETE FROM t"
    assert checked_sql(CustomReport(3, "x", sql)) == sql


def test_a_custom_row_turns_its_crmid_column_into_id_and_crmid() -> None:
    row = custom_row(["CRMID", "name", "n", "blank"], [7, "Bob", 2.5, None])
    assert row == {"id": 7, "crmid": 7, "name": "Bob", "n": "2.5", "blank": ""}
    assert list(row)[:2] == ["id", "crmid"]


def test_a_custom_row_without_a_crmid_column_has_no_id() -> None:
    assert custom_row(["total"], [12]) == {"total": "12"}


# -- the read-only session --------------------------------------------------------------------


def bounds(seconds: float) -> QueryBounds:
    return QueryBounds(seconds, value_bytes=1_000_000, result_bytes=10_000_000)


@pytest.fixture
def raw() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a INTEGER)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    yield conn
    conn.close()


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM t",
        "UPDATE t SET a = 2",
        "INSERT INTO t VALUES (3)",
        "DROP TABLE t",
        "CREATE TABLE u (b)",
        "ATTACH DATABASE ':memory:' AS other",
        "PRAGMA writable_schema = ON",
        "PRAGMA query_only = OFF",
        "WITH x AS (SELECT 1) DELETE FROM t",
        "SELECT load_extension('nothing_here')",
        "BEGIN",
    ],
)
def test_the_read_only_session_refuses_anything_but_reading(
    raw: sqlite3.Connection, sql: str
) -> None:
    with read_only_session(raw, bounds(5.0)), pytest.raises(sqlite3.DatabaseError):
        raw.execute(sql)
    assert raw.execute("SELECT a FROM t").fetchall() == [(1,)]
    assert raw.execute("SELECT count(*) FROM sqlite_master").fetchone() == (1,)


def test_the_read_only_session_is_undone_afterwards(raw: sqlite3.Connection) -> None:
    with read_only_session(raw, bounds(5.0)):
        assert raw.execute("SELECT a FROM t").fetchall() == [(1,)]
    raw.execute("INSERT INTO t VALUES (2)")
    assert raw.execute("PRAGMA query_only").fetchone() == (0,)
    assert raw.execute("SELECT count(*) FROM t").fetchone() == (2,)


def test_the_read_only_session_stops_a_query_that_never_ends(raw: sqlite3.Connection) -> None:
    endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n"
    stopped = pytest.raises(sqlite3.OperationalError, match="interrupt")
    with read_only_session(raw, bounds(0.05)), stopped:
        raw.execute(endless).fetchall()


def test_a_write_prepared_before_the_session_is_checked_again(raw: sqlite3.Connection) -> None:
    # sqlite3 caches prepared statements by their text; the authorizer must still see it.
    write = "WITH x AS (SELECT 1) DELETE FROM t WHERE a = 99"
    raw.execute(write)
    refused = pytest.raises(sqlite3.DatabaseError, match="authorized")
    with read_only_session(raw, bounds(5.0)), refused:
        raw.execute(write)
