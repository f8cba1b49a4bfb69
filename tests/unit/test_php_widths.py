"""The width of each PHP date() letter (emulator/wire/php_widths.py) bounds what an override
can make of one value: every letter has one, and none is ever exceeded."""

from __future__ import annotations

from datetime import datetime
from itertools import product
from zoneinfo import ZoneInfo

from emulator.wire import php_format
from emulator.wire.php_widths import WIDTHS, longest_output

ZONES = ("Europe/London", "America/Argentina/ComodRivadavia", "Asia/Kathmandu", "UTC")
MOMENTS = [
    datetime(year, month, day, hour, 59, 59, 999_999)
    for year, month, day, hour in product((1, 999, 2026, 9999), (1, 9, 12), (1, 28), (0, 13))
]


def test_every_letter_has_a_width() -> None:
    assert set(WIDTHS) == set(php_format._FIELDS)


def test_no_letter_makes_more_than_its_width() -> None:
    for zone, moment, letter in product(ZONES, MOMENTS, WIDTHS):
        made = php_format.php_date(letter, moment, ZoneInfo(zone))
        assert len(made) <= WIDTHS[letter], (letter, zone, moment, made)


def test_literals_and_escapes_count_one_each() -> None:
    assert longest_output(r"l jS \o\f F Y h:i:s A") == 44
    assert longest_output("r" * 10) == 310
    assert longest_output("--") == 2
