"""PHP date() formatting for dateTimeOverride/dateOverride.

Every expected string below was worked out by hand from PHP's documentation of date()
(and php-src's date_format()), not by calling the code under test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.wire.php_format import decode_override, php_date, reformat

LONDON = ZoneInfo("Europe/London")

# 2015-08-04 15:04:01 in London: a Tuesday in British Summer Time (+01:00).
SUMMER = datetime(2015, 8, 4, 15, 4, 1)
SUMMER_EXPECTED = {
    "d": "04",
    "D": "Tue",
    "j": "4",
    "l": "Tuesday",
    "N": "2",
    "S": "th",
    "w": "2",
    "z": "215",
    "W": "32",
    "F": "August",
    "m": "08",
    "M": "Aug",
    "n": "8",
    "t": "31",
    "L": "0",
    "o": "2015",
    "X": "+2015",
    "x": "2015",
    "Y": "2015",
    "y": "15",
    "a": "pm",
    "A": "PM",
    "B": "627",
    "g": "3",
    "G": "15",
    "h": "03",
    "H": "15",
    "i": "04",
    "s": "01",
    "u": "000000",
    "v": "000",
    "e": "Europe/London",
    "I": "1",
    "O": "+0100",
    "P": "+01:00",
    "p": "+01:00",
    "T": "BST",
    "Z": "3600",
    "c": "2015-08-04T15:04:01+01:00",
    "r": "Tue, 04 Aug 2015 15:04:01 +0100",
    "U": "1438697041",
}

# 2016-01-09 09:05:07 in London: a Saturday in GMT (+00:00), single-digit day/month/hour.
WINTER = datetime(2016, 1, 9, 9, 5, 7)
WINTER_EXPECTED = {
    "d": "09",
    "D": "Sat",
    "j": "9",
    "l": "Saturday",
    "N": "6",
    "S": "th",
    "w": "6",
    "z": "8",
    "W": "01",
    "F": "January",
    "m": "01",
    "M": "Jan",
    "n": "1",
    "t": "31",
    "L": "1",
    "o": "2016",
    "X": "+2016",
    "x": "2016",
    "Y": "2016",
    "y": "16",
    "a": "am",
    "A": "AM",
    "B": "420",
    "g": "9",
    "G": "9",
    "h": "09",
    "H": "09",
    "i": "05",
    "s": "07",
    "u": "000000",
    "v": "000",
    "e": "Europe/London",
    "I": "0",
    "O": "+0000",
    "P": "+00:00",
    "p": "+00:00",  # PHP gives Z only for UTC, not for GMT
    "T": "GMT",
    "Z": "0",
    "c": "2016-01-09T09:05:07+00:00",
    "r": "Sat, 09 Jan 2016 09:05:07 +0000",
    "U": "1452330307",
}

# 2004-02-12 15:19:21.123456 UTC (the manual's example for c): an aware Thursday.
AWARE_UTC = datetime(2004, 2, 12, 15, 19, 21, 123456, tzinfo=UTC)
AWARE_UTC_EXPECTED = {
    "d": "12",
    "D": "Thu",
    "j": "12",
    "l": "Thursday",
    "N": "4",
    "S": "th",
    "w": "4",
    "z": "42",
    "W": "07",
    "F": "February",
    "m": "02",
    "M": "Feb",
    "n": "2",
    "t": "29",
    "L": "1",
    "o": "2004",
    "X": "+2004",
    "x": "2004",
    "Y": "2004",
    "y": "04",
    "a": "pm",
    "A": "PM",
    "B": "680",
    "g": "3",
    "G": "15",
    "h": "03",
    "H": "15",
    "i": "19",
    "s": "21",
    "u": "123456",
    "v": "123",
    "e": "UTC",
    "I": "0",
    "O": "+0000",
    "P": "+00:00",
    "p": "Z",
    "T": "UTC",
    "Z": "0",
    "c": "2004-02-12T15:19:21+00:00",
    "r": "Thu, 12 Feb 2004 15:19:21 +0000",
    "U": "1076599161",
}

ALL_FORMAT_CHARACTERS = "dDjlNSwzWFmMntLoXxYyaABgGhHisuveIOPpTZcrU"


def _cases(
    moment: datetime, tz: timezone | ZoneInfo, expected: dict[str, str]
) -> list[tuple[str, datetime, timezone | ZoneInfo, str]]:
    return [(char, moment, tz, output) for char, output in expected.items()]


@pytest.mark.parametrize("expected", [SUMMER_EXPECTED, WINTER_EXPECTED, AWARE_UTC_EXPECTED])
def test_every_format_character_of_php_8_is_in_each_table(expected: dict[str, str]) -> None:
    assert sorted(expected) == sorted(ALL_FORMAT_CHARACTERS)


@pytest.mark.parametrize(
    ("char", "moment", "tz", "expected"),
    _cases(SUMMER, LONDON, SUMMER_EXPECTED)
    + _cases(WINTER, LONDON, WINTER_EXPECTED)
    + _cases(AWARE_UTC, UTC, AWARE_UTC_EXPECTED),
)
def test_each_format_character_gives_the_documented_php_output(
    char: str, moment: datetime, tz: timezone | ZoneInfo, expected: str
) -> None:
    assert php_date(char, moment, tz) == expected


def test_the_whole_alphabet_in_one_format_is_the_concatenation_of_the_fields() -> None:
    expected = "".join(SUMMER_EXPECTED[char] for char in ALL_FORMAT_CHARACTERS)
    assert php_date(ALL_FORMAT_CHARACTERS, SUMMER, LONDON) == expected


def test_guide_example_date_time_override_gives_day_month_name_year_and_time() -> None:
    fmt = decode_override("d_F_Y_H:i")
    assert fmt == "d F Y H:i"
    assert reformat("2015-08-04 15:04:01", fmt, LONDON) == "04 August 2015 15:04"


def test_guide_example_date_override_formats_a_date_only_value() -> None:
    assert reformat("2015-08-04", decode_override("d_F_Y"), LONDON) == "04 August 2015"


def test_c_appends_midnight_to_a_date_only_value() -> None:
    assert reformat("2015-08-04", "c", LONDON) == "2015-08-04T00:00:00+01:00"


def test_c_on_a_date_time_value_gives_iso_8601_with_the_offset() -> None:
    assert reformat("2015-08-04 15:04:01", "c", LONDON) == "2015-08-04T15:04:01+01:00"
    assert reformat("2016-01-09 09:05:07", "c", LONDON) == "2016-01-09T09:05:07+00:00"


def test_stars_in_the_url_form_become_forward_slashes() -> None:
    assert decode_override("d*m*Y") == "d/m/Y"
    assert reformat("2015-08-04 15:04:01", decode_override("d*m*Y"), LONDON) == "04/08/2015"


def test_backslash_underscore_and_star_in_the_url_form_stay_literal() -> None:
    assert decode_override("d\\_m\\*Y") == "d_m*Y"
    assert reformat("2015-08-04", decode_override("d\\_m\\*Y"), LONDON) == "04_08*2015"


def test_other_backslash_pairs_in_the_url_form_are_kept_for_php() -> None:
    assert decode_override("\\Y_Y") == "\\Y Y"
    assert decode_override("\\\\_") == "\\\\ "
    assert decode_override("Y\\") == "Y\\"
    assert decode_override("") == ""


def test_backslash_makes_a_format_character_literal() -> None:
    assert php_date("\\Y", SUMMER, LONDON) == "Y"
    assert php_date("Y-m-d\\TH:i", SUMMER, LONDON) == "2015-08-04T15:04"
    assert php_date("l \\t\\h\\e jS", SUMMER, LONDON) == "Tuesday the 4th"


def test_a_double_backslash_gives_one_literal_backslash() -> None:
    assert php_date("\\\\Y", SUMMER, LONDON) == "\\2015"


def test_a_trailing_lone_backslash_is_output_as_is() -> None:
    assert php_date("Y\\", SUMMER, LONDON) == "2015\\"


def test_characters_that_are_not_format_characters_are_copied() -> None:
    assert php_date("Y/m/d [@] H:i!", SUMMER, LONDON) == "2015/08/04 [@] 15:04!"
    assert php_date("", SUMMER, LONDON) == ""
    assert php_date("ç €", SUMMER, LONDON) == "ç €"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "0000-00-00",
        "0000-00-00 00:00:00",
        "not a date",
        "2015-13-01",
        "2015-02-30",
        "2015-08-04 25:00:00",
        "2015-08-04T15:04:01",
        "2015-08-04 15:04",
        " 2015-08-04",
        "04/08/2015",
    ],
)
def test_empty_zero_and_unparseable_values_are_returned_unchanged(value: str) -> None:
    assert reformat(value, "c", LONDON) == value


@pytest.mark.parametrize(
    ("day", "suffix"),
    [
        (1, "st"),
        (2, "nd"),
        (3, "rd"),
        (4, "th"),
        (11, "th"),
        (12, "th"),
        (13, "th"),
        (21, "st"),
        (22, "nd"),
        (23, "rd"),
        (30, "th"),
        (31, "st"),
    ],
)
def test_s_gives_the_english_ordinal_suffix(day: int, suffix: str) -> None:
    assert php_date("jS", datetime(2015, 1, day), LONDON) == f"{day}{suffix}"


@pytest.mark.parametrize(
    ("year", "leap"), [(2015, "0"), (2016, "1"), (1900, "0"), (2000, "1"), (2100, "0")]
)
def test_l_is_1_in_a_leap_year_only(year: int, leap: str) -> None:
    assert php_date("L", datetime(year, 6, 1), LONDON) == leap


def test_t_gives_29_days_for_february_2016_and_28_for_2015() -> None:
    assert reformat("2016-02-10", "t", LONDON) == "29"
    assert reformat("2015-02-10", "t", LONDON) == "28"
    assert reformat("2015-04-10", "t", LONDON) == "30"


def test_iso_week_and_year_at_a_year_boundary() -> None:
    # 2016-01-01 is a Friday: it belongs to ISO week 53 of 2015.
    assert reformat("2016-01-01", "o-\\WW-N Y z", LONDON) == "2015-W53-5 2016 0"
    # 2014-12-29 is a Monday: the first day of ISO week 1 of 2015.
    assert reformat("2014-12-29", "o-\\WW-N Y z", LONDON) == "2015-W01-1 2014 362"


def test_z_is_365_on_the_last_day_of_a_leap_year() -> None:
    assert reformat("2016-12-31", "z", LONDON) == "365"


def test_twelve_hour_clock_at_midnight_and_noon() -> None:
    assert reformat("2015-08-04 00:30:00", "g h a A G H", LONDON) == "12 12 am AM 0 00"
    assert reformat("2015-08-04 12:30:00", "g h a A G H", LONDON) == "12 12 pm PM 12 12"


def test_u_and_v_give_micro_and_milliseconds() -> None:
    moment = datetime(2015, 8, 4, 15, 4, 1, 7008)
    assert php_date("s.u s.v", moment, LONDON) == "01.007008 01.007"


def test_swatch_beat_wraps_around_midnight_in_biel() -> None:
    # 23:30 UTC is 00:30 in Biel Mean Time: 1800 s / 86.4 s = 20.8 beats.
    assert php_date("B", datetime(2015, 8, 4, 23, 30, tzinfo=UTC), UTC) == "020"
    assert php_date("B", datetime(1969, 12, 31, 23, 30, tzinfo=UTC), UTC) == "020"
    assert php_date("B", datetime(2015, 8, 4, 22, 59, 59, tzinfo=UTC), UTC) == "999"


def test_u_is_negative_before_the_epoch() -> None:
    assert php_date("U", datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC), UTC) == "-1"
    assert php_date("U", datetime(1970, 1, 1, 1, 0, 0), LONDON) == "0"  # BST all 1970


def test_an_aware_moment_is_shown_in_the_given_zone() -> None:
    moment = datetime(2015, 8, 4, 14, 4, 1, tzinfo=UTC)
    assert php_date("H:i T U", moment, LONDON) == "15:04 BST 1438697041"


def test_a_fixed_offset_zone_prints_the_offset_for_e_and_t() -> None:
    tz = timezone(timedelta(hours=1))
    assert php_date("e|T|O|P|p|Z|I", SUMMER, tz) == "+01:00|+01:00|+0100|+01:00|+01:00|3600|0"


def test_a_negative_half_hour_offset_is_signed_in_o_p_and_z() -> None:
    tz = timezone(-timedelta(hours=3, minutes=30))
    assert php_date("O P Z", SUMMER, tz) == "-0330 -03:30 -12600"


def test_a_zone_with_a_numeric_tzdata_abbreviation_prints_it_for_t() -> None:
    # tzdata (and so PHP) has no letters for Sao Paulo: its abbreviation is "-03".
    tz = ZoneInfo("America/Sao_Paulo")
    assert php_date("e T P", datetime(2020, 6, 1, 12), tz) == "America/Sao_Paulo -03 -03:00"


def test_a_time_in_the_spring_forward_gap_moves_forward_as_in_php() -> None:
    assert reformat("2015-03-29 01:30:00", "H:i T", LONDON) == "02:30 BST"


def test_a_repeated_time_in_london_is_the_later_occurrence_as_in_php() -> None:
    # Checked with PHP 8.2.32 rather than worked out by hand: in London PHP takes the
    # GMT occurrence (php_dates/table.json has more, in other zones too).
    assert reformat("2015-10-25 01:30:00", "H:i T U", LONDON) == "01:30 GMT 1445736600"


def test_dates_at_the_limits_of_python_datetime_do_not_raise() -> None:
    assert reformat("0001-01-01", "Y-m-d o W X x", LONDON) == "0001-01-01 1 01 +0001 0001"
    assert reformat("9999-12-31 23:59:59", "Y-m-d H:i:s", timezone(-timedelta(hours=5))) == (
        "9999-12-31 23:59:59"
    )


@given(value=st.text(), fmt=st.text())
def test_reformat_never_raises_for_arbitrary_text(value: str, fmt: str) -> None:
    assert isinstance(reformat(value, fmt, LONDON), str)


ZONES = [LONDON, UTC, ZoneInfo("America/New_York"), timezone(timedelta(hours=14))]


@given(
    day=st.dates(min_value=date(1, 1, 1)),
    seconds=st.integers(min_value=0, max_value=86399),
    with_time=st.booleans(),
    fmt=st.text(alphabet=ALL_FORMAT_CHARACTERS + "\\_*- :/", max_size=30),
    tz=st.sampled_from(ZONES),
)
def test_reformat_never_raises_for_any_stored_value_and_format(
    day: date, seconds: int, with_time: bool, fmt: str, tz: timezone | ZoneInfo
) -> None:
    clock = f" {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    value = day.isoformat() + (clock if with_time else "")
    assert isinstance(reformat(value, decode_override(fmt), tz), str)


@given(st.text(alphabet=st.characters(exclude_characters="\\_*")))
def test_decode_override_leaves_text_without_escapes_unchanged(raw: str) -> None:
    assert decode_override(raw) == raw
