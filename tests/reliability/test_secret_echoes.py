"""Secrets echoed back (issue 12, "Other defects"): a passkey or access key sent where an id
or a name belongs came back in the error answer, the journal's copy of it, a warning, or the
log (``Invalid crmid: '<passkey>'``, ``ignored parameter '<access key>'``). Secrets are now
masked in every text: answers, journal entries, warnings and log lines. Every other message
stays the real API's."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from emulator.pytest_plugin import OpenCRM
from emulator.settings import Settings
from emulator.systems import System

PASSKEY = "Sup3r-S3cret-Passkey-9f8e"
WRONG_PASSKEY = "Wr0ng-Guess-Passkey-3e2d"
MASK = "********"


@pytest.fixture
def crm() -> Iterator[OpenCRM]:
    crm = OpenCRM(System(Settings(key="ci", passkey=PASSKEY)))
    yield crm
    crm.system.close()


def post(crm: OpenCRM, end_point: str, **params: str) -> Any:
    response = crm.client.post(f"/api/rest/{end_point}", data={**crm.credentials, **params})
    assert response.status_code == 200
    return response.json()


def traces(crm: OpenCRM, caplog: pytest.LogCaptureFixture) -> str:
    """The journal and the emulator's log records, as text."""
    journal = orjson.dumps([e.as_dict() for e in crm.system.control.journal.entries()])
    log = "\n".join(
        f"{r.getMessage()} {r.exc_text or ''}"
        for r in caplog.records
        if r.name.startswith(("emulator", "uvicorn"))
    )
    return journal.decode() + log


#: (end point, the parameters carrying the secret, the answer a client sees).
ECHOES = [
    ("get_contact", {"crmid": "{}"}, {"error": f"Invalid crmid: '{MASK}' is not a record id"}),
    ("edit_contact", {"crmid": "{}"}, {"error": f"Invalid crmid: '{MASK}' is not a record id"}),
    (
        "get_user_details",
        {"userid": "{}"},
        {"error": f"Invalid userid: '{MASK}' is not a record id"},
    ),
    (
        "get_record_list_from_report",
        {"reportid": "{}"},
        {"error": f"Invalid reportid: '{MASK}' is not a report id"},
    ),
    (
        "add_to_campaign",
        {"campaignid": "{}", "recordid": "1"},
        f"Invalid campaignid: '{MASK}' is not a record id",
    ),
    (
        "edit_record_link",
        {"parent_id": "{}", "child_id": "150"},
        {"error": f"Invalid parent_id: '{MASK}' is not a record id"},
    ),
    (
        "get_contact_list",
        {"query_string": "{}|=|x"},
        {"error": f"Unknown field in query_string: {MASK} (module Contacts)"},
    ),
    (
        "get_contact_list",
        {"query_string": "lastname|{}|x"},
        None,  # the operator message: checked for the mask only
    ),
]  # fmt: skip


@pytest.mark.parametrize(("end_point", "params", "expected"), ECHOES)
@pytest.mark.parametrize("secret", ["configured", "access key", "wrong passkey"])
def test_a_secret_sent_in_place_of_a_value_is_masked_in_the_answer_journal_and_log(
    crm: OpenCRM,
    caplog: pytest.LogCaptureFixture,
    end_point: str,
    params: dict[str, str],
    expected: Any,
    secret: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    value = {"configured": PASSKEY, "wrong passkey": WRONG_PASSKEY}.get(secret)
    sent = {"passkey": WRONG_PASSKEY, "key": "ci"} if secret == "wrong passkey" else {}
    if value is None:
        value = crm.call("login")
    filled = {name: text.format(value) for name, text in params.items()}
    response = crm.client.post(f"/api/rest/{end_point}", data={**crm.credentials, **sent, **filled})
    text = response.text
    if secret != "wrong passkey":  # a wrong passkey is refused before the value is read
        assert MASK in text
        if expected is not None:
            assert response.json() == expected
    assert value not in text
    assert value not in traces(crm, caplog)


def test_an_access_key_sent_as_a_parameter_name_is_masked_in_the_warning(
    crm: OpenCRM, caplog: pytest.LogCaptureFixture
) -> None:
    access_key = crm.call("login")
    assert post(crm, "edit_contact", crmid="150", **{access_key: "x"}) == 150
    [entry] = crm.journal("edit_contact")
    assert entry["warnings"] == [f"ignored parameter '{MASK}'"]
    assert access_key not in traces(crm, caplog)


def test_a_passkey_inside_a_longer_value_is_masked_in_the_journal(crm: OpenCRM) -> None:
    post(crm, "get_contact_list", query_string=f"lastname|=|{PASSKEY}-and-more")
    [entry] = crm.journal("get_contact_list")
    assert entry["params"]["query_string"] == f"lastname|=|{MASK}-and-more"


@pytest.mark.parametrize("secret", ["configured", "access key"])
def test_a_secret_stored_in_a_record_is_masked_in_the_journals_copy_of_a_later_answer(
    crm: OpenCRM, secret: str
) -> None:
    value = PASSKEY if secret == "configured" else crm.call("login")
    post(crm, "edit_contact", crmid="150", department=f"dept {value} end")
    post(crm, "edit_quote", crmid="421", subject=f"about {value}")
    contact, quote = post(crm, "get_contact", crmid="150"), post(crm, "get_quote", crmid="421")
    assert value in contact["department"]  # the answers keep it
    assert value in quote["subject"]
    journal = [e.as_dict() for e in crm.system.control.journal.entries()]
    assert journal[-2]["response"]["department"] == f"dept {MASK} end"
    assert journal[-1]["response"]["subject"] == f"about {MASK}"
    assert value not in orjson.dumps(journal).decode()


def test_a_passkey_as_the_end_point_name_is_masked_in_the_answer_journal_and_log(
    crm: OpenCRM, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    response = crm.client.post(f"/api/rest/{PASSKEY}", data=crm.credentials)
    assert response.json() == {"error": f"Unknown end point: {MASK}"}
    assert PASSKEY not in traces(crm, caplog)


def test_an_internal_error_mentioning_a_secret_is_logged_without_it(
    crm: OpenCRM, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any) -> Any:
        raise RuntimeError(f"a bug with {PASSKEY} in its message")

    monkeypatch.setattr(crm.system.backend, "get_record_json", broken)  # what get_contact reads
    response = crm.client.post("/api/rest/get_contact", data={**crm.credentials, "crmid": "150"})
    assert response.status_code == 500
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors
    assert "a bug with" in traces(crm, caplog)
    assert PASSKEY not in traces(crm, caplog)


def test_the_real_apis_message_is_kept_where_no_secret_is_echoed(crm: OpenCRM) -> None:
    assert post(crm, "get_contact", crmid="abc") == {
        "error": "Invalid crmid: 'abc' is not a record id"
    }


def test_a_passkey_in_a_control_plane_path_is_masked_in_its_error(crm: OpenCRM) -> None:
    response = crm.client.get(f"/_emulator/records/{PASSKEY}/audit")
    assert response.status_code == 400
    assert response.json() == {"error": f"not a record id: {MASK}"}


def test_database_errors_never_show_their_bound_parameters(crm: OpenCRM) -> None:
    assert crm.system.store.db.engine.hide_parameters
