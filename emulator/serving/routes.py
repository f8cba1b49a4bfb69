"""THE route table: every emulated OpenCRM end point, and the emulator's own control plane.

OpenCRM's end points live under ``/api/rest/<end_point>`` and take further parameters as
path segments, so one Starlette route catches the prefix and this table maps the end point
name to its function. Read :func:`api_end_points` top to bottom for the whole API;
``opencrm-emulator routes`` prints it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from starlette.convertors import Convertor, register_url_convertor
from starlette.routing import BaseRoute, Mount, Route

from emulator.domain.modules import Module, Registry
from emulator.endpoints import Call, api, records, relations, session


@dataclass(frozen=True)
class EndPoint:
    name: str
    handler: Callable[[Call], Any]
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
    table = [EndPoint("login", session.login, authenticated=False)]
    for module in registry:
        table += module_end_points(module)
    table += [
        EndPoint("get_record_list_from_report", relations.get_record_list_from_report),
        EndPoint("edit_record_link", relations.edit_record_link),
        EndPoint("add_to_campaign", relations.add_to_campaign),
    ]
    return {e.name: e for e in table}


def module_end_points(m: Module) -> Iterator[EndPoint]:
    n = m.noun
    yield from (
        EndPoint(
            f"get_{n}_list_count", records.list_count, m, origin=origin(m, f"get_{n}_list_count")
        ),
        EndPoint(f"get_{n}_list", records.list_basic, m, origin=origin(m, f"get_{n}_list")),
        EndPoint(
            f"get_{n}_list_full", records.list_full, m, origin=origin(m, f"get_{n}_list_full")
        ),
    )
    if not m.crmentity:
        yield EndPoint(f"get_{n}_details", records.get_user, m, origin="observed")
        return
    yield EndPoint(f"get_{n}", records.get, m, origin=origin(m, f"get_{n}"))
    if m.extension:
        return
    for noun in (n, *m.edit_aliases):
        yield EndPoint(f"edit_{noun}", records.edit, m, origin=origin(m, f"edit_{noun}"))


def origin(module: Module, name: str) -> str:
    if module.extension:
        return "extension"
    return "observed" if name in OBSERVED else "guide"


class AnyPath(Convertor[str]):
    """Starlette's ``path`` but across newlines too: a path segment value may carry an
    encoded ``%0A``, and the call must still reach :func:`api` (not a bare 404)."""

    regex = "(?s:.*)"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("any_path", AnyPath())


def routes(control: list[BaseRoute]) -> list[BaseRoute]:
    methods = ["GET", "POST"]
    return [
        Route("/api/rest/{end_point:any_path}", api, methods=methods),
        Mount("/_emulator", routes=control),
    ]
