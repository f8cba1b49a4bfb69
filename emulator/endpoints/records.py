"""List, count, get and edit: the actions every module has (guide, "End Point / Methods")."""

from __future__ import annotations

from typing import Any

from emulator.domain.modules import Module
from emulator.endpoints import Call


def module_of(call: Call) -> Module:
    assert call.module is not None, "record end points are routed with their module"
    return call.module


def list_count(call: Call) -> int:
    return call.backend.count_records(module_of(call), call.params, call.warnings)


def list_basic(call: Call) -> list[dict[str, Any]]:
    return call.backend.list_records(module_of(call), call.params, False, call.warnings)


def list_full(call: Call) -> list[dict[str, Any]]:
    return call.backend.list_records(module_of(call), call.params, True, call.warnings)


def get(call: Call) -> dict[str, Any]:
    return call.backend.get_record(module_of(call), call.params, ("crmid",))


def get_user(call: Call) -> dict[str, Any]:
    # get_user_details is used by a public client, by user id; the parameter name is unknown.
    return call.backend.get_record(module_of(call), call.params, ("userid", "id", "crmid"))


def edit(call: Call) -> int:
    return call.backend.edit_record(module_of(call), call.params, call.actor, call.warnings)
