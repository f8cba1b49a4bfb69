"""reformat() against a table made with PHP itself, around the 2026 clock changes.

php_dates/table.json was written by php_dates/make_table.php (its header says how to
regenerate it): for stored values in four zones it holds PHP 8's
``date($letter, strtotime($value))`` with the zone as PHP's default zone.  PHP is not
needed to run these tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from emulator.wire.php_format import reformat

TABLE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "php_dates" / "table.json").read_text(encoding="utf-8")
)
CASES: dict[str, dict[str, dict[str, str]]] = TABLE["cases"]
PHP_8_LETTERS = "dDjlNSwzWFmMntLoXxYyaABgGhHisuveIOPpTZcrU"


def _params() -> list[Any]:
    return [
        pytest.param(zone, value, letter, output, id=f"{zone} {value} {letter}")
        for zone, values in CASES.items()
        for value, outputs in values.items()
        for letter, output in outputs.items()
    ]


@pytest.mark.parametrize(("zone", "value", "letter", "expected"), _params())
def test_reformat_prints_what_php_prints(zone: str, value: str, letter: str, expected: str) -> None:
    assert reformat(value, letter, ZoneInfo(zone)) == expected


def test_the_table_has_every_letter_for_every_value() -> None:
    assert TABLE["letters"] == PHP_8_LETTERS
    for values in CASES.values():
        assert all("".join(outputs) == PHP_8_LETTERS for outputs in values.values())


def test_the_table_holds_the_cases_of_the_issue() -> None:
    # The repeated hour: London takes the later (GMT) occurrence, New York the earlier (EDT).
    assert CASES["Europe/London"]["2026-10-25 01:30:00"]["c"] == "2026-10-25T01:30:00+00:00"
    assert CASES["Europe/London"]["2026-10-25 01:30:00"]["U"] == "1792891800"
    assert CASES["America/New_York"]["2026-11-01 01:30:00"]["c"] == "2026-11-01T01:30:00-04:00"
    # The skipped hour moves forward by an hour in both.
    assert CASES["Europe/London"]["2026-03-29 01:30:00"]["c"] == "2026-03-29T02:30:00+01:00"
    assert CASES["America/New_York"]["2026-03-08 02:30:00"]["c"] == "2026-03-08T03:30:00-04:00"


def test_a_whole_format_at_the_repeated_hour_is_the_concatenation_of_the_letters() -> None:
    outputs = CASES["Europe/London"]["2026-10-25 01:30:00"]
    fmt = "|".join(PHP_8_LETTERS)
    expected = "|".join(outputs[letter] for letter in PHP_8_LETTERS)
    assert reformat("2026-10-25 01:30:00", fmt, ZoneInfo("Europe/London")) == expected
