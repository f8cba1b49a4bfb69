"""Secrets never leak (issue 8, "Secrets"): after a full run through every end point, every
transport and every kind of refusal and fault (``secret_session``), neither a passkey (the
configured ones, and a wrong one a client sent) nor an access key nor the control token
appears in the emulator's log, its journal (over HTTP and in process), its settings, or any
answer (an access key may appear only in the login answer that hands it out).

Run twice: a live server with ``--log-level debug`` whose whole output is scanned, and the
app in process with every log record captured.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from emulator.pytest_plugin import OpenCRM
from emulator.settings import Settings
from emulator.systems import System
from tests.reliability.live import AGENT, Emulator
from tests.reliability.secret_session import (
    CONFIG_FILE,
    CONTROL_TOKEN,
    KEY,
    PASSKEY,
    SECOND_KEY,
    SECOND_PASSKEY,
    SETTINGS,
    WRONG_PASSKEY,
    Session,
    full_run,
)

PASSKEYS = (PASSKEY, SECOND_PASSKEY, WRONG_PASSKEY, CONTROL_TOKEN)


def control_plane_view(session: Session) -> tuple[list[dict[str, Any]], str]:
    """The journal and the settings as the control plane shows them (GET, read-only)."""
    journal = session.http.request("GET", "/_emulator/journal").json()["entries"]
    settings = session.http.request("GET", "/_emulator/settings").text
    return journal, settings


def leaks(session: Session, places: dict[str, str]) -> list[str]:
    """Each secret found in each place; the session's answers are places too."""
    places = {**places, "answers": "\n".join(session.answers)}
    found = [
        f"{secret!r} in {where}"
        for where, text in places.items()
        for secret in (*PASSKEYS, *session.access_keys)
        if secret in text
    ]
    login_answers = "\n".join(session.logins)
    found += [f"{secret!r} in a login answer" for secret in PASSKEYS if secret in login_answers]
    return found


def assert_the_scan_could_see(session: Session, journal: list[dict[str, Any]]) -> None:
    """The checks above are worth something only if the run happened and its traces are
    where they were looked for."""
    assert len(session.access_keys) >= 3
    assert all(key in "\n".join(session.logins) for key in session.access_keys)
    assert len(session.answers) > 150
    api_entries = [e for e in journal if e["end_point"]]
    assert len(api_entries) >= session.api_calls - 1  # the drop fault's call is journalled too
    text = orjson.dumps(journal).decode()
    assert KEY in text  # an API key is not a secret: it shows
    assert SECOND_KEY in text
    assert text.count('"********"') >= 100  # the masked passkeys and access keys


def test_no_secret_reaches_a_live_servers_debug_log_journal_settings_or_answers(
    tmp_path: Path,
) -> None:
    config = tmp_path / "emulator.toml"
    config.write_text(CONFIG_FILE)
    server = Emulator(tmp_path / "crm.sqlite", "--config", str(config), "--log-level", "debug")
    try:
        with httpx.Client(base_url=server.root, timeout=10, headers=AGENT) as http:
            session = full_run(http)
            journal, settings = control_plane_view(session)
    finally:
        output = server.stop()
    # The start-up banner shows the key, and the passkey only when it is the demo one.
    assert f"key:      {KEY}" in output
    assert "passkey:  ******** (as configured)" in output
    assert "emulator.api: get_contact_list 200" in output  # the log was on, and read
    places = {"output": output, "journal": orjson.dumps(journal).decode(), "settings": settings}
    assert leaks(session, places) == []
    assert_the_scan_could_see(session, journal)


#: The test's own HTTP client logs the URLs it requests (query strings and path segments with
#: passkeys included): the client's log, not the emulator's.
CLIENT_LOGGERS = ("httpx", "httpx2", "httpcore")


def log_text(records: list[logging.LogRecord]) -> str:
    """The emulator's side of the records as a handler writes them (tracebacks included),
    plus their raw args."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    server_side = [r for r in records if r.name.split(".")[0] not in CLIENT_LOGGERS]
    return "\n".join(f"{formatter.format(r)} {r.args!r}" for r in server_side)


def test_no_secret_reaches_the_in_process_log_journal_settings_or_answers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = Settings(**SETTINGS, key_pairs=((SECOND_KEY, SECOND_PASSKEY),))
    crm = OpenCRM(System(settings))
    try:
        caplog.set_level(logging.DEBUG)
        session = full_run(crm.client)
        journal, described = control_plane_view(session)
        in_process = [e.as_dict() for e in crm.system.control.journal.entries()]
    finally:
        crm.system.close()
    places = {
        "log": log_text(caplog.records),
        "journal": orjson.dumps(journal).decode(),
        "backend.journal": orjson.dumps(in_process).decode(),
        "settings": described,
    }
    assert leaks(session, places) == []
    assert_the_scan_could_see(session, journal)
    assert "emulator.api" in places["log"]
