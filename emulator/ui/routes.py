"""The dashboard's route table (mounted at ``/_emulator/ui`` by :class:`emulator.ui.Dashboard`;
the list of pages is in the package's docstring)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from emulator.ui import controls, journal, pages
from emulator.ui.access import action, log_in, log_out, login_form, page
from emulator.ui.render import STATIC


def form_routes() -> list[BaseRoute]:
    system = "/systems/{name}"
    forms = {
        "/reset": controls.reset,
        "/snapshots": controls.save_snapshot,
        "/snapshots/restore": controls.restore_snapshot,
        "/seed": controls.seed,
        "/faults": controls.add_fault,
        "/faults/remove": controls.remove_rule("faults"),
        "/latency": controls.add_latency,
        "/latency/remove": controls.remove_rule("latency"),
        "/clock": controls.change_clock,
    }
    return [
        Route(system + path, action(controls.acting(verb)), methods=["POST"])
        for path, verb in forms.items()
    ]


def routes() -> list[BaseRoute]:
    """The dashboard's routes, to mount at ``/_emulator/ui``."""
    system = "/systems/{name}"
    get, post = ["GET"], ["POST"]
    return [
        Route("/", page(pages.index), methods=get),
        Route("/login", login_form, methods=get),
        Route("/login", action(log_in, open_to_all=True), methods=post),
        Route("/logout", action(log_out, open_to_all=True), methods=post),
        Route(system, page(pages.system_page), methods=get),
        Route(system + "/modules/{noun}", page(pages.records), methods=get),
        Route(system + "/modules/{noun}/{crmid}", page(pages.record), methods=get),
        Route(system + "/journal", page(journal.journal_page), methods=get),
        Route(system + "/journal/entries", page(journal.journal_entries), methods=get),
        Route(system + "/journal/clear", action(journal.clear_journal), methods=post),
        Route(system + "/controls", page(controls.controls_page), methods=get),
        *form_routes(),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
