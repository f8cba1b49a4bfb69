"""Values the real API stores although they are wrong for their field: text in a number or
currency field, a date not ``Y-m-d``, a checkbox not ``0``/``1``, a picklist value not in the
list, an id that points to no record. The real API checks none of them (guide, "Data
Validity / Integrity": "data validation (e.g. checking a number is entered into a number
field ...) is not supported"); an empty value (blanking a field) is never a finding."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from emulator.domain.modules import Field, FieldType, Module
from emulator.wire.strict import Finding, quoted

DECIMAL = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*")
WHOLE = re.compile(r"\s*[+-]?[0-9]+\s*")
#: Each date and time type: its PHP format, an example, and how Python reads it.
FORMATS = {
    FieldType.DATE: ("Y-m-d", "2026-03-31", re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), "%Y-%m-%d"),
    FieldType.DATETIME: (
        "Y-m-d H:i:s",
        "2026-03-31 14:05:00",
        re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}"),
        "%Y-%m-%d %H:%M:%S",
    ),
    FieldType.TIME: ("H:i", "14:05", re.compile(r"[0-9]{2}:[0-9]{2}(?::[0-9]{2})?"), ""),
}
NUMBER_WORDS = {
    FieldType.INTEGER: "number",
    FieldType.DECIMAL: "decimal",
    FieldType.CURRENCY: "currency",
}
UNCHECKED = "the real API stores it without a check"
#: Picklist values a message lists, at most.
LISTED = 8


@dataclass(frozen=True)
class Lookups:
    """What the id check asks the backend: the module noun of a live record (None: there is
    none), and whether a user id exists."""

    record_noun: Callable[[int], str | None]
    user_exists: Callable[[int], bool]


def value_findings(
    module: Module, values: dict[Field, tuple[str, str]], look: Lookups
) -> Iterator[Finding]:
    """The findings of the values an edit stores: ``values`` maps each field to the
    parameter name sent and its value."""
    for f, (name, value) in values.items():
        if value.strip() == "":
            continue
        found = check(f, name, value, look)
        if found is not None:
            yield found


def check(f: Field, name: str, value: str, look: Lookups) -> Finding | None:
    if f.type in NUMBER_WORDS:
        return number(f, name, value)
    if f.type in FORMATS:
        return moment(f, name, value)
    if f.type is FieldType.BOOLEAN and value.strip() not in ("0", "1"):
        return Finding(
            "bad-checkbox",
            name,
            f"{name} is a checkbox and takes 0 or 1, not {quoted(value)}: {UNCHECKED}",
        )
    if f.type is FieldType.PICKLIST and f.picklist and value not in f.picklist:
        return picklist(f, name, value)
    if f.type is FieldType.REF:
        return reference(f, name, value, look)
    return None


def number(f: Field, name: str, value: str) -> Finding | None:
    whole = f.type is FieldType.INTEGER
    if (WHOLE if whole else DECIMAL).fullmatch(value):
        return None
    what = "a whole number" if whole else "a number"
    return Finding(
        "not-a-number",
        name,
        f"{name} is a {NUMBER_WORDS[f.type]} field, but {quoted(value)} is not {what}:"
        f" {UNCHECKED}, and it will not compare or add up as a number",
    )


def moment(f: Field, name: str, value: str) -> Finding | None:
    php, example, shape, python = FORMATS[f.type]
    if shape.fullmatch(value) and valid(value, python):
        return None
    kind = {FieldType.DATE: "date", FieldType.DATETIME: "date-time"}.get(f.type, "time")
    return Finding(
        "bad-date",
        name,
        f"{name} is a {kind} field and takes {php} (e.g. {example}), not {quoted(value)}:"
        f" {UNCHECKED}, and it will not compare as a {kind} in query_string",
    )


def valid(value: str, python: str) -> bool:
    if not python:  # a time: H:i or H:i:s
        parts = [int(p) for p in value.split(":")]
        return parts[0] < 24 and all(p < 60 for p in parts[1:])
    try:
        datetime.strptime(value, python)  # a wall-clock value, only checked
    except ValueError:
        return False
    return True


def picklist(f: Field, name: str, value: str) -> Finding:
    listed = ", ".join(f.picklist[:LISTED]) + (", ..." if len(f.picklist) > LISTED else "")
    same = [p for p in f.picklist if p.lower() == value.strip().lower()]
    hint = f" (did you mean '{same[0]}'?)" if same else ""
    return Finding(
        "bad-picklist",
        name,
        f"{quoted(value)} is not one of {name}'s picklist values ({listed}): {UNCHECKED},"
        f" and the web application's list will not offer it{hint}",
    )


def reference(f: Field, name: str, value: str, look: Lookups) -> Finding | None:
    text = value.strip()
    if text == "0":  # vtiger's "no record"
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        return Finding(
            "no-such-record",
            name,
            f"{name} takes a record id, and {quoted(value)} is not one: {UNCHECKED},"
            " leaving a link to nothing",
        )
    crmid = int(text)
    if f.ref == "user":
        if look.user_exists(crmid):
            return None
        what = "user"
    else:
        noun = look.record_noun(crmid)
        if noun is not None and f.ref in ("*", noun):
            return None
        what = "record" if f.ref == "*" else f"{f.ref} record"
    return Finding(
        "no-such-record",
        name,
        f"{name} = {crmid} points to no live {what}: {UNCHECKED}, leaving a link to nothing",
    )
