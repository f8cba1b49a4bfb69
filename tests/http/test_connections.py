"""What only the connection sees (issue 12): a head too large to read, a client too slow to
finish its request, a request uvicorn cannot parse. Each is answered in JSON and closed; on
a real socket, through the emulator's protocol (emulator/serving/protocol.py)."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
import trustme

from emulator.pytest_plugin import LiveServer

READ_TIMEOUT = 10


def connect(server: LiveServer) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=READ_TIMEOUT)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Everything until the server closes the connection."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def status_and_json(answer: bytes) -> tuple[int, object]:
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"content-type: application/json" in head.lower(), head
    return int(head.split(b" ")[1]), orjson.loads(body)


def form_request(server: LiveServer, end_point: str) -> bytes:
    body = "&".join(f"{k}={v}" for k, v in server.credentials.items()).encode()
    return (
        b"POST /api/rest/%s HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (end_point.encode(), len(body), body)
    )


def test_a_request_uvicorn_cannot_parse_is_a_json_400(opencrm_server: LiveServer) -> None:
    with connect(opencrm_server) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        answer = read_all(sock)
    assert status_and_json(answer) == (400, {"error": "Invalid HTTP request received."})


def test_a_head_larger_than_the_limit_is_a_431_before_it_is_read_whole(
    opencrm_server: LiveServer,
) -> None:
    with connect(opencrm_server) as sock:
        sock.sendall(b"POST /api/rest/get_contact_list HTTP/1.1\r\nHost: x\r\nX-Big: ")
        sent = 0
        try:
            while sent < 100 * 1024 * 1024:  # a 100 MB header: the server stops reading it
                sock.sendall(b"x" * 65536)
                sent += 65536
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = read_all(sock)
    assert sent < 8 * 1024 * 1024
    assert status_and_json(answer) == (431, {"error": "Request headers larger than 65536 bytes"})


def test_a_large_body_is_not_taken_for_a_large_head(opencrm_server: LiveServer) -> None:
    body = b"&".join(f"{k}={v}".encode() for k, v in opencrm_server.credentials.items())
    body += b"&description=" + b"x" * 1_000_000
    head = b"POST /api/rest/get_contact_list_count HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n"
    with connect(opencrm_server) as sock:
        sock.sendall(head % len(body) + b"Connection: close\r\n\r\n" + body)
        answer = read_all(sock)
    assert answer.split(b"\r\n\r\n", 1)[1] == b"11"


@pytest.mark.opencrm(request_timeout=1)
@pytest.mark.parametrize("sent", [b"", b"POST /api/rest/get_contact_list HTTP/1.1\r\nHo"])
def test_a_client_that_does_not_finish_its_head_in_time_gets_a_408_and_is_closed(
    opencrm_server: LiveServer, sent: bytes
) -> None:
    started = time.monotonic()
    with connect(opencrm_server) as sock:
        sock.sendall(sent)
        answer = read_all(sock)
    assert 0.9 < time.monotonic() - started < 5
    assert status_and_json(answer) == (408, {"error": "Request not complete within 1 seconds"})


@pytest.mark.opencrm(request_timeout=1)
def test_a_client_sending_a_byte_at_a_time_is_closed_after_the_timeout(
    opencrm_server: LiveServer,
) -> None:
    request = form_request(opencrm_server, "get_contact_list_count")
    started = time.monotonic()
    closed = False
    with connect(opencrm_server) as sock:
        sock.settimeout(0.05)
        for byte in request:  # about 80 bytes over 4 seconds
            try:
                sock.sendall(bytes([byte]))
                if sock.recv(65536) == b"":
                    closed = True
                    break
            except TimeoutError:
                pass
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
    assert closed
    assert time.monotonic() - started < 5


@pytest.mark.opencrm(request_timeout=1)
def test_a_body_that_stops_arriving_is_a_408_with_no_error_logged(
    opencrm_server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    head = (
        b"POST /api/rest/get_contact_list_count HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nkey="
    )
    with connect(opencrm_server) as sock:
        sock.sendall(head)
        answer = read_all(sock)
    assert status_and_json(answer)[0] == 408
    time.sleep(0.2)  # the app hears of the disconnection
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.opencrm(request_timeout=1)
def test_a_keep_alive_connection_serves_request_after_request_within_the_timeout(
    opencrm_server: LiveServer,
) -> None:
    with connect(opencrm_server) as sock:
        for _ in range(3):
            sock.sendall(form_request(opencrm_server, "get_contact_list_count"))
            assert sock.recv(65536).endswith(b"\r\n\r\n11")
            time.sleep(0.7)  # more than the timeout in all, less between requests


def test_a_tls_key_that_will_not_load_is_one_line_before_any_banner(tmp_path: Path) -> None:
    cert = trustme.CA().issue_cert("127.0.0.1")
    certfile, keyfile = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.cert_chain_pems[0].write_to_path(str(certfile))
    keyfile.write_text("not a key\n")
    command = [sys.executable, "-m", "emulator", "serve", "--port", "0"]
    command += ["--ssl-certfile", str(certfile), "--ssl-keyfile", str(keyfile)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""  # no banner
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("opencrm-emulator: cannot start: cannot load the TLS")
    assert "Traceback" not in done.stderr
