"""One source for the settings: their declarations (emulator/settings) make each command's
``--help``, README's settings table and the checks of their values; these tests fail when
help, README and code disagree (issue 16, "serve --help explains nothing")."""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pytest

from emulator.docs import block, rewrite_readme
from emulator.serving.cli import parser
from emulator.settings import BY_NAME, DECLARATIONS, SEEDED_USERS
from emulator.settings.declarations import COMMANDS, DATA, Declaration, declarations, setting
from emulator.settings.help import build_parser, readme_table

README = Path(__file__).resolve().parents[2] / "README.md"
REGENERATE = "python -m emulator.docs --readme README.md"


def help_of(
    *argv: str, capsys: pytest.CaptureFixture[str], top: argparse.ArgumentParser | None = None
) -> str:
    """What ``opencrm-emulator *argv --help`` prints, its lines joined (wrapping undone)."""
    with pytest.raises(SystemExit):
        (top or parser()).parse_args([*argv, "--help"])
    return " ".join(capsys.readouterr().out.split())


def taking(command: str) -> list[Declaration]:
    return [d for d in DECLARATIONS if command in d.spec.commands]


def test_the_readme_settings_table_is_what_the_declarations_render() -> None:
    text = README.read_text(encoding="utf-8")
    start, end = block(text, "settings")
    assert text[start:end] == readme_table(DECLARATIONS), f"README is out of date: `{REGENERATE}`"
    assert rewrite_readme(text) == text, f"README is out of date: `{REGENERATE}`"


@pytest.mark.parametrize("command", COMMANDS)
def test_each_commands_help_gives_every_flag_its_meaning_default_and_environment_name(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = help_of(command, capsys=capsys)
    for d in taking(command):
        assert f"{d.flag} {d.metavar()}" in shown
        assert d.spec.meaning in shown, d.name
        assert f"Default: {d.shown_default()}. Env: {d.env}." in shown, d.name
        if d.allowed() and not d.choices:  # choices are in the metavar: {200,http}
            assert f"Allowed: {d.allowed()}." in shown, d.name


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_the_flags_of_its_settings_and_no_others(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = help_of(command, capsys=capsys)
    flags = {word.strip("[],") for word in shown.split() if word.startswith(("--", "[--"))}
    assert flags == {"--help"} | {d.flag for d in taking(command)}


def test_seed_help_lists_the_data_settings_not_the_servers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    shown = help_of("seed", capsys=capsys)
    for flag in ("--database", "--records", "--seed", "--fixtures", "--config", "--log-level"):
        assert flag in shown
    for flag in ("--port", "--host", "--ssl-certfile", "--control-token", "--passkey"):
        assert flag not in shown
    assert "opencrm-emulator seed --database crm.db --records 1000" in shown  # an example


def test_the_top_level_help_describes_each_command_in_plain_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    shown = help_of(capsys=capsys)
    assert "``" not in shown  # no reStructuredText
    assert "A local emulator of the OpenCRM REST API" in shown
    for summary in ("run the emulator", "fill a database file", "print every emulated end point"):
        assert summary in shown
    assert "OPENCRM_EMULATOR_<NAME>" in shown


def test_the_records_setting_says_users_stop_at_the_seeding_cap() -> None:
    from emulator.control.seeding.top_up import MOST_USERS

    assert SEEDED_USERS == MOST_USERS
    assert f"Users to at most {MOST_USERS}" in BY_NAME["records"].spec.meaning
    assert f"at most {MOST_USERS}" in README.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Extended:
    """Settings with some of another engineer's settings to come, each declared once."""

    strict: bool = setting(False, "Refuse what the real API refuses.", "API behaviour")
    waf: Literal["off", "on"] = setting("on", "Act as the web firewall.", "server")
    max_systems: int = setting(4, "The most systems.", "data", DATA, at_least=1, at_most=64)
    internal: tuple[str, ...] = field(default=())


def test_a_new_setting_needs_only_its_declaration(capsys: pytest.CaptureFixture[str]) -> None:
    found = {d.name: d for d in declarations(Extended, undeclared=("internal",))}
    assert found["waf"].choices == ("off", "on")  # from the Literal type
    assert (found["strict"].coerce("yes"), found["strict"].coerce("OFF")) == (True, False)
    assert found["max_systems"].problem(65) == "max_systems must be between 1 and 64"
    assert found["waf"].problem("maybe") == "waf must be 'off' or 'on'"
    assert found["waf"].env == "OPENCRM_EMULATOR_WAF"
    top = build_parser(found.values(), "0")
    assert vars(top.parse_args(["seed", "--max-systems", "3"]))["max_systems"] == "3"
    with pytest.raises(SystemExit):
        top.parse_args(["seed", "--waf", "off"])  # a serve-only setting
    serve_help = help_of("serve", capsys=capsys, top=top)
    assert "--strict {true,false} Refuse what the real API refuses. Default: false." in serve_help
    table = readme_table(found.values())
    assert "| `max_systems` | `4` | serve, seed | The most systems. Allowed: 1 to 64. |" in table


def test_a_field_not_declared_is_refused_at_import() -> None:
    with pytest.raises(TypeError, match=r"Extended\.internal is not declared with setting\(\)"):
        declarations(Extended)


def test_a_yes_or_no_setting_refuses_anything_else() -> None:
    strict = declarations(Extended, undeclared=("internal",))[0]
    with pytest.raises(ValueError, match="setting strict must be true or false, not 'maybe'"):
        strict.coerce("maybe")


def test_python_m_emulator_docs_prints_and_rewrites_the_settings_table(tmp_path: Path) -> None:
    run = [sys.executable, "-W", "ignore", "-m", "emulator.docs"]
    done = subprocess.run([*run, "--settings"], capture_output=True, text=True, check=True)
    assert done.stdout == readme_table(DECLARATIONS)
    stale = tmp_path / "README.md"
    text = README.read_text(encoding="utf-8")
    start, end = block(text, "settings")
    stale.write_text(text[:start] + "| old |\n" + text[end:], encoding="utf-8")
    subprocess.run([*run, "--readme", str(stale)], capture_output=True, check=True)
    assert stale.read_text(encoding="utf-8") == text
