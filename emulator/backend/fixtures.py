"""The hand-written fixture files: users, reference data, custom fields and named records.

The format of each file is documented in ``fixtures/README.md``. A fixtures folder given in
the settings replaces the shipped one; any file it lacks is simply empty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulator.domain.modules import CustomField, custom_fields_from_config

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
