"""List, count, get and edit: the actions every module has (guide, "End Point / Methods")."""

from __future__ import annotations

from orjson import Fragment

from emulator.domain.lists import ListQuery
from emulator.endpoints.call import Call, Row, presented
from emulator.wire import envelope, requests


def list_count(call: Call) -> int:
    return call.backend.count_records(call.module, list_query(call))


def list_basic(call: Call) -> list[Row]:
    return listed(call, full=False)


def list_full(call: Call) -> list[Row]:
    return listed(call, full=True)


def listed(call: Call, full: bool) -> list[Row]:
    rows = call.backend.list_records(call.module, list_query(call), full)
    return presented(call.presenter(call.module), rows)


def list_query(call: Call) -> ListQuery:
    """The conditions (their warnings journaled whatever comes next), then the paging."""
    found, warnings = requests.conditions(call.params, call.settings)
    call.warn(*warnings)
    return requests.list_query(call.params, call.settings, found)


def get(call: Call) -> Row | Fragment:
    return one(call, call.params.record_id("crmid"))


def get_user(call: Call) -> Row | Fragment:
    # get_user_details is used by a public client, by user id; the parameter name is unknown.
    return one(call, call.params.record_id("userid", "id", "crmid"))


def one(call: Call, crmid: int) -> Row | Fragment:
    module = call.module
    if call.plain_output() and envelope.ADDED.isdisjoint(module.field_names):
        # nothing to change in its values: the answer is the text the store wrote
        found_json = call.backend.get_record_json(module, crmid)
        return envelope.record_json(found_json, crmid, module.record_module)
    found = call.backend.get_record(module, crmid)
    present = call.presenter(module)
    return envelope.record(present(found) if present else found, crmid, module.record_module)


def edit(call: Call) -> int:
    module = call.module
    crmid = call.params.record_id("crmid")
    values, ignored = requests.edit_values(module, call.params)
    call.warn(*ignored)
    products = requests.products(module, call.params)
    edited = call.backend.edit_record(module, crmid, values, products, call.actor)
    call.warn(*edited.warnings)
    return edited.crmid
