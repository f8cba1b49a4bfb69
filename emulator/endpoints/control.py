"""The emulator's own control plane under ``/_emulator/``: JSON in, JSON out, plain HTTP
status codes, never confused with OpenCRM's end points (which always answer 200 by default).

    GET    health                      status, version, uptime, database, record counts
    POST   reset                       back to fixtures + configured seed data
    GET    snapshots                   the named snapshots
    POST   snapshots/{name}            save the whole state under a name
    POST   snapshots/{name}/restore    put it back
    POST   seed                        {"records": N, "seed": S, "modules": [...]} tops up
    GET    journal                     API calls (?end_point=&since=&limit=)
    DELETE journal
    GET    records/{crmid}/audit       a record's audit trail
    GET    records/{crmid}/links       its linked records
    GET    campaigns/{crmid}/members   a campaign's members
    GET    settings / PUT settings     runtime behaviour (latency, faults, limits, ...)
    GET    clock / POST clock          {"freeze": true, "set": "...", "advance": 60}
    GET    openapi.json                this API's OpenAPI 3.1 description (emulator/openapi)

Each of these acts on the default system; the same under ``systems/{system}/`` acts on that
system (emulator/endpoints/systems.py, which also makes and removes systems).

When the server listens beyond loopback, every route but ``health`` and ``openapi.json`` needs
the ``control_token`` setting, sent as ``Authorization: Bearer <token>`` (control_access.py).
What every route reads from its request and how it answers is in control_requests.py; the
names of both are re-exported here. Routes that touch the store run in the control plane's own
threads (offload.py), so they never hold the event loop.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from emulator._version import __version__
from emulator.control.behaviour import BehaviourError
from emulator.domain.clock import Clock
from emulator.endpoints import offload
from emulator.endpoints.control_access import Handler as Handler
from emulator.endpoints.control_access import check_token as check_token
from emulator.endpoints.control_access import guarded as guarded
from emulator.endpoints.control_access import is_loopback as is_loopback
from emulator.endpoints.control_requests import body_of as body_of
from emulator.endpoints.control_requests import control_error as control_error
from emulator.endpoints.control_requests import control_of as control_of
from emulator.endpoints.control_requests import crmid_of as crmid_of
from emulator.endpoints.control_requests import reply as reply
from emulator.endpoints.control_requests import system_of as system_of
from emulator.errors import ControlError
from emulator.systems import System

#: A running emulator restored from an image (reset, snapshots) cannot grow past SQLite's
#: in-memory limit of 1 GiB; 20,000 records per module stays well inside it.
MOST_SEEDED = 20_000
#: How long health waits for the store before it answers the counts from before a write.
HEALTH_WAIT = 0.25


# -- state ----------------------------------------------------------------------------------


async def health(request: Request) -> Response:
    """Answers at once, whatever runs: the counts from before a long write still running
    (``records_stale``) rather than waiting for it."""
    system = system_of(request)
    counts, current = await offload.control(system.backend.recent_counts, HEALTH_WAIT)
    return reply(
        {
            "status": "ok",
            "version": __version__,
            "uptime_seconds": round(time.monotonic() - system.started, 3),
            "database": redact_url(system.store.url),
            "records": counts,
            "records_stale": not current,
        }
    )


def redact_url(url: str) -> str:
    """A database URL without its password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
    return url


async def reset(request: Request) -> Response:
    await offload.control(control_of(request).reset)
    return reply({"status": "reset"})


async def list_snapshots(request: Request) -> Response:
    return reply({"snapshots": sorted(control_of(request).snapshots)})


async def save_snapshot(request: Request) -> Response:
    name = request.path_params["name"]
    await offload.control(control_of(request).save_snapshot, name)
    return reply({"snapshot": name}, 201)


async def restore_snapshot(request: Request) -> Response:
    name = request.path_params["name"]
    if not await offload.control(control_of(request).restore_snapshot, name):
        raise ControlError(404, f"no snapshot named {name}")
    return reply({"restored": name})


async def seed(request: Request) -> Response:
    body = await body_of(request)
    records, seed_value = body.get("records", 0), body.get("seed", 0)
    if not isinstance(records, int) or not isinstance(seed_value, int) or records < 0:
        raise ControlError(400, "records and seed must be whole numbers, records >= 0")
    if records > MOST_SEEDED:
        raise ControlError(400, f"records must be at most {MOST_SEEDED}")
    system = system_of(request)
    modules = body.get("modules")
    nouns = {m.noun for m in system.registry}
    if modules is not None and (
        not isinstance(modules, list) or not set(map(str, modules)) <= nouns
    ):
        raise ControlError(400, f"modules must be a list of module nouns: {sorted(nouns)}")
    chosen = None if modules is None else set(modules)
    await offload.control(lambda: system.control.seed(records, seed_value, modules=chosen))
    return reply({"records": await offload.control(system.backend.counts)})


# -- journal, audit, relations --------------------------------------------------------------


async def journal(request: Request) -> Response:
    query = request.query_params
    limit = query.get("limit", "")
    entries = control_of(request).journal.entries(query.get("end_point"), query.get("since"))
    if limit.isascii() and limit.isdigit() and len(limit) <= 9:  # longer: more than it holds
        entries = entries[-int(limit) :] if int(limit) else []
    return await offload.control(lambda: reply({"entries": [e.as_dict() for e in entries]}))


async def clear_journal(request: Request) -> Response:
    control_of(request).journal.clear()
    return reply({"status": "cleared"})


async def audit(request: Request) -> Response:
    crmid = crmid_of(request)
    entries = await offload.control(system_of(request).backend.audit_trail, crmid)
    return reply({"crmid": crmid, "entries": entries})


async def links(request: Request) -> Response:
    crmid = crmid_of(request)
    found = await offload.control(system_of(request).backend.record_links, crmid)
    return reply({"crmid": crmid, "links": found})


async def members(request: Request) -> Response:
    crmid = crmid_of(request)
    members = await offload.control(system_of(request).backend.campaign_members, crmid)
    return reply({"campaignid": crmid, "members": members})


# -- settings and clock -----------------------------------------------------------------------


async def get_settings(request: Request) -> Response:
    return reply(control_of(request).describe_settings())


async def put_settings(request: Request) -> Response:
    control = control_of(request)
    try:
        control.change_behaviour(await body_of(request))
    except BehaviourError as exc:
        raise ControlError(400, str(exc)) from None
    return reply(control.describe_settings())


async def get_clock(request: Request) -> Response:
    return reply(clock_state(system_of(request)))


async def post_clock(request: Request) -> Response:
    system = system_of(request)
    body = await body_of(request)
    clock = system.clock
    try:
        with system.control.changing():
            change_clock(clock, body)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ControlError(400, f"invalid clock change: {exc}") from None
    return reply(clock_state(system))


def change_clock(clock: Clock, body: dict[str, Any]) -> None:
    """``{"unfreeze": true}``, ``{"freeze": true}``, ``{"set": "..."}``, ``{"advance": 60}``,
    in that order where several are given."""
    if body.get("unfreeze"):
        clock.unfreeze()
    if body.get("freeze"):
        clock.freeze()
    if "set" in body:
        clock.set(datetime.fromisoformat(str(body["set"])))
    if "advance" in body:
        clock.advance(float(body["advance"]))


def clock_state(system: System) -> dict[str, Any]:
    return {"now": system.clock.stamp(), "frozen": system.clock.frozen}


def routes() -> list[BaseRoute]:
    """The control plane's routes (``openapi.json`` is added by emulator.serving.routes)."""
    get, post, put, delete = ["GET"], ["POST"], ["PUT"], ["DELETE"]
    return [
        Route("/health", health, methods=get),
        Route("/reset", guarded(reset), methods=post),
        Route("/snapshots", guarded(list_snapshots), methods=get),
        Route("/snapshots/{name}", guarded(save_snapshot), methods=post),
        Route("/snapshots/{name}/restore", guarded(restore_snapshot), methods=post),
        Route("/seed", guarded(seed), methods=post),
        Route("/journal", guarded(journal), methods=get),
        Route("/journal", guarded(clear_journal), methods=delete),
        Route("/records/{crmid}/audit", guarded(audit), methods=get),
        Route("/records/{crmid}/links", guarded(links), methods=get),
        Route("/campaigns/{crmid}/members", guarded(members), methods=get),
        Route("/settings", guarded(get_settings), methods=get),
        Route("/settings", guarded(put_settings), methods=put),
        Route("/clock", guarded(get_clock), methods=get),
        Route("/clock", guarded(post_clock), methods=post),
    ]
