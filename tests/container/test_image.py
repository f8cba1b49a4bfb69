"""The docker image: builds, turns healthy, answers the API, keeps its data on the volume.

Runs only when the -m expression names ``container`` (tests/conftest.py deselects it otherwise);
CI runs it through ../shared/ci/with-docker.sh. Where no docker engine is reachable it skips and
says why, and fails in CI (tests.support.components.unavailable). Host networking, so the
container listens on 127.0.0.1.
"""

from __future__ import annotations

import shutil
import socket
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
    return docker(
        "run", "-d", "--network", "host",
        "-e", f"OPENCRM_EMULATOR_PORT={port}",
        "-v", f"{volume}:/data",
        image,
    )  # fmt: skip


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
        headers={"User-Agent": "container-test/1.0"},  # the firewall refuses httpx's own
        timeout=10,
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
