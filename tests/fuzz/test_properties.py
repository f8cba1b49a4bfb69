"""Properties a schema cannot state, checked with generated input (hypothesis).

- the same request in each parameter format gives the same answer (emulator/params.py;
  observed-behaviour.md "Transport and parameters");
- query_string through HTTP never crashes and never matches a field the module lacks: an
  unknown field is the UnknownField error (emulator/filters.py, store/queries.py);
- PHP date formatting (emulator/php_format.py; its table of PHP's outputs is in
  tests/unit/test_php_format.py): reformatting a stored value with its own format gives it back,
  and ``U`` is the Unix time of the stored wall-clock time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import orjson
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from emulator.domain.filters import Op
from emulator.domain.modules import default_registry
from emulator.pytest_plugin import OpenCRM
from emulator.wire.php_format import reformat

#: Reproducible in CI; the fixture is reset per test, not per example, which is right here:
#: these calls only read.
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CONTACTS = default_registry().by_noun("contact")
URL = "/api/rest/get_contact_list_full"
Send = Callable[[OpenCRM, dict[str, str]], Any]


def path_url(values: dict[str, str]) -> str:
    """Name/value path segments, every character encoded: "." too, so no client takes a
    value of ".." for a dot segment."""

    def encode(text: str) -> str:
        return quote(text, safe="").replace(".", "%2E")

    return URL + "".join(f"/{encode(k)}/{encode(v)}" for k, v in values.items())


def raw(crm: OpenCRM, payload: bytes, content_type: str) -> Any:
    return crm.client.post(URL, content=payload, headers={"content-type": content_type})


FORMATS: dict[str, Send] = {
    "path": lambda crm, p: crm.client.get(path_url(p)),
    "query": lambda crm, p: crm.client.get(URL, params=p),
    "form": lambda crm, p: crm.client.post(URL, data=p),
    "multipart": lambda crm, p: crm.client.post(URL, files={k: (None, v) for k, v in p.items()}),
    "raw": lambda crm, p: raw(crm, urlencode(p).encode(), "text/plain"),
    "json": lambda crm, p: raw(crm, orjson.dumps(p), "application/json"),
}

TEXT = st.text(max_size=12)
#: Values and words that match fixture records, so answers are not all empty.
KNOWN = st.sampled_from(["a", "ar", "Leeds", "Ltd", "2025", "1", "%", "_", "", " "])
FIELD_NAMES = sorted({name for f in CONTACTS.fields for name in f.query_names()} | {"crmid"})
OPERATORS = [op.value for op in Op] + ["!=", "not like", " begins "]
CONDITION = st.builds(
    "{}|{}|{}".format, st.sampled_from(FIELD_NAMES), st.sampled_from(OPERATORS), KNOWN | TEXT
)
LIMIT = st.one_of(st.none(), st.integers(0, 40).map(str), st.sampled_from(["", " 3", "-1", "x"]))


@st.composite
def list_requests(draw: st.DrawFn) -> dict[str, str]:
    request = {
        "keywords": draw(st.one_of(st.none(), TEXT, KNOWN, st.just("a r"))),
        "query_string": draw(st.one_of(st.none(), st.lists(CONDITION, max_size=3).map(";".join))),
        "limit_start": draw(LIMIT),
        "limit_end": draw(LIMIT),
    }
    return {k: v for k, v in request.items() if v is not None}


@PROPERTY
@given(request=list_requests())
def test_every_parameter_format_gives_the_same_answer(
    opencrm: OpenCRM, request: dict[str, str]
) -> None:
    params = {**opencrm.credentials, **request}
    answers = {name: send(opencrm, params) for name, send in FORMATS.items()}
    assert {name: a.status_code for name, a in answers.items()} == dict.fromkeys(FORMATS, 200)
    expected = answers["form"].json()
    assert {name: a.json() for name, a in answers.items()} == dict.fromkeys(FORMATS, expected)


def unknown_to_contacts(name: str) -> bool:
    words = name.strip()
    table, _, column = words.lower().rpartition(".")
    is_id = column in ("crmid", "id") and table in ("", "crmentity", *CONTACTS.tables)
    return bool(words) and CONTACTS.query_field(name) is None and not is_id


#: Field names without the separators "|" and ";" (those split conditions, not names).
UNKNOWN_FIELD = st.text(st.characters(exclude_characters="|;"), min_size=1, max_size=20).filter(
    unknown_to_contacts
)


@PROPERTY
@given(field=UNKNOWN_FIELD, op=st.sampled_from(OPERATORS), value=TEXT)
def test_a_field_the_module_lacks_is_the_unknown_field_error(
    opencrm: OpenCRM, field: str, op: str, value: str
) -> None:
    answer = opencrm.call("get_contact_list", query_string=f"{field}|{op}|{value}", check=False)
    assert answer == {"error": f"Unknown field in query_string: {field.strip()} (module Contacts)"}


@PROPERTY
@given(query_string=st.text(max_size=60) | st.lists(CONDITION, max_size=4).map(";".join))
def test_any_query_string_gets_a_list_or_an_error_never_a_crash(
    opencrm: OpenCRM, query_string: str
) -> None:
    response = opencrm.client.post(
        "/api/rest/get_contact_list", data={**opencrm.credentials, "query_string": query_string}
    )
    assert response.status_code == 200
    answer = response.json()
    if isinstance(answer, dict):
        assert set(answer) == {"error"}
    else:
        assert all(isinstance(row, dict) and type(row["id"]) is int for row in answer)


ZONES = [ZoneInfo("Europe/London"), ZoneInfo("America/New_York"), ZoneInfo("UTC")]
#: Stored values have four-digit years (MySQL DATETIME); a day of margin keeps UTC in range.
MOMENTS = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30))


def exists(moment: datetime, zone: ZoneInfo) -> bool:
    """False for a wall-clock time skipped by a daylight-saving change."""
    aware = moment.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == moment


@settings(PROPERTY, max_examples=300)
@given(moment=MOMENTS.map(lambda m: m.replace(microsecond=0)), zone=st.sampled_from(ZONES))
def test_a_stored_date_time_reformatted_as_stored_comes_back_unchanged(
    moment: datetime, zone: ZoneInfo
) -> None:
    assume(exists(moment, zone))  # skipped times: the parametrized test below
    stored = moment.isoformat(" ")
    assert reformat(stored, "Y-m-d H:i:s", zone) == stored
    assert reformat(stored[:10], "Y-m-d", zone) == stored[:10]


@settings(PROPERTY, max_examples=300)
@given(moment=MOMENTS.map(lambda m: m.replace(microsecond=0)), zone=st.sampled_from(ZONES))
def test_u_is_the_unix_time_of_the_stored_wall_clock_time(moment: datetime, zone: ZoneInfo) -> None:
    # PHP reads a skipped time as the instant the clock jumped over (01:30 GMT on the day
    # London skips to 02:00 BST), and an ambiguous one as its first occurrence: both are
    # Python's fold=0 reading.
    stored = moment.isoformat(" ")
    epoch = (moment.replace(tzinfo=zone) - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()
    assert reformat(stored, "U", zone) == str(int(epoch))


@pytest.mark.parametrize(
    ("stored", "zone", "expected"),
    [
        # 01:30 does not exist in London on 2024-03-31: PHP shows 02:30 BST.
        ("2024-03-31 01:30:00", "Europe/London", "2024-03-31 02:30:00"),
        # 01:30 happens twice on 2024-10-27: PHP takes the first (BST).
        ("2024-10-27 01:30:00", "Europe/London", "2024-10-27 01:30:00"),
    ],
)
def test_a_skipped_time_moves_forward_and_an_ambiguous_one_stays(
    stored: str, zone: str, expected: str
) -> None:
    assert reformat(stored, "Y-m-d H:i:s", ZoneInfo(zone)) == expected
