"""moto's server beside the emulator, under the same load: ``python -m tests.benchmarks.moto_peer``.

The issue's peer: moto (``pip install 'moto[server]'``, in the ``test`` extra), the
emulator users would otherwise reach for, serving its own DynamoDB ``GetItem`` of an item of
about a contact's size, and the emulator serving ``get_contact`` (the benchmark's first
figure), each driven by the benchmark's load (``wrk -t1 -c8``, or the Python fallback) for
the same seconds, one after the other on 127.0.0.1. Prints both rates and their ratio.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.benchmarks import load
from tests.benchmarks.figures import FULL
from tests.benchmarks.servers import CREDENTIALS, USER_AGENT, Processes, api_call, stop

AMZ_JSON = "application/x-amz-json-1.0"
#: moto routes a request to its service by the credential scope; it checks no signature.
AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=testing/20261202/eu-west-2/dynamodb/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0"
)
TABLE = "contacts"
#: A contact's worth of attributes (the emulator's get_contact answers some 60 fields).
ITEM = {
    "crmid": {"S": "150"},
    **{f"field{i:02d}": {"S": f"value of field {i} of contact 150"} for i in range(60)},
}
GET_ITEM = json.dumps({"TableName": TABLE, "Key": {"crmid": {"S": "150"}}})


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if importlib.util.find_spec("moto") is None:
        raise SystemExit("moto is not installed: pip install 'moto[server]'")
    generator = load.choose(args.generator)
    with tempfile.TemporaryDirectory(prefix="opencrm-moto-") as tmp:
        folder = Path(tmp)
        moto_rates = measure_moto(folder, generator, args)
        emulator_rates = measure_emulator(folder, generator, args)
    moto_rate, emulator_rate = statistics.median(moto_rates), statistics.median(emulator_rates)
    print(f"moto server, DynamoDB GetItem: {moto_rate:,.0f} req/s (runs: {fmt(moto_rates)})")
    print(f"emulator, get_contact: {emulator_rate:,.0f} req/s (runs: {fmt(emulator_rates)})")
    ratio = emulator_rate / moto_rate
    print(f"emulator / moto: {ratio:.1f}x ({generator}, {args.seconds:g} s a run)")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m tests.benchmarks.moto_peer", description=__doc__)
    top.add_argument("--runs", type=int, default=FULL.runs)
    top.add_argument("--seconds", type=float, default=FULL.load_seconds)
    top.add_argument("--connections", type=int, default=FULL.connections)
    top.add_argument("--generator", default="auto", choices=("auto", "wrk", "python"))
    return top


def fmt(rates: list[float]) -> str:
    return ", ".join(f"{r:,.0f}" for r in rates)


def measure_moto(folder: Path, generator: str, args: argparse.Namespace) -> list[float]:
    port = free_port()
    log = (folder / "moto.log").open("w")
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for(port, proc)
        dynamodb(url, "CreateTable", create_table())
        dynamodb(url, "PutItem", {"TableName": TABLE, "Item": ITEM})
        assert json.loads(dynamodb(url, "GetItem", json.loads(GET_ITEM)))["Item"] == ITEM
        job = load.Load(url, GET_ITEM, args.connections, args.seconds, AMZ_JSON, headers())
        load.requests_per_second(generator, job, folder)  # warm-up
        return [load.requests_per_second(generator, job, folder) for _ in range(args.runs)]
    finally:
        stop(proc)
        log.close()


def measure_emulator(folder: Path, generator: str, args: argparse.Namespace) -> list[float]:
    procs = Processes(folder)
    try:
        server = procs.emulator()
        api_call(server.url, "get_contact", "crmid=150")  # answers, no error
        url = server.url + "get_contact"
        job = load.Load(url, CREDENTIALS + "&crmid=150", args.connections, args.seconds)
        load.requests_per_second(generator, job, folder)  # warm-up
        return [load.requests_per_second(generator, job, folder) for _ in range(args.runs)]
    finally:
        procs.close()


def create_table() -> dict[str, object]:
    return {
        "TableName": TABLE,
        "KeySchema": [{"AttributeName": "crmid", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "crmid", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    }


def headers(action: str = "GetItem") -> dict[str, str]:
    return {
        "X-Amz-Target": f"DynamoDB_20120810.{action}",
        "X-Amz-Date": "20261202T000000Z",
        "Authorization": AUTHORIZATION,
    }


def dynamodb(url: str, action: str, body: dict[str, object]) -> bytes:
    request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1, built here)
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": AMZ_JSON, "User-Agent": USER_AGENT, **headers(action)},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        body_bytes: bytes = answer.read()
    return body_bytes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def wait_for(port: int, proc: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"moto's server exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"moto's server did not listen within {timeout:.0f} s")


if __name__ == "__main__":
    raise SystemExit(main())
