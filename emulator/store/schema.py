"""What the store's statements are built from, and the counters it keeps beside them.

A :class:`Shape` (the tables and each module's queries for one registry on one kind of
database) costs some 50 ms to build, so it is built once and shared by every store of the
same fixtures: a new system then costs a connection and a copy of the fixture image."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.schema import CreateIndex, CreateTable

from emulator.domain.clock import Clock
from emulator.domain.modules import Registry
from emulator.store.executor import Executor
from emulator.store.flavours import FLAVOURS, Flavour
from emulator.store.queries import ModuleQueries
from emulator.store.tables import Tables, build_tables


@dataclass
class Counters:
    """The next crmid (one sequence across modules, as vtiger's) and each module's last
    record number, kept in memory by the one process that writes the database."""

    next_crmid: int = 1
    numbers: dict[str, int] = field(default_factory=dict)

    def allocate(self, count: int) -> range:
        start = self.next_crmid
        self.next_crmid += count
        return range(start, start + count)


@dataclass(frozen=True)
class Shape:
    registry: Registry
    tables: Tables
    queries: Mapping[str, ModuleQueries]
    flavour: Flavour

    @classmethod
    def build(cls, registry: Registry, flavour: str) -> Shape:
        kind = FLAVOURS[flavour]
        tables = build_tables(registry, kind)
        queries = {m.noun: ModuleQueries(m, tables.modules[m.noun], kind) for m in registry}
        return cls(registry, tables, queries, kind)


@dataclass(frozen=True)
class Schema:
    """What the store's statements are built from."""

    registry: Registry
    tables: Tables
    queries: Mapping[str, ModuleQueries]
    clock: Clock


def create_schema(ex: Executor, tables: Tables) -> None:
    """The tables and indexes, where missing."""
    for table in tables.metadata.sorted_tables:
        ex.run(CreateTable(table, if_not_exists=True))
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            ex.run(CreateIndex(index, if_not_exists=True))
