"""The systems made at run time (``POST /_emulator/systems``), remembered beside a database
file so they survive a restart: a JSON file ``<database>.systems.json``, written atomically
and readable by its owner only (it holds passkeys, as the database files do). In memory,
nothing survives a restart, so nothing is written."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from emulator.settings.systems import SystemSpec


class Catalogue:
    def __init__(self, path: Path | None) -> None:
        self.path = path

    @classmethod
    def beside(cls, database: str) -> Catalogue:
        memory = database in ("", ":memory:") or "://" in database
        return cls(None if memory else Path(f"{database}.systems.json"))

    def specs(self) -> list[SystemSpec]:
        if self.path is None or not self.path.is_file():
            return []
        entries = json.loads(self.path.read_text(encoding="utf-8"))
        return [spec_of(entry) for entry in entries]

    def save(self, specs: list[SystemSpec]) -> None:
        if self.path is None:
            return
        entries = [entry_of(spec) for spec in specs]
        with tempfile.NamedTemporaryFile(
            "w", dir=self.path.parent, delete=False, encoding="utf-8"
        ) as handle:
            json.dump(entries, handle, indent=2)
        os.chmod(handle.name, 0o600)
        os.replace(handle.name, self.path)


def entry_of(spec: SystemSpec) -> dict[str, object]:
    return {
        "name": spec.name,
        "key_pairs": [{"key": k, "passkey": p} for k, p in spec.key_pairs],
        "records": spec.records,
        "seed": spec.seed,
        "fixtures": spec.fixtures,
    }


def spec_of(entry: dict[str, object]) -> SystemSpec:
    pairs = entry.get("key_pairs")
    assert isinstance(pairs, list)
    return SystemSpec(
        name=str(entry["name"]),
        key_pairs=tuple((str(p["key"]), str(p["passkey"])) for p in pairs),
        records=int(str(entry.get("records", 0))),
        seed=int(str(entry.get("seed", 0))),
        fixtures=str(entry.get("fixtures", "")),
    )
