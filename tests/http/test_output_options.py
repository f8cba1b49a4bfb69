"""Output options every end point takes (guide, "Optional parameters available to all
functions"): ``dateTimeOverride``, ``dateOverride``, ``change_assignedidtouser``; and the
``date_format`` / ``datetime_format`` settings. Contact 151 (Priya Sharma) was created
2025-01-14 10:20:00, born 1984-07-22 and is owned by user 2 (sarah.mitchell)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from emulator.pytest_plugin import OpenCRM
from emulator.settings import Settings
from emulator.systems import System


def post_path(crm: OpenCRM, path: str, **params: str) -> Any:
    data = {"key": crm.key, "passkey": crm.passkey, **params}
    return crm.client.post(f"/api/rest/{path}", data=data).json()


def test_the_guides_path_form_reformats_dates_and_date_times(opencrm: OpenCRM) -> None:
    record = post_path(
        opencrm, "get_contact/dateTimeOverride/d_F_Y_H:i/dateOverride/d_F_Y", crmid="151"
    )
    assert record["createdtime"] == "14 January 2025 10:20"
    assert record["birthday"] == "22 July 1984"


def test_form_fields_reformat_the_same_way_as_the_path(opencrm: OpenCRM) -> None:
    by_form = opencrm.call(
        "get_contact", crmid="151", dateTimeOverride="d_F_Y_H:i", dateOverride="d_F_Y"
    )
    by_path = post_path(
        opencrm, "get_contact/dateTimeOverride/d_F_Y_H:i/dateOverride/d_F_Y", crmid="151"
    )
    assert by_form == by_path


def test_a_star_stands_for_a_slash(opencrm: OpenCRM) -> None:
    record = post_path(
        opencrm, "get_contact/dateTimeOverride/d*m*Y_H:i/dateOverride/d*m*Y", crmid="151"
    )
    assert (record["createdtime"], record["birthday"]) == ("14/01/2025 10:20", "22/07/1984")


def test_iso_8601_c_appends_midnight_to_dates(opencrm: OpenCRM) -> None:
    # guide: "dates without the time will have 00:00:00 time appended"
    record = post_path(opencrm, "get_contact/dateTimeOverride/c/dateOverride/c", crmid="151")
    assert record["birthday"] == "1984-07-22T00:00:00+01:00"  # British Summer Time
    assert record["createdtime"] == "2025-01-14T10:20:00+00:00"
    assert record["modifiedtime"] == "2026-05-28T15:12:00+01:00"


def test_each_override_changes_only_its_own_kind_of_field(opencrm: OpenCRM) -> None:
    dates_only = opencrm.call("get_contact", crmid="151", dateOverride="d*m*Y")
    times_only = opencrm.call("get_contact", crmid="151", dateTimeOverride="H:i")
    assert (dates_only["birthday"], dates_only["createdtime"]) == (
        "22/07/1984",
        "2025-01-14 10:20:00",
    )
    assert (times_only["birthday"], times_only["createdtime"]) == ("1984-07-22", "10:20")


def test_a_backslash_keeps_a_format_letter_literal(opencrm: OpenCRM) -> None:
    record = opencrm.call("get_contact", crmid="151", dateOverride="\\Y\\e\\a\\r_Y")
    assert record["birthday"] == "Year 1984"


def test_unset_dates_stay_empty(opencrm: OpenCRM) -> None:
    record = opencrm.call("get_contact", crmid="150", dateOverride="d_F_Y")
    assert record["birthday"] == ""


def test_the_guides_project_list_example_reformats_every_row(opencrm: OpenCRM) -> None:
    plain = opencrm.call("get_project_list_full")
    path = (
        f"get_project_list/key/{opencrm.key}/passkey/{opencrm.passkey}"
        "/dateTimeOverride/d_F_Y_H:i/dateOverride/d_F_Y"
    )
    changed = opencrm.client.get(f"/api/rest/{path}").json()
    assert [r["id"] for r in changed] == [r["id"] for r in plain]
    started = [(b, a) for b, a in zip(plain, changed, strict=True) if b["startdate"]]
    assert started, "the fixture projects have start dates"
    for before, after in started:
        year, _, day = before["startdate"].split("-")
        assert after["startdate"].startswith(f"{day} ")
        assert after["startdate"].endswith(f" {year}")


def test_overrides_apply_to_full_lists(opencrm: OpenCRM) -> None:
    rows = opencrm.call("get_contact_list_full", dateTimeOverride="Y", dateOverride="y")
    priya = next(r for r in rows if r["id"] == 151)
    assert (priya["createdtime"], priya["birthday"]) == ("2025", "84")


@pytest.mark.parametrize("name", ["smownerid", "assigned_user_id", "Assigned_to", "SMOWNERID"])
def test_change_assignedidtouser_turns_the_owner_id_into_a_user_name(
    opencrm: OpenCRM, name: str
) -> None:
    record = opencrm.call("get_contact", crmid="151", change_assignedidtouser=name)
    assert record["smownerid"] == "sarah.mitchell"
    assert record["smcreatorid"] == "2", "only the fields named change"


def test_change_assignedidtouser_takes_several_comma_separated_fields(opencrm: OpenCRM) -> None:
    record = opencrm.call(
        "get_contact", crmid="150", change_assignedidtouser="smownerid, smcreatorid,nosuch"
    )
    assert (record["smownerid"], record["smcreatorid"]) == ("james.patel", "james.patel")
    assert record["modifiedby"] == "3"


def test_change_assignedidtouser_applies_to_list_rows(opencrm: OpenCRM) -> None:
    rows = opencrm.call("get_contact_list", change_assignedidtouser="assigned_user_id")
    owners = {r["id"]: r["smownerid"] for r in rows}
    assert owners[150] == "james.patel"
    assert owners[151] == "sarah.mitchell"
    assert owners[156] == "emma.clarke"
    assert owners[152] == "tom.hughes"


def test_change_assignedidtouser_leaves_other_fields_and_unknown_users_alone(
    opencrm: OpenCRM,
) -> None:
    opencrm.call("edit_contact", crmid="151", smownerid="99")
    record = opencrm.call("get_contact", crmid="151", change_assignedidtouser="smownerid,accountid")
    assert (record["smownerid"], record["accountid"]) == ("99", "100")


def test_a_users_new_owner_name_shows_straight_after_an_edit(opencrm: OpenCRM) -> None:
    opencrm.call("edit_contact", crmid="151", assigned_user_id="4")
    record = opencrm.call("get_contact", crmid="151", change_assignedidtouser="smownerid")
    assert record["smownerid"] == "emma.clarke"


@pytest.fixture(scope="module")
def uk_dates() -> Iterator[OpenCRM]:
    crm = OpenCRM(System(Settings(date_format="d-m-Y", datetime_format="d/m/Y H:i")))
    yield crm
    crm.system.close()


def test_the_date_format_settings_set_the_default_output(uk_dates: OpenCRM) -> None:
    record = uk_dates.call("get_contact", crmid="151")
    assert (record["birthday"], record["createdtime"]) == ("22-07-1984", "14/01/2025 10:20")


def test_an_override_wins_over_the_date_format_settings(uk_dates: OpenCRM) -> None:
    record = uk_dates.call("get_contact", crmid="151", dateOverride="Y", dateTimeOverride="Y")
    assert (record["birthday"], record["createdtime"]) == ("1984", "2025")


def test_query_strings_still_use_the_stored_format(uk_dates: OpenCRM) -> None:
    rows = uk_dates.call("get_contact_list", query_string="birthday|=|1984-07-22")
    assert [r["id"] for r in rows] == [151]
