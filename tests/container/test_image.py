"""The docker image: builds, turns healthy, answers the API, keeps its data on the volume.

Runs only when the -m expression names ``container`` (tests/conftest.py deselects it otherwise);
CI runs it through ../shared/ci/with-docker.sh. Where no docker engine is reachable it skips and
says why, and fails in CI (tests.support.components.unavailable). Host networking, so the
container listens on 127.0.0.1.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.components import unavailable

pytestmark = pytest.mark.container
ROOT = Path(__file__).resolve().parents[2]
KEYS = {"key": "demo-key", "passkey": "demo-passkey"}
AGENT = {"User-Agent": "container-tests/1.0"}
TOKEN = "container-test-token"


def docker(*args: str, timeout: float = 120) -> str:
    done = subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"docker {' '.join(args)} failed: {done.stderr.strip()[-2000:]}")
    return done.stdout.strip()


def engine_problem() -> str | None:
    if shutil.which("docker") is None:
        return "no docker client on this machine"
    try:
        docker("info", timeout=15)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        return f"no docker engine reachable ({str(exc).splitlines()[0][:120]})"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def image() -> Iterator[str]:
    problem = engine_problem()
    if problem:
        unavailable("a docker engine", problem)
    tag = f"opencrm-emulator-test:{uuid.uuid4().hex[:8]}"
    docker("build", "--network", "host", "-t", tag, str(ROOT), timeout=900)
    yield tag
    subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=120, check=False)


@pytest.fixture
def volume() -> Iterator[str]:
    name = f"opencrm-data-{uuid.uuid4().hex[:8]}"
    docker("volume", "create", name)
    yield name
    subprocess.run(
        ["docker", "volume", "rm", "-f", name], capture_output=True, timeout=60, check=False
    )


def start(image: str, volume: str, port: int) -> str:
    return run_on(port, "-v", f"{volume}:/data", image)


def start_on(image: str, port: int, database: str) -> str:
    """A container on ``port`` whose database is ``database`` (a PostgreSQL URL)."""
    return run_on(port, "-e", f"OPENCRM_EMULATOR_DATABASE={database}", image)


def run_on(port: int, *args: str) -> str:
    """``docker run -d`` on the host's network, the emulator on ``port``: the container's id."""
    return docker("run", "-d", "--network", "host", "-e", f"OPENCRM_EMULATOR_PORT={port}", *args)


def wait_healthy(container: str, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    status = ""
    while time.monotonic() < deadline:
        status = docker("inspect", "--format", "{{.State.Health.Status}}", container)
        if status == "healthy":
            return
        time.sleep(1)
    logs = subprocess.run(["docker", "logs", container], capture_output=True, text=True, timeout=30)
    raise AssertionError(f"container not healthy after {limit}s ({status}): {logs.stderr[-2000:]}")


def call(port: int, end_point: str, **params: str) -> object:
    response = httpx.post(
        f"http://127.0.0.1:{port}/api/rest/{end_point}",
        data={**KEYS, **params},
        timeout=10,
        headers=AGENT,
    )
    response.raise_for_status()
    return response.json()


def test_the_image_turns_healthy_answers_the_api_and_keeps_data_across_a_restart(
    image: str, volume: str
) -> None:
    port = free_port()
    container = start(image, volume, port)
    try:
        wait_healthy(container)
        assert docker("inspect", "--format", "{{.Config.User}}", container) not in ("", "root", "0")
        assert call(port, "get_contact_list_count") == 11
        crmid = call(port, "edit_contact", crmid="0", firstname="Ada", lastname="Lovelace")
        assert isinstance(crmid, int)
        docker("restart", container, timeout=120)
        wait_healthy(container)
        record = call(port, "get_contact", crmid=str(crmid))
        assert isinstance(record, dict)
        assert record["lastname"] == "Lovelace"
        assert call(port, "get_contact_list_count") == 12
    finally:
        subprocess.run(
            ["docker", "rm", "-f", container], capture_output=True, timeout=60, check=False
        )


def test_the_image_makes_certificates_and_serves_a_system_by_name_over_https(
    image: str, volume: str, tmp_path: Path
) -> None:
    """The README's docker recipe: the image makes the certificates (``cert``), serves HTTPS
    with them, and a call whose Host names a system made on demand reaches that system."""
    certs = tmp_path / "certs"
    certs.mkdir()
    certs.chmod(0o777)  # the image's user (10001) writes here
    docker(
        "run", "--rm", "-v", f"{certs}:/certs", image, "opencrm-emulator", "cert", "--out", "/certs"
    )
    port = free_port()
    container = docker(
        "run", "-d", "--network", "host",
        "-e", f"OPENCRM_EMULATOR_PORT={port}",
        "-e", "OPENCRM_EMULATOR_SSL_CERTFILE=/certs/server.pem",
        "-e", "OPENCRM_EMULATOR_SSL_KEYFILE=/certs/server-key.pem",
        "-e", f"OPENCRM_EMULATOR_CONTROL_TOKEN={TOKEN}",
        "-v", f"{certs}:/certs", "-v", f"{volume}:/data",
        image,
    )  # fmt: skip
    base = f"https://127.0.0.1:{port}"
    try:
        trust = ssl.create_default_context(cafile=str(certs / "ca.pem"))
        with httpx.Client(verify=trust, timeout=10, headers=AGENT) as client:
            wait_answering(client, f"{base}/_emulator/health")
            bearer = {"Authorization": f"Bearer {TOKEN}"}  # the image listens beyond loopback
            answer = client.post(f"{base}/_emulator/systems", json={"name": "acme"}, headers=bearer)
            assert answer.status_code == 201, answer.text
            made = answer.json()
            pair = {"key": made["key"], "passkey": made["passkey"]}
            host = {"Host": f"acme.opencrm.co.uk:{port}"}
            created = client.post(
                f"{base}/api/rest/edit_lead",
                data={**pair, "crmid": "0", "lastname": "Docker"},
                headers=host,
            ).json()
            assert isinstance(created, int)
            count = client.post(f"{base}/api/rest/get_lead_list_count", data=pair, headers=host)
            assert count.json() == 7
            refused = client.post(f"{base}/api/rest/get_lead_list_count", data=KEYS, headers=host)
            assert refused.json() == {"error": "Invalid User Details - AUTHENTICATION FAILED"}
    finally:
        subprocess.run(
            ["docker", "rm", "-f", container], capture_output=True, timeout=60, check=False
        )


def wait_answering(client: httpx.Client, url: str, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if client.get(url).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(1)
    raise AssertionError(f"{url} did not answer within {limit} s")


def test_two_containers_on_one_postgresql_answer_as_one_emulator(
    image: str, fresh_postgres_url: str
) -> None:
    """The README's "Scaling out": N containers, each given the database by
    OPENCRM_EMULATOR_DATABASE (host networking: the test's PostgreSQL is on 127.0.0.1)."""
    ports = [free_port(), free_port()]
    containers = [start_on(image, port, fresh_postgres_url) for port in ports]
    try:
        for container in containers:
            wait_healthy(container)
        crmid = call(ports[0], "edit_contact", crmid="0", firstname="Ada", lastname="Scaled")
        record = call(ports[1], "get_contact", crmid=str(crmid))
        assert isinstance(record, dict)
        assert record["lastname"] == "Scaled"
        access_key = call(ports[1], "login")
        answer = httpx.post(
            f"http://127.0.0.1:{ports[0]}/api/rest/get_contact_list_count",
            data={"accesskey": str(access_key)},
            headers=AGENT,
            timeout=10,
        )
        assert answer.json() == 12
    finally:
        for container in containers:
            subprocess.run(
                ["docker", "rm", "-f", container], capture_output=True, timeout=60, check=False
            )


def test_the_image_carries_the_bytecode_of_everything_its_server_imports(image: str) -> None:
    """Its user cannot write bytecode into the venv, so a module without it is compiled
    again at every start (the server took twice as long to answer)."""
    script = (
        "import importlib.util, os, sys\n"
        "import emulator.serving.app, emulator.serving.cli\n"
        "files = [m.__file__ for m in list(sys.modules.values())\n"
        "         if (getattr(m, '__file__', None) or '').endswith('.py')]\n"
        "missing = [f for f in files if not os.path.exists(importlib.util.cache_from_source(f))]\n"
        "print(len(files), len(missing), *missing[:5])\n"
    )
    found = docker("run", "--rm", "--network", "host", image, "python", "-c", script).split()
    assert int(found[0]) > 200, found  # the whole server's imports were looked at
    assert found[1:] == ["0"], f"modules without bytecode: {found[2:]}"
