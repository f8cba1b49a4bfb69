"""A client whose base URL hard-codes a real OpenCRM host reaches a system of the emulator
unmodified (issue 14): ``opencrm-emulator cert`` makes the certificate, the emulator serves
HTTPS with it, the system's name is pointed at 127.0.0.1 (here inside the test only, by
redirecting name resolution for that one name) and the client trusts the local CA through
its environment, as the README's recipe says."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import requests

from emulator.serving.cli import main
from tests.http.test_tls import announced_port

HOST = "acme.opencrm.co.uk"


class AcmeCRM:
    """A client as a user writes one: the base URL is the real system's, nothing else."""

    BASE = "https://acme.opencrm.co.uk/api/rest/"
    made: ClassVar[list[AcmeCRM]] = []  # for the test to close their sessions

    def __init__(self, key: str, passkey: str) -> None:
        self.made.append(self)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "acme-integration/1.0"
        self.credentials = {"key": key, "passkey": passkey}

    def call(self, end_point: str, **params: str) -> Any:
        response = self.session.post(self.BASE + end_point, data={**self.credentials, **params})
        response.raise_for_status()
        return response.json()


@pytest.fixture
def certificates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["cert", "--out", str(tmp_path / "certs")]) == 0
    printed = capsys.readouterr().out
    assert "--ssl-certfile" in printed
    assert "REQUESTS_CA_BUNDLE=" in printed
    return tmp_path / "certs"


@pytest.fixture
def https_emulator(certificates: Path, tmp_path: Path) -> Iterator[int]:
    config = tmp_path / "emulator.toml"
    config.write_text(
        '[[systems]]\nname = "acme"\n'
        '[[systems.key_pairs]]\nkey = "acme-key"\npasskey = "acme-passkey"\n',
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "emulator", "serve", "--port", "0", "--config", str(config)]
    command += ["--ssl-certfile", str(certificates / "server.pem")]
    command += ["--ssl-keyfile", str(certificates / "server-key.pem")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        yield announced_port(process)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


@pytest.fixture
def name_points_at_the_emulator(https_emulator: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Resolve ``acme.opencrm.co.uk:443`` to the emulator's port on 127.0.0.1 in this process
    only (as ``/etc/hosts`` or ``curl --resolve`` would for a user); every other name as usual."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == HOST:
            return real("127.0.0.1", https_emulator, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def trusting(
    certificates: Path, https_emulator: int, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """The client's environment trusts the local CA (``REQUESTS_CA_BUNDLE``); its sessions
    close before the emulator stops."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificates / "ca.pem"))
    yield
    for client in AcmeCRM.made:
        client.session.close()
    AcmeCRM.made.clear()


def test_an_unmodified_client_of_a_real_host_reaches_the_system_of_that_name(
    trusting: None, name_points_at_the_emulator: None
) -> None:
    acme = AcmeCRM("acme-key", "acme-passkey")
    crmid = acme.call("edit_lead", crmid="0", lastname="Hard-Coded", company="Acme Ltd")
    assert acme.call("get_lead", crmid=str(crmid))["company"] == "Acme Ltd"
    assert acme.call("get_lead_list_count") == 7  # six fixture leads, and this one


def test_the_default_systems_key_pair_is_refused_at_the_acme_host(
    trusting: None, name_points_at_the_emulator: None
) -> None:
    wrong = AcmeCRM("demo-key", "demo-passkey")
    assert wrong.call("get_lead_list_count") == {
        "error": "Invalid User Details - AUTHENTICATION FAILED"
    }


def test_the_local_ca_is_needed_to_trust_the_emulator(
    name_points_at_the_emulator: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    client = AcmeCRM("acme-key", "acme-passkey")
    try:
        with pytest.raises(requests.exceptions.SSLError):
            client.call("get_lead_list_count")
    finally:
        client.session.close()
