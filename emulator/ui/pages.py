"""The dashboard's reading pages: the systems, a module's records, one record.

Lists use the API's own rules: ``query_string`` and ``keywords`` are read by
:func:`emulator.wire.requests.conditions`, as ``get_<module>_list`` reads them, so a filter
that works here works in a call (and a wrong one shows the API's error message).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from emulator.domain.lists import ListQuery
from emulator.domain.modules import Field, FieldType, Module
from emulator.domain.product_lines import COMPUTED, LINE_FIELDS
from emulator.errors import OpenCRMError, RecordNotFound
from emulator.systems import System
from emulator.ui.labels import label_for, label_of
from emulator.ui.render import message, render
from emulator.ui.systems import system_named, systems_of
from emulator.wire.params import Params
from emulator.wire.requests import conditions

PAGE_SIZE = 50
#: Values never shown, whatever the record holds.
HIDDEN_FIELDS = frozenset({"password", "accesskey", "user_password", "confirm_password"})
HIDDEN = "********"
#: The product line columns of the table; every field is in each line's details.
LINE_COLUMNS = ("linenumber", "productname", "quantity", "listprice1", "discount", "taxclass")
COMPUTED_COLUMNS = tuple(name for name in LINE_FIELDS if name in COMPUTED)
#: Modules whose records can be campaign members (add_to_campaign's recordid).
MEMBER_MODULES = frozenset({"lead", "contact", "company"})


def system_card(name: str, system: System) -> dict[str, Any]:
    """What the systems page shows of a system: never a passkey."""
    counts = system.backend.counts()
    return {
        "name": name,
        "key_pairs": sorted(system.settings.credentials()),
        "modules": [(m.noun, m.display_title, counts.get(m.noun, 0)) for m in system.registry],
        "records": sum(counts.values()),
        "clock": system.clock.stamp(),
        "frozen": system.clock.frozen,
    }


async def index(request: Request) -> Response:
    cards = [system_card(name, system) for name, system in systems_of(request)]
    return render(request, "systems.html", systems=cards)


async def system_page(request: Request) -> Response:
    name = request.path_params["name"]
    card = system_card(name, system_named(request, name))
    return render(request, "systems.html", systems=[card], system=name)


def module_of(request: Request) -> tuple[System, Module]:
    system = system_named(request, request.path_params["name"])
    try:
        return system, system.registry.by_noun(request.path_params["noun"])
    except KeyError:
        raise RecordNotFound(f"No module {request.path_params['noun']!r}") from None


async def records(request: Request) -> Response:
    system, module = module_of(request)
    sent = request.query_params
    asked = {"query_string": sent.get("query_string", ""), "keywords": sent.get("keywords", "")}
    page = whole_number(sent.get("page", ""), default=1, least=1)
    context = {**list_context(request, system, module), **asked}
    try:
        found, warnings = conditions(Params(asked, "dashboard"), system.settings)
        listing = ListQuery(found, asked["keywords"], (page - 1) * PAGE_SIZE, PAGE_SIZE)
        total = system.backend.count_records(module, listing)
        rows = system.backend.list_records(module, listing, full=False)
    except OpenCRMError as exc:  # the API's own answer to this filter (an unknown field ...)
        return render(request, "records.html", 400, error=exc.message, rows=[], **context)
    for row in rows:
        row.setdefault("crmid", row.get("id"))
    pages = max(1, -(-total // PAGE_SIZE))
    return render(
        request, "records.html", rows=rows, total=total, page=page, pages=pages,
        warnings=warnings, **context,
    )  # fmt: skip


def list_context(request: Request, system: System, module: Module) -> dict[str, Any]:
    return {
        "system": request.path_params["name"],
        "module": module,
        "modules": [(m.noun, m.display_title) for m in system.registry],
        "columns": [(f.name, label_of(f)) for f in module.list_fields],
    }


def whole_number(text: str, default: int, least: int = 0) -> int:
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 9:
        return default
    return max(int(digits), least)


async def record(request: Request) -> Response:
    system, module = module_of(request)
    raw = request.path_params["crmid"]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        return message(request, 404, "No such record", f"Not a record id: {raw}")
    crmid = int(raw)
    found = system.backend.get_record(module, crmid)  # RecordNotFound: a 404 page
    lines = found.pop("products", [])
    return render(
        request,
        "record.html",
        system=request.path_params["name"],
        module=module,
        crmid=crmid,
        title=" ".join(found.get(n, "") for n in module.label_fields).strip() or f"#{crmid}",
        fields=[field_row(system, f, found.get(f.name, "")) for f in module.fields],
        lines=lines,
        line_columns=[(n, label_for(n)) for n in LINE_COLUMNS],
        computed_columns=[(n, label_for(n)) for n in COMPUTED_COLUMNS],
        line_labels={n: label_for(n) for n in LINE_FIELDS},
        **relations(system, module, crmid),
    )


def relations(system: System, module: Module, crmid: int) -> dict[str, Any]:
    """A record's audit trail, linked records and campaign members or memberships."""
    backend, member = system.backend, module.noun in MEMBER_MODULES
    return {
        "audit": backend.audit_trail(crmid) if module.crmentity else [],
        "links": [link_row(system, link) for link in backend.record_links(crmid)],
        "members": backend.campaign_members(crmid) if module.noun == "campaign" else [],
        "memberships": backend.campaign_memberships(crmid) if member else [],
        "member_module": member,
    }


def field_row(system: System, field: Field, value: str) -> dict[str, str]:
    """A field as the record page shows it: label, API name, value, and a link to the record
    a reference points at."""
    shown = HIDDEN if field.name in HIDDEN_FIELDS and value else value
    target = ""
    if field.type is FieldType.REF and field.ref not in ("", "*") and value not in ("", "0"):
        target = f"{system.registry.by_noun(field.ref).noun}/{value}"
    return {"label": label_of(field), "name": field.name, "value": shown, "target": target}


def link_row(system: System, link: dict[str, Any]) -> dict[str, Any]:
    try:
        noun = system.registry.by_record_module(str(link["module"])).noun
    except KeyError:
        noun = ""
    return {**link, "noun": noun}


__all__ = ["index", "record", "records", "system_page"]
