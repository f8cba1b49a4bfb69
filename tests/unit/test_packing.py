"""Wide SELECTs read as JSON arrays (emulator/store/packing.py): the same rows as reading
each column, wherever packing is used, and the plain read wherever it could differ."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import orjson
import pytest
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateTable

from emulator.store import packing
from emulator.store.executor import Compiled, Executor, StatementCache

TRICKY = [
    "",
    "plain",
    'quote " and backslash \\ and slash /',
    "line\nbreak\ttab\rreturn\bbell\x01\x1f\x7f",
    "nul \x00 inside",
    "accents é ü ß, CJK 漢字, emoji 🦊, U+2028 \u2028 and U+2029 \u2029",
    "[1, 2]",  # text that looks like JSON stays text
    "12345678901234567890",
    "x" * 70_000,
]


def table_of(columns: int, metadata: MetaData, kind: type = String) -> Table:
    cols = [Column(f"c{i}", kind) for i in range(columns)]
    key = Column("id", Integer, primary_key=True)
    return Table(f"t{columns}{kind.__name__}", metadata, key, *cols)


@pytest.fixture
def connection() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    yield conn
    conn.close()


def filled(conn: sqlite3.Connection, columns: int, kind: type = String) -> tuple[Table, Executor]:
    """A table of an id and ``columns`` columns of ``kind`` on ``conn``, and an executor."""
    dialect = sqlite.dialect()
    table = table_of(columns, MetaData(), kind)
    conn.execute(str(CreateTable(table).compile(dialect=dialect)))
    return table, Executor(conn, dialect, StatementCache())


def insert(conn: sqlite3.Connection, table: Table, rows: list[list[object]]) -> None:
    marks = ", ".join("?" * (len(table.columns)))
    conn.executemany(f"INSERT INTO {table.name} VALUES ({marks})", rows)


def plain_rows(conn: sqlite3.Connection, compiled: Compiled) -> list[dict[str, object]]:
    cursor = conn.execute(compiled.sql, compiled.parameters(None))
    return [dict(zip(compiled.names, row, strict=True)) for row in cursor]


def test_text_of_every_kind_and_big_integers_come_back_as_each_column_reads_them(
    connection: sqlite3.Connection,
) -> None:
    table, ex = filled(connection, 12)
    rows = [[i, *[TRICKY[(i + j) % len(TRICKY)] for j in range(12)]] for i in range(len(TRICKY))]
    rows.append([2**63 - 1, *[None] * 12])  # the largest id, and NULLs
    insert(connection, table, rows)
    compiled = ex.prepare("all", lambda: select(table).order_by(table.c.id))
    assert compiled.packed is not None
    assert ex.rows(compiled) == plain_rows(connection, compiled)
    one = ex.prepare("one", lambda: select(table).where(table.c.id == 2**63 - 1))
    assert ex.one(one) == plain_rows(connection, one)[0]


def test_more_columns_than_a_function_takes_are_packed_in_several_arrays(
    connection: sqlite3.Connection,
) -> None:
    table, ex = filled(connection, 260)
    insert(connection, table, [[1, *[f"value {j} é" for j in range(260)]]])
    compiled = ex.prepare("wide", lambda: select(table))
    assert compiled.packed is not None
    assert compiled.packed.count("json_array(") == 3
    assert ex.rows(compiled) == plain_rows(connection, compiled)


def test_parameters_bind_in_the_same_places_in_the_packed_statement(
    connection: sqlite3.Connection,
) -> None:
    table, ex = filled(connection, 10)
    insert(connection, table, [[i, *[f"{i}-{j}" for j in range(10)]] for i in range(1, 6)])
    stmt = (
        select(table)
        .where(table.c.id > bindparam("low"), table.c.c3 != bindparam("not_this"))
        .order_by(table.c.id.desc())
        .limit(bindparam("most", type_=Integer))
    )
    compiled = ex.prepare("bound", lambda: stmt)
    assert compiled.packed is not None
    values = {"low": 1, "not_this": "3-3", "most": 2}
    packed = ex.rows(compiled, values)
    assert [r["id"] for r in packed] == [5, 4]
    plain = connection.execute(compiled.sql, compiled.parameters(values)).fetchall()
    assert packed == [dict(zip(compiled.names, r, strict=True)) for r in plain]


def test_a_select_with_a_real_column_is_read_column_by_column(
    connection: sqlite3.Connection,
) -> None:
    """JSON keeps 15 digits of a real, where the column keeps 17: 0.1 + 0.2 would change."""
    table, ex = filled(connection, 10, Float)
    insert(connection, table, [[1, *[0.1 + 0.2] * 10]])
    compiled = ex.prepare("reals", lambda: select(table))
    assert compiled.packed is None
    assert ex.one(compiled) == {"id": 1, **{f"c{j}": 0.1 + 0.2 for j in range(10)}}


def test_narrow_selects_other_databases_and_a_sqlite_without_json_are_not_packed(
    connection: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    table, ex = filled(connection, 12)
    assert ex.prepare("narrow", lambda: select(table.c.id, table.c.c1)).packed is None
    on_postgres = Compiled.of(select(table), postgresql.dialect())
    assert on_postgres.packed is None
    monkeypatch.setattr(packing, "has_json_array", lambda: False)
    assert ex.compiled(select(table)).packed is None


def test_distinct_and_an_order_by_a_columns_label_are_read_column_by_column(
    connection: sqlite3.Connection,
) -> None:
    """DISTINCT would compare JSON texts, not the columns under their collations: 'Ann'
    and 'ANN' are one row of NOCASE text."""
    table, ex = filled(connection, 10)
    columns = ", ".join(f"c{j} TEXT COLLATE NOCASE" for j in range(9))
    connection.execute(f"CREATE TABLE people (id INTEGER, {columns})")
    connection.executemany(
        f"INSERT INTO people VALUES (1, {', '.join('?' * 9)})", [["Ann"] * 9, ["ANN"] * 9]
    )
    names = [Column(f"c{j}", String) for j in range(9)]
    people = Table("people", MetaData(), Column("id", Integer), *names)
    distinct = ex.prepare("distinct", lambda: select(people).distinct())
    assert distinct.packed is None
    assert len(ex.rows(distinct)) == 1
    labelled = select(table.c.id, *(table.c[f"c{j}"].label(f"x{j}") for j in range(10)))
    for order in ("x3", labelled.selected_columns.x3.desc()):
        by_label = ex.compiled(labelled.order_by(order))
        assert by_label.packed is None, by_label.packed


# -- rows as JSON objects (Executor.one_json, rows_json) -------------------------------------


def as_json(rows: list[dict[str, object]]) -> list[str]:
    """What orjson makes of each row read column by column."""
    return [orjson.dumps(row).decode() for row in rows]


@pytest.mark.parametrize("columns", [12, 130])  # one json_object, and several joined
def test_rows_as_json_objects_are_orjsons_text_of_each_row_byte_for_byte(
    connection: sqlite3.Connection, columns: int
) -> None:
    table, ex = filled(connection, columns)
    rows = [[i, *[TRICKY[(i + j) % len(TRICKY)] for j in range(columns)]] for i in range(30)]
    rows.append([2**63 - 1, *[None] * columns])
    rows += [[100 + c, *[chr(c) * 3] * columns] for c in [*range(0x80), 0x2028, 0xFEFF, 0x1F98A]]
    insert(connection, table, rows)
    compiled = ex.prepare(("objects", columns), lambda: select(table).order_by(table.c.id), True)
    assert compiled.objects is not None
    assert ex.rows_json(compiled) == as_json(plain_rows(connection, compiled))
    one = ex.prepare(("one", columns), lambda: select(table).where(table.c.id == 7), True)
    assert ex.one_json(one) == as_json(plain_rows(connection, one))[0]


def test_a_row_not_found_as_json_is_none_and_no_rows_an_empty_list(
    connection: sqlite3.Connection,
) -> None:
    table, ex = filled(connection, 12)
    none = ex.prepare("none", lambda: select(table).where(table.c.id == bindparam("id")), True)
    assert ex.one_json(none, {"id": 1}) is None
    assert ex.rows_json(none, {"id": 1}) == []


def test_statements_sqlite_cannot_write_as_json_are_encoded_by_orjson_alike(
    connection: sqlite3.Connection,
) -> None:
    """A real column, a narrow select, a repeated label: no objects SQL, the same text."""
    table, ex = filled(connection, 10, Float)
    insert(connection, table, [[1, *[0.1 + 0.2] * 10]])
    reals = ex.prepare("reals-json", lambda: select(table), True)
    assert reals.objects is None
    assert (
        ex.one_json(reals)
        == orjson.dumps({"id": 1, **{f"c{j}": 0.1 + 0.2 for j in range(10)}}).decode()
    )
    text, ex = filled(connection, 12)
    insert(connection, text, [[1, *"abcdefghijkl"]])
    repeated = select(*[text.c.c1.label("same") for _ in range(9)])
    twice = ex.prepare("repeated", lambda: repeated, True)
    assert twice.packed is not None
    assert twice.objects is None
    assert ex.one_json(twice) == '{"same":"b"}'


def test_json_objects_are_only_compiled_when_asked(connection: sqlite3.Connection) -> None:
    table, ex = filled(connection, 12)
    assert ex.prepare("plain", lambda: select(table)).objects is None
    assert ex.prepare("asked", lambda: select(table), True).objects is not None
