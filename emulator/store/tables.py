"""The store's tables, derived from the module registry.

Each module gets one table named after its main OpenCRM table (``contactdetails``,
``troubletickets``, ...), keyed by ``crmid`` and holding the crmentity header columns beside
the module's own, so a list is one indexed scan with no join. ``crmentity`` keeps the one
id counter shared by all modules (as vtiger) and which module each id belongs to. Column
types follow the field types (emulator/store/flavours.py: how each database holds them); text
compares case-insensitively, as OpenCRM's MySQL collation does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeEngine

from emulator.domain.modules import Module, Registry
from emulator.domain.product_lines import LINE_FIELDS
from emulator.store.flavours import Flavour

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


def module_table(metadata: MetaData, module: Module, flavour: Flavour) -> Table:
    key = "crmid" if module.crmentity else "id"
    columns = [Column(key, key_type(), primary_key=True, autoincrement=False)]
    columns.append(Column("deleted", Integer, nullable=False, default=0))
    columns += [Column(f.name, flavour.column_type(f)) for f in module.fields]
    table = Table(module.key, metadata, *columns)
    for f in module.fields:
        if f.indexed:
            Index(f"ix_{module.key}_{f.name}", table.c[f.name])
    return table


def key_type() -> TypeEngine[Any]:
    """A record id: SQLite's INTEGER (its rowid), a 64-bit integer elsewhere (ids go to 2**63)."""
    return Integer().with_variant(BigInteger(), "postgresql")


def build_tables(registry: Registry, flavour: Flavour) -> Tables:
    md = MetaData()
    text = flavour.text_type()
    return Tables(
        metadata=md,
        crmentity=Table(
            "crmentity",
            md,
            Column("crmid", key_type(), primary_key=True, autoincrement=False),
            Column("setype", String(40), nullable=False),
            Column("deleted", Integer, nullable=False, default=0),
        ),
        modules={m.noun: module_table(md, m, flavour) for m in registry},
        product_lines=Table(
            "product_lines",
            md,
            *(
                Column(
                    name,
                    Integer if name == "lineid" else key_type(),
                    primary_key=name == "lineid",
                    index=name == "crmid",
                )
                for name in ("lineid", "crmid")
            ),
            *(
                Column(name, key_type() if name in LINE_INTEGER_FIELDS else text)
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
            Column("crmid", key_type(), nullable=False, index=True),
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
            Column("crmid", key_type(), nullable=False, index=True),
            Column("module", String(40), nullable=False),
            Column("relcrmid", key_type(), nullable=False, index=True),
            Column("relmodule", String(40), nullable=False),
            UniqueConstraint("crmid", "relcrmid"),
        ),
        campaign_members=Table(
            "campaign_members",
            md,
            Column("campaignid", key_type(), nullable=False),
            Column("crmid", key_type(), nullable=False, index=True),
            Column("module", String(40), nullable=False),
            Column("relationship", Text, nullable=False, default=""),
            Column("status", Text, nullable=False, default=""),
            Column("probability", Text, nullable=False, default=""),
            Column("createdtime", String(19), nullable=False),
            Column("modifiedtime", String(19), nullable=False),
            PrimaryKeyConstraint("campaignid", "crmid"),
        ),
    )
