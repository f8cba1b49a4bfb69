"""Parsing of the ``query_string`` parameter of OpenCRM's list end points.

A query_string is one or more conditions ``FIELDNAME|OPERATOR|FIELDVALUE`` joined with ``;``;
the conditions are ANDed. This module is pure: it turns the text into :class:`Condition` objects
and builds SQL LIKE patterns, but never touches the database and never resolves field names
against a module (the caller does that with the registry, so the field is kept as written).

Operators (matched case-insensitively, surrounding whitespace ignored, inner whitespace of
``NOT LIKE`` may be any run of whitespace):

    =  LIKE  BEGINS  ENDS  CONTAINS  >  <  >=  <=

The negative operators ``!=``, ``<>``, ``NE`` and ``NOT LIKE`` are silently treated as ``=``, as
the live API does; :attr:`Condition.negation_ignored` tells the caller so it can log a warning.

Splitting rule (values may contain ``|``, ``;`` and spaces):

* A condition is split on its first two ``|``: everything after the second ``|`` is the value,
  so a value may contain ``|``.
* A ``;`` separates conditions only where the text after it starts a new well-formed
  condition, i.e. matches ``\\s*[A-Za-z_][A-Za-z0-9_.]*\\s*\\|\\s*<known operator>\\s*\\|``;
  any other ``;`` belongs to the value. So ``lastname|=|Smith;Jones`` is one condition with
  value ``Smith;Jones``, while ``lastname|=|Smith;firstname|=|Bob`` is two. (Consequently a
  ``;`` followed by a condition with an unknown operator, or a field name outside that
  pattern, is part of the previous value.)
* The field name and the operator are stripped of surrounding whitespace; the value is kept
  verbatim (spaces included), except that a single trailing ``;`` at the very end of the whole
  string (clients often add one) is dropped.

An empty or whitespace-only query_string gives no conditions. Anything else that is not a
sequence of conditions raises :class:`QueryStringError`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["ESCAPE_CHAR", "Condition", "Op", "QueryStringError", "like_pattern", "parse"]


class Op(StrEnum):
    """A supported query_string operator; the value is its canonical (upper-case) spelling."""

    EQ = "="
    LIKE = "LIKE"
    BEGINS = "BEGINS"
    ENDS = "ENDS"
    CONTAINS = "CONTAINS"
    GT = ">"
    LT = "<"
    GE = ">="
    LE = "<="


#: negative operators the live API silently treats as ``=``
_NEGATED: frozenset[str] = frozenset({"!=", "<>", "NE", "NOT LIKE"})

#: every accepted operator spelling (normalised: upper case, single inner spaces) -> Op
_OPERATORS: dict[str, Op] = {op.value: op for op in Op} | dict.fromkeys(_NEGATED, Op.EQ)


def _operator_regex(spelling: str) -> str:
    """An ASCII-only, case-insensitive regex for one operator spelling."""
    parts = (
        r"\s+" if ch == " " else f"[{ch}{ch.lower()}]" if ch.isalpha() else re.escape(ch)
        for ch in spelling
    )
    return "".join(parts)


# Longest spellings first (">=" before ">"); both uses are anchored on what follows, so this
# only saves backtracking.
_OPERATOR_RE = "|".join(_operator_regex(s) for s in sorted(_OPERATORS, key=lambda s: (-len(s), s)))
#: the operator text of a condition (explicit ASCII classes, not re.IGNORECASE, so that
#: e.g. the Kelvin sign never passes for a "K")
_OPERATOR_FULL = re.compile(rf"\s*(?:{_OPERATOR_RE})\s*")
#: a ``;`` that starts a new well-formed condition
_SEPARATOR = re.compile(rf";(?=\s*[A-Za-z_][A-Za-z0-9_.]*\s*\|\s*(?:{_OPERATOR_RE})\s*\|)")
_INNER_SPACE = re.compile(r"\s+")
_LIKE_SPECIAL = re.compile(r"[\\%_]")

_SUPPORTED = ", ".join(op.value for op in Op)

#: the escape character of the patterns :func:`like_pattern` returns (MySQL's default), to be
#: given as ``LIKE :pattern ESCAPE '\'`` where the database's default differs (SQLite has none)
ESCAPE_CHAR = "\\"


class QueryStringError(ValueError):
    """A query_string that cannot be parsed; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class Condition:
    """One ``FIELDNAME|OPERATOR|FIELDVALUE`` condition.

    ``field`` is as written (stripped, table prefix kept), ``value`` verbatim, and
    ``written_op`` the operator as the client wrote it (stripped), e.g. ``"!="``.
    """

    field: str
    op: Op
    value: str
    written_op: str

    @property
    def negation_ignored(self) -> bool:
        """True when the client wrote a negative operator that was treated as ``=``."""
        return _normalise_operator(self.written_op) in _NEGATED


def _normalise_operator(written: str) -> str:
    """Upper case with inner whitespace collapsed; only meaningful for ASCII text."""
    return _INNER_SPACE.sub(" ", written.strip()).upper()


def _parse_operator(written: str, condition: str) -> Op:
    if _OPERATOR_FULL.fullmatch(written) is None:
        raise QueryStringError(
            f"unknown query_string operator {written.strip()!r} in condition {condition!r}; "
            f"supported operators: {_SUPPORTED} (!=, <>, NE and NOT LIKE are accepted "
            "and treated as =)"
        )
    return _OPERATORS[_normalise_operator(written)]


def _parse_condition(text: str) -> Condition:
    parts = text.split("|", 2)
    if len(parts) < 3:
        raise QueryStringError(
            f"query_string condition {text!r} is not FIELDNAME|OPERATOR|FIELDVALUE: "
            "it needs two '|' separators"
        )
    field, written_op, value = parts
    if not field.strip():
        raise QueryStringError(f"query_string condition {text!r} has an empty field name")
    op = _parse_operator(written_op, text)
    return Condition(field=field.strip(), op=op, value=value, written_op=written_op.strip())


#: The longest query_string kept in the parse cache: 1,024 entries of at most this many
#: characters (and their conditions) hold about 2 MB, whatever the clients send.
CACHED_CHARS = 512


def parse(query_string: str) -> tuple[Condition, ...]:
    """Parse a query_string into its ANDed conditions (see the module docstring for the rules).

    Raises :class:`QueryStringError` for a malformed query_string. Short ones (the ones
    clients repeat) are parsed once; longer ones each time, so the cache stays small.
    """
    if len(query_string) <= CACHED_CHARS:
        return cached_parse(query_string)
    return _parse(query_string)


@functools.lru_cache(maxsize=1024)
def cached_parse(query_string: str) -> tuple[Condition, ...]:
    return _parse(query_string)


def _parse(query_string: str) -> tuple[Condition, ...]:
    if not query_string.strip():
        return ()
    text = query_string.removesuffix(";")
    return tuple(_parse_condition(part) for part in _SEPARATOR.split(text))


def _escape_like(value: str) -> str:
    """Escape ``\\``, ``%`` and ``_`` with :data:`ESCAPE_CHAR` so they match literally."""
    return _LIKE_SPECIAL.sub(lambda m: ESCAPE_CHAR + m.group(), value)


def like_pattern(cond: Condition) -> str:
    """The SQL LIKE pattern (escape character :data:`ESCAPE_CHAR`) for a LIKE-family condition.

    ``LIKE`` uses the client's value as written: their ``%`` and ``_`` are wildcards and a
    backslash escapes the next character, as in MySQL. ``BEGINS``, ``ENDS`` and ``CONTAINS``
    escape the value's own ``%``, ``_`` and ``\\`` so they match literally, then add ``%`` at
    the end, the start, or both. Any other operator raises :class:`ValueError`.
    """
    if cond.op is Op.LIKE:
        return cond.value
    escaped = _escape_like(cond.value)
    if cond.op is Op.BEGINS:
        return escaped + "%"
    if cond.op is Op.ENDS:
        return "%" + escaped
    if cond.op is Op.CONTAINS:
        return "%" + escaped + "%"
    raise ValueError(
        f"like_pattern needs a LIKE, BEGINS, ENDS or CONTAINS condition, not {cond.op.value!r}"
    )
