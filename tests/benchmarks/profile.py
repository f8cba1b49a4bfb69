"""Where a benchmarked server spends its time: ``python -m tests.benchmarks.profile FIGURE``.

FIGURE is ``get_contact``, ``get_quote``, ``edit_contact`` (under the benchmark's load) or
``list_full`` (``get_contact_list_full`` of ``--rows`` contacts, called again and again).
py-spy (``pip install py-spy``; not a project dependency) samples the server process; the
summary lists the functions with the largest share of samples, by self time and inclusive,
and ``--speedscope FILE`` also writes a flame graph for https://www.speedscope.app.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from tests.benchmarks import data, load
from tests.benchmarks.figures import THROUGHPUT
from tests.benchmarks.servers import CREDENTIALS, Processes, Server, api_call

TRIM = ("site-packages/", "/lib/python3.11/", str(Path.cwd()) + "/")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not shutil.which("py-spy"):
        raise SystemExit("py-spy is not on PATH: pip install py-spy")
    with tempfile.TemporaryDirectory(prefix="opencrm-profile-") as tmp:
        folder = Path(tmp)
        procs = Processes(folder)
        try:
            server = start(procs, folder, args)
            raw = Path(args.raw) if args.raw else folder / "samples.txt"
            with busy(server, folder, args):
                record(server.pid, args.seconds, "raw", raw)
            if args.speedscope:
                with busy(server, folder, args):
                    record(server.pid, args.seconds, "speedscope", Path(args.speedscope))
            print(summary(raw.read_text(), args.top))
        finally:
            procs.close()
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m tests.benchmarks.profile", description=__doc__)
    top.add_argument("figure", choices=[*(t[1] for t in THROUGHPUT), "list_full"])
    top.add_argument("--seconds", type=int, default=10)
    top.add_argument("--rows", type=int, default=50_000)
    top.add_argument("--top", type=int, default=25)
    top.add_argument("--speedscope", default="", help="also write a speedscope JSON here")
    top.add_argument("--raw", default="", help="keep py-spy's raw samples here")
    return top


def start(procs: Processes, folder: Path, args: argparse.Namespace) -> Server:
    if args.figure != "list_full":
        return procs.emulator()
    database = folder / "list.db"
    data.list_database(database, args.rows, ())
    return procs.emulator("--database", str(database))


class busy:
    """Keeps the server working (in a thread) for as long as the ``with`` block lasts."""

    def __init__(self, server: Server, folder: Path, args: argparse.Namespace) -> None:
        self.server, self.folder, self.args = server, folder, args
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.work, daemon=True)

    def __enter__(self) -> busy:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=120)

    def work(self) -> None:
        if self.args.figure == "list_full":
            while not self.stop.is_set():
                api_call(self.server.url, "get_contact_list_full", f"limit_end={self.args.rows}")
            return
        params = next(t[2] for t in THROUGHPUT if t[1] == self.args.figure)
        generator = load.choose("auto")
        url, body = self.server.url + self.args.figure, CREDENTIALS + "&" + params
        while not self.stop.is_set():
            load.requests_per_second(generator, load.Load(url, body, 8, 2), self.folder)


def record(pid: int, seconds: int, form: str, out: Path) -> None:
    command = ["py-spy", "record", "--pid", str(pid), "-d", str(seconds), "-r", "200"]
    subprocess.run(
        [*command, "--nonblocking", "--format", form, "-o", str(out)],
        check=True,
        capture_output=True,
        timeout=seconds + 60,
    )


def summary(raw: str, top: int) -> str:
    """The top functions by self and by inclusive share of samples (py-spy's raw format:
    ``frame;frame;... count`` per line, outermost frame first)."""
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():  # a frame name with a line break in it: not a sample line
            continue
        frames = [short(f) for f in stack.split(";")]
        own[frames[-1]] += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
    total = sum(own.values()) or 1
    lines = [f"{total} samples", "self:"]
    lines += [f"  {100 * n / total:5.1f}%  {f}" for f, n in own.most_common(top)]
    ours = collections.Counter({f: n for f, n in inclusive.items() if f.startswith("emulator/")})
    for title, counts in (("inclusive:", inclusive), ("inclusive, emulator code:", ours)):
        lines += [title, *(f"  {100 * n / total:5.1f}%  {f}" for f, n in counts.most_common(top))]
    return "\n".join(lines)


def short(frame: str) -> str:
    """``name (path/file.py:line)`` as ``file/path.py:name``, without the install prefix."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for prefix in TRIM:
        path = path.split(prefix, 1)[-1]
    return f"{path}:{name}"


if __name__ == "__main__":
    sys.exit(main())
