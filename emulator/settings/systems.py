"""``[[systems]]`` tables of a config file: the systems an emulator starts with beside its
default one. Each is a name (a DNS label: how a Host header names it), its key pairs, and
optionally its own ``records``, ``seed`` and ``fixtures``.

    [[systems]]
    name = "acme"
    records = 200
    [[systems.key_pairs]]
    key = "acme-key"
    passkey = "acme-passkey"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: A system's name is one DNS label (``acme`` in ``acme.opencrm.co.uk``), in lower case.
NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
KEYS = frozenset({"name", "key_pairs", "records", "seed", "fixtures"})


@dataclass(frozen=True)
class SystemSpec:
    name: str
    key_pairs: tuple[tuple[str, str], ...]
    records: int = 0
    seed: int = 0
    fixtures: str = ""


def name_problem(name: object) -> str:
    """Why ``name`` cannot name a system ("" when it can)."""
    if not isinstance(name, str) or NAME.fullmatch(name) is None:
        return (
            f"a system name is a DNS label: lower-case letters, digits and inner dashes, "
            f"at most 63 characters (not {name!r})"
        )
    return ""


def pairs_of(tables: Any, where: str) -> tuple[tuple[str, str], ...]:
    """``[[key_pairs]]`` tables, each with exactly a non-empty key and passkey."""
    if not isinstance(tables, list):
        raise ValueError(f"{where}: key_pairs must be [[key_pairs]] tables")
    pairs = []
    for n, table in enumerate(tables, 1):
        if not isinstance(table, dict) or set(table) != {"key", "passkey"}:
            raise ValueError(f"{where}: key pair {n} needs exactly a key and a passkey")
        key, passkey = str(table["key"]), str(table["passkey"])
        if not key or not passkey:
            raise ValueError(f"{where}: key pair {n} has an empty key or passkey")
        pairs.append((key, passkey))
    return tuple(pairs)


def systems_of(tables: Any, path: str) -> tuple[SystemSpec, ...]:
    """The ``[[systems]]`` tables of the config file at ``path``."""
    if not isinstance(tables, list):
        raise ValueError(f"{path}: systems must be [[systems]] tables")
    return tuple(spec_of(table, f"{path}: system {n}") for n, table in enumerate(tables, 1))


def spec_of(table: Any, where: str) -> SystemSpec:
    if not isinstance(table, dict):
        raise ValueError(f"{where} must be a table")
    unknown = set(table) - KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    problem = name_problem(table.get("name"))
    if problem:
        raise ValueError(f"{where}: {problem}")
    pairs = pairs_of(table.get("key_pairs", []), f"{where} ({table['name']})")
    if not pairs:
        raise ValueError(f"{where} ({table['name']}) needs at least one [[systems.key_pairs]]")
    numbers = {k: table.get(k, 0) for k in ("records", "seed")}
    for key, value in numbers.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{where} ({table['name']}): {key} must be a whole number >= 0")
    fixtures = table.get("fixtures", "")
    if not isinstance(fixtures, str):
        raise ValueError(f"{where} ({table['name']}): fixtures must be a folder path")
    return SystemSpec(table["name"], pairs, numbers["records"], numbers["seed"], fixtures)
