"""TLS: the real API accepts only TLS 1.2 or newer (guide, "TLS"); so does the emulator."""

from __future__ import annotations

import socket
import ssl
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import trustme


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def tls_server(authority: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    folder: Path = tmp_path_factory.mktemp("tls")
    cert = authority.issue_cert("127.0.0.1", "localhost")
    certfile, keyfile = folder / "cert.pem", folder / "key.pem"
    cert.cert_chain_pems[0].write_to_path(str(certfile))
    cert.private_key_pem.write_to_path(str(keyfile))
    command = [sys.executable, "-m", "emulator", "serve", "--port", "0"]
    command += ["--ssl-certfile", str(certfile), "--ssl-keyfile", str(keyfile)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        yield announced_port(process)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def announced_port(process: subprocess.Popen[str]) -> int:
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if " on https://127.0.0.1:" in line:
            port = int(line.split("127.0.0.1:")[1].split("/")[0])
            wait_listening(port, deadline)
            return port
    raise AssertionError("the emulator did not announce an https URL")


def wait_listening(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)


def handshake(port: int, version: ssl.TLSVersion, authority: trustme.CA) -> str:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    authority.configure_trust(context)
    with warnings.catch_warnings():  # Python deprecates TLS 1.1: this client offers it on purpose
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = context.maximum_version = version
    if version < ssl.TLSVersion.TLSv1_2:
        context.set_ciphers("DEFAULT:@SECLEVEL=0")  # let the client offer the old protocol
    with (
        socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        return str(tls.version())


def test_a_tls_1_2_client_is_served(tls_server: int, authority: trustme.CA) -> None:
    assert handshake(tls_server, ssl.TLSVersion.TLSv1_2, authority) == "TLSv1.2"


def test_a_tls_1_1_handshake_is_refused_by_the_server(
    tls_server: int, authority: trustme.CA
) -> None:
    with pytest.raises(ssl.SSLError) as refused:
        handshake(tls_server, ssl.TLSVersion.TLSv1_1, authority)
    # The server refused (an alert, or it hung up on the ClientHello): not a client that
    # never offered TLS 1.1, which would fail with NO_PROTOCOLS_AVAILABLE before connecting.
    error = refused.value
    assert isinstance(error, ssl.SSLEOFError) or "PROTOCOL_VERSION" in str(error)


def test_the_api_answers_over_https(tls_server: int, authority: trustme.CA) -> None:
    context = ssl.create_default_context()
    authority.configure_trust(context)
    response = httpx.post(
        f"https://127.0.0.1:{tls_server}/api/rest/get_contact_list_count",
        data={"key": "demo-key", "passkey": "demo-passkey"},
        headers={"User-Agent": "my-integration/1.0"},  # the firewall refuses httpx's own
        verify=context,
        timeout=10,
    )
    assert response.json() == 11
