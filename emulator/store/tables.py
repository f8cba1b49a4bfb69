"""The store's tables, derived from the module registry.

Each module gets one table named after its main OpenCRM table (``contactdetails``,
``troubletickets``, ...), keyed by ``crmid`` and holding the crmentity header columns beside
the module's own, so a list is one indexed scan with no join. ``crmentity`` keeps the one
id counter shared by all modules (as vtiger) and which module each id belongs to. Column
types follow the field types; text compares case-insensitively (NOCASE on SQLite), as
OpenCRM's MySQL collation does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from emulator.domain.modules import Field, FieldType, Module, Registry
from emulator.domain.product_lines import LINE_FIELDS

INTEGER_TYPES = frozenset({FieldType.INTEGER, FieldType.REF, FieldType.BOOLEAN})
FLOAT_TYPES = frozenset({FieldType.DECIMAL, FieldType.CURRENCY})
LINE_INTEGER_FIELDS = frozenset({"lineid", "linenumber", "productid"})


@dataclass(frozen=True)
class Tables:
    metadata: MetaData
    crmentity: Table
    modules: dict[str, Table]  # by module noun
    product_lines: Table
    numbers: Table
    audit: Table
    audit_details: Table
    links: Table
    campaign_members: Table


class Number(TypeDecorator[Any]):
    """A FLOAT column that binds values as they come: text an edit sends to a number field
    is stored as sent (records.store_value), where Float's bind processor raised ValueError."""

    impl = Float
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> None:
        return None


def column_type(field: Field, flavour: str) -> TypeEngine[Any]:
    if field.type in INTEGER_TYPES:
        return Integer()
    if field.type in FLOAT_TYPES:
        return Number()
    return text_type(flavour)


def module_table(metadata: MetaData, module: Module, flavour: str) -> Table:
    key = "crmid" if module.crmentity else "id"
    columns = [Column(key, Integer, primary_key=True, autoincrement=False)]
    columns.append(Column("deleted", Integer, nullable=False, default=0))
    columns += [Column(f.name, column_type(f, flavour)) for f in module.fields]
    table = Table(module.key, metadata, *columns)
    for f in module.fields:
        if f.indexed:
            Index(f"ix_{module.key}_{f.name}", table.c[f.name])
    return table


def text_type(flavour: str) -> TypeEngine[Any]:
    return Text(collation="NOCASE") if flavour == "sqlite" else Text()


def build_tables(registry: Registry, flavour: str = "sqlite") -> Tables:
    md = MetaData()
    text = text_type(flavour)
    return Tables(
        metadata=md,
        crmentity=Table(
            "crmentity",
            md,
            Column("crmid", Integer, primary_key=True, autoincrement=False),
            Column("setype", String(40), nullable=False),
            Column("deleted", Integer, nullable=False, default=0),
        ),
        modules={m.noun: module_table(md, m, flavour) for m in registry},
        product_lines=Table(
            "product_lines",
            md,
            *(
                Column(name, Integer, primary_key=name == "lineid", index=name == "crmid")
                for name in ("lineid", "crmid")
            ),
            *(
                Column(name, Integer if name in LINE_INTEGER_FIELDS else text)
                for name in LINE_FIELDS
                if name != "lineid"
            ),
            # A deleted line's id is never given again (MySQL's AUTO_INCREMENT does not reuse
            # ids either), so a client holding an old lineid cannot amend another line.
            sqlite_autoincrement=True,
        ),
        numbers=Table(
            "modentity_num",
            md,
            Column("semodule", String(40), primary_key=True),
            Column("prefix", String(20), nullable=False),
            Column("cur_id", Integer, nullable=False),
        ),
        audit=Table(
            "audit_entries",
            md,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("crmid", Integer, nullable=False, index=True),
            Column("module", String(40), nullable=False),
            Column("whodid", Integer, nullable=False),
            Column("changedon", String(19), nullable=False),
            Column("status", Integer, nullable=False),
            Column("action", String(40), nullable=False),
            Column("ip", String(64), nullable=False),
            Column("text", Text, nullable=False),
        ),
        audit_details=Table(
            "audit_details",
            md,
            Column("entry_id", Integer, nullable=False, index=True),
            Column("fieldname", String(120), nullable=False),
            Column("prevalue", Text),
            Column("postvalue", Text),
        ),
        links=Table(
            "crmentityrel",
            md,
            Column("crmid", Integer, nullable=False, index=True),
            Column("module", String(40), nullable=False),
            Column("relcrmid", Integer, nullable=False, index=True),
            Column("relmodule", String(40), nullable=False),
            UniqueConstraint("crmid", "relcrmid"),
        ),
        campaign_members=Table(
            "campaign_members",
            md,
            Column("campaignid", Integer, nullable=False),
            Column("crmid", Integer, nullable=False, index=True),
            Column("module", String(40), nullable=False),
            Column("relationship", Text, nullable=False, default=""),
            Column("status", Text, nullable=False, default=""),
            Column("probability", Text, nullable=False, default=""),
            Column("createdtime", String(19), nullable=False),
            Column("modifiedtime", String(19), nullable=False),
            PrimaryKeyConstraint("campaignid", "crmid"),
        ),
    )
