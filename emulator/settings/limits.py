"""The limits on what one request may take: its head, its time, its query, its overrides,
and what the journal keeps of it (issue 12, "Bounded and responsive under hostile input").
Declared as every setting is (:func:`~emulator.settings.declarations.setting`), in a base
of :class:`~emulator.settings.Settings`, under the heading "limits".

Each refusal is the API's kind of error (``{"error": ...}``); the README lists the messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from emulator.settings.declarations import setting

LIMITS = "limits"


@dataclass(frozen=True)
class Limits:
    journal_bytes: int = setting(
        32 * 1024 * 1024,
        "About how much memory the journal may take, in bytes: the oldest entries go first,"
        " and one entry takes at most 1/64 of it (its later values are cut).",
        LIMITS, at_least=0,
    )  # fmt: skip
    journal_value_chars: int = setting(
        8192,
        "A journaled text (a parameter, an answer's value, a warning) longer than this is cut"
        " to this many characters, with a marker giving its length.",
        LIMITS, more_than=0,
    )  # fmt: skip
    max_header_bytes: int = setting(
        64 * 1024, "The largest request head (request line and headers) accepted, in bytes.",
        LIMITS, more_than=0,
    )  # fmt: skip
    max_headers: int = setting(100, "The most request headers accepted.", LIMITS, more_than=0)
    request_timeout: float = setting(
        10.0,
        "Seconds a connection has to send a whole request (head and body); a slow or stalled"
        " client is then answered 408 and closed.",
        LIMITS, more_than=0, at_most=3600,
    )  # fmt: skip
    api_time_limit: float = setting(
        30.0,
        "Seconds an API call may spend in the database; a longer one is stopped, writes"
        " nothing and answers an error.",
        LIMITS, more_than=0, at_most=3600,
    )  # fmt: skip
    # The highest values these limits allow keep every list statement within SQLite's own
    # limits: a LIKE pattern of 50,000 bytes (12,000 characters of 4 UTF-8 bytes, escapes
    # included) and expressions nested 1,000 deep (400 conditions and 400 keywords).
    max_query_chars: int = setting(
        10_000, "The longest query_string, and the longest keywords, accepted, in characters.",
        LIMITS, more_than=0, at_most=12_000,
    )  # fmt: skip
    max_conditions: int = setting(
        100, "The most query_string conditions one call may send.", LIMITS, more_than=0, at_most=400
    )
    max_keywords: int = setting(
        100, "The most words keywords may hold.", LIMITS, more_than=0, at_most=400
    )
    # At most 1,000: php_format's cache of 512 compiled formats stays within a few MB.
    max_override_chars: int = setting(
        100,
        "The longest dateTimeOverride or dateOverride accepted, and the longest text one may"
        " make of one value, in characters.",
        LIMITS, more_than=0, at_most=1000,
    )  # fmt: skip
