"""What bounds the throughput figures: ``python -m tests.benchmarks.floor``.

For each throughput figure of the benchmark, three servers under the same load, one after
the other, ``--runs`` times: the emulator on its defaults, the floor (tests/benchmarks/
floor_app.py: the same call reduced to what it cannot do without, on the emulator's own
store, journal and log) and the reference (the bare Starlette app). The emulator and the
floor are reset before each run, as in the benchmark. Prints each one's median rate, and
the ratios emulator / reference and floor / reference beside the target: a floor below its
target says no pipeline on this store, journal and log reaches it.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from tests.benchmarks import load
from tests.benchmarks.figures import FULL, THROUGHPUT
from tests.benchmarks.floor_app import PARTS
from tests.benchmarks.servers import CREDENTIALS, Processes, api_call, post


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    generator = load.choose(args.generator)
    chosen = [t for t in THROUGHPUT if not args.figure or t[1] in args.figure]
    with tempfile.TemporaryDirectory(prefix="opencrm-floor-") as tmp:
        folder = Path(tmp)
        procs = Processes(folder)
        try:
            urls = {
                "emulator": procs.emulator().url,
                "floor": procs.server("tests.benchmarks.floor_app", *without(args)).url,
                "reference": procs.server("tests.benchmarks.reference_app").url,
            }
            less = f"; the floor without its {' and '.join(args.without)}" if args.without else ""
            print(f"load: {generator}, {args.connections} connections, {args.seconds:g} s a run,"
                  f" median of {args.runs}{less}")  # fmt: skip
            for name, end_point, params, target in chosen:
                rates = measure(urls, end_point, params, folder, generator, args)
                print(row(name, rates, target))
        finally:
            procs.close()
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m tests.benchmarks.floor", description=__doc__)
    names = ", ".join(t[1] for t in THROUGHPUT)
    top.add_argument("figure", nargs="*", help=f"some of {names} (default: all)")
    top.add_argument("--runs", type=int, default=FULL.runs)
    top.add_argument("--seconds", type=float, default=FULL.load_seconds)
    top.add_argument("--connections", type=int, default=FULL.connections)
    top.add_argument("--generator", default="auto", choices=("auto", "wrk", "python"))
    top.add_argument(
        "--without", action="append", choices=PARTS, default=[],
        help="leave this part out of the floor too, to show what it costs",
    )  # fmt: skip
    return top


def without(args: argparse.Namespace) -> list[str]:
    return [word for part in args.without for word in ("--without", part)]


def measure(
    urls: dict[str, str],
    end_point: str,
    params: str,
    folder: Path,
    generator: str,
    args: argparse.Namespace,
) -> dict[str, float]:
    """Each server's median rate for the call, the servers taking turns run by run."""
    body = CREDENTIALS + "&" + params
    for base in urls.values():  # each answers the call once, and warms up
        api_call(base, end_point, params.replace("{n}", "0"))
        warm_up = load.Load(base + end_point, body, args.connections, max(0.2, args.seconds / 3))
        load.requests_per_second(generator, warm_up, folder)
    runs: dict[str, list[float]] = {server: [] for server in urls}
    for _ in range(args.runs):
        for server, base in urls.items():
            if server != "reference":  # edits start from the fixtures, as in the benchmark
                post(base.removesuffix("/api/rest/") + "/_emulator/reset")
            job = load.Load(base + end_point, body, args.connections, args.seconds)
            runs[server].append(load.requests_per_second(generator, job, folder))
    return {server: statistics.median(rates) for server, rates in runs.items()}


def row(name: str, rates: dict[str, float], target: float) -> str:
    reference = rates["reference"]
    return (
        f"{name}: emulator {rates['emulator']:,.0f} req/s, floor {rates['floor']:,.0f} req/s,"
        f" reference {reference:,.0f} req/s; emulator / reference"
        f" {rates['emulator'] / reference:.2f}, floor / reference {rates['floor'] / reference:.2f}"
        f" (target {target})"
    )


if __name__ == "__main__":
    raise SystemExit(main())
