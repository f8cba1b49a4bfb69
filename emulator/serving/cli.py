"""``opencrm-emulator``: serve the emulated API, fill a database ahead of time, list routes.

Every setting is a flag here (``--access-key-idle-minutes``) and an environment variable
(``OPENCRM_EMULATOR_ACCESS_KEY_IDLE_MINUTES``); see ``emulator.settings``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from emulator._version import __version__
from emulator.settings import SETTING_NAMES, Settings, load_settings

DESCRIPTIONS = {
    "serve": "run the emulator (HTTP server)",
    "seed": "create or top up a database file with fixtures and Faker records, then exit",
    "routes": "print every emulated end point and where its name comes from",
}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="opencrm-emulator", description=__doc__)
    top.add_argument("--version", action="version", version=__version__)
    commands = top.add_subparsers(dest="command", required=True)
    defaults = Settings()
    for name, help_text in DESCRIPTIONS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        for setting in SETTING_NAMES:
            default = getattr(defaults, setting)
            sub.add_argument(
                "--" + setting.replace("_", "-"),
                dest=setting,
                default=None,
                metavar=type(default).__name__.upper(),
                help=f"default {default!r}; env OPENCRM_EMULATOR_{setting.upper()}",
            )
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = vars(parser().parse_args(argv))
    command = args.pop("command")
    try:
        settings = load_settings(args, os.environ)
    except (ValueError, OSError) as exc:
        print(f"opencrm-emulator: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    if command == "routes":
        return print_routes(settings)
    if command == "seed":
        return seed(settings)
    return serve(settings)


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def print_routes(settings: Settings) -> int:
    from emulator.domain.modules import default_registry
    from emulator.endpoints.table import api_end_points

    for end_point in api_end_points(default_registry()).values():
        print(f"/api/rest/{end_point.name}\t{end_point.origin}")
    return 0


def seed(settings: Settings) -> int:
    from emulator.system import System

    if settings.database in ("", ":memory:"):
        print(
            "opencrm-emulator seed: give --database FILE (an in-memory one would be lost)",
            file=sys.stderr,
        )
        return 2
    try:
        system = System(settings, progress=console_progress())
    except Exception as exc:
        return cannot_start(exc)
    counts = system.backend.counts()
    system.close()
    print(f"seeded {settings.database}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def serve(settings: Settings) -> int:
    from emulator.serving import server
    from emulator.serving.app import create_app
    from emulator.system import System

    try:
        sock = server.bind(settings.host, settings.port)
        system = System(settings, progress=console_progress())
    except Exception as exc:  # address in use, a database or fixtures folder that will not open
        return cannot_start(exc)
    try:
        server.run(create_app(settings, system), settings, sock)
    finally:
        system.close()
    return 0


def console_progress(stream: TextIO | None = None) -> Callable[[str, int, int], None]:
    """Seeding progress on stderr: one line per module, rewritten in place on a terminal
    ("seeding contact: 4000/9988"); elsewhere (logs, pipes) only each module's last line."""
    out = stream or sys.stderr
    live = out.isatty()
    start = "\r" if live else ""  # back to the line's start, to rewrite it

    def show(noun: str, done: int, wanted: int) -> None:
        finished = done >= wanted
        if live or finished:
            out.write(f"{start}seeding {noun}: {done}/{wanted}")
            out.write("\n" if finished else "")
            out.flush()

    return show


def cannot_start(exc: Exception) -> int:
    print(f"opencrm-emulator: cannot start: {exc}", file=sys.stderr)
    logging.getLogger("emulator").debug("start-up failed", exc_info=exc)
    return 2
