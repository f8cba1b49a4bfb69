"""``python -m tests.benchmarks [--quick] [--runs N] [--generator auto|wrk|python] [--only G,..]``.

Progress goes to stderr; the table (Markdown, with the machine it ran on) to stdout. The exit
status is 1 when a figure could not be measured at all, else 0 (missed targets are shown as
FAIL in the table, not in the exit status: the figures are for reading).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

import uvicorn

from tests.benchmarks import load
from tests.benchmarks.figures import FULL, GROUPS, QUICK, Bench
from tests.benchmarks.servers import Processes
from tests.benchmarks.table import render


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    top.add_argument("--quick", action="store_true", help="tiny sizes, targets not judged")
    top.add_argument("--runs", type=int, default=0, help="runs per figure (default 3, quick 1)")
    top.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    top.add_argument(
        "--only",
        default="",
        help=f"these groups of figures only, comma-separated: {', '.join(GROUPS)}",
    )
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.runs < 0:
        parser().error("--runs must be 1 or more")
    only = [name for name in args.only.split(",") if name]
    if set(only) - set(GROUPS):
        parser().error(f"--only takes {', '.join(GROUPS)}")
    sizes = QUICK if args.quick else FULL
    sizes = dataclasses.replace(sizes, runs=args.runs or sizes.runs)
    generator = load.choose(args.generator)
    compile_bytecode()
    # SIGTERM ends the run through the finally below, so no server outlives the benchmark.
    signal.signal(signal.SIGTERM, terminated)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="opencrm-bench-") as folder:
        procs = Processes(Path(folder))
        try:
            figures = Bench(procs, sizes, generator, progress).all(only)
        finally:
            procs.close()
    elapsed = time.perf_counter() - started
    print(machine(generator, sizes.runs, args.quick))
    print()
    print(render(figures, judged=not args.quick))
    print(f"\nwhole run: {elapsed:.0f} s")
    return 1 if any(f.missing.startswith("error") for f in figures) else 0


def compile_bytecode() -> None:
    """The bytecode of the package and of everything installed beside it written, as
    ``pip install`` writes an installed package's, so that every server starts as a user's
    does: a checkout run under ``PYTHONDONTWRITEBYTECODE=1`` (pip then writes none either)
    would otherwise compile every module it imports at every start, a quarter of the
    start-up time."""
    import compileall
    import sysconfig

    import emulator

    folders = {Path(emulator.__file__).parent}
    folders |= {Path(sysconfig.get_paths()[name]) for name in ("purelib", "platlib")}
    for folder in sorted(folders):
        compileall.compile_dir(folder, quiet=2, workers=0)


def terminated(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(143)


STARTED = time.perf_counter()


def progress(message: str) -> None:
    elapsed = time.perf_counter() - STARTED
    print(f"[benchmark {elapsed:5.1f} s] {message}", file=sys.stderr, flush=True)


def machine(generator: str, runs: int, quick: bool) -> str:
    loop = "uvloop" if has("uvloop") else "asyncio"
    http = "httptools" if has("httptools") else "h11"
    used = "wrk (1 thread)" if generator == "wrk" else "Python (keep-alive sockets, threads)"
    return "\n".join(
        [
            f"machine: {os.cpu_count()} CPUs ({cpu_model()}), {platform.system()} "
            f"{platform.release()}, load average at the end {os.getloadavg()[0]:.2f}",
            f"python {platform.python_version()}, uvicorn {uvicorn.__version__} "
            f"(loop {loop}, http {http}), one worker, access log off",
            f"load generator: {used}; median of {runs} run(s) per figure"
            + ("; QUICK sizes, targets not judged" if quick else ""),
        ]
    )


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None
