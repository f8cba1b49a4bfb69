"""Every setting but the limits (emulator/settings/limits.py): the fields of
:class:`Settings`, each declared once with :func:`emulator.settings.declarations.setting`
under its heading (server, credentials, data, API behaviour, general), and the constants
their defaults and checks use (the demo key pair, the log levels, the longest idle time, the
most users seeding makes). Loading and checking settings is the work of
:mod:`emulator.settings`, which re-exports these names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from emulator.settings.declarations import DATA, EVERY, setting
from emulator.settings.limits import Limits
from emulator.settings.systems import SystemSpec

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
    keep_freed_memory: bool = setting(
        True,
        "Keep memory the server frees for its next use (glibc only): a reset of a big system"
        " reuses the pages the last one freed (3x faster); the process stays at its peak"
        ' size (README, "Benchmark"). One server process only (not with workers).',
        SERVER,
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
