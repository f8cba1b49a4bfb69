"""A single record's answer with no output option is the JSON text SQLite writes
(emulator/store/answers.py); with an output option that changes nothing it is built as a dict
and encoded by orjson. The two are the same bytes, for every record of every module."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from emulator.domain.modules import FieldType
from emulator.endpoints.table import Kind, api_end_points
from emulator.pytest_plugin import OpenCRM
from emulator.testing.helpers import USER_AGENT
from tests.http.test_records import REGISTRY

READS = sorted(
    (name, e.module.noun)
    for name, e in api_end_points(REGISTRY).items()
    if e.kind in (Kind.GET, Kind.USER) and e.module is not None
)
#: Every character class a stored text can hold, JSON's escapes included.
TRICKY = 'quote " back \\ slash / tab\t nl\n cr\r bell\x07 \x1f del\x7f é 漢 🦊 \u2028 \ufeff'


def answer(crm: OpenCRM, end_point: str, **params: str) -> bytes:
    """The answer's bytes, as sent."""
    data = {**crm.credentials, **params}
    headers = {**crm.client_headers, "User-Agent": USER_AGENT}
    response = crm.client.post(f"/api/rest/{end_point}", data=data, headers=headers)
    assert response.status_code == 200
    return response.content


def as_dict_path(crm: OpenCRM, end_point: str, crmid: int) -> bytes:
    """The same answer through the dict path: an output option giving the stored format."""
    return answer(crm, end_point, crmid=str(crmid), dateOverride="Y-m-d")


def json_only(crm: OpenCRM, monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on the dict path fails the call: an answer must come as the store's text."""

    def refused(*_args: Any) -> Any:
        raise AssertionError("the dict path was taken")

    monkeypatch.setattr(crm.system.backend, "get_record", refused)


@pytest.mark.parametrize(("end_point", "noun"), READS)
def test_every_fixture_records_answer_is_the_same_bytes_either_way(
    opencrm: OpenCRM, end_point: str, noun: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = opencrm.system.fixtures.records.get(noun, [])
    live = [r["crmid"] for r in records if not r.get("deleted")][:15]
    assert live or noun == "user", f"no fixture records of {noun}"
    for crmid in live:
        with monkeypatch.context() as patch:
            json_only(opencrm, patch)
            sent = answer(opencrm, end_point, crmid=str(crmid))
        assert sent.startswith(b"{")
        assert b'"error"' not in sent[:10]
        assert sent == as_dict_path(opencrm, end_point, crmid)


def text_fields(noun: str) -> list[str]:
    module = REGISTRY.by_noun(noun)
    kinds = (FieldType.TEXT, FieldType.LONGTEXT)
    return [f.name for f in module.fields if f.type in kinds and not f.read_only][:3]


def test_a_record_holding_every_kind_of_character_answers_the_same_bytes(
    opencrm: OpenCRM,
) -> None:
    values = {name: f"{TRICKY} {name}" for name in text_fields("contact")}
    crmid = opencrm.call("edit_contact", crmid="0", **{"lastname": "Tricky", **values})
    sent = answer(opencrm, "get_contact", crmid=str(crmid))
    assert sent == as_dict_path(opencrm, "get_contact", crmid)
    found: dict[str, Any] = orjson.loads(sent)
    assert {name: found[name] for name in values} == values
    assert (found["record_id"], found["record_module"]) == (str(crmid), "Contacts")


def test_a_sales_record_without_lines_answers_an_empty_products_list(opencrm: OpenCRM) -> None:
    crmid = opencrm.call("edit_quote", crmid="0", subject="No lines yet")
    sent = answer(opencrm, "get_quote", crmid=str(crmid))
    assert sent == as_dict_path(opencrm, "get_quote", crmid)
    assert orjson.loads(sent)["products"] == []


def test_the_journal_keeps_the_answer_sent(opencrm: OpenCRM) -> None:
    sent = answer(opencrm, "get_quote", crmid="421")
    assert opencrm.journal("get_quote")[-1]["response"] == orjson.loads(sent)
