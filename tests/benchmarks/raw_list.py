"""The list reference: the emulator's own list rows read with the stdlib ``sqlite3`` module and
encoded with orjson (the fastest JSON encoder the project ships), in a process of its own so
its time and peak memory are not mixed with the harness's.

``python -m tests.benchmarks.raw_list DATABASE SQL_FILE [REPEATS]`` runs the SELECT in SQL_FILE (the
emulator's list statement, compiled with its values inline) on DATABASE opened read-only,
builds the rows the emulator answers (``id`` and ``crmid`` first, then every field), encodes
them, and prints ``{"seconds": ..., "peak_kib": ..., "bytes": ..., "rows": ...}`` (the
median time of REPEATS runs, the peak memory above the start).
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import orjson

from tests.benchmarks.servers import reset_peak, status_kib


def rows_as_json(database: str, sql: str) -> tuple[bytes, int]:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        cursor = conn.execute(sql)
        names = [d[0] for d in cursor.description]
        if "crmid" in names:
            rows = [dict(zip(names, r, strict=True)) for r in cursor]
        else:  # the answer's shape: id, crmid (the same number), then the fields
            keys = [names[0], "crmid", *names[1:]]
            rows = [dict(zip(keys, (r[0], *r), strict=True)) for r in cursor]
    finally:
        conn.close()
    return orjson.dumps(rows), len(rows)


def main(argv: list[str]) -> None:
    database, sql_file, *repeats = argv
    sql = Path(sql_file).read_text()
    baseline = reset_peak(os.getpid())
    times = []
    for _ in range(int(repeats[0]) if repeats else 1):
        started = time.perf_counter()
        body, count = rows_as_json(database, sql)
        times.append(time.perf_counter() - started)
        size = len(body)
        del body  # each repeat's peak stands alone, as each of the server's calls does
    peak = status_kib(os.getpid(), "VmHWM") - baseline
    result = {"seconds": statistics.median(times), "peak_kib": peak, "bytes": size, "rows": count}
    sys.stdout.write(orjson.dumps(result).decode() + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
