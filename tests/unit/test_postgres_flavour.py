"""The pure parts of the PostgreSQL flavour: numbers stored as the text SQLite shows for them
(emulator/store/flavours.py), and report column names as their SQL writes them
(emulator/store/postgres_compat.py)."""

from __future__ import annotations

import pytest

from emulator.store.flavours import canonical, real_text
from emulator.store.postgres import schema_prefix, with_schema_prefix
from emulator.store.postgres_compat import as_written


@pytest.mark.parametrize(
    ("value", "integral", "text"),
    [
        (5, True, "5"),
        (5.0, True, "5"),
        (5.0, False, "5.0"),
        (1049.5, False, "1049.5"),
        (0.1 + 0.2, False, "0.3"),  # 15 significant digits, as SQLite's %!.15g
        (1e20, False, "1.0e+20"),
        (0.00001, False, "1.0e-05"),
        ("  42 ", True, "42"),  # text that reads as a number is converted, as by affinity
        ("12abc", True, "12abc"),  # other text stays as it is
        ("nan", False, "nan"),
        (True, True, "1"),
    ],
)
def test_a_number_is_stored_as_the_text_sqlite_shows_for_it(
    value: object, integral: bool, text: str
) -> None:
    assert canonical(value, integral) == text


def test_zero_is_written_with_one_decimal_and_never_negative() -> None:
    assert real_text(0.0) == "0.0"
    assert real_text(-0.0) == "0.0"


@pytest.mark.parametrize(
    ("name", "sql", "written"),
    [
        (
            "accounts_accountname",
            "SELECT a.accountname AS Accounts_accountname FROM a",
            "Accounts_accountname",
        ),
        ("open_tickets", "SELECT COUNT(*) AS open_tickets FROM t", "open_tickets"),
        ("crmid", "SELECT a.crmid FROM account a", "crmid"),
        ("x", 'SELECT 1 AS "x"', "x"),
        ("thing", "SELECT something AS other", "thing"),  # not in the SQL: as PostgreSQL says
    ],
)
def test_a_report_column_keeps_the_case_its_sql_writes(name: str, sql: str, written: str) -> None:
    assert as_written(name, sql) == written


def test_the_schema_prefix_comes_from_the_url_and_defaults_to_opencrm() -> None:
    url = "postgresql+psycopg://u:p@127.0.0.1:5432/crm"
    assert schema_prefix(url) == "opencrm"
    assert schema_prefix(with_schema_prefix(url, "team1")) == "team1"
    assert with_schema_prefix(url, "team1").startswith(
        "postgresql+psycopg://u:p@127.0.0.1:5432/crm?"
    )
