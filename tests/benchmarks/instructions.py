"""Instructions per call, counted under callgrind: ``python -m tests.benchmarks.instructions``.

A machine's load moves requests per second; the instructions a call takes do not move with
it. Each server (the emulator on its defaults, and the throughput reference) runs under
``valgrind --tool=callgrind``; after a warm-up its counters are zeroed, ``--calls`` calls
are made one after another on one keep-alive connection, and the instructions counted in
the whole process (the serving code, the log writer's thread and all) are divided by the
calls. The ratio reference / emulator is what the requests-per-second ratio would be if
every instruction cost the same. Needs valgrind (Debian: ``apt-get install valgrind``).
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.benchmarks.figures import THROUGHPUT
from tests.benchmarks.servers import CREDENTIALS, FORM, USER_AGENT, Processes, Server

TOTALS = re.compile(rb"^(?:summary|totals): (\d+)", re.MULTILINE)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    unknown = set(args.figure) - {t[1] for t in THROUGHPUT}
    if unknown:
        parser().error(f"no such figure: {', '.join(sorted(unknown))}")
    if not shutil.which("valgrind") or not shutil.which("callgrind_control"):
        raise SystemExit("valgrind is not on PATH: apt-get install valgrind")
    chosen = [t for t in THROUGHPUT if not args.figure or t[1] in args.figure]
    with tempfile.TemporaryDirectory(prefix="opencrm-instructions-") as tmp:
        folder = Path(tmp)
        procs = Processes(folder)
        try:
            reference = count(procs, folder, "tests.benchmarks.reference_app", "", "", args)
            print(f"reference (bare Starlette POST): {reference / 1000:,.0f} k instructions a call")
            for name, end_point, params, target in chosen:
                found = count(procs, folder, "emulator", end_point, params, args)
                print(
                    f"{name}: {found / 1000:,.0f} k instructions a call, ratio"
                    f" {reference / found:.2f} (target {target})"
                )
        finally:
            procs.close()
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m tests.benchmarks.instructions", description=__doc__
    )
    names = ", ".join(t[1] for t in THROUGHPUT)
    top.add_argument("figure", nargs="*", help=f"some of {names} (default: all)")
    top.add_argument("--calls", type=int, default=300)
    top.add_argument("--warmup", type=int, default=300)
    top.add_argument(
        "--keep",
        metavar="FOLDER",
        help="keep each server's callgrind dump there (for callgrind_annotate --inclusive=yes)",
    )
    return top


def count(
    procs: Processes,
    folder: Path,
    module: str,
    end_point: str,
    params: str,
    args: argparse.Namespace,
) -> float:
    """The instructions a call of ``end_point`` takes in a server of ``module``."""
    out = folder / f"callgrind-{module}-{end_point}.out"
    prefix = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
    server_args = ("serve", "--port", "0") if module == "emulator" else ()
    server = procs.server(module, *server_args, timeout=300, prefix=prefix)
    try:
        with Client(server) as client:
            path = urlsplit(server.url).path + (end_point or "get_contact")
            body = CREDENTIALS + ("&" + params if params else "")
            for n in range(args.warmup):
                client.post(path, body.replace("{n}", str(n)))
            control(server, "--zero")
            for n in range(args.calls):
                client.post(path, body.replace("{n}", str(n)))
            control(server, "--dump")
        dumps = sorted(folder.glob(out.name + ".*"), key=lambda p: p.stat().st_mtime)
        if args.keep:
            Path(args.keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(dumps[-1], Path(args.keep) / out.name)
        return int(TOTALS.findall(dumps[-1].read_bytes())[-1]) / args.calls
    finally:
        procs.stop(server)
        for dump in folder.glob(out.name + "*"):
            dump.unlink()


def control(server: Server, what: str) -> None:
    subprocess.run(["callgrind_control", what, str(server.pid)], check=True, capture_output=True)
    time.sleep(0.2)  # the dump is written by the server's own thread


class Client:
    """One keep-alive connection; an answer other than HTTP 200 or an API error raises."""

    def __init__(self, server: Server) -> None:
        parts = urlsplit(server.url)
        self.conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=300)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.conn.close()

    def post(self, path: str, body: str) -> None:
        headers = {"Content-Type": FORM, "User-Agent": USER_AGENT}
        self.conn.request("POST", path, body.encode(), headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.status != 200 or data.startswith(b'{"error"'):
            raise RuntimeError(f"POST {path}: HTTP {response.status}: {data[:200]!r}")


if __name__ == "__main__":
    raise SystemExit(main())
