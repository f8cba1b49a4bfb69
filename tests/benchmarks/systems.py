"""The systems figures (issue 14): how long a new system from the shipped fixtures takes to
be ready, through the control plane as a CI job makes one, and what one costs in memory."""

from __future__ import annotations

import json
import statistics
import time

from tests.benchmarks.servers import Server, post, status_kib
from tests.benchmarks.table import Figure, Target

JSON = "application/json"


def figures() -> list[Figure]:
    return [
        Figure(
            "new system from the fixtures (POST /_emulator/systems)",
            "ms",
            Target("value", "<=", 20),
        ),
        Figure(
            "memory per fixtures-only system (server RSS growth)", "MiB", Target("value", "<=", 5)
        ),
    ]


def most(count: int, runs: int) -> int:
    """The max_systems a server needs for ``runs`` runs of :func:`measure` making ``count``
    systems each: every run also makes one untimed system, and the default system counts."""
    return runs * (count + 1) + 1


def measure(server: Server, created: Figure, memory: Figure, count: int) -> None:
    """Make ``count`` systems one after another on ``server``: the median time each took to
    answer with its key pair (ready: a call with it answers at once after), and the growth of
    the server's resident memory per system."""
    new_system(server)  # the first pays for compiling the shared statements
    before = status_kib(server.pid, "VmRSS")
    times = []
    for _ in range(count):
        started = time.perf_counter()
        made = new_system(server)
        times.append((time.perf_counter() - started) * 1000)
        ready(server, made)
    created.emulator.append(statistics.median(times))
    memory.emulator.append((status_kib(server.pid, "VmRSS") - before) / 1024 / count)


def new_system(server: Server) -> dict[str, str]:
    answer = post(server.root + "/_emulator/systems", "{}", content_type=JSON)
    made: dict[str, str] = json.loads(answer)
    return made


def ready(server: Server, made: dict[str, str]) -> None:
    body = f"key={made['key']}&passkey={made['passkey']}"
    if post(server.url + "get_contact_list_count", body) != b"11":
        raise RuntimeError(f"system {made['name']} is not ready")
