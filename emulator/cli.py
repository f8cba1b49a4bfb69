"""``opencrm-emulator``: serve the emulated API, fill a database ahead of time, list routes.

Every setting is a flag here (``--access-key-idle-minutes``) and an environment variable
(``OPENCRM_EMULATOR_ACCESS_KEY_IDLE_MINUTES``); see ``emulator.settings``.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import socket
import sys
from collections.abc import Sequence
from typing import Any

from emulator import __version__
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
    from emulator.modules import default_registry
    from emulator.routes import api_end_points

    for end_point in api_end_points(default_registry()).values():
        print(f"/api/rest/{end_point.name}\t{end_point.origin}")
    return 0


def seed(settings: Settings) -> int:
    from emulator.backend import Backend

    if settings.database in ("", ":memory:"):
        print("opencrm-emulator seed: give --database FILE (an in-memory one would be lost)")
        return 2
    backend = Backend(settings)
    counts = backend.store.counts()
    backend.close()
    print(f"seeded {settings.database}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def serve(settings: Settings) -> int:
    import uvicorn

    from emulator.app import create_app

    sock = socket.socket(socket.AF_INET6 if ":" in settings.host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((settings.host, settings.port))
    port = sock.getsockname()[1]
    app = create_app(settings)
    announce(dataclasses.replace(settings, port=port))
    config = uvicorn.Config(app, log_level=settings.log_level, access_log=False, **tls(settings))
    uvicorn.Server(config).run(sockets=[sock])
    return 0


def tls(settings: Settings) -> dict[str, Any]:
    if not settings.ssl_certfile:
        return {}
    import ssl

    return {
        "ssl_certfile": settings.ssl_certfile,
        "ssl_keyfile": settings.ssl_keyfile or None,
        "ssl_version": ssl.PROTOCOL_TLS_SERVER,
    }


def announce(settings: Settings) -> None:
    scheme = "https" if settings.ssl_certfile else "http"
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    print(f"OpenCRM emulator {__version__} on {scheme}://{host}:{settings.port}/api/rest/")
    print(f"  key:      {settings.key}")
    print(f"  passkey:  {settings.passkey}")
    print(f"  database: {settings.database}")
    print(
        f"  try:      curl -d key={settings.key} -d passkey={settings.passkey} "
        f"{scheme}://{host}:{settings.port}/api/rest/get_contact_list_count"
    )
    sys.stdout.flush()
