"""Output options every end point accepts (guide, "Optional parameters available to all
functions"): ``dateTimeOverride``, ``dateOverride`` and ``change_assignedidtouser``.

Dates are reformatted with PHP's ``date()`` alphabet (``emulator.wire.php_format``); the URL form
replaces spaces with ``_`` and slashes with ``*``. ``c`` on a date gives midnight, as the
guide says ("dates without the time will have 00:00:00 time appended").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from emulator.domain.modules import Field, FieldType, Module
from emulator.domain.reports import StandardReport
from emulator.errors import RequestError
from emulator.wire.php_format import decode_override, reformat
from emulator.wire.php_widths import longest_output

Row = dict[str, Any]
STORED_DATE = "Y-m-d"
STORED_DATETIME = "Y-m-d H:i:s"


@dataclass(frozen=True)
class OutputOptions:
    date_format: str = STORED_DATE
    datetime_format: str = STORED_DATETIME
    user_fields: tuple[str, ...] = ()

    @property
    def plain(self) -> bool:
        return (
            self.date_format == STORED_DATE
            and self.datetime_format == STORED_DATETIME
            and not self.user_fields
        )


PLAIN = OutputOptions()
STORED = (STORED_DATE, STORED_DATETIME)
OPTION_NAMES = frozenset({"dateOverride", "dateTimeOverride", "change_assignedidtouser"})


def plain(params: Mapping[str, Any], date_default: str, datetime_default: str) -> bool:
    """Whether the output options are :data:`PLAIN`: none sent, the stored formats set."""
    return OPTION_NAMES.isdisjoint(params) and (date_default, datetime_default) == STORED


def options_from(
    params: Mapping[str, Any], date_default: str, datetime_default: str, most_chars: int = 100
) -> OutputOptions:
    """The output options sent, each override at most ``most_chars`` long and making at most
    that many characters of one value (setting ``max_override_chars``): a 50 KB format made
    a 34 MB answer of 11 contacts."""
    if plain(params, date_default, datetime_default):
        return PLAIN  # the common case: no option sent, the stored formats
    users = params.get("change_assignedidtouser")
    return OutputOptions(
        date_format=override(params, "dateOverride", most_chars) or date_default,
        datetime_format=override(params, "dateTimeOverride", most_chars) or datetime_default,
        user_fields=tuple(n.strip() for n in users.split(",") if n.strip())
        if isinstance(users, str)
        else (),
    )


def override(params: Mapping[str, Any], name: str, most_chars: int) -> str:
    """The PHP format an override sends ("" when none is), within its bounds."""
    raw = params.get(name)
    if not isinstance(raw, str) or not raw:
        return ""
    if len(raw) > most_chars:
        raise RequestError(f"Invalid {name}: longer than {most_chars} characters")
    fmt = decode_override(raw)
    longest = longest_output(fmt)
    if longest > most_chars:
        raise RequestError(
            f"Invalid {name}: makes up to {longest} characters of one value, more than {most_chars}"
        )
    return fmt


def presenter(
    module: Module, options: OutputOptions, usernames: Callable[[], Mapping[int, str]], tz: ZoneInfo
) -> Callable[[Row], Row] | None:
    """A function that applies the options to one row, or None when there is nothing to do."""
    if options.plain:
        return None
    changes: list[tuple[str, Callable[[str], str]]] = []
    for f in module.fields:
        if f.type is FieldType.DATE and options.date_format != STORED_DATE:
            changes.append((f.name, date_changer(options.date_format, tz)))
        elif f.type is FieldType.DATETIME and options.datetime_format != STORED_DATETIME:
            changes.append((f.name, date_changer(options.datetime_format, tz)))
    for f in user_fields(module, options.user_fields):
        changes.append((f.name, user_changer(usernames())))
    return applying(changes) if changes else None


def report_presenter(
    report: StandardReport,
    options: OutputOptions,
    usernames: Callable[[], Mapping[int, str]],
    tz: ZoneInfo,
) -> Callable[[Row], Row] | None:
    """The options for report rows; the user fields may be named by API name or by row key
    (the guide's example: ``Project_Developer``)."""
    if options.plain:
        return None
    wanted = {n.lower() for n in options.user_fields}
    formats = {
        FieldType.DATE: (options.date_format, STORED_DATE),
        FieldType.DATETIME: (options.datetime_format, STORED_DATETIME),
    }
    changes: list[tuple[str, Callable[[str], str]]] = []
    for c in report.columns:
        fmt, stored = formats.get(c.field.type, ("", ""))
        if fmt != stored:
            changes.append((c.key, date_changer(fmt, tz)))
        elif c.field.ref == "user" and wanted & {c.key.lower(), c.field.name.lower()}:
            changes.append((c.key, user_changer(usernames())))
    return applying(changes) if changes else None


def applying(changes: list[tuple[str, Callable[[str], str]]]) -> Callable[[Row], Row]:
    """A function that applies each change to its value in a row (set values only)."""

    def present(row: Row) -> Row:
        for key, change in changes:
            value = row.get(key)
            if isinstance(value, str) and value:
                row[key] = change(value)
        return row

    return present


def user_fields(module: Module, names: Sequence[str]) -> list[Field]:
    """The user fields named: by API name, alias, or label with ``_`` for spaces, any case.
    Labels because the guide's own example names fields so: ``Project_Developer,Assigned_to``."""
    users = [f for f in module.fields if f.type is FieldType.REF and f.ref == "user"]
    by_label = {f.label.lower(): f for f in users if f.label}
    found = {module.edit_field(n) or by_label.get(n.replace("_", " ").lower()) for n in names}
    return [f for f in users if f in found]


def date_changer(fmt: str, tz: ZoneInfo) -> Callable[[str], str]:
    return lambda value: reformat(value, fmt, tz)


def user_changer(names: Mapping[int, str]) -> Callable[[str], str]:
    def change(value: str) -> str:
        return names.get(int(value), value) if value.isascii() and value.isdigit() else value

    return change
