"""THE table of OpenCRM end points: every name the emulator answers under ``/api/rest/``,
the function that answers it, what kind of action it is and where its name comes from.

Read :func:`api_end_points` top to bottom for the whole API; ``opencrm-emulator routes``
prints it, and the OpenAPI document (emulator/openapi) is generated from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from emulator.domain.modules import Module, Registry
from emulator.endpoints import records, relations, session
from emulator.endpoints.call import Call


class Kind(StrEnum):
    """What an end point does: its parameters and the shape of its answer follow from it."""

    LOGIN = "login"
    COUNT = "count"
    LIST = "list"
    LIST_FULL = "list_full"
    GET = "get"
    USER = "user"
    EDIT = "edit"
    REPORT = "report"
    LINK = "link"
    CAMPAIGN = "campaign"


@dataclass(frozen=True)
class EndPoint:
    name: str
    handler: Callable[[Call], Any]
    kind: Kind
    module: Module | None = None
    authenticated: bool = True
    #: Where the name comes from: "guide", "observed" (observed-behaviour.md) or "extension".
    origin: str = "guide"


#: Names the guide does not list that live clients use (observed-behaviour.md "End points").
OBSERVED = frozenset(
    {
        "edit_ticket",
        "get_user_list_count",
        "get_user_list_full",
        "get_user_details",
    }
)


def api_end_points(registry: Registry) -> dict[str, EndPoint]:
    table = [EndPoint("login", session.login, Kind.LOGIN, authenticated=False)]
    for module in registry:
        table += module_end_points(module)
    table += [
        EndPoint("get_record_list_from_report", relations.get_record_list_from_report, Kind.REPORT),
        EndPoint("edit_record_link", relations.edit_record_link, Kind.LINK),
        EndPoint("add_to_campaign", relations.add_to_campaign, Kind.CAMPAIGN),
    ]
    return {e.name: e for e in table}


def module_end_points(m: Module) -> Iterator[EndPoint]:
    n = m.noun

    def end_point(name: str, handler: Callable[[Call], Any], kind: Kind) -> EndPoint:
        return EndPoint(name, handler, kind, m, origin=origin(m, name))

    yield end_point(f"get_{n}_list_count", records.list_count, Kind.COUNT)
    yield end_point(f"get_{n}_list", records.list_basic, Kind.LIST)
    yield end_point(f"get_{n}_list_full", records.list_full, Kind.LIST_FULL)
    if not m.crmentity:
        yield EndPoint(f"get_{n}_details", records.get_user, Kind.USER, m, origin="observed")
        return
    yield end_point(f"get_{n}", records.get, Kind.GET)
    if m.extension:
        return
    for noun in (n, *m.edit_aliases):
        yield end_point(f"edit_{noun}", records.edit, Kind.EDIT)


def origin(module: Module, name: str) -> str:
    if module.extension:
        return "extension"
    return "observed" if name in OBSERVED else "guide"
