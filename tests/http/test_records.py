"""Create, get, edit, list and count through HTTP, for every module with an edit end point
(guide: "Create/Edit Records", "Consult / Retrieve Functions", "List Functions")."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.backend.fixtures import FixtureSet
from emulator.domain.modules import FieldType, Module, default_registry
from emulator.endpoints.table import api_end_points
from emulator.pytest_plugin import OpenCRM

#: The registry as the emulator builds it: the shipped custom fields (cf_NNN) included.
REGISTRY = default_registry().with_custom_fields(FixtureSet.load().custom_fields)
END_POINTS = api_end_points(REGISTRY)
EDITABLE = [m for m in REGISTRY if f"edit_{m.noun}" in END_POINTS]
EDIT_END_POINTS = sorted(
    name for name, e in END_POINTS.items() if name.startswith("edit_") and e.module is not None
)
#: Fixture records with "deleted": 1 (fixtures/README.md, "Id ranges").
DELETED = [("company", 108), ("contact", 161), ("product", 280)]
#: A value with punctuation, a non-ASCII letter and the query_string separators in it.
AWKWARD = 'Zoë O\'Neill & Co; 50% off | "quoted"'


def by_noun(module: Module) -> str:
    return module.noun


def name_field(module: Module) -> str:
    """The module's first editable text field shown in basic lists (its name or subject)."""
    return next(
        f.name for f in module.fields if f.type is FieldType.TEXT and f.in_list and not f.read_only
    )


def live_fixtures(crm: OpenCRM, noun: str) -> list[dict[str, Any]]:
    return [r for r in crm.system.fixtures.records[noun] if not r.get("deleted")]


def create(crm: OpenCRM, module: Module, **fields: str) -> int:
    new = crm.call(f"edit_{module.noun}", crmid="0", **fields)
    assert isinstance(new, int), new
    return new


def get(crm: OpenCRM, module: Module, crmid: int) -> dict[str, Any]:
    found = crm.call(f"get_{module.noun}", crmid=str(crmid))
    assert "error" not in found, found
    return dict(found)


def ids(rows: list[dict[str, Any]]) -> list[int]:
    return [row["id"] for row in rows]


def last_warnings(crm: OpenCRM, end_point: str) -> list[str]:
    return crm.system.control.journal.entries(end_point)[-1].warnings


@pytest.mark.parametrize("module", EDITABLE, ids=by_noun)
def test_creating_with_crmid_0_returns_a_new_id_above_every_fixture_id(
    opencrm: OpenCRM, module: Module
) -> None:
    highest = max(
        int(r["crmid"]) for rows in opencrm.system.fixtures.records.values() for r in rows
    )
    new = create(opencrm, module, **{name_field(module): AWKWARD})
    record = get(opencrm, module, new)
    assert new > highest
    assert record[name_field(module)] == AWKWARD
    assert record["record_id"] == str(new)
    assert record["record_module"] == module.record_module


@pytest.mark.parametrize("module", EDITABLE, ids=by_noun)
def test_get_returns_every_field_plus_record_id_and_record_module(
    opencrm: OpenCRM, module: Module
) -> None:
    fixture = live_fixtures(opencrm, module.noun)[0]
    record = get(opencrm, module, fixture["crmid"])
    expected = {f.name for f in module.fields} | {"record_id", "record_module"}
    assert set(record) == expected | ({"products"} if module.sales else set())
    assert record["record_id"] == str(fixture["crmid"])
    assert record["record_module"] == module.record_module
    assert all(isinstance(v, str) for k, v in record.items() if k != "products")
    assert record[name_field(module)] == fixture[name_field(module)]


@pytest.mark.parametrize("module", EDITABLE, ids=by_noun)
def test_an_edit_changes_only_the_fields_sent(opencrm: OpenCRM, module: Module) -> None:
    crmid = live_fixtures(opencrm, module.noun)[0]["crmid"]
    before = get(opencrm, module, crmid)
    opencrm.system.clock.advance(60)
    answer = opencrm.call(f"edit_{module.noun}", crmid=str(crmid), **{name_field(module): "New"})
    after = get(opencrm, module, crmid)
    changed = {k for k in after if after[k] != before[k]}
    assert answer == crmid
    assert after[name_field(module)] == "New"
    assert changed - {"modifiedtime", "modifiedby"} == {name_field(module)}


@pytest.mark.parametrize("module", EDITABLE, ids=by_noun)
def test_a_field_sent_empty_is_blanked(opencrm: OpenCRM, module: Module) -> None:
    fixture = live_fixtures(opencrm, module.noun)[0]
    assert fixture[name_field(module)], "the fixture record should have a name to blank"
    opencrm.call(f"edit_{module.noun}", crmid=str(fixture["crmid"]), **{name_field(module): ""})
    assert get(opencrm, module, fixture["crmid"])[name_field(module)] == ""


def test_a_number_or_reference_field_sent_empty_is_blanked(opencrm: OpenCRM) -> None:
    contacts = REGISTRY.by_noun("contact")
    opencrm.call("edit_contact", crmid="150", accountid="", birthday="")
    record = get(opencrm, contacts, 150)
    assert (record["accountid"], record["birthday"]) == ("", "")


@pytest.mark.parametrize("name", ["assigned_user_id", "smownerid"])
@pytest.mark.parametrize("module", EDITABLE, ids=by_noun)
def test_assigned_user_id_and_smownerid_both_set_the_owner(
    opencrm: OpenCRM, module: Module, name: str
) -> None:
    crmid = live_fixtures(opencrm, module.noun)[0]["crmid"]
    opencrm.call(f"edit_{module.noun}", crmid=str(crmid), **{name: "4"})
    created = create(opencrm, module, **{name: "5"})
    assert get(opencrm, module, crmid)["smownerid"] == "4"
    assert get(opencrm, module, created)["smownerid"] == "5"


@pytest.mark.parametrize("module", EDITABLE, ids=by_noun)
def test_a_new_record_without_an_owner_belongs_to_the_api_user(
    opencrm: OpenCRM, module: Module
) -> None:
    opencrm.system.clock.freeze()
    record = get(opencrm, module, create(opencrm, module))
    now = opencrm.system.clock.stamp()
    assert (record["smownerid"], record["smcreatorid"], record["modifiedby"]) == ("1", "1", "1")
    assert record["createdtime"] == record["modifiedtime"] == now


@pytest.mark.parametrize("module", EDITABLE, ids=by_noun)
def test_fields_the_module_does_not_have_are_ignored_and_logged(
    opencrm: OpenCRM, module: Module
) -> None:
    crmid = live_fixtures(opencrm, module.noun)[0]["crmid"]
    before = get(opencrm, module, crmid)
    answer = opencrm.call(
        f"edit_{module.noun}", crmid=str(crmid), no_such_field="x", modifiedtime="2001-01-01"
    )
    after = get(opencrm, module, crmid)
    warnings = last_warnings(opencrm, f"edit_{module.noun}")
    assert answer == crmid
    assert "no_such_field" not in after
    assert after["modifiedtime"] != "2001-01-01 00:00:00"
    assert {k: v for k, v in after.items() if k not in ("modifiedtime", "modifiedby")} == {
        k: v for k, v in before.items() if k not in ("modifiedtime", "modifiedby")
    }
    assert any("no_such_field" in w for w in warnings)
    assert any("modifiedtime" in w for w in warnings)


def snapshot(crm: OpenCRM) -> tuple[dict[str, int], int]:
    """Live records per module, and the journal-independent id the next create would get."""
    return crm.system.backend.counts(), crm.system.store.counters.next_crmid


@pytest.mark.parametrize("module", EDITABLE, ids=by_noun)
def test_an_edit_of_an_unknown_crmid_is_refused_and_writes_nothing(
    opencrm: OpenCRM, module: Module
) -> None:
    before = snapshot(opencrm)
    answer = opencrm.call(
        f"edit_{module.noun}", crmid="999999", **{name_field(module): "X"}, check=False
    )
    assert set(answer) == {"error"}
    assert "999999" in answer["error"]
    assert snapshot(opencrm) == before
    assert opencrm.system.backend.audit_trail(999999) == []


@pytest.mark.parametrize("module", EDITABLE, ids=by_noun)
def test_an_edit_of_another_modules_record_is_refused_and_writes_nothing(
    opencrm: OpenCRM, module: Module
) -> None:
    other = REGISTRY.by_noun("contact" if module.noun != "contact" else "company")
    crmid = live_fixtures(opencrm, other.noun)[0]["crmid"]
    before = get(opencrm, other, crmid)
    answer = opencrm.call(
        f"edit_{module.noun}", crmid=str(crmid), **{name_field(module): "X"}, check=False
    )
    assert set(answer) == {"error"}
    assert module.record_module in answer["error"]
    assert str(crmid) in answer["error"]
    assert get(opencrm, other, crmid) == before
    assert opencrm.system.backend.audit_trail(crmid) == []


@pytest.mark.parametrize(("noun", "crmid"), DELETED)
def test_an_edit_of_a_deleted_record_is_refused_and_writes_nothing(
    opencrm: OpenCRM, noun: str, crmid: int
) -> None:
    module = REGISTRY.by_noun(noun)
    before = snapshot(opencrm)
    answer = opencrm.call(
        f"edit_{noun}", crmid=str(crmid), **{name_field(module): "Revived"}, check=False
    )
    assert set(answer) == {"error"}
    assert str(crmid) in answer["error"]
    assert snapshot(opencrm) == before
    assert opencrm.system.backend.audit_trail(crmid) == []
    listed = opencrm.call(f"get_{noun}_list_full", query_string=f"{name_field(module)}|=|Revived")
    assert listed == []


@pytest.mark.parametrize("crmid", ["abc", "-1", "1.5", "99999999999999999999999", ""])
def test_a_crmid_that_is_not_a_record_id_gives_a_clear_error(opencrm: OpenCRM, crmid: str) -> None:
    before = snapshot(opencrm)
    for end_point in ("get_contact", "edit_contact"):
        answer = opencrm.call(end_point, crmid=crmid, lastname="X", check=False)
        assert set(answer) == {"error"}
        assert "crmid" in answer["error"]
    assert snapshot(opencrm) == before


@pytest.mark.parametrize("module", EDITABLE, ids=by_noun)
def test_get_of_an_unknown_or_other_module_crmid_gives_a_clear_error(
    opencrm: OpenCRM, module: Module
) -> None:
    other = REGISTRY.by_noun("contact" if module.noun != "contact" else "company")
    other_id = live_fixtures(opencrm, other.noun)[0]["crmid"]
    for crmid in (999999, other_id):
        answer = opencrm.call(f"get_{module.noun}", crmid=str(crmid), check=False)
        assert set(answer) == {"error"}
        assert str(crmid) in answer["error"]


@pytest.mark.parametrize("module", EDITABLE, ids=by_noun)
def test_modifiedtime_moves_on_edit_and_createdtime_stays(opencrm: OpenCRM, module: Module) -> None:
    clock = opencrm.system.clock
    clock.freeze()
    crmid = create(opencrm, module, **{name_field(module): "First"})
    created = get(opencrm, module, crmid)
    clock.advance(3600)
    opencrm.call(f"edit_{module.noun}", crmid=str(crmid), **{name_field(module): "Second"})
    edited = get(opencrm, module, crmid)
    assert edited["modifiedtime"] == clock.stamp() > created["modifiedtime"]
    assert edited["createdtime"] == created["createdtime"]


@pytest.mark.parametrize("module", EDITABLE, ids=by_noun)
def test_a_created_record_appears_in_the_list_the_full_list_and_the_count(
    opencrm: OpenCRM, module: Module
) -> None:
    n = module.noun
    count = opencrm.call(f"get_{n}_list_count")
    crmid = create(opencrm, module, **{name_field(module): "Round Trip"})
    record = get(opencrm, module, crmid)
    basic = {r["id"]: r for r in opencrm.call(f"get_{n}_list")}
    full = {r["id"]: r for r in opencrm.call(f"get_{n}_list_full")}
    list_names = {f.name for f in module.list_fields}
    assert opencrm.call(f"get_{n}_list_count") == count + 1 == len(basic) == len(full)
    assert basic[crmid] == {"id": crmid, "crmid": crmid, **{k: record[k] for k in list_names}}
    assert full[crmid] == {
        "id": crmid,
        "crmid": crmid,
        **{f.name: record[f.name] for f in module.fields},
    }


@pytest.mark.parametrize("end_point", EDIT_END_POINTS)
def test_every_edit_end_point_name_creates_a_record_of_its_module(
    opencrm: OpenCRM, end_point: str
) -> None:
    module = END_POINTS[end_point].module
    assert module is not None
    crmid = opencrm.call(end_point, crmid="0", **{name_field(module): "Via alias"})
    assert get(opencrm, module, crmid)[name_field(module)] == "Via alias"


def test_ids_come_from_one_counter_shared_by_every_module(opencrm: OpenCRM) -> None:
    modules = [m for m in EDITABLE for _ in range(2)]
    made = [create(opencrm, m) for m in modules]
    assert made == list(range(made[0], made[0] + len(made)))
    for module, crmid in zip(modules, made, strict=True):
        assert get(opencrm, module, crmid)["record_module"] == module.record_module


@pytest.mark.parametrize(("noun", "crmid"), DELETED)
def test_deleted_records_never_appear_in_lists_counts_or_gets(
    opencrm: OpenCRM, noun: str, crmid: int
) -> None:
    live = live_fixtures(opencrm, noun)
    deleted = next(r for r in opencrm.system.fixtures.records[noun] if r["crmid"] == crmid)
    name = name_field(REGISTRY.by_noun(noun))
    assert crmid not in ids(opencrm.call(f"get_{noun}_list"))
    assert crmid not in ids(opencrm.call(f"get_{noun}_list_full"))
    assert opencrm.call(f"get_{noun}_list_count") == len(live)
    assert opencrm.call(f"get_{noun}_list", query_string=f"crmid|=|{crmid}") == []
    assert opencrm.call(f"get_{noun}_list", query_string=f"{name}|=|{deleted[name]}") == []
    assert crmid not in ids(opencrm.call(f"get_{noun}_list", keywords=deleted[name].split()[0]))
    assert set(opencrm.call(f"get_{noun}", crmid=str(crmid), check=False)) == {"error"}


def test_a_created_record_is_numbered_after_every_fixture_record_deleted_or_not(
    opencrm: OpenCRM,
) -> None:
    contacts = REGISTRY.by_noun("contact")
    fixture_count = len(opencrm.system.fixtures.records["contact"])  # 161 (deleted) included
    new = get(opencrm, contacts, create(opencrm, contacts))["contact_no"]
    assert new == f"CON{fixture_count + 1}"
