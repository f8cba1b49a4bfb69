"""A real emulator for the reliability tests: ``python -m emulator serve`` as a child process
on a database file, its output read by a thread (so every wait is bounded), and a client that
checks every answer it gets for the two things a client must never see: a 5xx, and SQLite's
"database is locked".
"""

from __future__ import annotations

import os
import queue
import re
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

START_TIMEOUT = 30.0  # seconds for the child to open its database and print its address
CALL_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
URL_LINE = re.compile(r"OpenCRM emulator \S+ on (http://127\.0\.0\.1:\d+/api/rest/)")
DEMO = {"key": "demo-key", "passkey": "demo-passkey"}
#: The live API's firewall (and the emulator's) refuses httpx's own User-Agent.
AGENT = {"User-Agent": "reliability-tests/1.0"}


class Emulator:
    """One ``serve`` child on ``database``; stdout and stderr merged into :attr:`output`."""

    def __init__(
        self,
        database: Path,
        *args: str,
        env: Mapping[str, str] | None = None,
        open_files: int | None = None,
    ) -> None:
        """``open_files``: the child's limit of open file descriptors (RLIMIT_NOFILE)."""
        command = [sys.executable, "-m", "emulator", "serve", "--port", "0", "--host", "127.0.0.1"]
        self.child = subprocess.Popen(
            [*command, "--database", str(database), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"},
            preexec_fn=None if open_files is None else limit_open_files(open_files),
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.base_url = self._wait_for_url()
        self.root = self.base_url.removesuffix("/api/rest/")

    def _read(self) -> None:
        assert self.child.stdout is not None
        for line in self.child.stdout:
            self.lines.put(line)

    def _wait_for_url(self) -> str:
        """The base URL, once the whole start-up banner (its last line is "try:") is read."""
        deadline = time.monotonic() + START_TIMEOUT
        url = ""
        while time.monotonic() < deadline:
            try:
                self.seen.append(self.lines.get(timeout=0.2))
            except queue.Empty:
                if self.child.poll() is not None:
                    break
                continue
            found = URL_LINE.search(self.seen[-1])
            url = found[1] if found else url
            if url and self.seen[-1].startswith("  try:"):
                return url
        self.kill()
        raise AssertionError(f"no start-up banner within {START_TIMEOUT} s: {self.seen}")

    @property
    def output(self) -> str:
        """Everything the child printed so far."""
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return "".join(self.seen)

    def stop(self) -> str:
        """Stop the child as a user would (SIGTERM: uvicorn shuts down cleanly); its output."""
        if self.child.poll() is None:
            self.child.terminate()
            self.child.wait(timeout=STOP_TIMEOUT)
        return self._finish()

    def kill(self) -> str:
        """SIGKILL: no shutdown code runs, as on a crash or an OOM kill; its output."""
        if self.child.poll() is None:
            self.child.send_signal(signal.SIGKILL)
            self.child.wait(timeout=STOP_TIMEOUT)
        return self._finish()

    def _finish(self) -> str:
        self.reader.join(timeout=STOP_TIMEOUT)
        if self.child.stdout is not None:
            self.child.stdout.close()
        return self.output


def limit_open_files(count: int) -> Callable[[], None]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (count, count))

    return limit


def rss(pid: int) -> int:
    """A process's resident memory (Linux ``VmRSS``), in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for process {pid}")


class Problems:
    """Every answer a client must never get, from any thread."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.answers = 0
        self._lock = threading.Lock()

    def check(self, what: str, response: httpx.Response) -> None:
        with self._lock:
            self.answers += 1
            if response.status_code >= 500:
                self.found.append(f"{what}: HTTP {response.status_code} {response.text[:200]}")
            if "database is locked" in response.text.lower():
                self.found.append(f"{what}: {response.text[:200]}")


class Client:
    """One keep-alive connection to the emulator that checks every answer with ``problems``."""

    def __init__(
        self, base_url: str, problems: Problems, credentials: Mapping[str, str] = DEMO
    ) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=CALL_TIMEOUT, headers=AGENT)
        self.problems = problems
        self.credentials = dict(credentials)

    def call(self, end_point: str, **params: Any) -> Any:
        """POST form fields (the guide's way) with the key pair; the decoded answer."""
        response = self.http.post(end_point, data={**self.credentials, **params})
        self.problems.check(end_point, response)
        assert response.status_code == 200, (end_point, response.status_code, response.text)
        return response.json()

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def fixture_ids(client: Client, noun: str) -> Sequence[int]:
    """The ids of a module's live records, in id order."""
    return sorted(int(row["id"]) for row in client.call(f"get_{noun}_list"))
