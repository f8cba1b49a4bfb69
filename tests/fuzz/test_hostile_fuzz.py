"""Generated hostile input, of the kinds that found the 500s of issue 12 (which the schema-led
fuzzing could not reach: its ids are at most 18 digits, its strings short): numbers of
hundreds or thousands of digits, strings past SQLite's limits, hundreds of conditions and
keywords, overrides that multiply, many headers. Every answer is a clear JSON answer below
500; the API's ``{"error": ...}`` ones stay short, whatever was sent."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.pytest_plugin import OpenCRM

HOSTILE = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: Numbers around every limit: 64-bit ids, a float's range, int()'s 4,300 digits.
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.integers(min_value=15, max_value=6000).map(lambda n: "9" * n),
    st.integers(min_value=300, max_value=320).map(lambda n: "1" + "0" * n),
    st.tuples(st.sampled_from(["-", "+", "0" * 50, " "]), st.integers(1, 5000)).map(
        lambda t: t[0] + "8" * t[1]
    ),
    st.sampled_from(["1e999", "-1e309", "nan", "inf", "9" * 4300, "9" * 4301, "²", "١٢"]),
)
#: Text around SQLite's LIKE-pattern limit (50,000 bytes) and the query limits.
LONG_TEXT = st.one_of(
    st.integers(min_value=1, max_value=60_000).map(lambda n: "a" * n),
    st.integers(min_value=1, max_value=15_000).map(lambda n: "😀%_\\" * (n // 4 + 1)),
    st.text(min_size=0, max_size=200),
)
VALUES = st.one_of(NUMBERS, LONG_TEXT)
FIELDS = st.sampled_from(["crmid", "lastname", "createdtime", "smownerid", "email", "id"])
OPERATORS = st.sampled_from(["=", ">", "<", ">=", "<=", "LIKE", "CONTAINS", "BEGINS", "ENDS"])
CONDITIONS = st.lists(
    st.tuples(FIELDS, OPERATORS, st.one_of(NUMBERS, st.text(max_size=20))), max_size=1200
).map(lambda cs: ";".join(f"{f}|{o}|{v}" for f, o, v in cs))
KEYWORDS = st.one_of(
    st.lists(st.text(alphabet="abe%_", min_size=1, max_size=5), max_size=1200).map(" ".join),
    LONG_TEXT,
)
OVERRIDES = st.one_of(
    st.text(alphabet="dDjlNSwzWFmMntLoXxYyaABgGhHisuveIOPpTZcrU_*\\:-", max_size=400),
    LONG_TEXT,
)


def assert_clear(response: httpx2.Response) -> Any:
    """A JSON answer below 500; an API error short enough to read."""
    assert response.status_code < 500, response.text[:300]
    answer = response.json()
    if isinstance(answer, dict) and set(answer) == {"error"}:
        assert len(answer["error"]) < 1000, answer["error"][:300]
    return answer


def post(crm: OpenCRM, end_point: str, **params: str) -> Any:
    data = {**crm.credentials, **params}
    return assert_clear(crm.client.post(f"/api/rest/{end_point}", data=data))


@pytest.mark.parametrize(
    ("end_point", "name"),
    [
        ("get_contact", "crmid"),
        ("edit_contact", "crmid"),
        ("get_quote", "crmid"),
        ("get_user_details", "userid"),
        ("get_record_list_from_report", "reportid"),
        ("edit_record_link", "parent_id"),
        ("add_to_campaign", "campaignid"),
        ("get_contact_list", "limit_end"),
    ],
)
@given(value=NUMBERS)
@HOSTILE
def test_a_huge_or_strange_number_as_an_id_is_answered_clearly(
    opencrm: OpenCRM, end_point: str, name: str, value: str
) -> None:
    post(opencrm, end_point, **{name: value, "child_id": "150", "recordid": "150"})


@pytest.mark.parametrize("name", ["smownerid", "lastname", "birthday", "cf_612", "donotcall"])
@given(value=VALUES)
@HOSTILE
def test_a_huge_number_or_long_text_in_an_edited_field_is_answered_clearly(
    opencrm: OpenCRM, name: str, value: str
) -> None:
    post(opencrm, "edit_contact", **{"crmid": "0", "lastname": "Fuzzed", name: value})


@given(query=CONDITIONS, keywords=KEYWORDS)
@HOSTILE
def test_many_long_or_numeric_conditions_and_keywords_are_answered_clearly(
    opencrm: OpenCRM, query: str, keywords: str
) -> None:
    post(opencrm, "get_contact_list", query_string=query, keywords=keywords)
    post(opencrm, "get_contact_list_count", query_string=query)


@given(fmt=OVERRIDES)
@HOSTILE
def test_any_date_override_is_answered_clearly_and_small(opencrm: OpenCRM, fmt: str) -> None:
    for name in ("dateTimeOverride", "dateOverride"):
        answer = post(opencrm, "get_contact_list_full", **{name: fmt})
        assert len(json.dumps(answer)) < 2_000_000


@given(
    lineid=st.one_of(NUMBERS, st.just("0")),
    numbers=st.fixed_dictionaries(
        {},
        optional={"linenumber": NUMBERS, "contract_term": NUMBERS, "quantity": NUMBERS},
    ),
)
@HOSTILE
def test_hostile_product_line_numbers_are_answered_clearly(
    opencrm: OpenCRM, lineid: str, numbers: dict[str, str]
) -> None:
    line = {"lineid": lineid, "productid": "273", **numbers}
    post(opencrm, "edit_quote", crmid="420", products=json.dumps([line]))


@given(count=st.integers(min_value=0, max_value=400), size=st.integers(0, 400))
@HOSTILE
def test_many_or_large_headers_are_answered_clearly(
    opencrm: OpenCRM, count: int, size: int
) -> None:
    headers = {f"x-fuzz-{n}": "h" * size for n in range(count)}
    data = opencrm.credentials
    assert_clear(
        opencrm.client.post("/api/rest/get_contact_list_count", data=data, headers=headers)
    )
    assert_clear(opencrm.client.get("/_emulator/health", headers=headers))


@pytest.mark.parametrize(
    "path", ["records/{}/audit", "records/{}/links", "campaigns/{}/members", "journal?limit={}"]
)
@given(value=NUMBERS)
@HOSTILE
def test_a_huge_number_in_a_control_plane_path_is_answered_clearly(
    opencrm: OpenCRM, path: str, value: str
) -> None:
    response = opencrm.client.get("/_emulator/" + path.format(value.strip() or "0"))
    assert response.status_code < 500
    assert "error" in response.json() or response.status_code == 200


@given(
    change=st.dictionaries(
        st.sampled_from(["rate_limit_per_minute", "rate_limit_per_day", "access_key_idle_minutes"]),
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10)),
        min_size=1,
    )
)
@HOSTILE
def test_a_setting_of_any_json_type_is_a_clear_400_or_accepted(
    opencrm: OpenCRM, change: dict[str, Any]
) -> None:
    response = opencrm.client.put("/_emulator/settings", content=json.dumps(change))
    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:
        message = response.json()["error"]
        assert "int()" not in message
        assert "float()" not in message
    opencrm.reset()
