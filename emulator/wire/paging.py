"""``limit_start`` / ``limit_end``: which slice of a list is returned.

The guide: "limit_start: Start results returned after this number of records. limit_end:
End results returned after this number of records", and "the record limit is currently set
at 50000 records". Its words read as an end index (``limit_start=10&limit_end=20`` gives
records 11-20); the SQL behind it may read it as a count. Clients seen use the end-index
reading, so it is the default, and the ``limit_end_mode`` setting offers ``count``
(observed-behaviour.md "Paging").

The cap (``list_cap``, the guide's 50,000) applies when no ``limit_end`` is sent: "If you need
more records the set the limit_start to 0 and limit_end value to a reasonable amount above the
number of records" (guide, "Optional parameters"), so an explicit ``limit_end`` goes past it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulator.errors import RequestError
from emulator.settings import Settings


def window(params: Mapping[str, Any], settings: Settings) -> tuple[int, int]:
    """(offset, number of records) for a list call."""
    start = number(params, "limit_start")
    end = number(params, "limit_end")
    if end is None:
        return start or 0, settings.list_cap
    if settings.limit_end_mode == "end":
        return start or 0, max(end - (start or 0), 0)
    return start or 0, end


def number(params: Mapping[str, Any], name: str) -> int | None:
    value = params.get(name)
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    text = value.strip() if isinstance(value, str) else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise RequestError(f"Invalid {name}: must be a whole number of 0 or more")
    return int(text)
