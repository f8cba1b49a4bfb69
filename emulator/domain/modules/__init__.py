"""The declarative module registry: every module OpenCRM's API serves, and its fields.

The registry is the single source for the store's tables, list columns, keyword search,
query_string names, Faker data, the README's field tables and the parametrized tests.
Custom fields (``cf_NNN``) are added per module from configuration with
:meth:`Registry.with_custom_fields`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from emulator.domain.modules.crm import CRM_MODULES
from emulator.domain.modules.fields import NUMERIC_TYPES, Field, FieldType, Module, header_fields
from emulator.domain.modules.sales import SALES_MODULES
from emulator.domain.modules.service import SERVICE_MODULES
from emulator.domain.modules.users import USERS

__all__ = [
    "NUMERIC_TYPES",
    "Field",
    "FieldType",
    "Module",
    "Registry",
    "default_registry",
    "header_fields",
]


@dataclass(frozen=True)
class CustomField:
    """A ``cf_NNN`` field declared in configuration (data-model.md §1.4)."""

    module: str  # the module's noun, e.g. "contact"
    name: str  # cf_NNN
    type: FieldType = FieldType.TEXT
    label: str = ""
    picklist: tuple[str, ...] = ()
    in_list: bool = False


class Registry:
    """The modules, looked up by end point noun or by vtiger module name."""

    def __init__(self, modules: Iterable[Module]) -> None:
        self.modules = tuple(modules)
        self._by_noun: dict[str, Module] = {}
        for m in self.modules:
            for noun in (m.noun, *m.edit_aliases):
                self._by_noun[noun] = m
        self._by_record_module = {m.record_module: m for m in self.modules}

    def __iter__(self) -> Iterator[Module]:
        return iter(self.modules)

    def by_noun(self, noun: str) -> Module:
        return self._by_noun[noun]

    def by_record_module(self, record_module: str) -> Module:
        return self._by_record_module[record_module]

    def with_custom_fields(self, custom: Iterable[CustomField]) -> Registry:
        extra: dict[str, list[Field]] = {}
        for cf in custom:
            if not cf.name.startswith("cf_") or not cf.name[3:].isdigit():
                raise ValueError(f"custom field names are cf_NNN, not {cf.name!r}")
            extra.setdefault(self.by_noun(cf.module).noun, []).append(cf_field(self, cf))
        return Registry(
            replace(m, fields=m.fields + tuple(extra[m.noun])) if m.noun in extra else m
            for m in self.modules
        )


def cf_field(registry: Registry, cf: CustomField) -> Field:
    module = registry.by_noun(cf.module)
    table = next((t for t in module.tables if t.endswith("cf")), f"{module.key}cf")
    return Field(
        cf.name,
        cf.type,
        table=table,
        picklist=cf.picklist,
        in_list=cf.in_list,
        label=cf.label or cf.name,
    )


def custom_fields_from_config(config: Mapping[str, object]) -> list[CustomField]:
    """Read ``{"contact": [{"name": "cf_612", "type": "text", "label": ...}, ...], ...}``."""
    found: list[CustomField] = []
    for noun, items in config.items():
        if not isinstance(items, list):
            raise ValueError(f"custom_fields.{noun} must be a list")
        for item in items:
            found.append(
                CustomField(
                    module=noun,
                    name=str(item["name"]),
                    type=FieldType(item.get("type", "text")),
                    label=str(item.get("label", "")),
                    picklist=tuple(item.get("picklist", ())),
                    in_list=bool(item.get("in_list", False)),
                )
            )
    return found


def default_registry() -> Registry:
    return Registry((*CRM_MODULES, *SERVICE_MODULES, *SALES_MODULES, USERS))
