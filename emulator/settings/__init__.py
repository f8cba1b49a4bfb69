"""The emulator's settings: one frozen object, built from four sources.

Precedence, lowest first: the defaults < a TOML config file (``--config``) < environment
variables ``OPENCRM_EMULATOR_<NAME>`` < command-line flags. Every field of :class:`Settings`
(emulator/settings/fields.py; the limits in limits.py) is declared once with
:func:`emulator.settings.declarations.setting` (type, default, meaning, allowed values, the
commands taking it as a flag); from that come its flag (``--access-key-idle-minutes``), its
environment variable (``OPENCRM_EMULATOR_ACCESS_KEY_IDLE_MINUTES``), its TOML key
(``access_key_idle_minutes = 30``), its line in ``--help``, its row in README's table and the
checks of its values.

Key pairs: ``key``/``passkey`` give the primary pair; a config file may add more with
``[[key_pairs]]`` tables (``key = "..."``, ``passkey = "..."``). All of them belong to the
default system (setting ``system``); ``[[systems]]`` tables add other systems
(emulator/settings/systems.py).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from emulator.settings.declarations import ENV_PREFIX as ENV_PREFIX
from emulator.settings.declarations import declarations
from emulator.settings.fields import DEMO_KEY as DEMO_KEY
from emulator.settings.fields import DEMO_PASSKEY as DEMO_PASSKEY
from emulator.settings.fields import LOG_LEVELS as LOG_LEVELS
from emulator.settings.fields import MAX_IDLE_MINUTES as MAX_IDLE_MINUTES
from emulator.settings.fields import SEEDED_USERS as SEEDED_USERS
from emulator.settings.fields import Settings as Settings
from emulator.settings.systems import name_problem, pairs_of, systems_of

CONFIG_ONLY = ("key_pairs", "systems")
DECLARATIONS = declarations(Settings, undeclared=CONFIG_ONLY)
BY_NAME = {d.name: d for d in DECLARATIONS}
SETTING_NAMES = tuple(BY_NAME)


def load_settings(
    cli: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Settings from defaults < config file < environment < CLI (``None`` CLI values ignored)."""
    cli = {k: v for k, v in (cli or {}).items() if v is not None}
    env_values = {d.name: env[d.env] for d in DECLARATIONS if env and d.env in env}
    config_path = cli.get("config") or env_values.get("config") or ""
    merged: dict[str, Any] = read_config(config_path) if config_path else {}
    merged.update(env_values)
    merged.update(cli)
    return build(merged)


def read_config(path: str) -> dict[str, Any]:
    with Path(path).open("rb") as fh:
        data = tomllib.load(fh)
    pairs, systems = data.pop("key_pairs", []), data.pop("systems", [])
    unknown = set(data) - set(SETTING_NAMES)
    if unknown:
        raise ValueError(f"unknown settings in {path}: {', '.join(sorted(unknown))}")
    data["key_pairs"] = pairs_of(pairs, path)
    data["systems"] = systems_of(systems, path)
    data["config"] = path
    return data


def build(values: Mapping[str, Any]) -> Settings:
    """A Settings from raw values (strings from env/CLI are converted to each field's type)."""
    kwargs: dict[str, Any] = {}
    for name, raw in values.items():
        if name not in BY_NAME and name not in CONFIG_ONLY:
            raise ValueError(f"unknown setting: {name}")
        kwargs[name] = raw if name in CONFIG_ONLY else BY_NAME[name].coerce(raw)
    settings = Settings(**kwargs)
    validate(settings)
    return settings


def validate(s: Settings) -> None:
    """Refuse values a declaration does not allow, and the rules no declaration states."""
    for declaration in DECLARATIONS:
        problem = declaration.problem(getattr(s, declaration.name))
        if problem:
            raise ValueError(problem)
    if not s.key or not s.passkey:
        raise ValueError("key and passkey must not be empty")
    validate_systems(s)
    if s.workers > 1 and not s.database.startswith("postgresql"):
        raise ValueError(
            "workers above 1 need a PostgreSQL database (--database postgresql+psycopg://...):"
            " on SQLite one process holds the database"
        )
    try:
        ZoneInfo(s.timezone)
    except (ValueError, ZoneInfoNotFoundError):
        raise ValueError(f"timezone {s.timezone!r} is not an IANA time zone name") from None


def validate_systems(s: Settings) -> None:
    """Names are DNS labels and unique; a key belongs to one system only."""
    problem = name_problem(s.system)
    if problem:
        raise ValueError(f"system: {problem}")
    names = [s.system, *(spec.name for spec in s.systems)]
    if len(set(names)) != len(names):
        raise ValueError(f"two systems have the same name: {', '.join(names)}")
    keys = [*s.credentials(), *(k for spec in s.systems for k, _ in spec.key_pairs)]
    if len(set(keys)) != len(keys):
        raise ValueError("a key belongs to one system only: two key pairs have the same key")
    if len(names) > s.max_systems:
        raise ValueError(
            f"{len(names)} systems configured, more than max_systems ({s.max_systems})"
        )
