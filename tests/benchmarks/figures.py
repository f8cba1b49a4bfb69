"""The figures of issue 7, in groups that share a server. Within every run a group measures
the emulator and then its reference, so both see the same machine noise.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from emulator.pytest_plugin import Emulators
from tests.benchmarks import data, load, postgres, systems
from tests.benchmarks.measure import (
    check_quote,
    dashboard_page_ms,
    first_answer,
    fixture_test_ms,
    list_call,
    raw_list,
    reset_seconds,
)
from tests.benchmarks.servers import CREDENTIALS, Processes, Server, ServerFailed, api_call, post
from tests.benchmarks.table import Figure, Target

MIB = 1024


@dataclass(frozen=True)
class Sizes:
    list_small: int
    list_large: int
    seed_records: int
    load_seconds: float
    warmup_seconds: float
    connections: int
    runs: int
    #: Calls timed per run where one call is short (lists of list_small rows, reset).
    repeats: int
    fixture_tests: int
    #: The whole run should end within this; seeding (the one open-ended step) gets the rest.
    budget_seconds: float
    #: One emulator (on the list database) for every figure, its spawn timed as the
    #: start-up: the quick run spends its seconds on the code paths, not on spawning.
    shared: bool = False
    #: Systems made per run for the systems figures.
    systems: int = 20


FULL = Sizes(1_000, 50_000, 10_000, 3, 1, 8, 3, 5, 100, 280)
QUICK = Sizes(10, 100, 5, 0.2, 0.05, 2, 1, 2, 5, 120, shared=True, systems=2)

#: (figure, end point, form parameters, target ratio); "{n}" is a per-request counter.
THROUGHPUT = (
    ("get_contact by crmid (POST form, key auth)", "get_contact", "crmid=150", 0.5),
    ("get_quote with 10 product lines", "get_quote", "crmid=421", 0.35),
    (
        "edit_contact, 3 fields",
        "edit_contact",
        "crmid=150&title=Head+of+Bench+{n}&department=Bench+{n}&mobile=07700+9{n}",
        0.3,
    ),
)


#: The groups of figures ``--only`` may name.
GROUPS = (
    "throughput",
    "lists",
    "dashboard",
    "startup",
    "fixture",
    "systems",
    "postgres",
    "seeding",
)


class Bench:
    def __init__(
        self, procs: Processes, sizes: Sizes, generator: str, say: Callable[[str], None]
    ) -> None:
        self.procs, self.folder, self.sizes = procs, procs.folder, sizes
        self.generator, self.say = generator, say
        self.deadline = time.monotonic() + sizes.budget_seconds
        self.servers: dict[str, Server] = {}
        self.startups: list[float] = []
        self.list_sql: dict[int, Path] = {}

    def all(self, only: Collection[str] = ()) -> list[Figure]:
        """Every figure (or those of the groups in ``only``: :data:`GROUPS`), in the
        issue's order; seeding runs last as it may take longest."""
        groups = {
            "throughput": (self.throughput, throughput_figures),
            "lists": (self.lists, lambda: list_figures(self.sizes)),
            "dashboard": (self.dashboard, lambda: [dashboard_figure()]),
            "startup": (self.startup, lambda: [startup_figure()]),
            "fixture": (self.in_process, lambda: [fixture_figure()]),
            "systems": (self.systems, systems.figures),
            "postgres": (self.postgres, lambda: postgres.figures(self.sizes.list_small)),
            "seeding": (self.seeding, lambda: seeding_figures(self.sizes)),
        }
        measured = {
            name: self.guarded(measure, figures())
            for name, (measure, figures) in groups.items()
            if not only or name in only
        }
        shown = ("throughput", "lists", "dashboard", "startup", "seeding", "fixture", "systems")
        return [f for name in (*shown, "postgres") for f in measured.get(name, [])]

    def guarded(
        self, measure: Callable[[list[Figure]], None], figures: list[Figure]
    ) -> list[Figure]:
        """Measure a group; a failure marks its figures as errors and the benchmark goes on."""
        try:
            measure(figures)
        except Exception as exc:
            self.say(f"  failed: {type(exc).__name__}: {exc}")
            for figure in figures:
                figure.missing = figure.missing or f"error: {type(exc).__name__}"
                figure.note = figure.note or str(exc)[:300]
        return figures

    def runs(self, what: str) -> Iterator[int]:
        for run in range(self.sizes.runs):
            self.say(f"{what}: run {run + 1}/{self.sizes.runs}")
            yield run

    # -- servers -------------------------------------------------------------------------------

    def emulator(self, kind: str) -> Server:
        """The emulator on ``memory`` (the default database and fixtures) or on ``list`` (the
        list database); a quick run has one server for both."""
        kind = "list" if self.sizes.shared else kind
        if kind not in self.servers:
            args = ("--database", str(self.list_database())) if kind == "list" else ()
            server = self.procs.emulator(*args)
            self.startups.append(first_answer(server))
            self.servers[kind] = server
        return self.servers[kind]

    def done_with(self, kind: str) -> None:
        if not self.sizes.shared and kind in self.servers:
            self.procs.stop(self.servers.pop(kind))

    def list_database(self) -> Path:
        database = self.folder / "list.db"
        if not self.list_sql:
            self.say(f"lists: building a database of {self.sizes.list_large:,} contacts")
            sizes = (self.sizes.list_small, self.sizes.list_large)
            for rows, sql in data.list_database(database, self.sizes.list_large, sizes).items():
                self.list_sql[rows] = self.folder / f"list-{rows}.sql"
                self.list_sql[rows].write_text(sql)
        return database

    # -- requests per second -----------------------------------------------------------------

    def throughput(self, figures: list[Figure]) -> None:
        emulator = self.emulator("memory")
        reference = self.procs.server("tests.benchmarks.reference_app")
        check_quote(emulator.url)
        for figure, (name, end_point, params, _) in zip(figures, THROUGHPUT, strict=True):
            api_call(emulator.url, end_point, params.replace("{n}", "0"))  # answers, no error
            urls = (emulator.url + end_point, reference.url + end_point)
            body = CREDENTIALS + "&" + params
            self.rates(urls, body, self.sizes.warmup_seconds)
            for _ in self.runs(name):
                post(emulator.root + "/_emulator/reset")  # edits start from the fixtures
                emulator_rate, reference_rate = self.rates(urls, body, self.sizes.load_seconds)
                figure.emulator.append(emulator_rate)
                figure.reference.append(reference_rate)
        self.procs.stop(reference)
        self.done_with("memory")

    def rates(self, urls: tuple[str, str], body: str, seconds: float) -> tuple[float, float]:
        emulator, reference = (
            load.requests_per_second(
                self.generator, load.Load(url, body, self.sizes.connections, seconds), self.folder
            )
            for url in urls
        )
        return emulator, reference

    # -- lists -------------------------------------------------------------------------------

    def lists(self, figures: list[Figure]) -> None:
        small, large_time, large_memory = figures
        server = self.emulator("list")
        n = self.sizes.list_small
        kept = []
        for _ in self.runs("lists"):
            times = [list_call(server, n).seconds for _ in range(self.sizes.repeats)]
            small.emulator.append(statistics.median(times) * 1000)
            small.reference.append(self.raw(n, self.sizes.repeats)["seconds"] * 1000)
            kept.append(self.large_list(server, large_time, large_memory) / MIB)
        large_memory.note = f"the server keeps {statistics.median(kept):,.0f} MiB after each call"
        # the list server stays up for the dashboard's figure, which stops it

    def dashboard(self, figures: list[Figure]) -> None:
        (figure,) = figures
        server = self.emulator("list")
        for _ in self.runs("dashboard"):
            figure.emulator.append(dashboard_page_ms(server, self.sizes.repeats * 10))
        figure.note = f"GET over loopback, on {self.sizes.list_large:,} contacts"
        self.done_with("list")

    def large_list(self, server: Server, time_figure: Figure, memory: Figure) -> int:
        """One run of the large list and its reference; the KiB the server kept after it."""
        call = list_call(server, self.sizes.list_large)
        reference = self.raw(self.sizes.list_large)
        time_figure.emulator.append(call.seconds)
        time_figure.reference.append(reference["seconds"])
        memory.emulator.append(call.peak_kib / MIB)
        memory.reference.append(reference["peak_kib"] / MIB)
        if call.size != reference["bytes"]:
            time_figure.note = (
                f"answers differ: {call.size:,} B, reference {reference['bytes']:,} B"
            )
        return call.kept_kib

    def raw(self, rows: int, repeats: int = 1) -> dict[str, float]:
        return raw_list(self.list_database(), self.list_sql[rows], repeats)

    # -- start-up, seeding, reset, in-process --------------------------------------------------

    def startup(self, figures: list[Figure]) -> None:
        (figure,) = figures
        if self.sizes.shared:
            figure.emulator += self.startups
            figure.note = "quick run: the shared server's start-up, on the list database"
            return
        for _ in self.runs("start-up"):
            server = self.procs.emulator()
            figure.emulator.append(first_answer(server))
            self.procs.stop(server)

    def seeding(self, figures: list[Figure]) -> None:
        seeding, reset = figures
        records = str(self.sizes.seed_records)
        timeout = max(30.0, self.deadline - time.monotonic())
        self.say(f"seeding: serve --records {records} (allowed {timeout:.0f} s)")
        try:
            server = self.procs.emulator("--records", records, "--seed", "1", timeout=timeout)
        except ServerFailed as exc:
            seeding.missing, seeding.note = unseeded(exc, timeout), str(exc)[:300]
            reset.missing, reset.note = "n/a (needs seeding)", "no seeded server to reset"
            return
        seeding.emulator.append(first_answer(server))
        for _ in self.runs("reset"):
            reset.emulator.append(
                statistics.median(reset_seconds(server) for _ in range(self.sizes.repeats))
            )
        self.procs.stop(server)

    def systems(self, figures: list[Figure]) -> None:
        created, memory = figures
        most = systems.most(self.sizes.systems, self.sizes.runs)
        server = self.procs.emulator("--max-systems", str(most))
        for _ in self.runs("systems"):
            systems.measure(server, created, memory, self.sizes.systems)
        self.procs.stop(server)

    def postgres(self, figures: list[Figure]) -> None:
        rate = postgres.rate_of(
            self.generator, self.sizes.connections, self.sizes.load_seconds, self.procs
        )
        size = self.sizes
        postgres.PostgresBench(self.procs, rate, self.runs, size.list_small, size.repeats).measure(
            figures
        )

    def in_process(self, figures: list[Figure]) -> None:
        (figure,) = figures
        emulators = Emulators()
        try:
            fixture_test_ms(emulators)  # the backend is built once per session, not per test
            for _ in self.runs("in-process fixture"):
                tests = [fixture_test_ms(emulators) for _ in range(self.sizes.fixture_tests)]
                figure.emulator.append(statistics.median(tests))
        finally:
            emulators.close()


def unseeded(failure: ServerFailed, timeout: float) -> str:
    if failure.timed_out:
        return f"error: not up within {timeout:.0f} s"
    if "not written yet" in str(failure) or "NotImplementedError" in str(failure):
        return "n/a (seeding unavailable)"
    return "error: the seeding server exited"


def throughput_figures() -> list[Figure]:
    return [Figure(name, "req/s", Target("ratio", ">=", t)) for name, _, _, t in THROUGHPUT]


def list_figures(sizes: Sizes) -> list[Figure]:
    small, large = f"{sizes.list_small:,}", f"{sizes.list_large:,}"
    name = "get_contact_list_full, {} rows: {}"
    return [
        Figure(name.format(small, "time"), "ms", Target("ratio", "<=", 1.15)),
        Figure(name.format(large, "time"), "s", Target("ratio", "<=", 1.15)),
        Figure(name.format(large, "peak memory"), "MiB", Target("ratio", "<=", 2)),
    ]


def dashboard_figure() -> Figure:
    name = "dashboard: a page of 50 records, server-side render time"
    return Figure(name, "ms", Target("value", "<=", 50))


def startup_figure() -> Figure:
    return Figure("start-up to first API answer, default fixtures", "s", Target("value", "<=", 0.4))


def seeding_figures(sizes: Sizes) -> list[Figure]:
    n = f"{sizes.seed_records:,}"
    return [
        Figure(f"seeding {n} records per module (to first answer)", "s", Target("value", "<=", 5)),
        Figure(
            f"/_emulator/reset after an edit, {n} records per module",
            "s",
            Target("value", "<=", 0.05),
        ),
    ]


def fixture_figure() -> Figure:
    return Figure("in-process fixture: reset + one API call", "ms", Target("value", "<=", 5))
