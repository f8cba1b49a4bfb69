"""``keywords`` and ``limit_start`` / ``limit_end`` through HTTP (guide, "List Functions" and
"Optional parameters available to all functions"; observed-behaviour.md "Paging")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from emulator.domain.modules import Module, default_registry
from emulator.pytest_plugin import OpenCRM
from emulator.settings import Settings
from emulator.systems import System

MODULES = list(default_registry())
LIVE_CONTACTS = list(range(150, 161))  # 161 is deleted


def by_noun(module: Module) -> str:
    return module.noun


def ids(rows: Any) -> list[int]:
    assert isinstance(rows, list), rows
    return [row["id"] for row in rows]


def oracle(crm: OpenCRM, module: Module, words: list[str]) -> list[int]:
    """What keywords should find, worked out in Python from the full list: every word is a
    case-insensitive substring of at least one keyword field."""
    rows = crm.call(f"get_{module.noun}_list_full")
    names = [f.name for f in module.keyword_fields]

    def hit(row: dict[str, Any], word: str) -> bool:
        return any(word.lower() in str(row[n]).lower() for n in names)

    return [row["id"] for row in rows if all(hit(row, w) for w in words)]


def sample_words(crm: OpenCRM, module: Module) -> tuple[int, list[str]]:
    """A record and one word from each of two of its keyword fields."""
    row = crm.call(f"get_{module.noun}_list_full")[0]
    values = [str(row[f.name]) for f in module.keyword_fields if str(row[f.name]).strip()]
    return row["id"], [v.split()[0] for v in values[:2]]


@pytest.mark.parametrize("module", MODULES, ids=by_noun)
def test_a_keyword_from_a_keyword_field_finds_the_record_whatever_its_case(
    opencrm: OpenCRM, module: Module
) -> None:
    crmid, words = sample_words(opencrm, module)
    found = ids(opencrm.call(f"get_{module.noun}_list", keywords=words[0].upper()))
    assert crmid in found
    assert found == oracle(opencrm, module, [words[0]])
    assert opencrm.call(f"get_{module.noun}_list_count", keywords=words[0].upper()) == len(found)


@pytest.mark.parametrize("module", MODULES, ids=by_noun)
def test_every_keyword_must_match_some_keyword_field(opencrm: OpenCRM, module: Module) -> None:
    crmid, words = sample_words(opencrm, module)
    found = ids(opencrm.call(f"get_{module.noun}_list", keywords=" ".join(words)))
    assert crmid in found
    assert found == oracle(opencrm, module, words)
    assert opencrm.call(f"get_{module.noun}_list", keywords=f"{words[0]} qqzzxxqq") == []


@pytest.mark.parametrize("module", MODULES, ids=by_noun)
def test_keywords_work_on_the_full_list_too(opencrm: OpenCRM, module: Module) -> None:
    _, words = sample_words(opencrm, module)
    basic = ids(opencrm.call(f"get_{module.noun}_list", keywords=words[0]))
    assert ids(opencrm.call(f"get_{module.noun}_list_full", keywords=words[0])) == basic


def test_keywords_look_only_at_keyword_fields(opencrm: OpenCRM) -> None:
    # Bob Jones (150) works in "Management" in Ely: neither is a keyword field of Contacts.
    assert 150 not in ids(opencrm.call("get_contact_list", keywords="Management"))
    assert 150 not in ids(opencrm.call("get_contact_list", keywords="Ely"))
    assert ids(opencrm.call("get_contact_list", keywords="bob jones")) == [150]


def test_keywords_match_parts_of_words_and_of_emails_and_phones(opencrm: OpenCRM) -> None:
    assert ids(opencrm.call("get_contact_list", keywords="rob onetwo")) == [152]
    assert ids(opencrm.call("get_contact_list", keywords="fenlandvets")) == [150]
    assert ids(opencrm.call("get_contact_list", keywords="960 119")) == [150]


def test_the_guides_get_example_with_keywords_in_the_path(opencrm: OpenCRM) -> None:
    path = f"/api/rest/get_contact_list/key/{opencrm.key}/passkey/{opencrm.passkey}"
    by_path = opencrm.client.get(f"{path}/keywords/bob one two").json()
    by_form = opencrm.call("get_contact_list", keywords="bob one two")
    assert by_path == by_form
    assert ids(by_path) == oracle(
        opencrm, default_registry().by_noun("contact"), ["bob", "one", "two"]
    )


def test_keywords_with_like_wildcards_match_them_literally(opencrm: OpenCRM) -> None:
    made = opencrm.call("edit_contact", crmid="0", lastname="100%_Sure")
    assert ids(opencrm.call("get_contact_list", keywords="%_s")) == [made]
    assert ids(opencrm.call("get_contact_list", keywords="%")) == [made]


def test_keywords_and_query_string_are_combined(opencrm: OpenCRM) -> None:
    assert ids(opencrm.call("get_contact_list", keywords="harrowgate")) == [151, 158, 160]
    found = opencrm.call("get_contact_list", keywords="harrowgate", query_string="accountid|=|100")
    assert ids(found) == [151, 158]


def test_deleted_records_are_not_found_by_keywords(opencrm: OpenCRM) -> None:
    assert opencrm.call("get_contact_list", keywords="Margaret Holt") == []


# -- paging -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, LIVE_CONTACTS),
        ({"limit_end": "3"}, [150, 151, 152]),
        ({"limit_start": "2", "limit_end": "5"}, [152, 153, 154]),
        ({"limit_start": "9"}, [159, 160]),
        ({"limit_start": "9", "limit_end": "100"}, [159, 160]),
        ({"limit_start": "20"}, []),
        ({"limit_start": "5", "limit_end": "3"}, []),
        ({"limit_start": "0", "limit_end": "0"}, []),
        ({"limit_start": "", "limit_end": ""}, LIVE_CONTACTS),
        ({"limit_start": " 2 ", "limit_end": "4"}, [152, 153]),
    ],
)
def test_limit_end_is_an_end_index_by_default(
    opencrm: OpenCRM, params: dict[str, str], expected: list[int]
) -> None:
    assert ids(opencrm.call("get_contact_list", **params)) == expected
    assert ids(opencrm.call("get_contact_list_full", **params)) == expected


def test_pages_follow_crmid_order_and_cover_the_list_exactly_once(opencrm: OpenCRM) -> None:
    for _ in range(4):
        opencrm.call("edit_contact", crmid="0", lastname="Paged")
    opencrm.call("edit_contact", crmid="150", lastname="Edited")  # an edit does not reorder
    everything = ids(opencrm.call("get_contact_list"))
    pages = [
        ids(opencrm.call("get_contact_list", limit_start=str(s), limit_end=str(s + 4)))
        for s in range(0, len(everything), 4)
    ]
    assert everything == sorted(everything)
    assert [i for page in pages for i in page] == everything


def test_paging_applies_after_the_query_string(opencrm: OpenCRM) -> None:
    found = opencrm.call(
        "get_contact_list", query_string="smownerid|=|2", limit_start="1", limit_end="3"
    )
    assert ids(found) == [153, 154]  # owner 2: 151, 153, 154, 155, 160


def test_the_count_ignores_paging(opencrm: OpenCRM) -> None:
    assert opencrm.call("get_contact_list_count", limit_start="2", limit_end="5") == 11


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("limit_start", "-1"),
        ("limit_start", "abc"),
        ("limit_end", "1.5"),
        ("limit_end", "10abc"),
        ("limit_end", "9" * 30),
    ],
)
def test_a_bad_limit_is_a_clear_error_naming_it(opencrm: OpenCRM, name: str, value: str) -> None:
    for end_point in ("get_contact_list", "get_contact_list_full"):
        answer = opencrm.call(end_point, **{name: value}, check=False)
        assert set(answer) == {"error"}
        assert name in answer["error"]


@pytest.fixture(scope="module")
def count_mode() -> Iterator[OpenCRM]:
    crm = OpenCRM(System(Settings(limit_end_mode="count")))
    yield crm
    crm.system.close()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"limit_end": "3"}, [150, 151, 152]),
        ({"limit_start": "2", "limit_end": "5"}, [152, 153, 154, 155, 156]),
        ({"limit_start": "9", "limit_end": "5"}, [159, 160]),
        ({"limit_start": "5", "limit_end": "0"}, []),
    ],
)
def test_limit_end_can_be_read_as_a_count(
    count_mode: OpenCRM, params: dict[str, str], expected: list[int]
) -> None:
    assert ids(count_mode.call("get_contact_list", **params)) == expected


@pytest.fixture(scope="module")
def capped() -> Iterator[OpenCRM]:
    crm = OpenCRM(System(Settings(list_cap=5)))
    yield crm
    crm.system.close()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [150, 151, 152, 153, 154]),
        ({"limit_start": "4"}, [154, 155, 156, 157, 158]),
        ({"limit_start": "8"}, [158, 159, 160]),
    ],
)
def test_a_list_without_limit_end_returns_at_most_the_cap(
    capped: OpenCRM, params: dict[str, str], expected: list[int]
) -> None:
    assert ids(capped.call("get_contact_list", **params)) == expected
    assert ids(capped.call("get_contact_list_full", **params)) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"limit_end": "100"}, list(range(150, 161))),
        ({"limit_start": "0", "limit_end": "7"}, list(range(150, 157))),
        ({"limit_start": "4", "limit_end": "100"}, list(range(154, 161))),
        ({"limit_end": "2"}, [150, 151]),
    ],
)
def test_an_explicit_limit_end_goes_past_the_cap_as_the_guide_says(
    capped: OpenCRM, params: dict[str, str], expected: list[int]
) -> None:
    # The guide: "If you need more records the set the limit_start to 0 and limit_end value to
    # a reasonable amount above the number of records".
    assert ids(capped.call("get_contact_list", **params)) == expected
    assert ids(capped.call("get_contact_list_full", **params)) == expected


def test_the_cap_does_not_limit_the_count(capped: OpenCRM) -> None:
    assert capped.call("get_contact_list_count") == 11
