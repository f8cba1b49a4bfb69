"""Settings: defaults < config file < environment < command-line flags, and clear refusals of
bad values (emulator/settings; issue 2, "CLI")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from emulator.serving.cli import parser
from emulator.settings import BY_NAME, SETTING_NAMES, Settings, load_settings


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "emulator.toml"
    path.write_text(text)
    return str(path)


def env(**values: str) -> dict[str, str]:
    return {f"OPENCRM_EMULATOR_{name.upper()}": value for name, value in values.items()}


def test_without_any_source_the_defaults_apply() -> None:
    assert load_settings({}, {}) == Settings()


def test_the_defaults_serve_the_demo_key_pair_on_loopback() -> None:
    settings = Settings()
    assert (settings.host, settings.port) == ("127.0.0.1", 8080)
    assert settings.credentials() == {"demo-key": "demo-passkey"}
    assert settings.access_key_idle_minutes == 30
    assert settings.error_status == "200"


def test_a_config_file_overrides_the_defaults(tmp_path: Path) -> None:
    config = write(tmp_path, 'port = 1111\naccess_key_idle_minutes = 5\nerror_status = "http"\n')
    settings = load_settings({"config": config}, {})
    assert (settings.port, settings.access_key_idle_minutes) == (1111, 5.0)
    assert settings.error_status == "http"


def test_the_environment_overrides_the_config_file(tmp_path: Path) -> None:
    config = write(tmp_path, "port = 1111\nlist_cap = 10\n")
    settings = load_settings({"config": config}, env(port="2222"))
    assert (settings.port, settings.list_cap) == (2222, 10)


def test_flags_override_the_environment(tmp_path: Path) -> None:
    config = write(tmp_path, "port = 1111\n")
    settings = load_settings({"config": config, "port": "3333"}, env(port="2222", key="env"))
    assert (settings.port, settings.key) == (3333, "env")


def test_flags_not_given_leave_lower_sources_alone() -> None:
    assert load_settings({"port": None}, env(port="2222")).port == 2222


def test_the_config_file_can_be_named_in_the_environment(tmp_path: Path) -> None:
    config = write(tmp_path, "port = 1111\n")
    assert load_settings({}, env(config=config)).port == 1111


def test_environment_variables_of_other_programs_are_ignored() -> None:
    assert load_settings({}, {"PORT": "1", "OPENCRM_PORT": "2"}) == Settings()


def test_a_config_file_adds_key_pairs_to_the_primary_pair(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        'key = "main"\npasskey = "main-pass"\n'
        '[[key_pairs]]\nkey = "shop"\npasskey = "shop-pass"\n'
        '[[key_pairs]]\nkey = "erp"\npasskey = "erp-pass"\n',
    )
    assert load_settings({"config": config}, {}).credentials() == {
        "main": "main-pass",
        "shop": "shop-pass",
        "erp": "erp-pass",
    }


def test_the_log_level_is_read_in_any_case() -> None:
    assert load_settings({"log_level": "DEBUG"}, {}).log_level == "debug"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"port": "abc"}, "setting port must be a number, not 'abc'"),
        ({"port": "70000"}, "port must be between 0 and 65535"),
        ({"access_key_idle_minutes": "soon"}, "access_key_idle_minutes must be a number"),
        ({"access_key_idle_minutes": "0"}, "access_key_idle_minutes must be more than 0"),
        ({"access_key_idle_minutes": "nan"}, "access_key_idle_minutes must be more than 0"),
        ({"access_key_idle_minutes": "inf"}, "access_key_idle_minutes must be more than 0"),
        ({"error_status": "401"}, "error_status must be '200' or 'http'"),
        ({"limit_end_mode": "start"}, "limit_end_mode must be 'end' or 'count'"),
        ({"log_level": "loud"}, "log_level must be one of critical, error, warning, info"),
        ({"max_body_bytes": "0"}, "max_body_bytes must be more than 0"),
        ({"list_cap": "0"}, "list_cap must be more than 0"),
        ({"records": "-1"}, "records must not be negative"),
        ({"journal_size": "-1"}, "journal_size must not be negative"),
        ({"passkey": ""}, "key and passkey must not be empty"),
        ({"timezone": "Mars/Olympus"}, "timezone 'Mars/Olympus' is not an IANA time zone name"),
    ],
)
def test_a_bad_value_is_refused_with_a_clear_message(values: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        load_settings(values, {})


def test_a_bad_environment_value_is_refused_too() -> None:
    with pytest.raises(ValueError, match="setting port must be a number"):
        load_settings({}, env(port="eighty"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("prot = 1\n", "unknown settings in"),
        ("port = \n", "Invalid value"),  # tomllib's own words, with the line number
        ("[[key_pairs]]\nkey = 'k'\n", "key pair 1 needs exactly a key and a passkey"),
        ("[[key_pairs]]\nkey = 'k'\npasskey = ''\n", "key pair 1 has an empty key or passkey"),
        ("key_pairs = 'k:p'\n", "key_pairs must be [[key_pairs]] tables"),
    ],
)
def test_a_bad_config_file_is_refused_with_a_clear_message(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        load_settings({"config": write(tmp_path, text)}, {})


def test_a_missing_config_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OSError, match=re.escape("nowhere.toml")):
        load_settings({"config": str(tmp_path / "nowhere.toml")}, {})


@pytest.mark.parametrize("name", SETTING_NAMES)
def test_every_setting_is_a_flag_of_the_commands_that_take_it(name: str) -> None:
    flag = "--" + name.replace("_", "-")
    takers = BY_NAME[name].spec.commands
    assert "serve" in takers  # serve takes every setting
    for command in takers:
        args = vars(parser().parse_args([command, flag, "7"]))
        assert args[name] == "7"


@pytest.mark.parametrize(
    ("command", "flag"),
    [
        ("seed", "--port"),
        ("seed", "--ssl-certfile"),
        ("seed", "--passkey"),
        ("routes", "--records"),
    ],
)
def test_a_command_refuses_the_flags_of_settings_it_does_not_take(
    command: str, flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        parser().parse_args([command, flag, "7"])
    assert exit_.value.code == 2
    assert f"unrecognized arguments: {flag} 7" in capsys.readouterr().err


#: A valid value for each setting whose type is not a number.
VALUES = {
    "create_audit_action": "Created(API)",
    "strict": "warn",
    "waf": "warn",
    "error_status": "http",
    "limit_end_mode": "count",
    "log_level": "debug",
    "keep_freed_memory": "False",
    "timezone": "Europe/Paris",
}


#: What a setting needs beside it to be valid (workers above 1: a PostgreSQL database).
BESIDE = {"workers": {"database": "postgresql+psycopg://user@127.0.0.1:5432/crm"}}


@pytest.mark.parametrize("name", [n for n in SETTING_NAMES if n != "config"])
def test_every_setting_is_read_from_its_environment_variable(name: str) -> None:
    value = VALUES.get(name, "7")
    settings = load_settings({}, env(**{name: value, **BESIDE.get(name, {})}))
    assert str(getattr(settings, name)) in (value, f"{value}.0")


def test_more_than_one_worker_on_sqlite_is_refused_in_one_line() -> None:
    with pytest.raises(ValueError, match=r"^workers above 1 need a PostgreSQL database"):
        load_settings({"workers": 2, "database": "crm.db"})
    assert load_settings({"workers": 2, "database": BESIDE["workers"]["database"]}).workers == 2
