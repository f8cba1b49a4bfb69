"""SELECTs for lists, counts and single records, built from the registry.

query_string conditions arrive parsed (``emulator.filters``); here each field name is looked
up in the registry and becomes a column object, and each value a bound parameter, so no
name or value from a request is ever pasted into SQL text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, bindparam, func, or_, select
from sqlalchemy.sql.elements import KeyedColumnElement

from emulator.errors import UnknownField
from emulator.filters import ESCAPE_CHAR, Condition, Op, like_pattern
from emulator.modules import NUMERIC_TYPES, Field, FieldType, Module
from emulator.store.render import wire, wire_value

LIKE_OPS = frozenset({Op.LIKE, Op.BEGINS, Op.ENDS, Op.CONTAINS})
ID_NAMES = ("crmid", "id")
NUMBER_LIKE = NUMERIC_TYPES | {FieldType.REF, FieldType.BOOLEAN}


@dataclass(frozen=True)
class ListQuery:
    conditions: tuple[Condition, ...] = ()
    keywords: str = ""
    start: int = 0
    limit: int = 50_000


class ModuleQueries:
    """The prepared statements of one module (built once, at start-up)."""

    def __init__(self, module: Module, table: Table, sqlite: bool) -> None:
        self.module = module
        self.table = table
        self.key = table.c["crmid" if module.crmentity else "id"]
        self.sqlite = sqlite
        self.full_columns = [wire(table.c[f.name], f, sqlite) for f in module.fields]
        self.list_columns = [wire(table.c[f.name], f, sqlite) for f in module.list_fields]
        self.live = table.c.deleted == 0
        self.get = select(*self.full_columns).where(self.key == bindparam("crmid"), self.live)

    def list_stmt(self, query: ListQuery, full: bool) -> Select[Any]:
        columns = self.full_columns if full else self.list_columns
        stmt = select(self.key.label("id"), *columns).where(*self.where(query))
        return stmt.order_by(self.key).offset(query.start).limit(query.limit)

    def count_stmt(self, query: ListQuery) -> Select[int]:
        return select(func.count()).select_from(self.table).where(*self.where(query))

    def where(self, query: ListQuery) -> list[ColumnElement[bool]]:
        clauses = [self.live]
        clauses += [self.condition(c) for c in query.conditions]
        clauses += [self.keyword(word) for word in query.keywords.split()]
        return clauses

    def column(self, name: str) -> tuple[KeyedColumnElement[object], Field | None]:
        lowered = name.strip().lower()
        if lowered in ID_NAMES or (lowered.split(".")[-1] in ID_NAMES and "." in lowered):
            return self.key, None
        field = self.module.query_field(name)
        if field is None:
            raise UnknownField(name.strip(), self.module.record_module)
        return self.table.c[field.name], field

    def condition(self, cond: Condition) -> ColumnElement[bool]:
        col, field = self.column(cond.field)
        if cond.op in LIKE_OPS:
            target = col if field is None or field.type not in NUMBER_LIKE else as_text(col)
            return target.like(like_pattern(cond), escape=ESCAPE_CHAR)
        value = bind_value(field, cond.value)
        return compare(col, cond.op, value)

    def keyword(self, word: str) -> ColumnElement[bool]:
        pattern = "%" + escape_like(word) + "%"
        fields = self.module.keyword_fields
        return or_(*(self.table.c[f.name].like(pattern, escape=ESCAPE_CHAR) for f in fields))


def compare(col: KeyedColumnElement[object], op: Op, value: object) -> ColumnElement[bool]:
    if op is Op.GT:
        return col > value
    if op is Op.LT:
        return col < value
    if op is Op.GE:
        return col >= value
    if op is Op.LE:
        return col <= value
    return col == value


def bind_value(field: Field | None, value: str) -> object:
    """Numbers compare as numbers; everything else as (case-insensitive) text."""
    if field is None or field.type in NUMBER_LIKE:
        try:
            return int(value) if value.strip().lstrip("-").isdigit() else float(value)
        except ValueError:
            return value
    return value


def as_text(col: KeyedColumnElement[object]) -> ColumnElement[str]:
    return wire_value(col, FieldType.TEXT, False)


def escape_like(text: str) -> str:
    for ch in (ESCAPE_CHAR, "%", "_"):
        text = text.replace(ch, ESCAPE_CHAR + ch)
    return text
