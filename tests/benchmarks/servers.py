"""The benchmark's subprocesses: emulator and reference servers on free 127.0.0.1 ports, a
plain HTTP client for single calls, and a process's peak memory read from /proc.

Every process is started through :class:`Processes`, whose ``close`` (run in a ``finally``)
terminates and then kills whatever is still running, so the benchmark never leaves a server.
"""

from __future__ import annotations

import http.client
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

URL_LINE = re.compile(r"on (http://127\.0\.0\.1:\d+/\S*)")
CREDENTIALS = "key=demo-key&passkey=demo-passkey"
FORM = "application/x-www-form-urlencoded"
#: Every request's User-Agent, as a real client's: the live API's firewall (and the
#: emulator's, setting waf) refuses python's own and curl's.
USER_AGENT = "opencrm-emulator-benchmark/1.0"


class ServerFailed(RuntimeError):
    """A server that exited or stayed silent instead of announcing its URL."""

    def __init__(self, message: str, timed_out: bool) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class Server:
    """A running server subprocess and the base URL it announced on stdout."""

    def __init__(self, proc: subprocess.Popen[str], log: Path, started: float) -> None:
        self.proc, self.log, self.started = proc, log, started
        self.lines: queue.Queue[str | None] = queue.Queue()
        assert proc.stdout is not None
        # Drained in a thread so a chatty server can never block on a full pipe.
        threading.Thread(target=drain, args=(proc.stdout, self.lines), daemon=True).start()
        self.url = ""

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait_for_url(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while not self.url:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                message = f"no URL within {timeout:.0f} s; {self.tail()}"
                raise ServerFailed(message, timed_out=True) from None
            if line is None:
                message = f"exited with {self.proc.wait()}; {self.tail()}"
                raise ServerFailed(message, timed_out=False)
            found = URL_LINE.search(line)
            self.url = found.group(1) if found else ""
        return self.url

    @property
    def root(self) -> str:
        """``http://127.0.0.1:<port>`` without the API path."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    def tail(self) -> str:
        text = self.log.read_text(errors="replace").strip().splitlines()
        return "log: " + (" | ".join(text[-3:]) if text else "(empty)")


def drain(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


class Processes:
    """Starts subprocesses in one temporary folder and stops every one of them on close."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.running: list[subprocess.Popen[str]] = []

    def server(
        self, module: str, *args: str, timeout: float = 120, prefix: Sequence[str] = ()
    ) -> Server:
        """``python -m <module> <args>`` (after ``prefix``: a command that runs it, such as
        valgrind), waiting until it prints its base URL."""
        log = self.folder / f"server-{len(self.running)}.log"
        started = time.perf_counter()
        with log.open("w") as err:
            proc = subprocess.Popen(
                [*prefix, sys.executable, "-m", module, *args],
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
            )
        self.running.append(proc)
        server = Server(proc, log, started)
        server.wait_for_url(timeout)
        return server

    def emulator(self, *args: str, timeout: float = 120) -> Server:
        return self.server("emulator", "serve", "--port", "0", *args, timeout=timeout)

    def stop(self, server: Server) -> None:
        stop(server.proc)

    def close(self) -> None:
        for proc in self.running:
            stop(proc)
        self.running.clear()


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


# -- single calls ---------------------------------------------------------------------------


def post(url: str, body: str = "", content_type: str = FORM, timeout: float = 120) -> bytes:
    """POST ``body`` and return the answer's bytes; anything but HTTP 200 (or 201) raises."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        headers = {"Content-Type": content_type, "User-Agent": USER_AGENT}
        conn.request("POST", parts.path, body.encode(), headers)
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    if response.status not in (200, 201):
        raise RuntimeError(f"POST {parts.path}: HTTP {response.status}: {data[:200]!r}")
    return data


def api_call(base_url: str, end_point: str, params: str = "") -> bytes:
    """One OpenCRM call with the demo key pair; an ``{"error": ...}`` answer raises."""
    body = CREDENTIALS + ("&" + params if params else "")
    data = post(base_url + end_point, body)
    if data.startswith(b'{"error"'):
        raise RuntimeError(f"{end_point} answered {data[:200]!r}")
    return data


# -- memory ---------------------------------------------------------------------------------


def status_kib(pid: int, name: str) -> int:
    """A ``VmRSS``/``VmHWM`` line of /proc/<pid>/status, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {name} for process {pid}")


def reset_peak(pid: int) -> int:
    """Start a fresh peak (``5`` in clear_refs sets VmHWM to VmRSS); the baseline in KiB.

    Without it, the peak of a server's start-up (seeding, the reset snapshot) would hide the
    peak of the call measured after it."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:  # not Linux, or not allowed: the peak so far is the best baseline left
        return status_kib(pid, "VmHWM")
    return status_kib(pid, "VmRSS")
