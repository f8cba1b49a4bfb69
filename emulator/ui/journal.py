"""The journal page: every API call, newest first, updating live.

The page lists the calls it has and then polls ``journal/entries?after=<id>`` every second
(static/dashboard.js, a few lines of plain JavaScript): the answer is the HTML of the calls
newer than ``id``, under the page's end point filter, and two headers, the newest id in the
journal (the next ``after``) and the oldest (rows older than it were cleared or reset away).
A poll is one short request, so nothing stays open to hold up a server's shutdown.

Entries are the journal's own, with secrets already masked when they were stored.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from emulator.control.journal import Entry
from emulator.systems import System
from emulator.ui.pages import whole_number
from emulator.ui.render import render, root
from emulator.ui.systems import system_named

#: The most calls a page shows (the JSON journal, /_emulator/journal, has them all).
SHOWN = 100
#: An answer longer than this is cut in the page.
ANSWER_CHARS = 4000
KNOWN = frozenset(Entry.__dataclass_fields__)


def entry_view(entry: Entry) -> dict[str, Any]:
    facts = entry.as_dict()
    response = facts["response"]
    failed = entry.status != 200 or (isinstance(response, dict) and "error" in response)
    # Facts added to entries later (strict mode's findings) are shown under their names.
    more = {name: value for name, value in facts.items() if name not in KNOWN}
    return {**facts, "failed": failed, "more": more}


def filtered(system: System, end_point: str) -> list[Entry]:
    return system.control.journal.entries(end_point or None)


async def journal_page(request: Request) -> Response:
    name = request.path_params["name"]
    system = system_named(request, name)
    end_point = request.query_params.get("end_point", "").strip()
    every = system.control.journal.entries()
    shown = filtered(system, end_point)[-SHOWN:]
    return render(
        request,
        "journal.html",
        system=name,
        end_point=end_point,
        end_points=sorted({e.end_point for e in every}),
        entries=[entry_view(e) for e in reversed(shown)],
        newest=every[-1].id if every else 0,
        answer_chars=ANSWER_CHARS,
    )


async def journal_entries(request: Request) -> Response:
    """The calls newer than ``after`` as HTML rows, newest first (what the page polls)."""
    system = system_named(request, request.path_params["name"])
    sent = request.query_params
    after = whole_number(sent.get("after", ""), default=0)
    every = system.control.journal.entries()
    new = [e for e in filtered(system, sent.get("end_point", "").strip()) if e.id > after]
    response = render(
        request,
        "journal_entries.html",
        entries=[entry_view(e) for e in reversed(new[-SHOWN:])],
        answer_chars=ANSWER_CHARS,
    )
    response.headers["X-Journal-Newest"] = str(every[-1].id if every else after)
    response.headers["X-Journal-Oldest"] = str(every[0].id if every else 0)
    response.headers["Cache-Control"] = "no-store"
    return response


async def clear_journal(request: Request, _form: FormData) -> Response:
    name = request.path_params["name"]
    system_named(request, name).control.journal.clear()
    return RedirectResponse(f"{root(request)}/systems/{name}/journal", 303)
