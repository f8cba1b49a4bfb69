"""SELECTs for lists, counts and single records, built from the registry.

query_string conditions arrive parsed (``emulator.domain.filters``); here each field name is looked
up in the registry and becomes a column object, and each value a bound parameter, so no
name or value from a request is ever pasted into SQL text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cached_property
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    Table,
    bindparam,
    cast,
    false,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.sql.elements import KeyedColumnElement

from emulator.domain.filters import ESCAPE_CHAR, Condition, Op, like_pattern
from emulator.domain.lists import ListQuery
from emulator.domain.modules import Field, FieldType, Module
from emulator.errors import UnknownField
from emulator.store.executor import Compiled, Executor
from emulator.store.flavours import NUMBER_LIKE, Flavour

LIKE_OPS = frozenset({Op.LIKE, Op.BEGINS, Op.ENDS, Op.CONTAINS})
ID_NAMES = ("crmid", "id")


class ModuleQueries:
    """The prepared statements of one module (built once, at start-up)."""

    def __init__(self, module: Module, table: Table, flavour: Flavour) -> None:
        self.module = module
        self.table = table
        self.key = table.c["crmid" if module.crmentity else "id"]
        self.flavour = flavour  # the database's: how values render and compare
        self.live = table.c.deleted == literal_column("0")  # in the SQL text: not a parameter
        self.id_tables = frozenset({"crmentity", *module.tables})
        # Lists carry the id twice (guide, "List Functions"): selecting it twice saves a
        # Python dict per row.
        crmid = [self.key.label("crmid")] if module.crmentity else []
        self.ids = [self.key.label("id"), *crmid]

    # Built on first use: hundreds of column expressions per module cost start-up time.
    @cached_property
    def full_columns(self) -> list[ColumnElement[str]]:
        return [self.wire(f) for f in self.module.fields]

    @cached_property
    def list_columns(self) -> list[ColumnElement[str]]:
        return [self.wire(f) for f in self.module.list_fields]

    @cached_property
    def fields(self) -> dict[str, Field]:
        return {f.name: f for f in self.module.fields}

    def stored(self, row: Mapping[str, object]) -> Mapping[str, object]:
        """A row of values (by column) as this database stores them (see flavours.py)."""
        if not self.flavour.converts:
            return row
        fields = self.fields
        storage = self.flavour.storage
        return {n: storage(fields[n], v) if n in fields else v for n, v in row.items()}

    def wire(self, field: Field) -> ColumnElement[str]:
        """The field as the wire shows it, labelled with its API name."""
        return self.text(field).label(field.name)

    @cached_property
    def get(self) -> Select[*tuple[Any, ...]]:
        return select(*self.full_columns).where(self.key == bindparam("crmid"), self.live)

    def list_stmt(self, query: ListQuery, full: bool) -> Select[Any]:
        """Rows as the wire shows them: ``id`` (and ``crmid``, for crmentity records) first."""
        columns = self.full_columns if full else self.list_columns
        stmt = select(*self.ids, *columns).where(*self.where(query)).order_by(self.key)
        # The page as parameters: one compiled statement serves every page (page()).
        start = bindparam("start_", query.start, type_=Integer)
        return stmt.offset(start).limit(bindparam("limit_", query.limit, type_=Integer))

    def prepared_list(self, ex: Executor, query: ListQuery, full: bool) -> Compiled:
        """:meth:`list_stmt` compiled once for all it depends on but the page (run it with
        :func:`page`)."""
        key = ("list", self.module.noun, full, query.conditions, query.keywords)
        return ex.prepare(key, lambda: self.list_stmt(query, full))

    def count_stmt(self, query: ListQuery) -> Select[int]:
        return select(func.count()).select_from(self.table).where(*self.where(query))

    def prepared_count(self, ex: Executor, query: ListQuery) -> Compiled:
        key = ("count", self.module.noun, query.conditions, query.keywords)
        return ex.prepare(key, lambda: self.count_stmt(query))

    def where(self, query: ListQuery) -> list[ColumnElement[bool]]:
        clauses = [self.live]
        clauses += [self.condition(c) for c in query.conditions]
        clauses += [self.keyword(word) for word in query.keywords.split()]
        return clauses

    def column(self, name: str) -> tuple[KeyedColumnElement[object], Field | None]:
        # Fields first: a registry alias such as Activities' seactivityrel.crmid (the related
        # record) must not be taken for the record's own id.
        field = self.module.query_field(name)
        if field is not None:
            return self.table.c[field.name], field
        table, _, column = name.strip().lower().rpartition(".")
        if column in ID_NAMES and (not table or table in self.id_tables):
            return self.key, None
        raise UnknownField(name.strip(), self.module.record_module)

    def condition(self, cond: Condition) -> ColumnElement[bool]:
        col, field = self.column(cond.field)
        if cond.op in LIKE_OPS:
            # A number is matched as the wire shows it ("1049.00"), so what a client reads in
            # a list is what BEGINS/ENDS/LIKE find.
            if field is None:  # the record's id: matched as its digits
                target: ColumnElement[Any] = cast(col, String)
            else:
                target = col if field.type not in NUMBER_LIKE else self.text(field)
            return self.flavour.like(target, like_pattern(cond))
        if field is not None and field.type is FieldType.BOOLEAN:
            # An unset checkbox is 0 (it reads "0"), and "" compares as 0, as MySQL casts a
            # string compared with a number: "do_not_email|=|0" finds the unset ones.
            value = bind_value(field, cond.value) if cond.value.strip() else 0
            return self.flavour.compare(self.flavour.unset_zero(col), field, cond.op, value)
        if cond.op is Op.EQ and cond.value.strip() == "":
            # An unset field reads as "" whether it is stored as NULL or as "", so
            # "field|=|" finds both: what a client sees is what it can query.
            return self.flavour.blank(col, field)
        return self.flavour.compare(col, field, cond.op, bind_value(field, cond.value))

    def keyword(self, word: str) -> ColumnElement[bool]:
        pattern = "%" + escape_like(word) + "%"
        fields = self.module.keyword_fields
        likes = (self.flavour.like(self.table.c[f.name], pattern) for f in fields)
        return or_(false(), *likes)

    def text(self, field: Field) -> ColumnElement[str]:
        return self.flavour.wire(self.table.c[field.name], field.type)


def page(query: ListQuery) -> dict[str, int]:
    """The values of :meth:`ModuleQueries.list_stmt`'s page parameters."""
    return {"start_": query.start, "limit_": query.limit}


def bind_value(field: Field | None, value: str) -> object:
    """Numbers compare as numbers; everything else as (case-insensitive) text."""
    if field is None or field.type in NUMBER_LIKE:
        return as_number(value)
    return value


def as_number(value: str) -> object:
    """``value`` as an int or float where it reads as one, else the text itself. Integers
    beyond 64 bits become floats: SQLite (like MySQL's BIGINT) cannot bind them; beyond a
    float's range (over 308 digits) they stay text, as does anything ``int()`` refuses (it
    parses at most 4,300 digits)."""
    text = value.strip()
    digits = text.removeprefix("-")
    try:
        if digits.isascii() and digits.isdigit() and len(digits) <= 19:
            number: int | float = int(text)
        else:
            number = float(text)  # "1e999" and 400 nines are inf: kept as text below
    except ValueError:
        return value
    if isinstance(number, float) and not math.isfinite(number):
        return value  # "nan", "inf", "1e999": SQLite would bind NULL or Inf; keep the text
    if isinstance(number, int) and not -(2**63) <= number < 2**63:
        return float(number)
    return number


def escape_like(text: str) -> str:
    for ch in (ESCAPE_CHAR, "%", "_"):
        text = text.replace(ch, ESCAPE_CHAR + ch)
    return text
