"""How the store's SQL differs between the databases it runs on: the one place that knows.

The emulator answers as OpenCRM's PHP over MySQL does, and it was built on SQLite, whose
typing is the model: a number field holds a number or, when a client sent text (the API does
no validation), that text; text compares case-insensitively (ASCII, SQLite's NOCASE); a number
compares below any text; NULLs sort first. :class:`SQLite` is that, as SQLite does it.
:class:`PostgreSQL` gives the same answers on PostgreSQL, byte for byte: a number field is a
``text`` column holding the number in the text SQLite would show for it (or the text sent),
compared as a number where it is one; text fields are ``citext`` (case-insensitive by the
database's LC_CTYPE: ``C`` folds ASCII only, as SQLite); money is rounded as SQLite's
``printf`` rounds it.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Float,
    Integer,
    Numeric,
    String,
    Text,
    and_,
    case,
    cast,
    false,
    func,
    literal_column,
    not_,
    or_,
    true,
    type_coerce,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.types import TypeDecorator, TypeEngine

from emulator.domain.filters import ESCAPE_CHAR, Op
from emulator.domain.modules import NUMERIC_TYPES, Field, FieldType

INTEGER_TYPES = frozenset({FieldType.INTEGER, FieldType.REF, FieldType.BOOLEAN})
FLOAT_TYPES = frozenset({FieldType.DECIMAL, FieldType.CURRENCY})
NUMBER_LIKE = NUMERIC_TYPES | {FieldType.REF, FieldType.BOOLEAN}
DECIMALS = {FieldType.CURRENCY: 2, FieldType.DECIMAL: 3}
# Constants are written into the SQL, not bound: a bound '' per column made every SELECT
# carry dozens of parameters, and building them was the largest cost of a get (benchmark).
BLANK: ColumnClause[Any] = literal_column("''")
#: A checkbox never set reads "0", as MySQL's column default gives it (records.py stores 0
#: too, so this matters only for a database written before it did).
UNCHECKED: ColumnClause[Any] = literal_column("'0'")
Column = ColumnElement[Any]


class Number(TypeDecorator[Any]):
    """A FLOAT column that binds values as they come: text an edit sends to a number field
    is stored as sent (records.store_value), where Float's bind processor raised ValueError."""

    impl = Float
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> None:
        return None


class SQLite:
    name = "sqlite"
    converts = False  # values are stored as they come: column affinity converts them

    def column_type(self, field: Field) -> TypeEngine[Any]:
        if field.type in INTEGER_TYPES:
            return Integer()
        if field.type in FLOAT_TYPES:
            return Number()
        return self.text_type()

    def text_type(self) -> TypeEngine[Any]:
        return Text(collation="NOCASE")

    def wire(self, col: Column, type_: FieldType) -> ColumnElement[str]:
        """``col`` as the wire shows it: a string, ``""`` when unset; money with 2 decimals
        and rates with 3, done in SQL (printf runs in C: no Python call per value)."""
        if type_ in DECIMALS:
            fmt: ColumnClause[Any] = literal_column(f"'%.{DECIMALS[type_]}f'")
            numeric = func.typeof(col).in_([literal_column("'integer'"), literal_column("'real'")])
            # Typed as text, so the value can be matched with LIKE (queries.py) like any text.
            return type_coerce(
                case((numeric, func.printf(fmt, col)), else_=func.coalesce(col, BLANK)), String
            )
        if type_ is FieldType.BOOLEAN:
            return func.coalesce(cast(col, String), UNCHECKED)
        if type_ in INTEGER_TYPES:
            return func.coalesce(cast(col, String), BLANK)
        return func.coalesce(col, BLANK)

    def unset_zero(self, col: Column) -> ColumnElement[Any]:
        """A checkbox's value, 0 when unset (MySQL's column default)."""
        return func.coalesce(col, literal_column("0"))

    def like(self, target: ColumnElement[Any], pattern: str) -> ColumnElement[bool]:
        return target.like(pattern, escape=ESCAPE_CHAR)

    def compare(
        self, col: Column, field: Field | None, op: Op, value: object
    ) -> ColumnElement[bool]:
        return compare(col, op, value)

    def blank(self, col: Column, field: Field | None) -> ColumnElement[bool]:
        return or_(col.is_(None), col == "")

    def storage(self, field: Field, value: object) -> object:
        return value  # SQLite's column affinity converts numeric text itself

    def order(self, col: Column, field: Field | None, descending: bool) -> list[ColumnElement[Any]]:
        return [col.desc() if descending else col.asc()]

    def reference(self, col: Column) -> ColumnElement[Any]:
        """A reference field's value, to compare with a record's key."""
        return col


def compare(col: ColumnElement[Any], op: Op, value: object) -> ColumnElement[bool]:
    if op is Op.GT:
        return col > value
    if op is Op.LT:
        return col < value
    if op is Op.GE:
        return col >= value
    if op is Op.LE:
        return col <= value
    return col == value


#: A number as the canonical text the PostgreSQL flavour stores (see :func:`canonical`).
NUMERIC_TEXT = r"^-?[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?$"


class PostgreSQL:
    name = "postgresql"
    converts = True  # numbers are stored as canonical text (:meth:`storage`)

    def column_type(self, field: Field) -> TypeEngine[Any]:
        return Text() if field.type in NUMBER_LIKE else self.text_type()

    def text_type(self) -> TypeEngine[Any]:
        from sqlalchemy.dialects.postgresql import CITEXT  # not loaded on SQLite

        return CITEXT()

    def wire(self, col: Column, type_: FieldType) -> ColumnElement[str]:
        if type_ in DECIMALS:
            rounded = func.round(cast(cast(col, Float), Numeric), DECIMALS[type_])
            return case((is_number(col), cast(rounded, Text)), else_=func.coalesce(col, BLANK))
        if type_ is FieldType.BOOLEAN:
            return func.coalesce(cast(col, Text), UNCHECKED)
        return func.coalesce(cast(col, Text), BLANK)

    def unset_zero(self, col: Column) -> ColumnElement[Any]:
        return func.coalesce(col, UNCHECKED)

    def like(self, target: ColumnElement[Any], pattern: str) -> ColumnElement[bool]:
        # ILIKE on number fields' text (citext's LIKE folds case already): SQLite's LIKE
        # ignores ASCII case whatever the column.
        return target.ilike(pattern, escape=ESCAPE_CHAR)

    def compare(
        self, col: Column, field: Field | None, op: Op, value: object
    ) -> ColumnElement[bool]:
        if field is None:  # the record's key: always a number
            return key_compare(col, op, value)
        if field.type not in NUMBER_LIKE:
            return compare(col, op, value)
        return mixed_compare(col, op, value)

    def blank(self, col: Column, field: Field | None) -> ColumnElement[bool]:
        if field is None:
            return col.is_(None)
        return or_(col.is_(None), cast(col, Text) == "")

    def storage(self, field: Field, value: object) -> object:
        if field.type not in NUMBER_LIKE or value is None:
            return value
        return canonical(value, integral=field.type in INTEGER_TYPES)

    def order(self, col: Column, field: Field | None, descending: bool) -> list[ColumnElement[Any]]:
        """SQLite's order: NULL, then numbers by value, then text; descending the reverse."""
        if field is None or field.type not in NUMBER_LIKE:
            keys: list[ColumnElement[Any]] = [col]
        else:
            kind = case((col.is_(None), 0), (is_number(col), 1), else_=2)
            keys = [kind, case((is_number(col), cast(col, Numeric))), cast(col, Text)]
        if descending:
            return [k.desc().nulls_last() for k in keys]
        return [k.asc().nulls_first() for k in keys]

    def reference(self, col: Column) -> ColumnElement[Any]:
        return case((col.bool_op("~")(r"^[0-9]{1,18}$"), cast(col, BigInteger)))


def is_number(col: ColumnElement[Any]) -> ColumnElement[bool]:
    return cast(col, Text).bool_op("~")(NUMERIC_TEXT)


def mixed_compare(col: Column, op: Op, value: object) -> ColumnElement[bool]:
    """SQLite's comparison of a number field with a value: numbers by value, text as text,
    and any number below any text."""
    number = is_number(col)
    if isinstance(value, int | float):
        by_value = and_(number, compare(cast(col, Numeric), op, value))
        if op in (Op.GT, Op.GE):
            return or_(by_value, and_(col.is_not(None), not_(number)))
        return by_value
    text = and_(not_(number), compare(cast(col, Text).collate("C"), op, value))
    if op in (Op.LT, Op.LE):
        return or_(number, text)
    return text


def key_compare(col: Column, op: Op, value: object) -> ColumnElement[bool]:
    """A record's key (always a number) against a value that may be text: text is above
    every number, as in SQLite."""
    if isinstance(value, int | float):
        return compare(col, op, value)
    return true() if op in (Op.LT, Op.LE) else false()


def canonical(value: object, integral: bool) -> str:
    """A number as the text SQLite shows for it in a column of an integer (``integral``) or
    real field: an integer's digits; a real as ``printf("%!.15g")`` writes it (``1.5``,
    ``1.0e+20``); an integral real in an integer field as the integer. Text that reads as a
    number is converted as SQLite's column affinity converts it; other text stays as it is."""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, str):
        value = number_of(value)
        if isinstance(value, str):
            return value
    if isinstance(value, int):
        return str(value)
    assert isinstance(value, float)
    if integral and value.is_integer() and -(2**63) <= value < 2**63:
        return str(int(value))
    return real_text(value)


def number_of(text: str) -> object:
    """The number ``text`` is, as SQLite's numeric affinity reads it, else the text."""
    stripped = text.strip()
    try:
        number = int(stripped) if stripped.lstrip("+-").isdigit() else float(stripped)
    except ValueError:
        return text
    if isinstance(number, float) and not math.isfinite(number):
        return text
    return number


def real_text(value: float) -> str:
    """A real as SQLite casts it to text (``%!.15g``): 15 significant digits rounded half up
    (SQLite's printf rounds its decimal digits so, not the binary value), at least one digit
    after the point, the exponent form below 1e-4 and from 1e15, and no negative zero."""
    if value == 0:
        return "0.0"
    with localcontext() as context:
        context.prec, context.rounding = 15, ROUND_HALF_UP
        rounded = +Decimal(value)
    exponent = rounded.adjusted()
    if -4 <= exponent < 15:
        whole, _, fraction = format(rounded, "f").partition(".")
        return f"{whole}.{fraction.rstrip('0') or '0'}"
    sign, digits, _ = rounded.as_tuple()
    figures = "".join(map(str, digits)).rstrip("0")
    mantissa = f"{figures[0]}.{figures[1:] or '0'}"
    return f"{'-' if sign else ''}{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"


Flavour = SQLite | PostgreSQL
FLAVOURS: dict[str, Flavour] = {"sqlite": SQLite(), "postgresql": PostgreSQL()}
