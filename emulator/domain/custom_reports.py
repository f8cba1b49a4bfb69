"""Custom reports (``isCustomReport=true``): the checks on their SQL, and their rows.

A custom report is SQL a customer had OpenCRM write for them (guide, "Reporting Functions":
"a custom sql report built for you by OpenCRM"). The emulator runs it read-only: here the
text must be exactly one statement starting with SELECT or WITH; then ``store/relations.py``
runs it under a SQLite authorizer that allows only reading (no write, PRAGMA, ATTACH or
``load_extension``), with ``PRAGMA query_only`` on, a time budget, a length limit on every
value, a byte budget for its rows and the list row cap. The
statement check gives a clear message; the authorizer is what makes writing impossible.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from emulator.domain.reports import CustomReport
from emulator.errors import ReportError

FIRST_WORD = re.compile(r"[A-Za-z]+")
#: The largest value (text or blob) a custom report may make, and the most bytes its rows
#: may hold in all: one function call (``randomblob(300000000)``) took 13 s and 570 MB.
MAX_VALUE_BYTES = 16 * 1024 * 1024
MAX_RESULT_BYTES = 64 * 1024 * 1024
QUOTES = {"'": "'", '"': '"', "`": "`", "[": "]"}


def statements(sql: str) -> list[str]:
    """``sql`` split at the semicolons outside quotes and comments, comments blanked out."""
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(sql):
        piece, i = next_piece(sql, i)
        if piece == ";":
            parts.append("".join(current))
            current = []
        else:
            current.append(piece)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def next_piece(sql: str, i: int) -> tuple[str, int]:
    """The piece of ``sql`` at ``i`` (a quoted name or string whole, a comment as one space,
    else one character) and where the next piece starts."""
    ch = sql[i]
    if ch in QUOTES:
        end = sql.find(QUOTES[ch], i + 1)
        end = len(sql) - 1 if end < 0 else end
        return sql[i : end + 1], end + 1
    if sql.startswith(("--", "/*"), i):
        closer = "\n" if ch == "-" else "*/"
        end = sql.find(closer, i + 2)
        return " ", len(sql) if end < 0 else end + len(closer)
    return ch, i + 1


def checked_sql(report: CustomReport) -> str:
    """The one SELECT (or WITH ... SELECT) statement a custom report may run."""
    found = statements(report.sql)
    if len(found) != 1:
        raise ReportError(
            f"Custom report {report.id} refused: it must be exactly one SQL statement, "
            f"not {len(found)}"
        )
    first = FIRST_WORD.match(found[0])
    if first is None or first.group().upper() not in ("SELECT", "WITH"):
        raise ReportError(
            f"Custom report {report.id} refused: custom reports are read-only, "
            "so the statement must be a SELECT (or WITH ... SELECT)"
        )
    return found[0]


def custom_row(names: Sequence[str], values: Sequence[object]) -> dict[str, Any]:
    """A custom report row: values as strings; a ``crmid`` column becomes ``id``/``crmid``."""
    row = {name: wire_text(value) for name, value in zip(names, values, strict=True)}
    for name, value in zip(names, values, strict=True):
        if name.lower() == "crmid" and isinstance(value, int):
            del row[name]
            return {"id": value, "crmid": value, **row}
    return row


def wire_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def failure_message(report: CustomReport, error: str, seconds: float) -> str:
    """What to answer when SQLite refuses or stops a custom report."""
    if "not authorized" in error or "readonly" in error:
        return (
            f"Custom report {report.id} refused: custom reports may only read the store's "
            f"tables ({error})"
        )
    if "interrupted" in error:
        return f"Custom report {report.id} stopped: it ran for more than {seconds:g} seconds"
    if "too big" in error:
        return f"Custom report {report.id} stopped: a value larger than {MAX_VALUE_BYTES} bytes"
    if error == "result too large":
        return (
            f"Custom report {report.id} stopped: its rows are larger than {MAX_RESULT_BYTES} bytes"
        )
    return f"Custom report {report.id} failed: {error}"
