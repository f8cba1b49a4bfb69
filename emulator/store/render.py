"""Field values as the wire shows them, computed inside the SELECT.

OpenCRM's PHP reads MySQL values as strings: unset is ``""``, money has two decimals
(``"1234.50"``), rates three. A checkbox is ``"0"`` or ``"1"`` (OpenCRM's Field Reference); an
unset one reads ``"0"``, as MySQL's column default gives it (records.py stores 0 too, so this
matters only for a database written before it did). On SQLite the conversion is done in
SQL (``printf`` runs in C), so a 50,000-row list needs no Python call per value; other
engines cast to text.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, case, cast, func, literal_column, type_coerce
from sqlalchemy.sql.elements import ColumnClause, KeyedColumnElement

from emulator.domain.modules import Field, FieldType

DECIMALS = {FieldType.CURRENCY: 2, FieldType.DECIMAL: 3}
# Constants are written into the SQL, not bound: a bound '' per column made every SELECT
# carry dozens of parameters, and building them was the largest cost of a get (benchmark).
BLANK: ColumnClause[Any] = literal_column("''")
UNCHECKED: ColumnClause[Any] = literal_column("'0'")
NUMERIC_STORAGE: tuple[ColumnClause[Any], ...] = (
    literal_column("'integer'"),
    literal_column("'real'"),
)
NUMBER_TYPES = frozenset({FieldType.INTEGER, FieldType.REF, FieldType.BOOLEAN})


def wire(col: KeyedColumnElement[object], field: Field, flavour: str) -> ColumnElement[str]:
    """``col`` rendered as its wire string, labelled with the field's API name."""
    return wire_value(col, field.type, flavour).label(field.name)


def wire_value(
    col: KeyedColumnElement[object], type_: FieldType, flavour: str
) -> ColumnElement[str]:
    blank = BLANK
    if type_ in DECIMALS and flavour == "sqlite":
        fmt: ColumnClause[Any] = literal_column(f"'%.{DECIMALS[type_]}f'")
        # Typed as text, so the value can be matched with LIKE (queries.py) like any text.
        return type_coerce(
            case(
                (func.typeof(col).in_(NUMERIC_STORAGE), func.printf(fmt, col)),
                else_=func.coalesce(col, blank),
            ),
            String,
        )
    if type_ is FieldType.BOOLEAN:
        return func.coalesce(cast(col, String), UNCHECKED)
    if type_ in NUMBER_TYPES or type_ in DECIMALS:
        return func.coalesce(cast(col, String), blank)
    return func.coalesce(col, blank)
