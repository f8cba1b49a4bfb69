"""The hand-written fixture files (users, reference data, custom fields, reports and named
records), and loading them into a store.

The format of each file is documented in ``fixtures/README.md``. A fixtures folder given in
the settings replaces the shipped one; any file it lacks is simply empty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulator.backend import sales
from emulator.domain.modules import CustomField, Module, custom_fields_from_config
from emulator.domain.product_lines import ReferenceData
from emulator.store import Store, UnitOfWork

PACKAGE = Path(__file__).resolve().parents[1]  # the emulator package


def default_folder() -> Path:
    """The fixtures shipped in the wheel, or the repository's folder in a source checkout."""
    shipped = PACKAGE / "_fixtures"
    return shipped if shipped.is_dir() else PACKAGE.parent / "fixtures"


def read_json(path: Path, default: Any) -> Any:
    if not path.is_file():
        return default
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


@dataclass(frozen=True)
class FixtureSet:
    folder: Path
    users: list[dict[str, Any]] = field(default_factory=list)
    reference: dict[str, Any] = field(default_factory=dict)
    custom_fields: list[CustomField] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: str = "") -> FixtureSet:
        root = Path(folder) if folder else default_folder()
        if not root.is_dir():
            raise ValueError(f"fixtures folder not found: {root}")
        records_dir = root / "records"
        return cls(
            folder=root,
            users=read_json(root / "users.json", []),
            reference=read_json(root / "reference.json", {}),
            custom_fields=custom_fields_from_config(read_json(root / "custom_fields.json", {})),
            reports=read_json(root / "reports.json", []),
            records={p.stem: read_json(p, []) for p in sorted(records_dir.glob("*.json"))}
            if records_dir.is_dir()
            else {},
        )


def load_into(store: Store, fixtures: FixtureSet, reference: ReferenceData) -> None:
    """Insert the fixture users and records (sales records with their lines) in one
    transaction: start-up loads fixtures only into a database without users, so a crash
    half-way must leave none behind (a later start would take the rest for loaded)."""
    with store.transaction() as work:
        work.insert_records("user", fixtures.users)
        for module in store.registry:
            rows = fixtures.records.get(module.noun, [])
            if rows and module.crmentity:
                work.insert_records(module.noun, rows)
        for module in store.registry:
            if module.sales:
                insert_lines(work, module, fixtures, reference)


def insert_lines(
    work: UnitOfWork, module: Module, fixtures: FixtureSet, reference: ReferenceData
) -> None:
    ctx = sales.LineContext(work, reference)
    for row in fixtures.records.get(module.noun, []):
        crmid = int(row["crmid"])
        work.insert_lines(crmid, sales.fixture_lines(ctx, row.get("products", [])))
        sales.recompute_totals(ctx, module, crmid)
