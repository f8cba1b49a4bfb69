"""Splitting the raw path into the end point and its key/value pairs (emulator/params.py)."""

from __future__ import annotations

import pytest

from emulator.endpoints.dispatch import raw_path
from emulator.wire.params import php_value, split_path


def test_the_end_point_is_the_first_segment_and_pairs_follow() -> None:
    assert split_path(b"/api/rest/get_contact_list/key/K/passkey/P/keywords/bob") == (
        "get_contact_list",
        {"key": "K", "passkey": "P", "keywords": "bob"},
    )


def test_an_encoded_slash_stays_inside_its_value() -> None:
    assert split_path(b"/api/rest/get_lead/keywords/a%2Fb/limit_end/5")[1] == {
        "keywords": "a/b",
        "limit_end": "5",
    }


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (b"Zo%C3%AB", "Zo\u00eb"),
        ("Zo\u00eb".encode(), "Zo\u00eb"),  # raw UTF-8 from a client that does not encode
        (b"bob%20one%20two", "bob one two"),
        (b"a+b", "a+b"),  # "+" is a space only in query strings and forms
        (b"x|=|2018-11-15 12:46:00", "x|=|2018-11-15 12:46:00"),
        (b"%ff", "\ufffd"),
    ],
)
def test_path_values_are_percent_decoded_as_utf8(raw: bytes, value: str) -> None:
    assert split_path(b"/api/rest/get_lead/keywords/" + raw)[1] == {"keywords": value}


def test_a_trailing_slash_adds_no_parameter() -> None:
    assert split_path(b"/api/rest/get_lead/") == ("get_lead", {})
    assert split_path(b"/api/rest/get_lead/key/K/") == ("get_lead", {"key": "K"})


def test_a_name_without_a_value_gets_an_empty_value() -> None:
    assert split_path(b"/api/rest/get_lead/key/K/keywords")[1] == {"key": "K", "keywords": ""}


@pytest.mark.parametrize(
    ("value", "text"),
    [(True, "1"), (False, ""), (None, ""), (7, "7"), (2.0, "2"), (2.5, "2.5"), ("x", "x")],
)
def test_json_scalars_are_cast_as_php_casts_them(value: object, text: str) -> None:
    assert php_value(value) == text


def test_json_arrays_and_objects_stay_structured() -> None:
    assert php_value([{"lineid": "0"}]) == [{"lineid": "0"}]
    assert php_value({"a": 1}) == {"a": 1}


@pytest.mark.parametrize(
    ("path", "raw", "root", "below"),
    [
        ("/api/rest/get_contact", b"/api/rest/get_contact", "", b"/api/rest/get_contact"),
        # Starlette's Mount: the prefix in the path, the raw path and root_path
        ("/crm/api/rest/x", b"/crm/api/rest/x", "/crm", b"/api/rest/x"),
        ("/a/b/api/rest/x/k/v%2Fw", b"/a/b/api/rest/x/k/v%2Fw", "/a/b/", b"/api/rest/x/k/v%2Fw"),
        # a server's --root-path with the path below it: nothing to take off
        ("/api/rest/x", b"/api/rest/x", "/crm", b"/api/rest/x"),
    ],
)
def test_the_raw_path_is_read_below_the_prefix_a_mounting_app_took(
    path: str, raw: bytes, root: str, below: bytes
) -> None:
    assert raw_path({"path": path, "raw_path": raw, "root_path": root}) == below
