"""The route table: every end point answers, in OpenCRM's shape, by GET and POST, with and
without the trailing slash (guide, "End Point / Methods" and each "Return Format";
observed-behaviour.md "End points" and "Response shapes")."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.backend.fixtures import FixtureSet
from emulator.domain.modules import Module, default_registry
from emulator.endpoints.table import EndPoint, api_end_points
from emulator.pytest_plugin import OpenCRM

#: The table as the emulator builds it (shipped custom fields included).
END_POINTS = api_end_points(default_registry().with_custom_fields(FixtureSet.load().custom_fields))

#: Every end point the guide names, copied from its lists (the table of contents, each
#: "Methods" list, and "Create/Edit Records", which adds edit_helpdesk and edit_contracts).
GUIDE_MODULES = [
    "activity", "asset", "company", "contact", "contract", "lead", "opportunity", "product",
    "project", "quote", "salesorder", "invoice", "purchaseorder", "ticket",
]  # fmt: skip
GUIDE = {
    "login",
    *(f"get_{m}_list_count" for m in GUIDE_MODULES),
    *(f"get_{m}_list" for m in GUIDE_MODULES),
    "get_user_list",
    *(f"get_{m}_list_full" for m in GUIDE_MODULES),
    *(f"get_{m}" for m in GUIDE_MODULES),
    *(f"edit_{m}" for m in GUIDE_MODULES if m != "ticket"),
    "edit_contact_custom1",
    "edit_contact_custom2",
    "edit_helpdesk",
    "edit_contracts",
    "get_record_list_from_report",
    "edit_record_link",
    "add_to_campaign",
}
#: Names live clients use beyond the guide (observed-behaviour.md "End points").
OBSERVED = {
    "get_ticket_list",
    "get_ticket_list_count",
    "get_ticket_list_full",
    "get_ticket",
    "edit_ticket",
    "edit_helpdesk",
    "edit_contract",
    "edit_contracts",
    "get_user_list",
    "get_user_list_count",
    "get_user_list_full",
    "get_user_details",
    "edit_product",
    "edit_contact_custom1",
    "edit_contact_custom2",
}


def test_every_end_point_the_guide_names_is_routed() -> None:
    assert GUIDE - set(END_POINTS) == set()


def test_every_alias_observed_in_live_clients_is_routed() -> None:
    assert OBSERVED - set(END_POINTS) == set()


def test_each_end_point_says_truly_where_its_name_comes_from() -> None:
    origins = {name: e.origin for name, e in END_POINTS.items()}
    assert {n for n, o in origins.items() if o == "guide"} <= GUIDE
    assert {n for n, o in origins.items() if o == "observed"} <= OBSERVED - GUIDE
    assert {n for n, o in origins.items() if o == "extension"} == {
        n for n, e in END_POINTS.items() if e.module is not None and e.module.extension
    }


def first_id(crm: OpenCRM, noun: str) -> int:
    rows = crm.call(f"get_{noun}_list", limit_end="1")
    assert rows, f"no {noun} records to call with"
    return int(rows[0]["id"])


def module_of(end_point: EndPoint) -> Module:
    assert end_point.module is not None
    return end_point.module


def arguments(crm: OpenCRM, name: str) -> dict[str, str]:
    """Parameters that make a successful call to ``name``."""
    end_point = END_POINTS[name]
    if name == "get_record_list_from_report":
        return {"reportid": "1"}
    if name == "edit_record_link":
        return {
            "parent_id": str(first_id(crm, "company")),
            "child_id": str(first_id(crm, "contact")),
        }
    if name == "add_to_campaign":
        return {
            "campaignid": str(first_id(crm, "campaign")),
            "recordid": str(first_id(crm, "lead")),
        }
    if name == "get_user_details":
        return {"userid": str(first_id(crm, "user"))}
    if name.startswith("get_") and not name.endswith(("_list", "_count", "_full")):
        return {"crmid": str(first_id(crm, module_of(end_point).noun))}
    if name.startswith("edit_"):
        crmid = first_id(crm, module_of(end_point).noun)
        return {"crmid": str(crmid), "description": f"Edited by the route walk through {name}"}
    return {}


def assert_flat_strings(row: dict[str, Any], numbers: tuple[str, ...] = ()) -> None:
    for field, value in row.items():
        if field in numbers:
            assert type(value) is int, (field, value)
        elif field == "products":
            assert isinstance(value, list)
            for line in value:
                assert_flat_strings(line)
        else:
            assert isinstance(value, str), (field, value)


def assert_list_shape(answer: Any, end_point: EndPoint) -> None:
    assert isinstance(answer, list)
    assert answer, "the fixtures give every module some records"
    crm_module = end_point.module is None or end_point.module.crmentity
    numbers = ("id", "crmid") if crm_module else ("id",)
    for row in answer:
        assert isinstance(row, dict)
        assert set(numbers) <= set(row)
        if crm_module:
            assert row["id"] == row["crmid"]
        assert_flat_strings(row, numbers)


def assert_shape(crm: OpenCRM, name: str, fields: dict[str, str], answer: Any) -> None:
    end_point = END_POINTS[name]
    if name == "login":
        assert isinstance(answer, str)
    elif name == "add_to_campaign":
        assert answer == "Success"
    elif name.endswith("_count"):
        assert type(answer) is int
    elif name.endswith(("_list", "_full")) or name == "get_record_list_from_report":
        assert_list_shape(answer, end_point)
    elif name.startswith("edit_"):
        expected = fields.get("crmid") or fields["parent_id"]
        assert answer == int(expected)
    else:
        assert isinstance(answer, dict)
        record_id = fields.get("crmid") or fields["userid"]
        assert answer["record_id"] == record_id
        assert answer["record_module"] == module_of(end_point).record_module
        assert_flat_strings(answer)


@pytest.mark.parametrize("name", sorted(END_POINTS))
def test_every_end_point_answers_200_in_its_shape(opencrm: OpenCRM, name: str) -> None:
    fields = arguments(opencrm, name)
    response = opencrm.client.post(f"/api/rest/{name}", data={**opencrm.credentials, **fields})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    answer = response.json()
    assert not (isinstance(answer, dict) and "error" in answer), answer
    assert_shape(opencrm, name, fields, answer)


@pytest.mark.parametrize("name", sorted(END_POINTS))
def test_every_end_point_answers_get_and_post_with_and_without_a_trailing_slash(
    opencrm: OpenCRM, name: str
) -> None:
    fields = {**opencrm.credentials, **arguments(opencrm, name)}
    answers = [
        opencrm.client.post(f"/api/rest/{name}", data=fields),
        opencrm.client.post(f"/api/rest/{name}/", data=fields),
        opencrm.client.get(f"/api/rest/{name}", params=fields),
        opencrm.client.get(f"/api/rest/{name}/", params=fields),
    ]
    assert [a.status_code for a in answers] == [200] * 4
    if name == "login":  # a new access key each time
        assert all(isinstance(a.json(), str) for a in answers)
    else:
        assert all(a.json() == answers[0].json() for a in answers[1:])
    assert not (isinstance(answers[0].json(), dict) and "error" in answers[0].json())


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", ["get_helpdesk_list", "get_contacts_list", "Get_Contact_List"])
def test_an_unknown_end_point_gets_an_error_naming_it(
    opencrm: OpenCRM, method: str, name: str
) -> None:
    response = opencrm.client.request(method, f"/api/rest/{name}/key/{opencrm.key}")
    assert response.status_code == 200
    assert response.json() == {"error": f"Unknown end point: {name}"}


def test_a_call_without_an_end_point_gets_a_clear_error(opencrm: OpenCRM) -> None:
    response = opencrm.client.post("/api/rest/", data=opencrm.credentials)
    assert response.json() == {"error": "Unknown end point: (none given)"}
