"""The emulator's settings: one frozen object, built from four sources.

Precedence, lowest first: the defaults below < a TOML config file (``--config``) <
environment variables ``OPENCRM_EMULATOR_<NAME>`` < command-line flags. Every field of
:class:`Settings` is declared once with :func:`emulator.settings.declarations.setting` (type,
default, meaning, allowed values, the commands taking it as a flag); from that come its flag
(``--access-key-idle-minutes``), its environment variable
(``OPENCRM_EMULATOR_ACCESS_KEY_IDLE_MINUTES``), its TOML key (``access_key_idle_minutes = 30``),
its line in ``--help``, its row in README's table and the checks of its values.

Key pairs: ``key``/``passkey`` give the primary pair; a config file may add more with
``[[key_pairs]]`` tables (``key = "..."``, ``passkey = "..."``). All of them belong to the
default system (setting ``system``); ``[[systems]]`` tables add other systems
(emulator/settings/systems.py).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from emulator.settings.declarations import DATA, EVERY, declarations, setting
from emulator.settings.declarations import ENV_PREFIX as ENV_PREFIX
from emulator.settings.limits import Limits
from emulator.settings.systems import SystemSpec, name_problem, pairs_of, systems_of

DEMO_KEY = "demo-key"
DEMO_PASSKEY = "demo-passkey"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
MAX_IDLE_MINUTES = 10_000_000  # about 19 years: beyond it the expiry time overflows
#: The most users seeding makes (emulator.seed.MOST_USERS; a test keeps the two equal).
SEEDED_USERS = 50

SERVER, KEYS, RECORDS, API, GENERAL = "server", "credentials", "data", "API behaviour", "general"


@dataclass(frozen=True)
class Settings(Limits):
    """Every setting, each declared once. To add one: a field here with ``setting(...)``, then
    ``python -m emulator.docs --readme README.md`` to regenerate README's table. The limits
    on what one request may take are declared in emulator/settings/limits.py."""

    host: str = setting(
        "127.0.0.1",
        "Address to listen on; the emulator listens beyond loopback only when told"
        " (0.0.0.0: every interface).",
        SERVER,
        metavar="ADDRESS",
    )
    port: int = setting(
        8080, "Port to listen on; 0 picks a free one.", SERVER, at_least=0, at_most=65535
    )
    database: str = setting(
        ":memory:",
        "Where the records live: :memory:, a SQLite file (WAL; data survives restarts), or"
        " a PostgreSQL URL postgresql+psycopg://user:pass@host:port/db (the postgres extra;"
        " a schema per system).",
        RECORDS,
        DATA,
        metavar="DATABASE",
    )
    key: str = setting(DEMO_KEY, "The API key of the primary key pair.", KEYS, metavar="KEY")
    passkey: str = setting(
        DEMO_PASSKEY,
        "The passkey of the primary key pair; one of your own is never printed or logged.",
        KEYS,
        metavar="PASSKEY",
    )
    config: str = setting(
        "",
        "A TOML file of settings (these names as keys; [[key_pairs]] tables of key and"
        " passkey add key pairs).",
        GENERAL,
        EVERY,
        metavar="FILE",
        unset="none",
    )
    records: int = setting(
        0,
        f"Top every module up to this many live records with Faker data, Users to at most"
        f" {SEEDED_USERS} (a CRM has a few dozen users); 0: the fixtures only.",
        RECORDS,
        DATA,
        at_least=0,
    )
    seed: int = setting(
        0,
        "The random seed of Faker records and of fault probabilities: the same seed gives"
        " byte-identical records.",
        RECORDS,
        DATA,
    )
    fixtures: str = setting(
        "",
        "A folder of fixture JSON files replacing the shipped ones.",
        RECORDS,
        DATA,
        metavar="FOLDER",
        unset="the shipped fixtures",
    )
    log_level: str = setting(
        "info",
        "The least severe log messages shown (seeding progress is info).",
        GENERAL,
        EVERY,
        choices=LOG_LEVELS,
    )
    access_key_idle_minutes: float = setting(
        30.0,
        "A login access key expires after this many minutes without a request.",
        API,
        more_than=0,
        at_most=MAX_IDLE_MINUTES,
    )
    error_status: Literal["200", "http"] = setting(
        "200",
        "HTTP status of errors: 200 (with an error body, as the real API) or http (401/400/404).",
        API,
    )
    list_cap: int = setting(
        50_000,
        "The most records a list call without limit_end returns (the guide's 50,000); an"
        " explicit limit_end goes past it, as the guide says.",
        API,
        more_than=0,
    )
    limit_end_mode: Literal["end", "count"] = setting(
        "end",
        "How limit_end is read: end (an end index, the guide's words) or count (a count, as"
        " SQL LIMIT).",
        API,
    )
    waf: Literal["block", "warn", "off"] = setting(
        "block",
        "The live API's web firewall: block (HTTP 403 for a User-Agent containing python, or"
        " curl's default), warn (answered, with a journal warning) or off.",
        API,
    )
    strict: Literal["off", "warn", "error"] = setting(
        "off",
        "Strict mode, reporting client mistakes the real API accepts silently: off, warn"
        " (journal and X-OpenCRM-Emulator-Warning headers) or error (a strict error, nothing"
        " written).",
        API,
    )
    date_format: str = setting(
        "Y-m-d",
        "PHP date() format of date fields when no dateOverride is sent (Y-m-d: as stored).",
        API,
        metavar="FORMAT",
    )
    datetime_format: str = setting(
        "Y-m-d H:i:s",
        "PHP date() format of date-times when no dateTimeOverride is sent.",
        API,
        metavar="FORMAT",
    )
    timezone: str = setting(
        "Europe/London",
        "The IANA time zone record times are kept in (a UK CRM keeps UK time).",
        RECORDS,
        DATA,
        metavar="ZONE",
    )
    api_user_id: int = setting(
        1, "The user API calls act as (audit trail, creator, modifier).", API, metavar="ID"
    )
    create_audit_action: Literal["Modified(API)", "Created(API)"] = setting(
        "Modified(API)",
        "The action an API create writes in the audit log: Modified(API) (the guide's words for"
        " records modified or added) or Created(API).",
        API,
    )
    journal_size: int = setting(
        1000, "How many API calls the journal (/_emulator/journal) keeps.", API, at_least=0
    )
    max_body_bytes: int = setting(
        4 * 1024 * 1024, "The largest request body accepted, in bytes.", API, more_than=0
    )
    control_token: str = setting(
        "",
        "The token the control plane (/_emulator/) requires when the server listens beyond"
        " loopback.",
        SERVER,
        metavar="TOKEN",
        unset="none",
    )
    cache_dir: str = setting(
        "",
        "Where the database image after loading the fixtures is cached, so later starts skip"
        " the loading; off: no cache.",
        RECORDS,
        DATA,
        metavar="FOLDER",
        unset="the user's cache folder",
    )
    ssl_certfile: str = setting(
        "",
        "A PEM certificate file: serve HTTPS (TLS 1.2 or newer only).",
        SERVER,
        metavar="FILE",
        unset="none (HTTP)",
    )
    ssl_keyfile: str = setting(
        "",
        "The PEM private key of ssl_certfile, unless that file holds it.",
        SERVER,
        metavar="FILE",
        unset="none",
    )
    system: str = setting(
        "demo",
        "The name of the default system: the one the primary key pair and [[key_pairs]]"
        " belong to, and that a call reaches when neither its Host nor its credentials name"
        " another.",
        KEYS,
        DATA,
        metavar="NAME",
    )
    workers: int = setting(
        1,
        "Server processes answering on the one port; more than 1 needs a PostgreSQL"
        ' database, which they share (README, "Scaling out").',
        SERVER,
        at_least=1,
        at_most=64,
        metavar="N",
    )
    max_systems: int = setting(
        100,
        "The most systems one emulator holds, the default one included (POST /_emulator/"
        "systems beyond it is refused).",
        SERVER,
        at_least=1,
        metavar="N",
    )
    #: More key pairs, from ``[[key_pairs]]`` tables of a config file only.
    key_pairs: tuple[tuple[str, str], ...] = field(default=())
    #: Other systems, from ``[[systems]]`` tables of a config file only.
    systems: tuple[SystemSpec, ...] = field(default=())

    def credentials(self) -> dict[str, str]:
        """Every accepted key with its passkey, the primary pair included."""
        pairs = dict(self.key_pairs)
        pairs[self.key] = self.passkey
        return pairs


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
