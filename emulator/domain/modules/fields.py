"""The registry's vocabulary: field types, fields, modules, and the record header they share.

A :class:`Module` is declared once (see the sibling modules) and is the single source for the
store's tables, the list columns, keyword search, query_string names, Faker data, the README's
field tables and the parametrized tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FieldType(StrEnum):
    TEXT = "text"
    LONGTEXT = "longtext"
    EMAIL = "email"
    PHONE = "phone"
    URL = "url"
    PICKLIST = "picklist"
    MULTI = "multi"  # comma-separated values (tags, subscription, email_to)
    INTEGER = "integer"
    DECIMAL = "decimal"
    CURRENCY = "currency"
    DATE = "date"
    DATETIME = "datetime"
    TIME = "time"
    BOOLEAN = "boolean"
    REF = "ref"  # the crmid of another record (or a user id when ref == "user")


NUMERIC_TYPES = frozenset({FieldType.INTEGER, FieldType.DECIMAL, FieldType.CURRENCY})


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a module, as OpenCRM's Field Reference describes it (data-model.md §1.2)."""

    #: The API name: the key in records and edits, and the store's column name.
    name: str
    type: FieldType = FieldType.TEXT
    #: Other names: the query-string name when it differs, and vtiger's names for it.
    #: Accepted in query_string and in edits.
    aliases: tuple[str, ...] = ()
    #: The OpenCRM (vtiger 4.x) table holding the field; ``table.column`` is a query name.
    table: str = ""
    #: The column in that table when it differs from ``name`` (e.g. activity.status).
    column: str = ""
    picklist: tuple[str, ...] = ()
    #: For REF fields: the noun of the module referred to ("company", "user"), or "*" for any.
    ref: str = ""
    #: In the basic ``get_<m>_list`` output.
    in_list: bool = False
    #: Searched by ``keywords``.
    keyword: bool = False
    #: Computed or maintained by the system: edits ignore it.
    read_only: bool = False
    #: Clients filter by it often enough to deserve an index.
    indexed: bool = False
    #: A hint for seeding naming the Faker generator that fills it ("" = derived from type).
    faker: str = ""
    label: str = ""
    #: For REF fields: the share of seeded records that link to a record through it.
    link_rate: float = 1.0

    def query_names(self) -> tuple[str, ...]:
        names = [self.name, *self.aliases]
        if self.table:
            names.append(f"{self.table}.{self.column or self.name}")
        return tuple(names)


@dataclass(frozen=True)
class Module:
    """An OpenCRM module and everything the emulator derives from it."""

    #: Builds the end point names: get_<noun>_list, get_<noun>, edit_<noun>, ...
    noun: str
    #: vtiger's module name, returned as ``record_module``.
    record_module: str
    #: OpenCRM's table names for the module, main table first; each is a query prefix.
    tables: tuple[str, ...]
    fields: tuple[Field, ...]
    #: Fields joined with a space make the entity label (data-model.md §1.7).
    label_fields: tuple[str, ...] = ()
    #: The auto-number field and its prefix (data-model.md §1.6), if the module has one.
    number_field: str = ""
    number_prefix: str = ""
    #: Other nouns accepted by edit_ (edit_helpdesk, edit_contracts, edit_contact_custom1).
    edit_aliases: tuple[str, ...] = ()
    #: Quotes, sales orders, invoices, purchase orders: records carry product lines.
    sales: bool = False
    #: Users are not crmentity records: their own id sequence, no edit end point.
    crmentity: bool = True
    #: Not in the guide: served as a marked extension (Campaigns).
    extension: bool = False
    #: OpenCRM's name for the module where it differs from ``record_module`` (Companies).
    title: str = ""
    #: Where seeding makes its records: after the modules its records link to.
    seed_rank: int = 100
    _by_name: dict[str, Field] = field(init=False, repr=False, compare=False)
    _by_query: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name: dict[str, Field] = {}
        by_query: dict[str, Field] = {}
        for f in self.fields:
            by_name.setdefault(f.name.lower(), f)
            for alias in f.aliases:
                by_name.setdefault(alias.lower(), f)
            for q in f.query_names():
                by_query.setdefault(q.lower(), f)
                if "." not in q:
                    for table in self.tables:
                        by_query.setdefault(f"{table}.{q}".lower(), f)
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_by_query", by_query)
        object.__setattr__(self, "_field_names", frozenset(f.name for f in self.fields))

    @property
    def field_names(self) -> frozenset[str]:
        """Its fields' names, as a record's dict has them."""
        return self._field_names  # type: ignore[attr-defined,no-any-return]

    @property
    def display_title(self) -> str:
        """The module as OpenCRM's screens name it."""
        return self.title or self.record_module

    @property
    def key(self) -> str:
        """The module's key in the store and the control plane: its main table name."""
        return self.tables[0]

    def edit_field(self, name: str) -> Field | None:
        """The field an edit parameter names (API name or alias, any case), or None."""
        return self._by_name.get(name.lower())

    def query_field(self, name: str) -> Field | None:
        """The field a query_string name refers to (also ``table.column``), or None."""
        return self._by_query.get(name.strip().lower())

    @property
    def list_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.in_list)

    @property
    def keyword_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.keyword)

    def has_field(self, name: str) -> bool:
        """Whether the module has a field with this exact API name."""
        return any(f.name == name for f in self.fields)

    def field(self, name: str) -> Field:
        """The field with this exact API name; KeyError if there is none."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


def header_fields(*, reassigned: bool = False) -> tuple[Field, ...]:
    """The crmentity header every record has (data-model.md §1.1)."""
    fields = [
        Field(
            "smownerid",
            FieldType.REF,
            aliases=("assigned_user_id",),
            table="crmentity",
            ref="user",
            in_list=True,
            indexed=True,
            label="Assigned To",
        ),
        Field("smcreatorid", FieldType.REF, table="crmentity", ref="user", read_only=True),
        Field("modifiedby", FieldType.REF, table="crmentity", ref="user", read_only=True),
        Field("createdtime", FieldType.DATETIME, table="crmentity", read_only=True, indexed=True),
        Field("modifiedtime", FieldType.DATETIME, table="crmentity", read_only=True, indexed=True),
        Field("description", FieldType.LONGTEXT, table="crmentity", faker="paragraph"),
    ]
    if reassigned:
        fields.append(Field("reassigned_date", FieldType.DATE, read_only=True))
    return tuple(fields)
