"""Serving the app with uvicorn: the listening socket, TLS, and the start-up announcement.

TLS: the real API "will only accept connections from clients using TLS version 1.2 or
higher" (guide, "TLS"), so the emulator's TLS context refuses anything older, whatever the
local OpenSSL defaults are.
"""

from __future__ import annotations

import logging
import shlex
import socket
import ssl
import sys
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from emulator._version import __version__
from emulator.serving.protocol import connection_limit, protocol_class
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
    """uvicorn settings: access log off (GET path segments can carry passkeys), the
    emulator's protocol with the settings' head limit and request timeout
    (emulator/serving/protocol.py); ``extra`` overrides any of them."""
    options: dict[str, Any] = {
        "log_level": settings.log_level,
        "access_log": False,
        "server_header": False,
        "http": protocol_class(
            settings.max_header_bytes, settings.request_timeout, connection_limit()
        ),
    }
    if settings.ssl_certfile:
        options["ssl_certfile"] = settings.ssl_certfile
        options["ssl_keyfile"] = settings.ssl_keyfile or None
    return TLSConfig(app, **{**options, **extra})


class CannotServe(Exception):
    """The server cannot start as configured; the message says why, in one line."""


def loaded(app: ASGIApp, settings: Settings) -> uvicorn.Config:
    """The uvicorn configuration, loaded: a TLS certificate or key that will not load is
    said in one line before anything is announced (not a banner, then a traceback)."""
    cfg = config(app, settings)
    try:
        cfg.load()
    except (ssl.SSLError, OSError, ValueError) as exc:
        files = settings.ssl_certfile + (
            f", {settings.ssl_keyfile}" if settings.ssl_keyfile else ""
        )
        reason = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or str(exc)
        raise CannotServe(f"cannot load the TLS certificate or key ({files}): {reason}") from None
    return cfg


def configure_logging(level: str) -> None:
    """Log lines to stderr, written in batches (emulator/serving/log_lines.py)."""
    from emulator.serving.log_lines import BatchedStream, Lines

    handler = BatchedStream(sys.stderr)
    handler.setFormatter(Lines())
    logging.basicConfig(level=level.upper(), handlers=[handler])


def base_url(settings: Settings, port: int, host: str | None = None) -> str:
    scheme = "https" if settings.ssl_certfile else "http"
    host = host or settings.host
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}:{port}/api/rest/"


#: The curl line's User-Agent: the real API's firewall refuses curl's own and any with "python".
USER_AGENT = "my-integration/1.0"
#: What the curl line shows in place of a passkey of the user's own.
PASSKEY_PLACEHOLDER = "YOUR-PASSKEY"


def announce(settings: Settings, port: int) -> None:
    """The start-up banner: where the API, the control plane and the dashboard are, the key
    pair (a passkey of your own masked) and a curl line to paste (it ends the banner)."""
    print(f"OpenCRM emulator {__version__} on {base_url(settings, port)}")
    print(f"  key:      {settings.key}")
    print(f"  passkey:  {shown_passkey(settings)}")
    print(f"  database: {settings.database}")
    print(f"  control:  {control_line(settings, port)}")
    print(f"  ui:       {dashboard_line(settings, port)}")
    print(f"  try:      {try_line(settings, port)}")
    sys.stdout.flush()


def shown_passkey(settings: Settings) -> str:
    """The demo passkey is printed so a newcomer can start; a passkey of yours never is."""
    return settings.passkey if settings.passkey == DEMO_PASSKEY else "******** (as configured)"


def reachable_host(host: str) -> str:
    """An address a client on this machine can call: loopback for a wildcard bind."""
    return {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104


def control_line(settings: Settings, port: int) -> str:
    """The control plane's URL, and what it takes to call it from where it listens."""
    from emulator.endpoints.control import is_loopback

    api = base_url(settings, port, reachable_host(settings.host))
    url = api.removesuffix("api/rest/") + "_emulator/"
    if is_loopback(settings.host):
        return f"{url} (e.g. curl {url}health)"
    if settings.control_token:
        return f"{url} (send Authorization: Bearer <your control_token>; health needs none)"
    return f"{url} (health only: beyond loopback the rest needs control_token set)"


def dashboard_line(settings: Settings, port: int) -> str:
    api = base_url(settings, port, reachable_host(settings.host))
    return api.removesuffix("api/rest/") + "_emulator/ui/ (the dashboard, in a browser)"


def try_line(settings: Settings, port: int) -> str:
    """A curl call of get_contact_list that works as pasted with the demo passkey; with a
    passkey of the user's own, a placeholder to replace, said so in a shell comment."""
    mine = settings.passkey != DEMO_PASSKEY
    passkey = PASSKEY_PLACEHOLDER if mine else settings.passkey
    url = base_url(settings, port, reachable_host(settings.host)) + "get_contact_list"
    words = ["curl", "-A", USER_AGENT, "-d", f"key={settings.key}", "-d", f"passkey={passkey}"]
    words += ["-g"] if ":" in reachable_host(settings.host) else []  # [::1]: no URL globbing
    line = shlex.join([*words, "-d", "limit_end=5", url])
    return line + (f"  # put your passkey in place of {PASSKEY_PLACEHOLDER}" if mine else "")


def run(app: ASGIApp, settings: Settings, sock: socket.socket) -> None:
    """Announce the base URL and credentials, and serve on ``sock`` until interrupted
    (CannotServe, before the announcement, when the configuration will not load)."""
    cfg = loaded(app, settings)
    announce(settings, sock.getsockname()[1])
    uvicorn.Server(cfg).run(sockets=[sock])
