"""Reports: ``get_record_list_from_report`` (guide, "Reporting Functions").

Two kinds, with separate id spaces (``isCustomReport`` picks one):

* a *standard* report is declared: a module, its columns, filters written as a query_string
  (the list end points' machinery) and an ordering. Columns and filters may follow one
  reference field to the record it points at: ``accountid.accountname`` on a contact report.
* a *custom* report (``isCustomReport=true``) is read-only SQL over the store's tables, as
  OpenCRM writes such reports for a customer (rules in ``emulator.domain.custom_reports``).

Definitions come from ``reports.json`` in the fixtures folder (format: fixtures/README.md).
Standard definitions are checked when the emulator starts; a custom report's SQL when it runs.

Rows carry ``id`` and ``crmid`` (numbers), then one key per column named as the guide's
``"Module_fieldname"``: the vtiger module name (``record_module``), ``_``, the field's API name,
e.g. ``Contacts_lastname``, ``HelpDesk_status``; ``accountid.accountname`` gives
``Accounts_accountname``. Values are wire strings, as in lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from emulator.domain.filters import Condition, QueryStringError, parse
from emulator.domain.modules import Field, FieldType, Module, Registry
from emulator.errors import ReportError

ID_NAMES = frozenset({"crmid", "id"})


@dataclass(frozen=True)
class Path:
    """Where a name in a report points: a field of the report's module, or of the record one
    of its reference fields (``via``) points at."""

    via: Field | None
    module: Module
    name: str


@dataclass(frozen=True)
class Column:
    key: str  # the row key: Module_fieldname
    path: Path
    field: Field


@dataclass(frozen=True)
class Filter:
    path: Path
    condition: Condition  # its field renamed to path.name


@dataclass(frozen=True)
class Order:
    path: Path
    descending: bool = False


@dataclass(frozen=True)
class StandardReport:
    id: int
    name: str
    module: Module
    columns: tuple[Column, ...]
    filters: tuple[Filter, ...] = ()
    ordering: tuple[Order, ...] = ()

    @property
    def joins(self) -> tuple[Field, ...]:
        """The reference fields the report follows, each once."""
        paths = [c.path for c in self.columns] + [f.path for f in self.filters]
        found = {p.via.name: p.via for p in paths + [o.path for o in self.ordering] if p.via}
        return tuple(found.values())


@dataclass(frozen=True)
class CustomReport:
    id: int
    name: str
    sql: str


Report = StandardReport | CustomReport


@dataclass(frozen=True)
class ReportBook:
    standard: Mapping[int, StandardReport]
    custom: Mapping[int, CustomReport]

    @classmethod
    def from_config(cls, raw: object, registry: Registry) -> ReportBook:
        if not isinstance(raw, list):
            raise ValueError("reports.json must be a JSON array of report definitions")
        standard: dict[int, StandardReport] = {}
        custom: dict[int, CustomReport] = {}
        for item in raw:
            report = definition(item, registry)
            shelf: dict[int, Any] = custom if isinstance(report, CustomReport) else standard
            if report.id in shelf:
                raise ValueError(f"reports.json: two reports of the same kind have id {report.id}")
            shelf[report.id] = report
        return cls(standard, custom)

    def find(self, rid: int, custom: bool) -> Report:
        """Report ``rid`` of the kind asked for (``isCustomReport``), or a ReportError that
        says when the id is one of the other kind."""
        shelf: Mapping[int, Report] = self.custom if custom else self.standard
        other: Mapping[int, Report] = self.standard if custom else self.custom
        if rid in shelf:
            return shelf[rid]
        message = f"No {'custom ' if custom else ''}report with id {rid}"
        if rid in other:
            message += (
                f"; report {rid} is a standard report: leave out isCustomReport"
                if custom
                else f"; report {rid} is a custom report: send isCustomReport=true"
            )
        raise ReportError(message)


# -- definitions (checked at start-up) -------------------------------------------------------


def definition(item: object, registry: Registry) -> Report:
    if not isinstance(item, dict):
        raise ValueError("reports.json: each report is a JSON object")
    rid, name = item.get("id"), item.get("name")
    if not isinstance(rid, int) or isinstance(rid, bool) or rid < 1:
        raise ValueError(f'reports.json: report {name!r} needs an "id": a whole number >= 1')
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f'reports.json: report {rid} needs a "name"')
    try:
        if "sql" in item:
            return CustomReport(rid, name, text_of(item, "sql", required=True))
        return standard(rid, name, item, registry)
    except (ValueError, KeyError) as exc:
        raise ValueError(f"reports.json: report {rid} ({name}): {exc}") from None


def standard(rid: int, name: str, item: Mapping[str, Any], registry: Registry) -> StandardReport:
    module = module_of(registry, text_of(item, "module", required=True))
    names = item.get("columns")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ValueError('"columns" must be a non-empty list of field names')
    columns = tuple(column(registry, module, n) for n in names)
    keys = [c.key for c in columns]
    if len(set(keys)) != len(keys):
        raise ValueError(f"two columns give the same row key: {keys}")
    try:
        conditions = parse(text_of(item, "filters"))
    except QueryStringError as exc:
        raise ValueError(f'"filters": {exc}') from None
    filters = tuple(condition_filter(registry, module, c) for c in conditions)
    return StandardReport(rid, name, module, columns, filters, ordering(registry, module, item))


def text_of(item: Mapping[str, Any], key: str, required: bool = False) -> str:
    value = item.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(f'"{key}" must be {"a non-empty" if required else "a"} string')
    return value


def module_of(registry: Registry, name: str) -> Module:
    """A module by end point noun (``ticket``) or by vtiger name (``HelpDesk``)."""
    for look_up in (registry.by_noun, registry.by_record_module):
        try:
            return look_up(name.strip())
        except KeyError:
            continue
    raise ValueError(f"unknown module {name!r}")


def resolve(registry: Registry, module: Module, name: str) -> Path:
    name = name.strip()
    if known(module, name):
        return Path(None, module, name)
    prefix, dot, rest = name.partition(".")
    via = module.edit_field(prefix) if dot else None
    if via is None or via.type is not FieldType.REF:
        raise ValueError(f"unknown field {name!r} in {module.record_module}")
    if via.ref in ("", "*"):
        raise ValueError(f"{prefix!r} may point at several modules, so {name!r} cannot be used")
    target = registry.by_noun(via.ref)
    if not known(target, rest):
        raise ValueError(f"unknown field {rest!r} in {target.record_module} (in {name!r})")
    return Path(via, target, rest)


def known(module: Module, name: str) -> bool:
    return name.lower() in ID_NAMES or module.query_field(name) is not None


def column(registry: Registry, module: Module, name: str) -> Column:
    path = resolve(registry, module, name)
    field = path.module.edit_field(path.name) or path.module.query_field(path.name)
    if field is None:
        raise ValueError(f"column {name!r} is not a field (ids are in every row already)")
    return Column(f"{path.module.record_module}_{field.name}", path, field)


def condition_filter(registry: Registry, module: Module, cond: Condition) -> Filter:
    path = resolve(registry, module, cond.field)
    return Filter(path, replace(cond, field=path.name))


def ordering(registry: Registry, module: Module, item: Mapping[str, Any]) -> tuple[Order, ...]:
    raw = item.get("ordering", [])
    raw = [raw] if isinstance(raw, dict) else raw
    if not isinstance(raw, list) or not all(isinstance(o, dict) for o in raw):
        raise ValueError('"ordering" must be a list of {"field": ..., "direction": ...}')
    orders = []
    for o in raw:
        direction = str(o.get("direction", "asc")).strip().lower()
        if direction not in ("asc", "desc"):
            raise ValueError(f'"direction" must be "asc" or "desc", not {direction!r}')
        path = resolve(registry, module, str(o.get("field", "")))
        orders.append(Order(path, descending=direction == "desc"))
    return tuple(orders)


# -- running ---------------------------------------------------------------------------------


def expand(text: str, today: date) -> str:
    """Date words in filter values, read from the emulator's clock when the report runs."""
    words = {
        "{today}": today.isoformat(),
        "{month}": f"{today.month:02d}",
        "{year}": str(today.year),
        "{last_year}": str(today.year - 1),
        "{next_year}": str(today.year + 1),
    }
    for word, value in words.items():
        text = text.replace(word, value)
    return text


def filters_on(report: StandardReport, today: date) -> tuple[Filter, ...]:
    return tuple(
        replace(f, condition=replace(f.condition, value=expand(f.condition.value, today)))
        for f in report.filters
    )
