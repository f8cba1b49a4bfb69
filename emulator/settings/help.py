"""The words of ``opencrm-emulator --help`` and of README's settings table, both made from
the settings' declarations (emulator/settings/declarations.py), so help, README and code agree.

``python -m emulator.docs --settings`` prints the table; ``python -m emulator.docs --readme
README.md`` rewrites README's generated blocks; tests/unit/test_settings_help.py fails when
they drift apart.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from emulator.settings.declarations import COMMANDS, ENV_PREFIX, Declaration

PROGRAM = "opencrm-emulator"
DESCRIPTION = (
    "A local emulator of the OpenCRM REST API, for testing and developing OpenCRM"
    " integrations without a live system."
)
EPILOG = f"""\
Every setting is a flag of the commands that take it, an environment variable
{ENV_PREFIX}<NAME> and a key of the TOML file named by --config; flags win over
the environment, which wins over the file. '{PROGRAM} COMMAND --help' lists a
command's settings with their meaning, default and allowed values.

examples:
  {PROGRAM} serve
  {PROGRAM} seed --database crm.db --records 1000 --seed 42
  {PROGRAM} serve --database crm.db
"""
#: The order of the settings' groups in ``--help`` and README (any other group comes last).
GROUPS = ("general", "server", "credentials", "data", "API behaviour", "limits")


@dataclass(frozen=True)
class Command:
    name: str
    summary: str
    description: str
    epilog: str = ""


COMMAND_TEXTS = {
    c.name: c
    for c in (
        Command(
            "serve",
            "run the emulator (HTTP server)",
            "Serve OpenCRM's REST API on http://HOST:PORT/api/rest/ and the emulator's control"
            " plane on /_emulator/. At start it prints the base URL, the key pair and a curl"
            " line to try.",
            f"example:\n  {PROGRAM} serve --port 9000 --records 1000 --seed 42",
        ),
        Command(
            "seed",
            "fill a database file with fixtures and Faker records, then exit",
            "Create or top up a database file: the fixtures, then Faker records up to --records"
            " per module, then exit; a later 'serve --database FILE' starts on it at once."
            " Running it again adds only what is missing.",
            f"example:\n  {PROGRAM} seed --database crm.db --records 1000 --seed 42\n"
            f"  {PROGRAM} serve --database crm.db",
        ),
        Command(
            "cert",
            "make a local CA and a server certificate for *.opencrm.co.uk and *.localhost",
            "Write a local certificate authority (ca.pem) and a server certificate with its key"
            " (server.pem, server-key.pem) for *.opencrm.co.uk, *.localhost, localhost and"
            " 127.0.0.1 into --out, and print how to serve with them, point a system's name at"
            " the emulator and trust the CA: then a client whose base URL is"
            " https://acme.opencrm.co.uk/api/rest/ reaches the system acme unmodified. Needs"
            " the tls extra (pip install 'opencrm-emulator[tls]').",
            f"example:\n  {PROGRAM} cert --out certs",
        ),
        Command(
            "routes",
            "print every emulated end point and where its name comes from",
            "Print every emulated end point (/api/rest/NAME) with where its name comes from:"
            " guide, observed (a name live clients use beyond the guide) or extension (the"
            " emulator's own).",
        ),
    )
}


class Formatter(argparse.HelpFormatter):
    """Text wraps at spaces only (not inside --flag-names); a paragraph with indented lines
    (examples) keeps its lines."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = text.strip("\n").split("\n\n")
        return "\n\n".join(
            paragraph if "\n " in paragraph else self.wrap(paragraph, width, indent)
            for paragraph in paragraphs
        )

    def wrap(self, paragraph: str, width: int, indent: str) -> str:
        words = " ".join(paragraph.split())
        return textwrap.fill(
            words, width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
        )


def ordered(declarations: Iterable[Declaration]) -> list[Declaration]:
    """By group (in :data:`GROUPS` order), then in declaration order."""

    def rank(d: Declaration) -> int:
        return GROUPS.index(d.spec.group) if d.spec.group in GROUPS else len(GROUPS)

    return sorted(declarations, key=rank)


def flag_help(d: Declaration) -> str:
    """A flag's help: meaning, allowed values, default, environment variable."""
    allowed = "" if d.choices else d.allowed()  # the metavar lists choices
    facts = [d.spec.meaning]
    facts += [f"Allowed: {allowed}."] if allowed else []
    facts += [f"Default: {d.shown_default()}.", f"Env: {d.env}."]
    return " ".join(facts).replace("%", "%%")


def add_settings(
    parser: argparse.ArgumentParser, command: str, declarations: Iterable[Declaration]
) -> None:
    """A flag for each setting ``command`` takes, under its group's heading."""
    groups: dict[str, argparse._ArgumentGroup] = {}
    for d in ordered(x for x in declarations if command in x.spec.commands):
        if d.spec.group not in groups:
            groups[d.spec.group] = parser.add_argument_group(f"{d.spec.group} settings")
        groups[d.spec.group].add_argument(
            d.flag, dest=d.name, default=None, metavar=d.metavar(), help=flag_help(d)
        )


def build_parser(declarations: Iterable[Declaration], version: str) -> argparse.ArgumentParser:
    declarations = tuple(declarations)
    top = argparse.ArgumentParser(
        prog=PROGRAM, description=DESCRIPTION, epilog=EPILOG, formatter_class=Formatter
    )
    top.add_argument("--version", action="version", version=version)
    commands = top.add_subparsers(
        dest="command", required=True, title="commands", metavar="COMMAND"
    )
    for name in COMMANDS:
        text = COMMAND_TEXTS[name]
        sub = commands.add_parser(
            name,
            help=text.summary,
            description=text.description,
            epilog=text.epilog,
            formatter_class=Formatter,
        )
        add_settings(sub, name, declarations)
    cert = COMMAND_TEXTS["cert"]
    made = commands.add_parser(
        "cert",
        help=cert.summary,
        description=cert.description,
        epilog=cert.epilog,
        formatter_class=Formatter,
    )
    made.add_argument("--out", required=True, metavar="FOLDER", help="Where to write the files.")
    return top


# -- README -------------------------------------------------------------------------------


def readme_table(declarations: Iterable[Declaration]) -> str:
    """README's settings table (Markdown), one row per setting, in ``--help`` order."""
    rows = ["| setting | default | commands | meaning |", "|---|---|---|---|"]
    for d in ordered(declarations):
        default = d.spec.unset if d.default == "" and d.spec.unset else f"`{d.shown_default()}`"
        allowed = d.allowed()
        meaning = d.spec.meaning + (f" Allowed: {allowed}." if allowed else "")
        cells = [f"`{d.name}`", default, ", ".join(d.spec.commands), meaning]
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows) + "\n"
