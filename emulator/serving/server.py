"""Serving the app with uvicorn: the listening socket, TLS, and the start-up announcement.

TLS: the real API "will only accept connections from clients using TLS version 1.2 or
higher" (guide, "TLS"), so the emulator's TLS context refuses anything older, whatever the
local OpenSSL defaults are.
"""

from __future__ import annotations

import socket
import ssl
import sys
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from emulator._version import __version__
from emulator.settings import DEMO_PASSKEY, Settings


class TLSConfig(uvicorn.Config):
    """uvicorn's Config with a TLS context that refuses protocols older than TLS 1.2."""

    def load(self) -> None:
        super().load()
        if self.ssl is not None:
            self.ssl.minimum_version = ssl.TLSVersion.TLSv1_2


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0 takes a free one). It listens before the address is
    printed, so a client that reads it and connects at once is queued, not refused."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def config(app: ASGIApp, settings: Settings, **extra: Any) -> uvicorn.Config:
    """uvicorn settings: access log off (GET path segments can carry passkeys)."""
    tls: dict[str, Any] = {}
    if settings.ssl_certfile:
        tls = {"ssl_certfile": settings.ssl_certfile, "ssl_keyfile": settings.ssl_keyfile or None}
    return TLSConfig(
        app, log_level=settings.log_level, access_log=False, server_header=False, **tls, **extra
    )


def base_url(settings: Settings, port: int) -> str:
    scheme = "https" if settings.ssl_certfile else "http"
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return f"{scheme}://{host}:{port}/api/rest/"


def announce(settings: Settings, port: int) -> None:
    url = base_url(settings, port)
    print(f"OpenCRM emulator {__version__} on {url}")
    print(f"  key:      {settings.key}")
    print(f"  passkey:  {shown_passkey(settings)}")
    print(f"  database: {settings.database}")
    print(f"  try:      curl -d key={settings.key} -d passkey=... {url}get_contact_list")
    sys.stdout.flush()


def shown_passkey(settings: Settings) -> str:
    """The demo passkey is printed so a newcomer can start; a passkey of yours never is."""
    return settings.passkey if settings.passkey == DEMO_PASSKEY else "******** (as configured)"


def run(app: ASGIApp, settings: Settings, sock: socket.socket) -> None:
    """Announce the base URL and credentials, and serve on ``sock`` until interrupted."""
    announce(settings, sock.getsockname()[1])
    uvicorn.Server(config(app, settings)).run(sockets=[sock])
