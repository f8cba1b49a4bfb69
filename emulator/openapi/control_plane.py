"""The control plane (``/_emulator/...``) in the OpenAPI document: one description per route.

The routes themselves come from the app's route table; :data:`OPERATIONS` describes each
(method, path) and the document refuses a route it does not describe, so a new control route
cannot go undocumented. Plain HTTP statuses here, unlike OpenCRM's end points.
"""

from __future__ import annotations

from typing import Any

from emulator.domain import networks
from emulator.endpoints.control import MOST_SEEDED
from emulator.openapi.api import DIGITS, INTEGER, TEXT, Schema, array, json_content, obj, ref
from emulator.settings import MAX_IDLE_MINUTES

NUMBER: Schema = {"type": "number"}
BOOLEAN: Schema = {"type": "boolean"}
ANY_OBJECT: Schema = {"type": "object"}
OPTIONAL_TEXT: Schema = {"type": ["string", "null"]}


def const(value: str) -> Schema:
    return {"const": value}


def closed(properties: dict[str, Schema]) -> Schema:
    """An object with exactly these keys."""
    return obj(properties, properties, additionalProperties=False)


HEALTH = closed(
    {
        "status": const("ok"),
        "version": TEXT,
        "uptime_seconds": NUMBER,
        "database": TEXT,
        "records": {"type": "object", "additionalProperties": INTEGER},
        # true: the counts are from before a write that is still running
        "records_stale": BOOLEAN,
    }
)
JOURNAL_ENTRY = closed(
    {
        "id": INTEGER,
        "time": TEXT,
        "end_point": TEXT,
        "params": ANY_OBJECT,
        "source": TEXT,
        "status": INTEGER,
        "response": {},
        "duration_ms": NUMBER,
        "ip": TEXT,
        "warnings": array(TEXT),
        "findings": array(closed({"code": TEXT, "parameter": TEXT, "message": TEXT})),
    }
)
AUDIT_ENTRY = obj(
    {
        "id": INTEGER,
        "crmid": INTEGER,
        "action": TEXT,
        "changedon": TEXT,
        "changes": array(closed({"field": TEXT, "old": OPTIONAL_TEXT, "new": OPTIONAL_TEXT})),
    },
    ["id", "crmid", "changes"],
)
LINK = closed(
    {"crmid": INTEGER, "module": TEXT, "linked_as": {"type": "string", "enum": ["child", "parent"]}}
)
MS: Schema = {"type": "number", "minimum": 0, "maximum": 60_000}
LATENCY = obj({"end_point": TEXT, "min_ms": MS, "max_ms": MS, "ms": MS})
FAULT = obj(
    {
        "end_point": TEXT,
        "kind": {"type": "string", "enum": ["error", "status", "drop"]},
        "message": TEXT,
        # 1xx, 204 and 304 answers carry no body, so no fault answers them.
        "status": {"type": "integer", "minimum": 200, "maximum": 599, "not": {"enum": [204, 304]}},
        "times": {"type": ["integer", "null"], "minimum": 0},
        "probability": {"type": "number", "minimum": 0, "maximum": 1},
    }
)
RUNTIME = obj(
    {
        "latency": array(LATENCY),
        "faults": array(FAULT),
        "rate_limit_per_minute": {"type": "integer", "minimum": 0},
        "rate_limit_per_day": {"type": "integer", "minimum": 0},
        "api_enabled": BOOLEAN,
        "ip_allow_list": array({"type": "string", "pattern": networks.PATTERN}),
        "access_key_idle_minutes": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": MAX_IDLE_MINUTES,
        },
        "error_status": {"type": "string", "enum": ["200", "http"]},
        "waf": {"type": "string", "enum": ["block", "warn", "off"]},
        "strict": {"type": "string", "enum": ["off", "warn", "error"]},
    },
    additionalProperties=False,
)
SETTINGS = closed({"runtime": RUNTIME, "startup": ANY_OBJECT})
CLOCK = closed({"now": TEXT, "frozen": BOOLEAN})
#: A moment the clock can be set to, and how far it can be moved in one change: within the
#: clock's range (years 1 to 9999) from any such moment, whatever its offset. The server also
#: takes ISO 8601's other forms, such as "2026-01-02 09:00:00" (a wall-clock time in the CRM's
#: zone), and any move that keeps the clock in its range.
MOMENT: Schema = {"type": "string", "format": "date-time", "pattern": "^[1-8][0-9]{3}-"}
CENTURY = 100 * 365.25 * 86400
MOVE: Schema = {"type": "number", "minimum": -CENTURY, "maximum": CENTURY}
CLOCK_CHANGE = obj(
    {"freeze": BOOLEAN, "unfreeze": BOOLEAN, "set": MOMENT, "advance": MOVE},
    additionalProperties=False,
)


def seed_body(nouns: list[str]) -> Schema:
    return obj(
        {
            "records": {"type": "integer", "minimum": 0, "maximum": MOST_SEEDED},
            "seed": INTEGER,
            "modules": array({"type": "string", "enum": nouns}),
        },
        additionalProperties=False,
    )


NAME = {"type": "string", "pattern": "^[^/]+$"}
SYSTEM_NAME = {"type": "string", "pattern": "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"}
SYSTEM = closed({"name": TEXT, "keys": array(TEXT), "records": HEALTH["properties"]["records"]})
NEW_SYSTEM = obj(
    {
        "name": SYSTEM_NAME,
        "records": {"type": "integer", "minimum": 0, "maximum": 20_000},
        "seed": {"type": "integer", "minimum": 0},
        "fixtures": TEXT,
    },
    additionalProperties=False,
)
CREATED = closed({"name": TEXT, "key": TEXT, "passkey": TEXT, "base_url": TEXT, "host_url": TEXT})
#: The control routes of one system: ``/systems/{system}`` and then a route below.
SYSTEM_PREFIX = "/systems/{system}"


def op(summary: str, answer: Schema, status: str = "200", **more: Any) -> Schema:
    """One control operation: its summary, answer and the extra parts ``more`` names:
    ``body`` (a JSON request body), ``path``/``query`` (parameter schemas), ``errors``."""
    found: Schema = {
        "summary": summary,
        "responses": {status: {"description": summary, "content": json_content(answer)}},
    }
    params = [
        {"name": n, "in": where, "required": where == "path", "schema": s}
        for where in ("path", "query")
        for n, s in more.get(where, {}).items()
    ]
    if params:
        found["parameters"] = params
    if "body" in more:
        content = json_content(more["body"])
        found["requestBody"] = {"required": False, "content": content}
    for code, why in more.get("errors", {}).items():
        found["responses"][code] = {"description": why, "content": json_content(ref("Error"))}
    return found


BAD_ID = {"400": "Not a record id"}
BAD_BODY = {"400": "The body is not a JSON object describing a valid change"}
CRMID = {"crmid": DIGITS}
OPERATIONS: dict[tuple[str, str], Schema] = {
    ("GET", "/health"): op("Status, version, uptime, database and record counts", HEALTH),
    ("POST", "/reset"): op("Back to fixtures and configured seed data", closed({"status": TEXT})),
    ("GET", "/snapshots"): op("The saved snapshots", closed({"snapshots": array(TEXT)})),
    ("POST", "/snapshots/{name}"): op(
        "Save the whole state under a name", closed({"snapshot": TEXT}), "201", path={"name": NAME}
    ),
    ("POST", "/snapshots/{name}/restore"): op(
        "Put a snapshot back",
        closed({"restored": TEXT}),
        path={"name": NAME},
        errors={"404": "No snapshot of that name"},
    ),
    ("POST", "/seed"): op(
        "Top every module up to N records",
        closed({"records": HEALTH["properties"]["records"]}),
        body=seed_body([]),  # the registry's nouns are filled in by operation()
        errors=BAD_BODY,
    ),
    ("GET", "/journal"): op(
        "The API calls recorded (secrets masked)",
        closed({"entries": array(JOURNAL_ENTRY)}),
        query={
            "end_point": TEXT,
            "since": TEXT,
            "limit": {"type": "string", "pattern": "^[0-9]*$"},
        },
    ),
    ("DELETE", "/journal"): op("Forget the recorded calls", closed({"status": TEXT})),
    ("GET", "/records/{crmid}/audit"): op(
        "A record's audit trail",
        closed({"crmid": INTEGER, "entries": array(AUDIT_ENTRY)}),
        path=CRMID,
        errors=BAD_ID,
    ),
    ("GET", "/records/{crmid}/links"): op(
        "A record's linked records",
        closed({"crmid": INTEGER, "links": array(LINK)}),
        path=CRMID,
        errors=BAD_ID,
    ),
    ("GET", "/campaigns/{crmid}/members"): op(
        "A campaign's members",
        closed({"campaignid": INTEGER, "members": array(ANY_OBJECT)}),
        path=CRMID,
        errors=BAD_ID,
    ),
    ("GET", "/settings"): op("Runtime behaviour and start-up settings", SETTINGS),
    ("PUT", "/settings"): op("Change runtime behaviour", SETTINGS, body=RUNTIME, errors=BAD_BODY),
    ("GET", "/clock"): op("The emulator's clock", CLOCK),
    ("POST", "/clock"): op(
        "Freeze, set or advance the clock",
        CLOCK,
        body=CLOCK_CHANGE,
        errors={"400": "Not a valid clock change"},
    ),
    ("GET", "/openapi.json"): op("This document", ANY_OBJECT),
    ("GET", "/systems"): op(
        "Every system: its name, key names and record counts",
        closed({"default": TEXT, "systems": array(SYSTEM)}),
    ),
    ("POST", "/systems"): op(
        "Make a system (a name and a key pair are generated where not given)",
        CREATED,
        "201",
        body=NEW_SYSTEM,
        errors={"400": "Not a valid system", "409": "The name is taken, or max_systems reached"},
    ),
    ("DELETE", SYSTEM_PREFIX): op(
        "Remove a system and all its data",
        closed({"deleted": TEXT}),
        path={"system": SYSTEM_NAME},
        errors={"404": "No system of that name", "409": "The default system stays"},
    ),
}
#: Routes any caller may use; the others need the control token off loopback.
OPEN = frozenset({"/health", "/openapi.json"})
TOKEN_ERRORS = {
    "401": "Missing or wrong control token (server not on loopback)",
    "403": "The server is not on loopback and has no control_token",
}


def operation(method: str, path: str, nouns: list[str] | None = None) -> Schema:
    """The description of one control route; ``nouns``: the modules seeding may name."""
    if path.startswith(SYSTEM_PREFIX + "/"):
        return for_system(operation(method, path[len(SYSTEM_PREFIX) :], nouns), method, path)
    try:
        found = OPERATIONS[(method, path)]
    except KeyError:
        raise KeyError(f"control route {method} {path} has no OpenAPI description") from None
    found = {**found, "tags": ["Control plane"], "operationId": operation_id(method, path)}
    if path == "/seed":
        content = json_content(seed_body(sorted(nouns or [])))
        found["requestBody"] = {**found["requestBody"], "content": content}
    if path not in OPEN:
        refused = json_content(ref("Error"))
        errors = {c: {"description": w, "content": refused} for c, w in TOKEN_ERRORS.items()}
        found["responses"] = {**found["responses"], **errors}
        found["security"] = [{}, {"controlToken": []}]
    return found


def for_system(base: Schema, method: str, path: str) -> Schema:
    """A control route's description, under ``/systems/{system}``: for that system."""
    system = {"name": "system", "in": "path", "required": True, "schema": SYSTEM_NAME}
    found = {**base, "operationId": operation_id(method, path)}
    found["parameters"] = [system, *base.get("parameters", [])]
    found["summary"] = f"{base['summary']} (of one system)"
    found["responses"] = {**base["responses"], "404": NO_SYSTEM}
    return found


NO_SYSTEM = {"description": "No system of that name", "content": json_content(ref("Error"))}


def operation_id(method: str, path: str) -> str:
    words = [w for w in path.replace(".", "_").split("/") if w and not w.startswith("{")]
    return "_".join(["control", method.lower(), *words])
