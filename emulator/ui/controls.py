"""The controls page and its forms: reset, snapshots, seeding, fault and latency rules, the
clock. Each form calls the same :class:`~emulator.control.Control` verb as the control
plane's JSON route of that name, then goes back to the page saying what it did (a refused
value: the page again, with the reason, and status 400).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from emulator.control.behaviour import BehaviourError
from emulator.endpoints.control import MOST_SEEDED
from emulator.systems import System
from emulator.ui.render import render, root
from emulator.ui.systems import system_named

DONE = {
    "reset": "Back to the fixtures: records, access keys, clock, journal, rules and snapshots.",
    "saved": "Snapshot saved.",
    "restored": "Snapshot restored.",
    "seeded": "Seeded.",
    "fault": "Fault rule added.",
    "faults": "Fault rules changed.",
    "latency": "Latency rules changed.",
    "clock": "Clock changed.",
}


class Refused(ValueError):
    """A form value that cannot be used; the page shows why."""


def controls_context(system: System, name: str) -> dict[str, Any]:
    return {
        "system": name,
        "snapshots": sorted(system.control.snapshots),
        "runtime": system.control.describe_settings()["runtime"],
        "clock": system.clock.stamp(),
        "frozen": system.clock.frozen,
        "modules": [(m.noun, m.display_title) for m in system.registry],
        "most_seeded": MOST_SEEDED,
    }


async def controls_page(request: Request) -> Response:
    name = request.path_params["name"]
    context = controls_context(system_named(request, name), name)
    done = DONE.get(request.query_params.get("done", ""), "")
    return render(request, "controls.html", done=done, **context)


Verb = Callable[[System, FormData], str]


def acting(verb: Verb) -> Callable[[Request, FormData], Awaitable[Response]]:
    """A form handler from ``verb(system, form) -> done code``: back to the page, or the page
    with the reason (400) when the verb refuses the form."""

    async def handler(request: Request, form: FormData) -> Response:
        name = request.path_params["name"]
        system = system_named(request, name)
        try:
            done = verb(system, form)
        except (Refused, BehaviourError) as exc:
            context = controls_context(system, name)
            return render(request, "controls.html", 400, error=str(exc), **context)
        return RedirectResponse(f"{root(request)}/systems/{name}/controls?done={done}", 303)

    return handler


def text(form: FormData, name: str, default: str = "") -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else default


def number(form: FormData, name: str, kind: type[int] | type[float], default: Any = None) -> Any:
    value = text(form, name)
    if not value:
        return default
    try:
        return kind(value)
    except ValueError:
        raise Refused(f"{name} must be a number, not {value!r}") from None


def reset(system: System, _form: FormData) -> str:
    system.control.reset()
    return "reset"


def save_snapshot(system: System, form: FormData) -> str:
    name = text(form, "snapshot")
    if not name or len(name) > 100:
        raise Refused("a snapshot needs a name of 1 to 100 characters")
    system.control.save_snapshot(name)
    return "saved"


def restore_snapshot(system: System, form: FormData) -> str:
    name = text(form, "snapshot")
    if not system.control.restore_snapshot(name):
        raise Refused(f"no snapshot named {name!r}")
    return "restored"


def seed(system: System, form: FormData) -> str:
    records, seed_value = number(form, "records", int, 0), number(form, "seed", int, 0)
    if not 0 <= records <= MOST_SEEDED:
        raise Refused(f"records must be 0 to {MOST_SEEDED}")
    nouns = {m.noun for m in system.registry}
    chosen = {str(n) for n in form.getlist("modules")}
    if not chosen <= nouns:
        raise Refused(f"unknown modules: {sorted(chosen - nouns)}")
    system.control.seed(records, seed_value, modules=chosen or None)
    return "seeded"


def add_fault(system: System, form: FormData) -> str:
    rule = {
        "end_point": text(form, "end_point", "*"),
        "kind": text(form, "kind", "error"),
        "message": text(form, "message", "Internal error"),
        "status": number(form, "status", int, 500),
        "times": number(form, "times", int),
        "probability": number(form, "probability", float, 1.0),
    }
    rules = system.control.describe_settings()["runtime"]["faults"]
    system.control.change_behaviour({"faults": [*rules, rule]})
    return "fault"


def remove_rule(kind: str) -> Verb:
    """Remove the rule of ``kind`` ("faults", "latency") at the form's ``index``, or all."""

    def verb(system: System, form: FormData) -> str:
        rules = system.control.describe_settings()["runtime"][kind]
        index = number(form, "index", int)
        kept = [] if index is None else [r for i, r in enumerate(rules) if i != index]
        system.control.change_behaviour({kind: kept})
        return kind

    return verb


def add_latency(system: System, form: FormData) -> str:
    low = number(form, "min_ms", float, 0.0)
    rule = {
        "end_point": text(form, "end_point", "*"),
        "min_ms": low,
        "max_ms": number(form, "max_ms", float, low),
    }
    rules = system.control.describe_settings()["runtime"]["latency"]
    system.control.change_behaviour({"latency": [*rules, rule]})
    return "latency"


def change_clock(system: System, form: FormData) -> str:
    clock, what = system.clock, text(form, "change")
    if what not in ("freeze", "unfreeze", "advance", "set"):
        raise Refused(f"no clock change {what!r}")
    try:
        with system.control.changing():
            if what == "freeze":
                clock.freeze()
            elif what == "unfreeze":
                clock.unfreeze()
            elif what == "advance":
                clock.advance(number(form, "seconds", float, 0.0))
            else:
                clock.set(datetime.fromisoformat(text(form, "at")))
    except (ValueError, OverflowError) as exc:
        raise Refused(f"invalid clock change: {exc}") from None
    return "clock"
