"""A fixed set of API calls and their answers, for the byte-identical test of ``strict=off``.

Every end point of the table, in each way parameters arrive (form, JSON, multipart, URL query,
path segments, raw payload, KEY1/KEY2 headers), plus every client mistake strict mode reports
(unknown and read-only fields, ``apikey``, negative operators, bad values, a create without an
owner, ``limit_end`` below ``limit_start``, a body with GET, a python User-Agent). Run in order
on a fresh in-memory system with a frozen clock, they give the same answers every time.

``strict_off.json`` holds those answers (status, headers and body, byte for byte) as the
emulator gave them before strict mode existed; ``test_strict_off.py`` compares. Regenerate it
only for a deliberate change of an answer, and say so in the commit:

    python -m tests.strict.calls --write
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx2

from emulator.domain.modules import Module
from emulator.endpoints.table import Kind, api_end_points
from emulator.settings import build as build_settings
from emulator.systems import System
from emulator.testing.emulators import OpenCRM

GOLDEN = Path(__file__).with_name("strict_off.json")
MOMENT = datetime(2026, 3, 2, 10, 30, 15)
USER_AGENT = "golden-calls/1.0"
#: ``waf=off``: the firewall's block is a deliberate change (tests/http/test_firewall.py).
SETTINGS = {"strict": "off", "waf": "off"}
ACCESS_KEY = re.compile(rb'^"[0-9a-f]{32}"$')
#: The first fixture record of each module: what the get and edit calls use.
FIRST = {
    "lead": 200, "contact": 150, "company": 100, "opportunity": 230, "campaign": 260,
    "activity": 300, "project": 330, "ticket": 350, "asset": 380, "product": 270,
    "contract": 400, "quote": 420, "salesorder": 440, "invoice": 460, "purchaseorder": 480,
}  # fmt: skip
#: One text field each module has, for a harmless edit.
TEXT_FIELD = {
    "lead": "lastname", "contact": "lastname", "company": "accountname",
    "opportunity": "potentialname", "campaign": "campaignname", "activity": "subject",
    "project": "name", "ticket": "title", "asset": "assetname", "product": "productname",
    "contract": "subject", "quote": "subject", "salesorder": "subject", "invoice": "subject",
    "purchaseorder": "subject",
}  # fmt: skip


@dataclass(frozen=True)
class Call:
    label: str
    end_point: str
    params: dict[str, Any] = field(default_factory=dict)
    #: form, json, multipart, query, path, raw, headers (KEY1/KEY2), get-body, none
    how: str = "form"
    user_agent: str = USER_AGENT
    credentials: bool = True


def module_calls(m: Module, kinds: dict[str, Kind]) -> Iterator[Call]:
    n = m.noun
    yield Call(f"{n} count", f"get_{n}_list_count")
    yield Call(f"{n} list", f"get_{n}_list", {"limit_end": "3"})
    yield Call(f"{n} list full", f"get_{n}_list_full", {"limit_start": "1", "limit_end": "3"})
    if not m.crmentity:
        yield Call(f"{n} details", f"get_{n}_details", {"userid": "1"})
        return
    crmid = str(FIRST[n])
    yield Call(f"{n} get", f"get_{n}", {"crmid": crmid})
    yield Call(f"{n} get, dates reformatted", f"get_{n}", {"crmid": crmid, "dateOverride": "d*m*Y"})
    for alias in (n, *m.edit_aliases):
        if kinds.get(f"edit_{alias}") is Kind.EDIT:
            name = TEXT_FIELD[n]
            yield Call(f"edit_{alias}", f"edit_{alias}", {"crmid": crmid, name: f"Edited {alias}"})
    if f"edit_{n}" in kinds:
        yield Call(f"{n} create", f"edit_{n}", {"crmid": "0", TEXT_FIELD[n]: "Created"})


def lines(**line: str) -> str:
    """A ``products`` parameter adding one line of the first fixture product."""
    return json.dumps([{"lineid": "0", "productid": "270", **line}])


def formats() -> Iterator[Call]:
    list_params = {"keywords": "a", "limit_end": "2"}
    for how in ("form", "json", "multipart", "query", "path", "raw", "headers"):
        yield Call(f"contact list by {how}", "get_contact_list", list_params, how)
    yield Call("no credentials", "get_contact_list", credentials=False)
    yield Call("wrong key pair", "get_contact_list", {"key": "nope", "passkey": "nope"})
    yield Call("unknown end point", "get_nothing_list")
    yield Call("bad crmid", "get_contact", {"crmid": "abc"})
    yield Call("unknown crmid", "get_contact", {"crmid": "999999"})
    yield Call("bad json", "get_contact_list", {}, "raw-json")
    yield Call("login", "login")
    yield Call("report", "get_record_list_from_report", {"reportid": "2"})
    custom = {"reportid": "1", "isCustomReport": "true"}
    yield Call("custom report", "get_record_list_from_report", custom)
    yield Call("link", "edit_record_link", {"parent_id": "100", "child_id": "150"})
    yield Call("campaign", "add_to_campaign", {"campaignid": "260", "recordid": "150"})
    yield Call("quote lines", "edit_quote", {"crmid": "420", "products": lines(quantity="2")})


def mistakes() -> Iterator[Call]:
    """What strict mode reports: with strict off, answered as the emulator always did."""
    yield Call("unknown field", "edit_contact", {"crmid": "150", "lastnme": "Typo"})
    yield Call("read-only field", "edit_contact", {"crmid": "150", "createdtime": "2020-01-01"})
    taxed = {"crmid": "420", "products": lines(taxpercent="5")}
    yield Call("read-only line field", "edit_quote", taxed)
    apikey = {"apikey": "demo-key", "passkey": "demo-passkey"}
    yield Call("apikey", "get_contact_list", apikey, credentials=False)
    yield Call("negative operator", "get_contact_list", {"query_string": "lastname|!=|Jones"})
    yield Call("unfilled field", "get_lead_list", {"query_string": "converted|=|1"})
    ownerless = {"crmid": "0", "lastname": "Owner", "company": "None Ltd"}
    yield Call("create without owner", "edit_lead", ownerless)
    yield Call("text in a number", "edit_company", {"crmid": "100", "annualrevenue": "lots"})
    yield Call("bad date", "edit_contact", {"crmid": "150", "birthday": "12/03/1980"})
    yield Call("bad checkbox", "edit_contact", {"crmid": "150", "do_not_email": "yes"})
    yield Call("blank checkbox", "edit_contact", {"crmid": "151", "tps": ""})
    yield Call("bad picklist", "edit_lead", {"crmid": "200", "leadstatus": "Very hot"})
    yield Call("dangling id", "edit_contact", {"crmid": "150", "accountid": "999999"})
    backwards = {"limit_start": "5", "limit_end": "2"}
    yield Call("limit_end below limit_start", "get_contact_list", backwards)
    yield Call("body with GET", "get_contact_list", {"keywords": "a"}, "get-body")
    one = {"limit_end": "1"}
    yield Call("python User-Agent", "get_contact_list", one, user_agent="python-requests/2.32.3")
    yield Call("curl User-Agent", "get_contact_list", one, user_agent="curl/8.5.0")
    yield Call("no User-Agent", "get_contact_list", one, user_agent="")
    yield Call("after the mistakes", "get_contact", {"crmid": "150"})


def calls(crm: OpenCRM) -> list[Call]:
    kinds = {name: e.kind for name, e in api_end_points(crm.system.registry).items()}
    found = [c for m in crm.system.registry for c in module_calls(m, kinds)]
    return [*found, *formats(), *mistakes()]


def send(client: httpx2.Client, call: Call, credentials: dict[str, str]) -> httpx2.Response:
    request = build(
        client, call, {**credentials, **call.params} if call.credentials else call.params
    )
    if call.user_agent:
        request.headers["User-Agent"] = call.user_agent
    else:  # as PHP's curl sends it: no User-Agent at all
        del request.headers["User-Agent"]
    return client.send(request)


def build(client: httpx2.Client, call: Call, sent: dict[str, Any]) -> httpx2.Request:
    params, url, headers = dict(sent), f"/api/rest/{call.end_point}", {}
    if call.how == "headers":
        headers = {"KEY1": params.pop("key"), "KEY2": params.pop("passkey")}
    if call.how in ("form", "headers"):
        return client.build_request("POST", url, data=params, headers=headers)
    if call.how == "json":
        return client.build_request("POST", url, content=json.dumps(params))
    if call.how == "multipart":
        return client.build_request("POST", url, files={k: (None, v) for k, v in params.items()})
    if call.how == "query":
        return client.build_request("GET", url, params=params)
    if call.how == "path":
        return client.build_request("GET", url + "".join(f"/{k}/{v}" for k, v in params.items()))
    body = "&".join(f"{k}={v}" for k, v in params.items())
    if call.how == "raw":
        return client.build_request(
            "POST", url, content=body, headers={"Content-Type": "text/plain"}
        )
    if call.how == "raw-json":
        return client.build_request("POST", url, content=b'{"key": ')
    if call.how == "get-body":
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        return client.build_request("GET", url, content=body, headers=form)
    raise ValueError(call.how)


def answer(call: Call, response: httpx2.Response) -> dict[str, Any]:
    body = response.content
    if call.end_point == "login" and ACCESS_KEY.match(body):
        body = b'"<a new access key>"'  # random by design
    return {
        "call": call.label,
        "status": response.status_code,
        "headers": sorted([k.lower(), v] for k, v in response.headers.items()),
        "body": body.decode("utf-8"),
    }


def answers(**settings: Any) -> list[dict[str, Any]]:
    """The answers of every call, in order, on a fresh system built with ``settings``."""
    crm = OpenCRM(System(build_settings({**SETTINGS, **settings})))
    try:
        crm.system.clock.freeze(MOMENT)
        return [answer(c, send(crm.client, c, crm.credentials)) for c in calls(crm)]
    finally:
        crm.close()
        crm.system.close()


def main(argv: list[str]) -> int:
    if argv != ["--write"]:
        print(__doc__)
        return 2
    found = answers()
    GOLDEN.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(found)} answers written to {GOLDEN}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
