"""The PostgreSQL figures (issue 15): get_contact, edit_contact and a 1,000-row list on a
throwaway PostgreSQL server (tests/support/postgres.py), with 1 and with 4 workers
(``serve --workers``), beside the same figures on SQLite measured in the same group.

Each row's reference is the emulator on SQLite (one process, the default in-memory database),
holding the same seeded contacts and measured right after it, so the ratio is PostgreSQL's
figure over SQLite's. These rows are measured, not judged (the issue sets them no target).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator

import orjson

from tests.benchmarks import load
from tests.benchmarks.measure import first_answer, list_call
from tests.benchmarks.servers import CREDENTIALS, Processes, Server, post
from tests.benchmarks.table import Figure, Target
from tests.support.postgres import PostgresUnavailable, postgres_server

WORKERS = (1, 4)
#: (figure, end point, form parameters); "{n}" is a per-request counter.
CALLS = (
    ("get_contact", "get_contact", "crmid=150"),
    ("edit_contact, 3 fields", "edit_contact", "crmid=150&title=T{n}&department=D{n}&mobile=0{n}"),
)
INFO = Target("info", "", 0)


def figures(rows: int) -> list[Figure]:
    made = []
    for workers in WORKERS:
        on = f"on PostgreSQL, {workers} worker{'s' if workers > 1 else ''}"
        made += [Figure(f"{name} {on}", "req/s", INFO) for name, _, _ in CALLS]
        made.append(Figure(f"get_contact_list_full, {rows:,} rows, {on}", "ms", INFO))
    return made


class PostgresBench:
    """One group: a PostgreSQL server for all its figures, removed at the end."""

    def __init__(
        self,
        procs: Processes,
        rate: Callable[[str, str], float],
        runs: Callable[[str], Iterator[int]],
        rows: int,
        repeats: int,
    ) -> None:
        self.procs, self.rate, self.runs = procs, rate, runs
        self.rows, self.repeats = rows, repeats

    def measure(self, found: list[Figure]) -> None:
        try:
            with postgres_server() as database:
                self.on(database.url, found)
        except PostgresUnavailable as exc:
            for figure in found:
                figure.missing, figure.note = "n/a (no PostgreSQL)", str(exc)[:200]

    def on(self, url: str, found: list[Figure]) -> None:
        sqlite = self.procs.emulator()
        self.seed(sqlite)
        each = len(CALLS) + 1
        for index, workers in enumerate(WORKERS):
            database = f"{url}?schema_prefix=w{workers}"
            server = self.procs.emulator("--database", database, "--workers", str(workers))
            first_answer(server)
            self.seed(server)
            self.figures(server, sqlite, found[index * each : (index + 1) * each], workers)
            self.procs.stop(server)
        self.procs.stop(sqlite)

    def seed(self, server: Server) -> None:
        body = orjson.dumps({"records": self.rows, "seed": 1, "modules": ["contact"]})
        post(server.root + "/_emulator/seed", body.decode(), "application/json")

    def figures(self, server: Server, sqlite: Server, found: list[Figure], workers: int) -> None:
        *calls, listing = found
        for figure, (_, end_point, params) in zip(calls, CALLS, strict=True):
            body = CREDENTIALS + "&" + params
            self.rate(server.url + end_point, body)  # warm-up: connections, statements
            for _ in self.runs(figure.name):
                figure.emulator.append(self.rate(server.url + end_point, body))
                figure.reference.append(self.rate(sqlite.url + end_point, body))
            figure.note = "reference: the same call on SQLite, one process"
        for _ in self.runs(listing.name):
            listing.emulator.append(self.list_ms(server))
            listing.reference.append(self.list_ms(sqlite))
        listing.note = f"reference: the same list on SQLite; {workers} worker(s)"

    def list_ms(self, server: Server) -> float:
        return statistics.median(
            list_call(server, self.rows).seconds * 1000 for _ in range(self.repeats)
        )


def rate_of(
    generator: str, connections: int, seconds: float, procs: Processes
) -> Callable[[str, str], float]:
    """requests per second of one URL and body, as the throughput figures measure them."""

    def rate(url: str, body: str) -> float:
        return load.requests_per_second(
            generator, load.Load(url, body, connections, seconds), procs.folder
        )

    return rate
