"""What makes PostgreSQL answer as the emulator does on SQLite, and as OpenCRM's MySQL does
for custom report SQL: numbers bound as SQLite writes them, MySQL's comparisons of text with
numbers, report column names as written, and PostgreSQL's errors in SQLite's words."""

from __future__ import annotations

import re
from typing import Any

from emulator.store.flavours import canonical

#: MySQL compares a string with a number as numbers; OpenCRM's custom report SQL relies on it
#: (``t.parent_id = a.crmid``), where a reference field is text here. These operators, in
#: ``public``, give PostgreSQL the same comparisons between text and numbers.


def register_number_dumpers(connection: Any) -> None:
    """ints and floats bound as text of unknown type, as SQLite writes them (flavours.py)."""
    from psycopg.adapt import Dumper

    class NumberText(Dumper):
        oid = 0  # unknown: the server gives it the type the context needs

        def dump(self, obj: Any) -> bytes:
            return canonical(obj, integral=isinstance(obj, int)).encode()

    for kind in (int, float):
        connection.adapters.register_dumper(kind, NumberText)


NUMBER_OF_TEXT = r"""
CREATE OR REPLACE FUNCTION public.opencrm_number(value text) RETURNS numeric
IMMUTABLE LANGUAGE sql AS $$
  SELECT CASE WHEN value ~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$'
  THEN trim(value)::numeric ELSE 0 END $$
"""
OPERATORS = {"=": "eq", "<>": "ne", "<": "lt", ">": "gt", "<=": "le", ">=": "ge"}
NUMBER_TYPES = ("bigint", "integer", "numeric")


def install_extensions(raw: Any) -> None:
    """citext, and the comparisons of text with numbers, once per database (any process)."""
    if installed(raw):  # replacing them would hold up the statements of live processes
        return
    with raw.transaction():
        raw.execute("SELECT pg_advisory_xact_lock(4242001)")  # one process at a time
        raw.execute("CREATE EXTENSION IF NOT EXISTS citext")
        raw.execute(NUMBER_OF_TEXT)
        for number in NUMBER_TYPES:
            for op, word in OPERATORS.items():
                for left, right in (("text", number), (number, "text")):
                    install_operator(raw, op, f"opencrm_{word}_{left}_{right}", left, right)


def installed(raw: Any) -> bool:
    """Whether citext and every comparison are in the database already."""
    found = raw.execute(
        "SELECT (SELECT count(*) FROM pg_extension WHERE extname = 'citext'),"
        " (SELECT count(*) FROM pg_proc WHERE proname LIKE 'opencrm\\_%%')"
    ).fetchone()
    return int(found[0]) == 1 and int(found[1]) == 1 + 2 * len(OPERATORS) * len(NUMBER_TYPES)


def install_operator(raw: Any, op: str, function: str, left: str, right: str) -> None:
    a = "public.opencrm_number(a)" if left == "text" else "a"
    b = "public.opencrm_number(b)" if right == "text" else "b"
    raw.execute(
        f"CREATE OR REPLACE FUNCTION public.{function}(a {left}, b {right}) RETURNS boolean "
        f"IMMUTABLE LANGUAGE sql AS $$ SELECT {a} {op} {b} $$"
    )
    exists = raw.execute(
        "SELECT 1 FROM pg_operator WHERE oprname = %s AND oprleft = %s::regtype"
        " AND oprright = %s::regtype",
        (op, left, right),
    ).fetchone()
    if exists is None:
        raw.execute(
            f"CREATE OPERATOR public.{op} (LEFTARG = {left}, RIGHTARG = {right}, "
            f"FUNCTION = public.{function})"
        )


def in_sqlite_words(error: Any) -> str:
    """A custom report's PostgreSQL error in the words its answer is made from (those of
    SQLite's errors: emulator/domain/custom_reports.py), else PostgreSQL's own first line."""
    from psycopg import errors

    if isinstance(error, errors.QueryCanceled):
        return "interrupted"
    if isinstance(error, errors.ReadOnlySqlTransaction | errors.InsufficientPrivilege):
        return f"not authorized: {first_line(error)}"
    if isinstance(error, errors.ProgramLimitExceeded | errors.OutOfMemory):
        return "string or blob too big"
    return first_line(error)


def first_line(error: Any) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def as_written(name: str, sql: str) -> str:
    """A result column's name as the report's SQL writes it: PostgreSQL folds an unquoted
    alias to lowercase, where MySQL (the reports' own database) keeps its case."""
    found = re.search(rf"(?<![\w\"]){re.escape(name)}(?![\w\"])", sql, flags=re.IGNORECASE)
    return found.group(0) if found and found.group(0).lower() == name else name
