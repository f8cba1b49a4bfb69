"""Entries held as their calls left them (emulator/control/pending.py): read, each is the
copy the journal made at once before, masked the same; only what is safe is held."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from emulator.control.journal import Journal, mask
from emulator.control.secrets import MASK, Redactor

LIVE = "0123456789abcdef0123456789abcdef"  # a live access key
PASSKEY = "configured-passkey"


def is_secret(text: str) -> bool:
    return text in (LIVE, PASSKEY)


def secrets_in(text: str) -> set[str]:
    return {s for s in (LIVE, PASSKEY) if s in text}


def redactor() -> Redactor:
    return Redactor(secrets_in, ["sent-passkey-value"])


RECORD = {"contact_no": "CON1", "firstname": "Bob", "lastname": "Jones", "record_id": "150"}
CALLS: list[tuple[dict[str, Any], Any]] = [
    ({"key": "demo-key", "passkey": "sent-passkey-value", "crmid": "150"}, RECORD),
    ({"key": "k", "accesskey": LIVE, "crmid": "150"}, RECORD),
    ({"crmid": "150", "note": f"my key is {LIVE}"}, RECORD),
    ({"crmid": "150"}, {**RECORD, "description": f"passkey {PASSKEY} in a field"}),
    ({"crmid": "150", "copy": "sent-passkey-value"}, RECORD),
    ({LIVE: "shifted into a name"}, RECORD),
    ({"crmid": "150"}, {**RECORD, "description": "x" * 20_000}),
    ({"crmid": "150"}, [RECORD] * 50),
    ({"products": [{"productid": "7"}]}, 421),
    ({"crmid": "150"}, "a bare text"),
]


def entries(journal: Journal) -> list[dict[str, Any]]:
    return [entry.as_dict() for entry in journal.entries()]


def eager(params: dict[str, Any], response: Any, journal: Journal) -> None:
    journal.add(mask(params, is_secret), response, ["a warning"], redactor(), **facts())


def facts() -> dict[str, Any]:
    return {"end_point": "get_contact", "time": "2026-12-02 06:00:00", "source": "form",
            "status": 200, "duration_ms": 0.5, "ip": "127.0.0.1", "findings": []}  # fmt: skip


@pytest.mark.parametrize(("params", "response"), CALLS)
def test_an_entry_read_later_is_the_copy_made_at_once(
    params: dict[str, Any], response: Any
) -> None:
    held, copied = Journal(10), Journal(10)
    body = orjson.dumps(response)
    held.add_call(params, response, body, ["a warning"], redactor(), is_secret, **facts())
    eager(params, response, copied)
    assert entries(held) == entries(copied)
    assert held.bytes == copied.bytes


@pytest.mark.parametrize(("params", "response"), CALLS[2:6])
def test_a_call_with_a_secret_in_it_is_copied_and_masked_at_once(
    params: dict[str, Any], response: Any
) -> None:
    journal = Journal(10)
    journal.add_call(params, response, orjson.dumps(response), [], redactor(), is_secret, **facts())
    assert [type(entry).__name__ for entry, _ in journal._entries] == ["Entry"]
    text = orjson.dumps(entries(journal)).decode()
    assert all(secret not in text for secret in (LIVE, PASSKEY, "sent-passkey-value"))
    assert MASK in text


def test_a_plain_call_is_held_until_read_then_kept_as_its_copy() -> None:
    journal = Journal(10)
    params, response = CALLS[0]
    journal.add_call(params, response, orjson.dumps(response), [], redactor(), is_secret, **facts())
    assert [type(entry).__name__ for entry, _ in journal._entries] == ["Pending"]
    first = journal.entries()
    assert [type(entry).__name__ for entry, _ in journal._entries] == ["Entry"]
    assert journal.entries() == first
    assert first[0].params["passkey"] == MASK


def test_held_entries_keep_their_numbers_and_order_among_copied_ones() -> None:
    journal = Journal(3)
    for params, response in CALLS[:5]:
        body = orjson.dumps(response)
        journal.add_call(params, response, body, [], redactor(), is_secret, **facts())
    assert [entry.id for entry in journal.entries()] == [3, 4, 5]


def test_held_entries_stay_within_the_journals_bytes() -> None:
    journal = Journal(1000, max_bytes=200_000)
    response = {**RECORD, "description": "y" * 2000}
    for _ in range(500):
        journal.add_call({"crmid": "1"}, response, orjson.dumps(response), [], redactor(),
                         is_secret, **facts())  # fmt: skip
        assert journal.bytes <= 200_000
    journal.entries()
    assert journal.bytes <= 200_000


def test_an_answer_sent_as_encoded_text_is_journaled_as_that_text_decoded() -> None:
    """A record read as JSON text (store/answers.py) reaches the journal as a Fragment."""
    for params, secret in ((CALLS[0][0], False), (CALLS[2][0], True)):  # held, copied at once
        journal = Journal(10)
        text = orjson.dumps({**RECORD, "products": [{"lineid": "1"}]})
        fragment = orjson.Fragment(text)
        journal.add_call(params, fragment, text, [], redactor(), is_secret, **facts())
        kinds = [type(entry).__name__ for entry, _ in journal._entries]
        assert kinds == (["Entry"] if secret else ["Pending"])
        assert entries(journal)[0]["response"] == orjson.loads(text)


def test_an_answer_copied_at_once_is_copied_from_its_value_not_decoded_from_its_body() -> None:
    """Decoding a large list's body again would double what the call holds in memory."""
    journal = Journal(10)
    params, value = CALLS[2][0], [RECORD] * 30  # a secret in it: copied at once
    journal.add_call(params, value, b"[]", [], redactor(), is_secret, **facts())
    assert len(entries(journal)[0]["response"]) > 0
