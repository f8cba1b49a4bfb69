"""PHP ``date()`` formatting for OpenCRM's ``dateTimeOverride`` and ``dateOverride`` options.

OpenCRM lets a caller reformat the dates in a response by adding, for example,
``dateTimeOverride/d_F_Y_H:i/dateOverride/d_F_Y`` to the URL.  The format is a PHP
``date()`` format string written in a URL-safe form.  This module is pure (no I/O and no
state beyond a bounded ``lru_cache`` of compiled formats) and offers these functions:

* :func:`decode_override` turns the URL form into a PHP format string.
* :func:`php_date` formats a :class:`~datetime.datetime` like PHP 8's ``date()``.
* :func:`reformat` reformats one stored value (``YYYY-MM-DD HH:MM:SS`` or ``YYYY-MM-DD``),
  returning anything it cannot parse unchanged.

A stored value is a wall-clock time in the CRM's zone, which PHP reads with ``strtotime()``
before formatting it.  Around a change of the clocks that reading is timelib's, not
Python's ``fold``: a time in the skipped hour moves forward, and a time in the repeated hour
is the later occurrence in zones such as Europe/London but the earlier one in zones such as
America/New_York (see ``_read_wall_time``; tests/unit/php_dates/ holds a table made with PHP).

Escape rules
------------
URL form (:func:`decode_override`):

* ``_`` becomes a space and ``*`` becomes ``/``;
* ``\\_`` and ``\\*`` stand for a literal ``_`` and ``*`` (the backslash is dropped);
* any other backslash pair (``\\Y``, ``\\\\``) is kept as it is, so it still reaches
  :func:`php_date` as a PHP escape; a trailing lone backslash is kept too.

PHP format (:func:`php_date`), as PHP's ``date()``:

* each of ``dDjlNSwzWFmMntLoXxYyaABgGhHisuveIOPpTZcrU`` is replaced by a field of the date;
* a backslash makes the next character literal (``\\Y`` gives ``Y``, ``\\\\`` gives ``\\``);
  a trailing lone backslash is output as a backslash;
* every other character is copied.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

_Part = Callable[[datetime], str]

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}
_URL_CHARS = {"_": " ", "*": "/"}
_UTC_ABBREVIATIONS = frozenset({"UTC", "Z"})
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_SECOND = timedelta(seconds=1)
_NO_OFFSET = timedelta(0)
_STORED_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2})?", re.ASCII)
_UNSET_VALUES = frozenset({"", "0000-00-00", "0000-00-00 00:00:00"})


def decode_override(raw: str) -> str:
    """Turn the URL form of an override into a PHP format string.

    ``_`` becomes a space and ``*`` becomes ``/``.  ``\\_`` and ``\\*`` give a literal
    ``_`` and ``*``.  Any other backslash pair, and a trailing lone backslash, is kept
    unchanged so that PHP's own escapes (``\\Y``) still work.
    """
    out: list[str] = []
    chars = iter(raw)
    for char in chars:
        if char == "\\":
            escaped = next(chars, "")
            out.append(escaped if escaped in _URL_CHARS else char + escaped)
        else:
            out.append(_URL_CHARS.get(char, char))
    return "".join(out)


def php_date(fmt: str, moment: datetime, tz: tzinfo) -> str:
    """Format ``moment`` as PHP 8's ``date(fmt)`` does with ``tz`` as the default zone.

    A naive ``moment`` is a wall-clock time in ``tz`` read as PHP's ``strtotime()`` reads
    it (see :func:`_read_wall_time`): a time in the hour skipped in spring moves forward
    (01:30 on 2026-03-29 in London is 02:30 BST), and a time in the hour repeated in
    autumn is the later occurrence in London (01:30 on 2026-10-25 is GMT) but the
    earlier one in New York (01:30 on 2026-11-01 is EDT).  An aware ``moment`` is an
    instant shown in ``tz``, like ``date(fmt, $timestamp)``.
    """
    local = _localise(moment, tz)
    return "".join([part if isinstance(part, str) else part(local) for part in _compile(fmt)])


def reformat(value: str, fmt: str, tz: tzinfo) -> str:
    """Reformat one stored date (``YYYY-MM-DD``) or date-time (``YYYY-MM-DD HH:MM:SS``).

    A date is taken as midnight in ``tz``.  Empty and zero values (``0000-00-00``,
    ``0000-00-00 00:00:00``) and anything unparseable are returned unchanged; this never
    raises for any ``value`` or ``fmt``.
    """
    if value in _UNSET_VALUES or _STORED_VALUE.fullmatch(value) is None:
        return value
    try:
        return php_date(fmt, datetime.fromisoformat(value), tz)
    except (ValueError, OverflowError):
        return value


def _localise(moment: datetime, tz: tzinfo) -> datetime:
    """``moment`` as an aware datetime in ``tz``, normalised through UTC as PHP does."""
    # combine() is several times faster than replace(), and fromutc() than astimezone()
    digits = datetime.combine(moment.date(), moment.time(), tz)
    try:
        return _read_wall_time(digits, tz) if moment.tzinfo is None else moment.astimezone(tz)
    except OverflowError:  # within a day of datetime.min/max: keep the wall-clock time
        return digits if moment.tzinfo is None else moment


def _read_wall_time(digits: datetime, tz: tzinfo) -> datetime:
    """The wall-clock time with these ``digits`` in ``tz``, read as PHP reads it.

    PHP (timelib) guesses the offset in force at the instant with the same digits in
    UTC, then takes the offset in force at the instant that guess gives, unless that
    offset is larger and does not hold at the instant it gives (the time is in a skipped
    hour): then it keeps the guess.  So a skipped time moves forward, and a repeated time
    is the later occurrence if the clocks go back at or before its digits in UTC (London,
    at 01:00 UTC) and the earlier one if they go back after (New York, at 06:00 UTC).

    ``digits`` has ``tz`` as its ``tzinfo``: ``tz.fromutc(digits - offset)`` is the instant
    ``digits - offset`` in UTC, shown in ``tz``.
    """
    guess = _utc_offset(tz.fromutc(digits))
    local = tz.fromutc(digits - guess)
    after = _utc_offset(local)
    if after == guess or (after > guess and _utc_offset(tz.fromutc(digits - after)) != after):
        return local
    return tz.fromutc(digits - after)


def _utc_offset(local: datetime) -> timedelta:
    return local.utcoffset() or _NO_OFFSET


@lru_cache(maxsize=512)
def _compile(fmt: str) -> tuple[_Part | str, ...]:
    """Split a PHP format into field functions and (merged) literal text.

    Bounded in bytes as well as entries: a format from a request is at most
    ``max_override_chars`` long (1,000 at most), so 512 entries hold a few MB at worst."""
    parts: list[_Part | str] = []
    literal: list[str] = []
    chars = iter(fmt)
    for char in chars:
        field = _FIELDS.get(char)
        if field is None:
            literal.append(next(chars, "\\") if char == "\\" else char)
            continue
        if literal:
            parts.append("".join(literal))
            literal.clear()
        parts.append(field)
    if literal:
        parts.append("".join(literal))
    return tuple(parts)


def _offset_seconds(local: datetime) -> int:
    offset = local.utcoffset()
    return 0 if offset is None else int(offset.total_seconds())


def _offset(local: datetime, separator: str) -> str:
    """``+01:00`` (``separator=":"``) or ``+0100``, truncating seconds as PHP does."""
    seconds = _offset_seconds(local)
    hours, rest = divmod(abs(seconds), 3600)
    return f"{'-' if seconds < 0 else '+'}{hours:02d}{separator}{rest // 60:02d}"


def _abbreviation(local: datetime) -> str:
    """``T``: the zone abbreviation (BST, GMT, UTC), or ``+01:00`` for a bare offset."""
    name = local.tzname()
    if not name or (isinstance(local.tzinfo, timezone) and name.startswith(("UTC+", "UTC-"))):
        return _offset(local, ":")
    return name


def _zone_name(local: datetime) -> str:
    """``e``: the zone identifier (Europe/London), else as ``T``."""
    key = getattr(local.tzinfo, "key", None)
    return key if isinstance(key, str) else _abbreviation(local)


def _zulu_offset(local: datetime) -> str:
    """``p``: ``Z`` for UTC (not for GMT, as PHP), else ``+01:00``."""
    return "Z" if _abbreviation(local) in _UTC_ABBREVIATIONS else _offset(local, ":")


def _epoch_seconds(local: datetime) -> int:
    return (local - _EPOCH) // _ONE_SECOND


def _swatch_beat(local: datetime) -> str:
    """``B``: Swatch Internet time, thousandths of a day in Biel Mean Time (UTC+1)."""
    return f"{((_epoch_seconds(local) % 86400 + 3600) * 10 // 864) % 1000:03d}"


def _ordinal_suffix(day: int) -> str:
    return "th" if 10 <= day <= 19 else _SUFFIXES.get(day % 10, "th")


def _iso8601(local: datetime) -> str:
    return (
        f"{local.year:04d}-{local.month:02d}-{local.day:02d}"
        f"T{local.hour:02d}:{local.minute:02d}:{local.second:02d}{_offset(local, ':')}"
    )


def _rfc2822(local: datetime) -> str:
    day, month = _DAY_NAMES[local.weekday()][:3], _MONTH_NAMES[local.month - 1][:3]
    return (
        f"{day}, {local.day:02d} {month} {local.year:04d} "
        f"{local.hour:02d}:{local.minute:02d}:{local.second:02d} {_offset(local, '')}"
    )


_FIELDS: dict[str, _Part] = {
    # day
    "d": lambda t: f"{t.day:02d}",
    "D": lambda t: _DAY_NAMES[t.weekday()][:3],
    "j": lambda t: str(t.day),
    "l": lambda t: _DAY_NAMES[t.weekday()],
    "N": lambda t: str(t.isoweekday()),
    "S": lambda t: _ordinal_suffix(t.day),
    "w": lambda t: str(t.isoweekday() % 7),
    "z": lambda t: str(t.toordinal() - date(t.year, 1, 1).toordinal()),
    # week
    "W": lambda t: f"{t.isocalendar()[1]:02d}",
    # month
    "F": lambda t: _MONTH_NAMES[t.month - 1],
    "m": lambda t: f"{t.month:02d}",
    "M": lambda t: _MONTH_NAMES[t.month - 1][:3],
    "n": lambda t: str(t.month),
    "t": lambda t: str(calendar.monthrange(t.year, t.month)[1]),
    # year
    "L": lambda t: "1" if calendar.isleap(t.year) else "0",
    "o": lambda t: str(t.isocalendar()[0]),
    "X": lambda t: f"+{t.year:04d}",
    "x": lambda t: f"{'+' if t.year >= 10000 else ''}{t.year:04d}",
    "Y": lambda t: f"{t.year:04d}",
    "y": lambda t: f"{t.year % 100:02d}",
    # time
    "a": lambda t: "pm" if t.hour >= 12 else "am",
    "A": lambda t: "PM" if t.hour >= 12 else "AM",
    "B": _swatch_beat,
    "g": lambda t: str(t.hour % 12 or 12),
    "G": lambda t: str(t.hour),
    "h": lambda t: f"{t.hour % 12 or 12:02d}",
    "H": lambda t: f"{t.hour:02d}",
    "i": lambda t: f"{t.minute:02d}",
    "s": lambda t: f"{t.second:02d}",
    "u": lambda t: f"{t.microsecond:06d}",
    "v": lambda t: f"{t.microsecond // 1000:03d}",
    # timezone
    "e": _zone_name,
    "I": lambda t: "1" if t.dst() else "0",
    "O": lambda t: _offset(t, ""),
    "P": lambda t: _offset(t, ":"),
    "p": _zulu_offset,
    "T": _abbreviation,
    "Z": lambda t: str(_offset_seconds(t)),
    # full date/time
    "c": _iso8601,
    "r": _rfc2822,
    "U": lambda t: str(_epoch_seconds(t)),
}
