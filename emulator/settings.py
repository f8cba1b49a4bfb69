"""The emulator's settings: one frozen object, built from four sources.

Precedence, lowest first: the defaults below < a TOML config file (``--config``) <
environment variables ``OPENCRM_EMULATOR_<NAME>`` < command-line flags. Every field of
:class:`Settings` is a setting under all four names (``--access-key-idle-minutes``,
``OPENCRM_EMULATOR_ACCESS_KEY_IDLE_MINUTES``, ``access_key_idle_minutes = 30``).

Key pairs: ``key``/``passkey`` give the primary pair; a config file may add more with
``[[key_pairs]]`` tables (``key = "..."``, ``passkey = "..."``).
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENV_PREFIX = "OPENCRM_EMULATOR_"
DEMO_KEY = "demo-key"
DEMO_PASSKEY = "demo-passkey"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    #: ":memory:", a file path (SQLite with WAL) or a SQLAlchemy URL.
    database: str = ":memory:"
    key: str = DEMO_KEY
    passkey: str = DEMO_PASSKEY
    config: str = ""
    #: Top every module up to this many records with Faker data (0: fixtures only).
    records: int = 0
    seed: int = 0
    #: The folder of fixture JSON files ("" = the fixtures shipped with the package).
    fixtures: str = ""
    log_level: str = "info"
    #: Access keys from login expire after this many minutes without a request.
    access_key_idle_minutes: float = 30.0
    #: "200": errors are HTTP 200 as the real API; "http": 401/400/404 for those who prefer.
    error_status: Literal["200", "http"] = "200"
    #: The most records one list call returns (the guide's 50,000).
    list_cap: int = 50_000
    #: How limit_end is read: "end" (an end index, the guide's words) or "count" (SQL LIMIT).
    limit_end_mode: Literal["end", "count"] = "end"
    #: PHP date() format for date fields when no dateOverride is sent ("Y-m-d" = as stored).
    date_format: str = "Y-m-d"
    #: PHP date() format for date-times when no dateTimeOverride is sent.
    datetime_format: str = "Y-m-d H:i:s"
    #: The zone record times are kept in (a UK CRM keeps UK time).
    timezone: str = "Europe/London"
    #: The user API calls act as (audit trail, smcreatorid, modifiedby).
    api_user_id: int = 1
    #: How many API calls the journal keeps.
    journal_size: int = 1000
    #: Largest request body accepted, in bytes.
    max_body_bytes: int = 4 * 1024 * 1024
    #: Required by the control plane when the server binds beyond loopback.
    control_token: str = ""
    #: Where the database image after loading the fixtures is cached ("" = the user's cache
    #: folder, "off" = no cache).
    cache_dir: str = ""
    ssl_certfile: str = ""
    ssl_keyfile: str = ""
    key_pairs: tuple[tuple[str, str], ...] = field(default=())

    def credentials(self) -> dict[str, str]:
        """Every accepted key with its passkey, the primary pair included."""
        pairs = dict(self.key_pairs)
        pairs[self.key] = self.passkey
        return pairs


SETTING_NAMES = tuple(f.name for f in dataclasses.fields(Settings) if f.name != "key_pairs")


def load_settings(
    cli: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Settings from defaults < config file < environment < CLI (``None`` CLI values ignored)."""
    cli = {k: v for k, v in (cli or {}).items() if v is not None}
    env_values = {
        name: env[ENV_PREFIX + name.upper()]
        for name in SETTING_NAMES
        if env and ENV_PREFIX + name.upper() in env
    }
    config_path = cli.get("config") or env_values.get("config") or ""
    merged: dict[str, Any] = read_config(config_path) if config_path else {}
    merged.update(env_values)
    merged.update(cli)
    return build(merged)


def read_config(path: str) -> dict[str, Any]:
    with Path(path).open("rb") as fh:
        data = tomllib.load(fh)
    pairs = data.pop("key_pairs", [])
    unknown = set(data) - set(SETTING_NAMES)
    if unknown:
        raise ValueError(f"unknown settings in {path}: {', '.join(sorted(unknown))}")
    data["key_pairs"] = key_pairs(pairs, path)
    data["config"] = path
    return data


def key_pairs(tables: Any, path: str) -> tuple[tuple[str, str], ...]:
    """The ``[[key_pairs]]`` tables of a config file, each with a non-empty key and passkey."""
    if not isinstance(tables, list):
        raise ValueError(f"{path}: key_pairs must be [[key_pairs]] tables")
    pairs = []
    for n, table in enumerate(tables, 1):
        if not isinstance(table, dict) or set(table) != {"key", "passkey"}:
            raise ValueError(f"{path}: key pair {n} needs exactly a key and a passkey")
        key, passkey = str(table["key"]), str(table["passkey"])
        if not key or not passkey:
            raise ValueError(f"{path}: key pair {n} has an empty key or passkey")
        pairs.append((key, passkey))
    return tuple(pairs)


def build(values: Mapping[str, Any]) -> Settings:
    """A Settings from raw values (strings from env/CLI are converted to each field's type)."""
    defaults = Settings()
    kwargs: dict[str, Any] = {}
    for name, raw in values.items():
        if name not in SETTING_NAMES and name != "key_pairs":
            raise ValueError(f"unknown setting: {name}")
        kwargs[name] = raw if name == "key_pairs" else coerce(name, raw, getattr(defaults, name))
    settings = Settings(**kwargs)
    validate(settings)
    return settings


def coerce(name: str, raw: Any, default: Any) -> Any:
    if name == "log_level":
        return str(raw).lower()  # logging and uvicorn spell levels differently
    try:
        if isinstance(default, bool):
            return raw if isinstance(raw, bool) else str(raw).lower() in {"1", "true", "yes", "on"}
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"setting {name} must be a number, not {raw!r}") from None
    return str(raw)


LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
MAX_IDLE_MINUTES = 10_000_000  # about 19 years: beyond it the expiry time overflows


def validate(s: Settings) -> None:
    if s.error_status not in ("200", "http"):
        raise ValueError("error_status must be '200' or 'http'")
    if s.log_level not in LOG_LEVELS:
        raise ValueError(f"log_level must be one of {', '.join(LOG_LEVELS)}")
    if not 0 < s.access_key_idle_minutes <= MAX_IDLE_MINUTES:  # also refuses nan and inf
        raise ValueError(f"access_key_idle_minutes must be more than 0, at most {MAX_IDLE_MINUTES}")
    if s.max_body_bytes < 1:
        raise ValueError("max_body_bytes must be more than 0")
    if s.limit_end_mode not in ("end", "count"):
        raise ValueError("limit_end_mode must be 'end' or 'count'")
    if not 0 <= s.port <= 65535:
        raise ValueError("port must be between 0 and 65535")
    if s.records < 0 or s.list_cap < 1 or s.journal_size < 0:
        raise ValueError("records, list_cap and journal_size must not be negative")
    if not s.key or not s.passkey:
        raise ValueError("key and passkey must not be empty")
    try:
        ZoneInfo(s.timezone)
    except (ValueError, ZoneInfoNotFoundError):
        raise ValueError(f"timezone {s.timezone!r} is not an IANA time zone name") from None
