"""Field blocks several modules share (data-model.md §1.5), each written once.

A field declared without a table lives in its module's main table: wrap each module in
:func:`with_main_table`. Blocks take a table only where a module keeps them elsewhere.
"""

from __future__ import annotations

from dataclasses import replace

from emulator.domain.modules.fields import Field, FieldType, Module


def with_main_table(module: Module) -> Module:
    """The module with its main table set on every field declared without one."""
    main = module.tables[0]
    fields = tuple(f if f.table else replace(f, table=main) for f in module.fields)
    return replace(module, fields=fields)


def number(name: str, *, aliases: tuple[str, ...] = ()) -> Field:
    """The read-only record number (§1.6), listed and searched."""
    return Field(name, aliases=aliases, in_list=True, keyword=True, read_only=True, indexed=True)


def privacy(*, live_chat: bool = True) -> tuple[Field, ...]:
    """Do-not-contact flags; Companies have no ``donotlivechat``."""
    names = ("do_not_email", "tps", "fps", *(("donotlivechat",) if live_chat else ()))
    return tuple(Field(n, FieldType.BOOLEAN) for n in names)


def gdpr() -> tuple[Field, ...]:
    return (
        Field("consent_to_processing", FieldType.BOOLEAN),
        Field("data_processing_consent_given", FieldType.BOOLEAN),
        Field("date_consent_given", FieldType.DATE),
        Field("consent_given_to", faker="name"),
        Field("righttobeforgotten", FieldType.BOOLEAN),
        Field("righttobeforgotten_date", FieldType.DATE),
    )


def portal(table: str = "", *, canesign: bool = False) -> tuple[Field, ...]:
    """Customer-portal access; Contacts also have ``canesign``."""
    fields = [
        Field("portal", FieldType.BOOLEAN, table=table),
        Field("login", table=table, faker="user_name"),
        Field("password", table=table, faker="password"),
        Field("portal_islocked", FieldType.BOOLEAN, table=table),
    ]
    if canesign:
        fields.append(Field("canesign", FieldType.BOOLEAN, table=table))
    return tuple(fields)


def automation() -> tuple[Field, ...]:
    """Ids of an action plan / e-mail plan to start (stored; nothing runs)."""
    return (Field("actionplan_id", FieldType.INTEGER), Field("emailplan", FieldType.INTEGER))


def tags(table: str) -> Field:
    """``<table>_tags``: comma-separated tags, kept in the table it is named after."""
    return Field(f"{table}_tags", FieldType.MULTI, table=table)


def subscription() -> Field:
    """Mailing-list subscriptions, comma-separated."""
    return Field("subscription", FieldType.MULTI)


def address(
    table: str,
    *,
    street: str,
    city: str,
    county: str,
    postcode: str,
    country: str,
    street2: str = "",
    pobox: str = "",
    aliases: dict[str, tuple[str, ...]] | None = None,
    listed: tuple[str, ...] = (),
) -> tuple[Field, ...]:
    """A postal address; ``aliases`` maps a field name to its query-string names, and
    ``listed`` names the fields shown in basic lists."""
    hints = (
        (street, "street_address"),
        (street2, "secondary_address"),
        (pobox, ""),
        (city, "city"),
        (county, "county"),
        (postcode, "postcode"),
        (country, "current_country"),
    )
    extra = aliases or {}
    return tuple(
        Field(name, table=table, aliases=extra.get(name, ()), in_list=name in listed, faker=hint)
        for name, hint in hints
        if name
    )
