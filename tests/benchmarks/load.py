"""Load generators: ``wrk`` when it is on PATH (Debian: ``apt-get install wrk``), else a Python
one (raw keep-alive sockets, one thread per connection). Both POST a form body built from a
template, where ``{n}`` becomes a per-request counter (so an edit really changes the record),
and both count only HTTP 200 answers. Both send a User-Agent of their own, as a real client
must (the firewall refuses python's and curl's).
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from tests.benchmarks.servers import FORM, USER_AGENT


@dataclass(frozen=True)
class Load:
    url: str
    body: str  # form body; "{n}" is replaced by a request counter
    connections: int
    seconds: float
    content_type: str = FORM
    #: Further request headers (a peer's API may need its own, as moto's does).
    headers: Mapping[str, str] = field(default_factory=dict)


class LoadFailed(RuntimeError):
    """Answers that were not HTTP 200, or a generator that could not run."""


def choose(name: str) -> str:
    """``wrk`` or ``python``: the generator asked for ("auto": wrk when installed)."""
    if name == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    if name == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not on PATH (Debian/Ubuntu: apt-get install -y wrk)")
    return name


def requests_per_second(generator: str, load: Load, folder: Path) -> float:
    if generator == "wrk":
        return run_wrk(load, folder)
    return run_python(load)


# -- wrk ------------------------------------------------------------------------------------

LUA = """wrk.method = "POST"
wrk.headers["Content-Type"] = "%(form)s"
wrk.headers["User-Agent"] = "%(agent)s"
%(headers)s
local template = [==[%(body)s]==]
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, (string.gsub(template, "{n}", tostring(n))))
end
"""


def run_wrk(load: Load, folder: Path) -> float:
    script = folder / "post.lua"
    headers = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in load.headers.items())
    values = {"form": load.content_type, "agent": USER_AGENT, "body": load.body, "headers": headers}
    script.write_text(LUA % values)
    seconds = max(1, round(load.seconds))  # wrk takes whole seconds
    command = ["wrk", "-t1", f"-c{load.connections}", f"-d{seconds}s", "-s", str(script)]
    done = subprocess.run(
        [*command, load.url], capture_output=True, text=True, timeout=seconds + 30, check=False
    )
    if done.returncode != 0:
        raise LoadFailed(f"wrk failed: {done.stderr.strip() or done.stdout.strip()}")
    return parse_wrk(done.stdout)


def parse_wrk(output: str) -> float:
    """Requests per second from wrk's report; any non-2xx answer or socket error fails it."""
    for failures in (r"Non-2xx or 3xx responses: \d+", r"Socket errors: .*"):
        seen = re.search(failures, output)
        if seen:
            raise LoadFailed("wrk saw failures: " + seen.group(0))
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not found:
        raise LoadFailed(f"no Requests/sec in wrk's output: {output[-300:]!r}")
    return float(found.group(1))


# -- Python ---------------------------------------------------------------------------------


class Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.value = 0
        self.failure = ""

    def next(self) -> int:
        with self.lock:
            self.value += 1
            return self.value


def run_python(load: Load) -> float:
    counter = Counter()
    done = [0] * load.connections
    deadline = time.perf_counter() + load.seconds
    threads = [
        threading.Thread(target=connection, args=(load, counter, done, i, deadline))
        for i in range(load.connections)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=load.seconds + 30)
    elapsed = time.perf_counter() - started
    if counter.failure:
        raise LoadFailed(counter.failure)
    return sum(done) / elapsed


def connection(load: Load, counter: Counter, done: list[int], slot: int, deadline: float) -> None:
    """One keep-alive connection sending requests until the deadline."""
    parts = urlsplit(load.url)
    extra = "".join(f"{k}: {v}\r\n" for k, v in load.headers.items())
    head = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Content-Type: {load.content_type}\r\nUser-Agent: {USER_AGENT}\r\n{extra}"
    )
    try:
        while time.perf_counter() < deadline and not counter.failure:
            exchange(
                parts.hostname or "", parts.port or 80, head, load, counter, done, slot, deadline
            )
    except (OSError, LoadFailed) as exc:
        counter.failure = f"{type(exc).__name__}: {exc}"


def exchange(
    host: str,
    port: int,
    head: str,
    load: Load,
    counter: Counter,
    done: list[int],
    slot: int,
    deadline: float,
) -> None:
    """Requests on one connection until the deadline, or until the server closes it (moto's
    does after every answer)."""
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = sock.makefile("rb")
        kept = True
        while kept and time.perf_counter() < deadline and not counter.failure:
            body = load.body.replace("{n}", str(counter.next())).encode()
            sock.sendall(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
            kept = read_response(reader)
            done[slot] += 1


def read_response(reader: BinaryIO) -> bool:
    """Read one HTTP/1.1 answer (Content-Length framed, as Starlette sends); 200 or raise.
    Whether the connection stays open."""
    status = reader.readline()
    if not status.startswith(b"HTTP/1.1 200"):
        raise LoadFailed(f"answer {status.strip()!r}")
    length, kept = 0, True
    while (line := reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and value.strip().lower() == b"close":
            kept = False
    reader.read(length)
    return kept
