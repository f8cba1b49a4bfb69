"""The journal's filters and ``assert_called``, over journal entries as the plugin gets them."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.testing.expectations import assert_called, select


def entry(n: int, end_point: str, **params: Any) -> dict[str, Any]:
    return {"id": n, "end_point": end_point, "params": {"passkey": "********", **params}}


JOURNAL = [
    entry(1, "get_contact", crmid="150"),
    entry(2, "edit_contact", crmid="150", lastname="Jones"),
    entry(3, "get_contact", crmid="151"),
    entry(4, "get_contact"),
]


def test_parameters_match_by_value_or_as_text_and_secrets_only_as_the_mask() -> None:
    assert select(JOURNAL, "get_contact", {"crmid": 150}) == JOURNAL[:1]
    assert select(JOURNAL, None, {"crmid": "150"}) == JOURNAL[:2]
    assert select(JOURNAL, None, {"passkey": "demo-passkey"}) == []
    assert len(select(JOURNAL, None, {"passkey": "********"})) == 4


def test_assert_called_returns_the_matching_calls_and_none_means_at_least_once() -> None:
    assert assert_called(JOURNAL, "edit_contact", 1, {"lastname": "Jones"}) == JOURNAL[1:2]
    assert len(assert_called(JOURNAL, "get_contact", None, {})) == 3
    assert assert_called(JOURNAL, "get_lead", 0, {}) == []


def test_a_miss_lists_the_calls_to_that_end_point_with_the_values_that_differ() -> None:
    with pytest.raises(AssertionError) as raised:
        assert_called(JOURNAL, "get_contact", 1, {"crmid": "152"})
    assert str(raised.value).splitlines() == [
        "expected 1 call to get_contact with crmid='152', found 0",
        "calls to get_contact with other values:",
        "  #1 crmid='150' (expected '152')",
        "  #3 crmid='151' (expected '152')",
        "  #4 crmid=missing (expected '152')",
    ]


def test_too_many_calls_are_listed_as_the_calls_that_match() -> None:
    with pytest.raises(AssertionError) as raised:
        assert_called(JOURNAL, "get_contact", 0, {"crmid": "150"})
    assert str(raised.value).splitlines()[:3] == [
        "expected no call to get_contact with crmid='150', found 1",
        "the calls that match:",
        "  #1 get_contact crmid='150'",
    ]


def test_with_no_call_to_the_end_point_the_other_calls_are_listed_at_most_ten() -> None:
    many = [entry(n, "get_lead", crmid=str(n)) for n in range(1, 13)]
    with pytest.raises(AssertionError) as raised:
        assert_called(many, "get_contact", 1, {"crmid": "1"})
    lines = str(raised.value).splitlines()
    assert lines[1:3] == ["no call to get_contact; the calls made:", "  #1 get_lead crmid='1'"]
    assert lines[-1] == "  ... and 2 more"
    with pytest.raises(AssertionError, match="no call to get_contact; no calls"):
        assert_called([], "get_contact", 1, {})
