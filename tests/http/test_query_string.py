"""query_string through HTTP: ``FIELD|OP|VALUE`` conditions joined by ``;`` (guide, "List
Functions"; observed-behaviour.md "query_string"). Expected ids are read off the fixtures:
live contacts 150-160 (161 is deleted), products 270-279, tickets 350-354."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.pytest_plugin import OpenCRM

SQL_WORDS = ("select", "from ", "where", "sqlite", "sqlalchemy", "syntax", "[sql")


def matching(crm: OpenCRM, noun: str, query_string: str, **params: Any) -> list[int]:
    rows = crm.call(f"get_{noun}_list", query_string=query_string, **params)
    assert isinstance(rows, list), rows
    count = crm.call(f"get_{noun}_list_count", query_string=query_string, **params)
    assert count == len(rows), "the count must agree with the list"
    return [row["id"] for row in rows]


def error_of(crm: OpenCRM, noun: str, query_string: str) -> str:
    answer = crm.call(f"get_{noun}_list", query_string=query_string, check=False)
    assert set(answer) == {"error"}, answer
    assert crm.call(f"get_{noun}_list_count", query_string=query_string, check=False) == answer
    return str(answer["error"])


TEXT_CASES = [
    ("lastname|=|JONES", [150]),
    ("lastname|LIKE|o%", [152, 156, 158]),
    ("lastname|LIKE|_ones", [150]),
    ("lastname|LIKE|%e_", [150, 153, 159]),
    ("lastname|BEGINS|mac", [155]),
    ("lastname|ENDS|ER", [153, 159]),
    ("lastname|CONTAINS|LL", [154, 160]),
    ("lastname|>|t", [153, 159]),
    ("lastname|<|d", [160]),
    ("lastname|>=|turner", [153, 159]),
    ("lastname|<=|EVANS", [157, 160]),
]

NUMBER_CASES = [
    # accountid is a reference (an integer column)
    ("contact", "accountid|=|100", [151, 158]),
    ("contact", "accountid|>|105", [150, 155, 160]),
    ("contact", "accountid|<|102", [151, 153, 158]),
    ("contact", "accountid|>=|107", [155, 160]),
    ("contact", "accountid|<=|100", [151, 158]),
    # money and quantities compare as numbers: as text "1049.00" < "300" and "140" < "60"
    ("product", "unit_price|>|300", [270, 275, 276]),
    ("product", "unit_price|<|100", [273, 278]),
    ("product", "unit_price|=|229", [271]),
    ("product", "unit_price|>=|650.00", [270, 276]),
    ("product", "unit_price|<=|19.99", [278]),
    ("product", "qtyinstock|>=|60", [271, 273, 278]),
    # LIKE-family operators see a number as the wire shows it
    ("product", "unit_price|ENDS|.99", [273, 278]),
    ("product", "unit_price|BEGINS|10", [270]),
    ("product", "qtyinstock|CONTAINS|4", [270, 273]),
]

DATE_CASES = [
    ("birthday|=|1984-07-22", [151]),
    ("birthday|>|1980-01-01", [151]),
    ("birthday|<|1980-01-01", [160]),
    ("birthday|>=|1976-11-03", [151, 160]),
    ("birthday|<=|1976-11-03", [160]),
    ("birthday|BEGINS|1984", [151]),
    ("birthday|LIKE|%-11-%", [160]),
    ("createdtime|=|2025-01-15 09:05:00", [158]),
    ("createdtime|>|2025-05-01 00:00:00", [150, 160]),
    ("createdtime|<|2025-01-10", [156, 157]),
    ("createdtime|>=|2025-06-23 10:50:00", [160]),
    ("createdtime|<=|2025-01-08 13:50:00", [156]),
    ("createdtime|BEGINS|2025-02", [152, 153, 159]),
    ("createdtime|ENDS|10:15:00", [157]),
    ("modifiedtime|CONTAINS|-06-", [150, 158]),
]


@pytest.mark.parametrize(("query_string", "expected"), TEXT_CASES)
def test_each_operator_on_a_text_field_ignores_case(
    opencrm: OpenCRM, query_string: str, expected: list[int]
) -> None:
    assert matching(opencrm, "contact", query_string) == expected


@pytest.mark.parametrize(("noun", "query_string", "expected"), NUMBER_CASES)
def test_each_operator_on_a_number_field_compares_numbers(
    opencrm: OpenCRM, noun: str, query_string: str, expected: list[int]
) -> None:
    assert matching(opencrm, noun, query_string) == expected


@pytest.mark.parametrize(("query_string", "expected"), DATE_CASES)
def test_each_operator_on_date_and_datetime_fields(
    opencrm: OpenCRM, query_string: str, expected: list[int]
) -> None:
    assert matching(opencrm, "contact", query_string) == expected


def test_the_guides_own_sync_example_returns_every_live_record(opencrm: OpenCRM) -> None:
    assert matching(opencrm, "contact", "crmentity.modifiedtime|>|2018-11-15 12:46:00") == list(
        range(150, 161)
    )


def test_the_guides_sync_example_finds_only_records_modified_since(opencrm: OpenCRM) -> None:
    opencrm.system.clock.freeze()
    opencrm.call("edit_contact", crmid="155", title="Chief Engineer")
    since = opencrm.system.clock.stamp()
    opencrm.system.clock.advance(60)
    opencrm.call("edit_contact", crmid="152", title="CFO")
    assert matching(opencrm, "contact", f"crmentity.modifiedtime|>|{since}") == [152]


def test_a_negative_operator_is_journaled_even_when_the_paging_is_refused(
    opencrm: OpenCRM,
) -> None:
    answer = opencrm.call(
        "get_contact_list", check=False, query_string="lastname|!=|jones", limit_start="x"
    )
    assert answer == {"error": "Invalid limit_start: must be a whole number of 0 or more"}
    warnings = opencrm.system.control.journal.entries("get_contact_list")[-1].warnings
    assert any("treated as '='" in w for w in warnings)


@pytest.mark.parametrize("operator", ["!=", "<>", "NE", "ne", "NOT LIKE", "not  like"])
def test_negative_operators_behave_as_equals_and_the_journal_says_so(
    opencrm: OpenCRM, operator: str
) -> None:
    # observed-behaviour.md "query_string": the live API silently treats them as "=".
    assert matching(opencrm, "contact", f"lastname|{operator}|jones") == [150]
    warnings = opencrm.system.control.journal.entries("get_contact_list")[-1].warnings
    assert any("treated as '='" in w for w in warnings)


@pytest.mark.parametrize(
    ("query_string", "expected"),
    [
        ("lastname|BEGINS|o;accountid|=|100", [158]),
        ("accountid|=|102;firstname|=|sophie", [159]),
        ("createdtime|>|2025-01-01;createdtime|<|2025-02-01;smownerid|=|4", [156, 157]),
        ("lastname|=|jones;lastname|=|sharma", []),
        ("lastname|=|jones;", [150]),
    ],
)
def test_conditions_joined_by_semicolons_must_all_hold(
    opencrm: OpenCRM, query_string: str, expected: list[int]
) -> None:
    assert matching(opencrm, "contact", query_string) == expected


@pytest.mark.parametrize(
    "field",
    [
        "smownerid",
        "assigned_user_id",
        "crmentity.smownerid",
        "Assigned_User_Id",
        "SMOWNERID",
        " smownerid ",
    ],
)
def test_a_field_may_be_named_by_api_name_alias_or_table_column_in_any_case(
    opencrm: OpenCRM, field: str
) -> None:
    assert matching(opencrm, "contact", f"{field}|=|3") == [150, 158]


@pytest.mark.parametrize(
    "field", ["lastname", "contactdetails.lastname", "LastName", "CONTACTDETAILS.LASTNAME"]
)
def test_a_contact_field_with_its_table_prefix(opencrm: OpenCRM, field: str) -> None:
    assert matching(opencrm, "contact", f"{field}|=|jones") == [150]


@pytest.mark.parametrize(
    "field", ["status", "ticketstatus", "troubletickets.status", "TroubleTickets.Status"]
)
def test_a_ticket_status_by_every_name(opencrm: OpenCRM, field: str) -> None:
    assert matching(opencrm, "ticket", f"{field}|=|open") == [350, 354]


@pytest.mark.parametrize("field", ["crmid", "id", "crmentity.crmid", "contactdetails.crmid"])
def test_the_record_id_can_be_queried(opencrm: OpenCRM, field: str) -> None:
    assert matching(opencrm, "contact", f"{field}|>=|159") == [159, 160]


def test_an_empty_value_finds_fields_that_read_as_empty(opencrm: OpenCRM) -> None:
    with_birthday = {151, 160}
    assert matching(opencrm, "contact", "birthday|=|") == [
        i for i in range(150, 161) if i not in with_birthday
    ]
    opencrm.call("edit_contact", crmid="150", title="")
    assert 150 in matching(opencrm, "contact", "title|=|")


@pytest.fixture
def awkward(opencrm: OpenCRM) -> dict[str, int]:
    """Contacts whose last names hold the characters query_string gives meaning to."""
    names = [
        "Smith|Jones",
        "Smith;Jones",
        "Fifty% Off",
        "Under_score",
        "Two  Spaces",
        "Back\\slash",
    ]
    return {n: opencrm.call("edit_contact", crmid="0", lastname=n, firstname="Ann") for n in names}


@pytest.mark.parametrize(
    ("query_string", "name"),
    [
        ("lastname|=|smith|jones", "Smith|Jones"),
        ("lastname|=|Smith;Jones", "Smith;Jones"),
        ("lastname|=|Smith;Jones;firstname|=|ann", "Smith;Jones"),
        ("lastname|CONTAINS|%", "Fifty% Off"),
        ("lastname|BEGINS|fifty%", "Fifty% Off"),
        ("lastname|CONTAINS|_", "Under_score"),
        ("lastname|ENDS|r_score", "Under_score"),
        ("lastname|=|two  spaces", "Two  Spaces"),
        ("lastname|CONTAINS|\\", "Back\\slash"),
        ("lastname|LIKE|back\\\\slash", "Back\\slash"),
    ],
)
def test_values_may_hold_separators_wildcards_and_spaces(
    opencrm: OpenCRM, awkward: dict[str, int], query_string: str, name: str
) -> None:
    assert matching(opencrm, "contact", query_string) == [awkward[name]]


def test_like_takes_the_clients_wildcards(opencrm: OpenCRM, awkward: dict[str, int]) -> None:
    assert matching(opencrm, "contact", "lastname|LIKE|fifty%") == [awkward["Fifty% Off"]]
    assert matching(opencrm, "contact", "lastname|LIKE|under_score") == [awkward["Under_score"]]
    assert matching(opencrm, "contact", "lastname|LIKE|smith_jones") == [
        awkward["Smith|Jones"],
        awkward["Smith;Jones"],
    ]


def test_a_query_string_in_the_url_path_keeps_its_spaces_and_pipes(opencrm: OpenCRM) -> None:
    path = "/api/rest/get_contact_list/query_string/createdtime|>|2025-06-01 00:00:00"
    rows = opencrm.client.post(path, data={"key": opencrm.key, "passkey": opencrm.passkey}).json()
    assert [r["id"] for r in rows] == [160]


@pytest.mark.parametrize(
    ("noun", "field"),
    [
        ("contact", "nosuchfield"),
        ("contact", "accountname"),
        ("contact", "troubletickets.status"),
        ("contact", "notatable.lastname"),
        ("contact", "notatable.crmid"),
        ("ticket", "lastname"),
    ],
)
def test_a_field_the_module_lacks_is_an_error_naming_it(
    opencrm: OpenCRM, noun: str, field: str
) -> None:
    message = error_of(opencrm, noun, f"{field}|=|x")
    assert field in message


def test_an_unknown_field_after_a_good_condition_is_still_an_error(opencrm: OpenCRM) -> None:
    assert "bogus" in error_of(opencrm, "contact", "lastname|=|jones;bogus|=|1")


@pytest.mark.parametrize("query_string", ["lastname", "lastname|=", "lastname|EQUALS|x", "|=|x"])
def test_a_malformed_query_string_is_a_clear_error(opencrm: OpenCRM, query_string: str) -> None:
    message = error_of(opencrm, "contact", query_string)
    assert "query_string" in message


@pytest.mark.parametrize(
    "query_string",
    [
        "lastname) OR 1=1 --|=|x",
        "lastname`; DROP TABLE contactdetails; --|=|x",
        "crmentity.modifiedtime OR 1|>|0",
    ],
)
def test_sql_in_a_field_name_is_an_unknown_field_with_no_sql_in_the_error(
    opencrm: OpenCRM, query_string: str
) -> None:
    message = error_of(opencrm, "contact", query_string).lower()
    assert not any(word in message for word in SQL_WORDS)
    assert opencrm.call("get_contact_list_count") == 11


@pytest.mark.parametrize(
    "value",
    [
        "x' OR '1'='1",
        "'; DROP TABLE contactdetails; --",
        "jones' --",
        '" OR ""="',
        "1 OR 1=1",
        "99999999999999999999999",
        "1e999",
        "nan",
    ],
)
def test_sql_in_a_value_is_only_ever_a_value(opencrm: OpenCRM, value: str) -> None:
    for field in ("lastname", "accountid", "createdtime"):
        assert matching(opencrm, "contact", f"{field}|=|{value}") == []
        assert matching(opencrm, "contact", f"{field}|CONTAINS|{value}") == []
    assert matching(opencrm, "contact", "") == list(range(150, 161))
    assert opencrm.call("get_contact", crmid="150")["lastname"] == "Jones"


def test_sql_in_an_edited_value_is_stored_verbatim(opencrm: OpenCRM) -> None:
    value = "Robert'); DROP TABLE contactdetails;--"
    crmid = opencrm.call("edit_contact", crmid="0", lastname=value)
    assert opencrm.call("get_contact", crmid=str(crmid))["lastname"] == value
    assert matching(opencrm, "contact", f"lastname|=|{value}") == [crmid]
    assert opencrm.call("get_contact_list_count") == 12


@pytest.mark.parametrize(
    ("field", "expected"),
    [("parent_id", [301]), ("seactivityrel.crmid", [301]), ("activity.crmid", [])],
)
def test_a_registry_alias_ending_in_crmid_names_its_field_not_the_record_id(
    opencrm: OpenCRM, field: str, expected: list[int]
) -> None:
    # Activities' seactivityrel.crmid is the related record (data-model.md §2.5), not the id.
    assert matching(opencrm, "activity", f"{field}|=|331") == expected


@pytest.mark.parametrize("field", ["activity.status", "taskstatus", "ACTIVITY.STATUS"])
def test_a_field_stored_under_another_column_is_found_by_table_column(
    opencrm: OpenCRM, field: str
) -> None:
    rows = opencrm.call("get_activity_list_full")
    expected = [r["id"] for r in rows if r["taskstatus"].lower() == "completed"]
    assert expected, "the fixture activities include a completed task"
    assert matching(opencrm, "activity", f"{field}|=|completed") == expected


@pytest.mark.parametrize("field", ["birthday", "title", "accountid"])
def test_a_blanked_field_matches_like_a_never_set_one(opencrm: OpenCRM, field: str) -> None:
    never_set = opencrm.call("edit_contact", crmid="0", lastname="Never")
    blanked = opencrm.call("edit_contact", crmid="0", lastname="Blanked", **{field: "1"})
    opencrm.call("edit_contact", crmid=str(blanked), **{field: ""})
    for op in (">", "<", ">=", "<="):
        found = matching(opencrm, "contact", f"{field}|{op}|1;crmid|>=|{never_set}")
        assert found == [], f"an unset {field} compared with {op}"
    assert matching(opencrm, "contact", f"{field}|=|;crmid|>=|{never_set}") == [
        never_set,
        blanked,
    ]
