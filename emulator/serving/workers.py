"""``serve --workers N``: N server processes answering on one listening socket, sharing one
PostgreSQL database (emulator/store/shared.py says what they share and how).

uvicorn's supervisor (``uvicorn.supervisors.Multiprocess``) starts the workers, restarts one
that dies and stops them all on SIGINT/SIGTERM. The parent process opens every system first
(emulator/serving/cli.py: a database that will not open is said in one line before any worker
starts, and seeding runs once, with its progress), prints the banner, and stays a live process
of the database while the workers serve. Each worker gets the settings in its pickled
configuration (never in its environment or command line) and builds its app from them.
"""

from __future__ import annotations

import socket
from typing import Any

from uvicorn.supervisors import Multiprocess

from emulator.serving.protocol import connection_limit, protocol_class
from emulator.serving.server import TLSConfig, announce, configure_logging
from emulator.settings import Settings

#: How long a worker may take to answer the supervisor's health check (start-up included:
#: workers start one at a time on the database).
HEALTH_CHECK_SECONDS = 120


class WorkerConfig(TLSConfig):
    """The uvicorn configuration of a worker: the app and the emulator's protocol are made
    in the worker, from the settings (an app, or a protocol class made at run time, cannot
    be pickled to a new process)."""

    def __init__(self, settings: Settings, **options: Any) -> None:
        self.settings = settings
        super().__init__("emulator.serving.app:create_app", **options)

    def load(self) -> None:
        from emulator.serving.app import create_app

        s = self.settings
        configure_logging(s.log_level)
        self.app = create_app(s)
        self.http = protocol_class(s.max_header_bytes, s.request_timeout, connection_limit())
        super().load()


def serve(settings: Settings, sock: socket.socket) -> None:
    """Announce, then run ``settings.workers`` workers on ``sock`` until interrupted."""
    tls = {"ssl_certfile": settings.ssl_certfile, "ssl_keyfile": settings.ssl_keyfile or None}
    cfg = WorkerConfig(
        settings,
        log_level=settings.log_level,
        access_log=False,  # GET path segments can carry passkeys
        server_header=False,
        http="h11",  # replaced in each worker (WorkerConfig.load)
        workers=settings.workers,
        timeout_worker_healthcheck=HEALTH_CHECK_SECONDS,
        **(tls if settings.ssl_certfile else {}),
    )
    announce(settings, sock.getsockname()[1])
    Multiprocess(cfg, sockets=[sock]).run()
