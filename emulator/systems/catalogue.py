"""The systems made at run time (``POST /_emulator/systems``), remembered so they survive a
restart: beside a database file, a JSON file ``<database>.systems.json``, written atomically
and readable by its owner only (it holds passkeys, as the database files do); on PostgreSQL,
a table of the default system's schema, which every process on the database reads
(:class:`SharedCatalogue`). In memory, nothing survives a restart, so nothing is written."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from emulator.settings.systems import SystemSpec
from emulator.store.shared import SharedState


class Catalogue:
    #: Whether other processes add and remove systems too (then read it again to see them).
    shared = False

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._specs: dict[str, SystemSpec] | None = None

    @classmethod
    def beside(cls, database: str) -> Catalogue:
        memory = database in ("", ":memory:") or "://" in database
        return cls(None if memory else Path(f"{database}.systems.json"))

    def specs(self) -> list[SystemSpec]:
        if self._specs is None:
            self._specs = {spec.name: spec for spec in self.read()}
        return list(self._specs.values())

    def read(self) -> list[SystemSpec]:
        if self.path is None or not self.path.is_file():
            return []
        entries = json.loads(self.path.read_text(encoding="utf-8"))
        return [spec_of(entry) for entry in entries]

    def add(self, spec: SystemSpec) -> bool:
        """Remember a new system (True: no other process made one of its name first)."""
        self.specs()
        assert self._specs is not None
        self._specs[spec.name] = spec
        self.save(list(self._specs.values()))
        return True

    def remove(self, name: str) -> None:
        self.specs()
        assert self._specs is not None
        self._specs.pop(name, None)
        self.save(list(self._specs.values()))

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


class SharedCatalogue(Catalogue):
    """The catalogue every process on a PostgreSQL database shares (emulator_systems)."""

    shared = True

    def __init__(self, state: SharedState) -> None:
        super().__init__(None)
        self.state = state

    def specs(self) -> list[SystemSpec]:
        return [spec_of(json.loads(text)) for text in self.state.systems()]

    def add(self, spec: SystemSpec) -> bool:
        return self.state.add_system(spec.name, json.dumps(entry_of(spec)))

    def remove(self, name: str) -> None:
        self.state.remove_system(name)
