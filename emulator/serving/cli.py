"""opencrm-emulator: serve the emulated API, fill a database ahead of time, list routes.

Every setting is a flag of the commands that take it (``--access-key-idle-minutes``) and an
environment variable (``OPENCRM_EMULATOR_ACCESS_KEY_IDLE_MINUTES``); the flags and their help
come from the settings' declarations (emulator/settings/).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from emulator._version import __version__
from emulator.serving.progress import seeding_progress
from emulator.serving.server import configure_logging
from emulator.settings import DECLARATIONS, Settings, load_settings
from emulator.settings.help import build_parser


def parser() -> argparse.ArgumentParser:
    return build_parser(DECLARATIONS, __version__)


def main(argv: Sequence[str] | None = None) -> int:
    args = vars(parser().parse_args(argv))
    command = args.pop("command")
    if command == "cert":
        from emulator.serving import certificates

        return certificates.make(args["out"])
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


def print_routes(settings: Settings) -> int:
    from emulator.domain.modules import default_registry
    from emulator.endpoints.table import api_end_points

    for end_point in api_end_points(default_registry()).values():
        print(f"/api/rest/{end_point.name}\t{end_point.origin}")
    return 0


def seed(settings: Settings) -> int:
    from emulator.systems import Systems

    if settings.database in ("", ":memory:"):
        print(
            "opencrm-emulator seed: give --database FILE (an in-memory one would be lost)",
            file=sys.stderr,
        )
        return 2
    try:
        with seeding_progress(settings.log_level) as progress:
            systems = Systems(settings, progress=progress)
    except Exception as exc:
        return cannot_start(exc)
    for system in systems:
        counts = system.backend.counts()
        shown = ", ".join(f"{k} {v}" for k, v in counts.items())
        print(f"seeded {system.settings.database}: {shown}")
    systems.close()
    return 0


def serve(settings: Settings) -> int:
    from emulator.serving import memory, server
    from emulator.serving.app import create_app
    from emulator.systems import Systems

    try:
        sock = server.bind(settings.host, settings.port)
        with seeding_progress(settings.log_level) as progress:
            systems = Systems(settings, progress=progress)
    except Exception as exc:  # address in use, a database or fixtures folder that will not open
        return cannot_start(exc)
    try:
        if settings.keep_freed_memory and settings.workers == 1:  # workers are spawned anew
            memory.keep_freed_memory()  # from now on: seeding's blocks went back as they were
        if settings.workers > 1:
            from emulator.serving import workers

            workers.serve(settings, sock)  # the parent keeps its systems open meanwhile
        else:
            server.run(create_app(settings, systems=systems), settings, sock)
    except server.CannotServe as exc:
        return cannot_start(exc)
    finally:
        systems.close()
    return 0


def cannot_start(exc: Exception) -> int:
    print(f"opencrm-emulator: cannot start: {exc}", file=sys.stderr)
    logging.getLogger("emulator").debug("start-up failed", exc_info=exc)
    return 2
