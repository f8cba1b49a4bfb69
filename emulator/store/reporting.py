"""The SQL behind reports (guide, "Reporting Functions").

A standard report arrives as a :class:`ReportQuery`: plain data the backend makes from the
report's definition. It becomes one SELECT built with each module's :class:`ModuleQueries`
(the list end points' conditions, so a report filter means what a query_string means),
outer-joined to the records its reference fields point at. A custom report's SQL is the
customer's own and runs read-only (see the database's ``read_only``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, FromClause, Select, Table, and_, select

from emulator.domain.filters import Condition
from emulator.domain.modules import Field, Module, Registry
from emulator.store.queries import ModuleQueries
from emulator.store.tables import Tables


@dataclass(frozen=True)
class ReportColumn:
    key: str  # the row key
    via: Field | None  # the reference field followed, or None for the report's module
    field: Field


@dataclass(frozen=True)
class ReportFilter:
    via: Field | None
    condition: Condition  # its field names a field of the module ``via`` points at


@dataclass(frozen=True)
class ReportOrder:
    via: Field | None
    name: str
    descending: bool = False


@dataclass(frozen=True)
class ReportQuery:
    module: Module
    columns: Sequence[ReportColumn]
    filters: Sequence[ReportFilter] = ()
    ordering: Sequence[ReportOrder] = ()

    @property
    def joins(self) -> tuple[Field, ...]:
        """The reference fields the report follows, each once, in order of first use."""
        vias = [c.via for c in self.columns] + [f.via for f in self.filters]
        found = {via.name: via for via in vias + [o.via for o in self.ordering] if via}
        return tuple(found.values())


class Reports:
    """Builds report SELECTs; joined queries are made once per (module, reference field)."""

    def __init__(self, registry: Registry, tables: Tables, queries: Mapping[str, ModuleQueries]):
        self.registry = registry
        self.tables = tables
        self.queries = queries
        self.flavour = next(iter(queries.values())).flavour
        self._joined: dict[tuple[str, str], ModuleQueries] = {}

    def select(self, report: ReportQuery, start: int, limit: int) -> Select[Any]:
        main = self.queries[report.module.noun]
        joined = {via.name: self.joined(report.module, via) for via in report.joins}

        def source(via: Field | None) -> ModuleQueries:
            return main if via is None else joined[via.name]

        columns = [source(c.via).text(c.field).label(c.key) for c in report.columns]
        order: list[ColumnElement[Any]] = []
        for o in report.ordering:
            col, field = source(o.via).column(o.name)
            order += self.flavour.order(col, field, o.descending)
        return (
            select(main.key.label("id"), *columns)
            .select_from(joins(main, joined))
            .where(main.live, *(source(f.via).condition(f.condition) for f in report.filters))
            .order_by(*order, main.key)
            .offset(start)
            .limit(limit)
        )

    def joined(self, module: Module, via: Field) -> ModuleQueries:
        """The queries of the module ``via`` points at, over an alias of its table."""
        key = (module.noun, via.name)
        if key not in self._joined:
            target = self.registry.by_noun(via.ref)
            alias = self.tables.modules[target.noun].alias(f"{via.name}_{target.key}")
            # ModuleQueries only reads columns from its table, which an alias has too.
            self._joined[key] = ModuleQueries(target, cast(Table, alias), self.flavour)
        return self._joined[key]


def joins(main: ModuleQueries, joined: Mapping[str, ModuleQueries]) -> FromClause:
    """Outer joins: a record whose reference is empty or deleted still shows, blank there."""
    clause: FromClause = main.table
    for via_name, other in joined.items():
        on = and_(other.key == main.flavour.reference(main.table.c[via_name]), other.live)
        clause = clause.outerjoin(other.table, on)
    return clause
