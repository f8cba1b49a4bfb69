"""The HTTP behaviour suite runs on SQLite, and a second time on PostgreSQL when
``OPENCRM_TEST_DATABASE=postgresql`` (``.ci/run`` does both): the run's throwaway server
(tests/support/postgres.py) holds a database per process, and every test's emulator runs on
it through the plugin's ``--opencrm-database``."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from emulator.pytest_plugin import DATABASE_OPTION
from tests.support.postgres import fresh_database

ON = os.environ.get("OPENCRM_TEST_DATABASE", "sqlite")


@pytest.fixture(scope="session", autouse=True)
def behaviour_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """The database the suite's emulators run on: SQLite, or this process's PostgreSQL one."""
    if ON != "postgresql":
        yield "sqlite"
        return
    server_url: str = request.getfixturevalue("postgres_url")
    with fresh_database(server_url) as url:
        option = DATABASE_OPTION.lstrip("-").replace("-", "_")
        setattr(request.config.option, option, url)
        yield url
        setattr(request.config.option, option, None)


#: Tests of SQLite's own limits, through SQLite's functions (randomblob, zeroblob): on
#: PostgreSQL the same reports are refused as unknown functions, which says nothing about
#: limits; the run on PostgreSQL leaves them out (deselected, with this reason).
SQLITE_ONLY = (
    "test_one_expensive_function_in_a_custom_report_is_stopped_at_once",
    "test_a_custom_report_whose_rows_exceed_the_result_budget_is_stopped",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if ON != "postgresql":
        return
    left_out = [item for item in items if getattr(item, "originalname", "") in SQLITE_ONLY]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if item not in left_out]
