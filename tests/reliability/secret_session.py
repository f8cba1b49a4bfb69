"""A full client session that carries secrets every way OpenCRM allows, for the secrets test.

It calls every end point once (each through one of the transports, in turn), then every kind
of refusal (wrong passkeys in each transport, half a key pair, unknown and expired access
keys, bodies that cannot be read), then runs the control plane's faults and refusals. It works
on any client with an httpx-style ``request`` (``httpx.Client`` on a live server, the
in-process ``httpx2`` client ``OpenCRM.client``) and keeps every answer, so the test can scan
them all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx
import httpx2
import orjson

from emulator.domain.modules import default_registry
from emulator.endpoints.table import api_end_points

KEY = "ci-pipeline"
PASSKEY = "Sup3r-S3cret-Passkey-9f8e"
SECOND_KEY, SECOND_PASSKEY = "nightly-reports", "An0ther-S3cret-Pass-7c6d"
WRONG_PASSKEY = "Wr0ng-Guess-Passkey-3e2d"  # a client's mistake may be someone's real passkey
CONTROL_TOKEN = "C0ntrol-T0ken-5b4a"
MAX_BODY = 65_536
#: Settings of the emulator under test (as a TOML config file, or Settings arguments).
SETTINGS: dict[str, Any] = {
    "key": KEY,
    "passkey": PASSKEY,
    "control_token": CONTROL_TOKEN,
    "max_body_bytes": MAX_BODY,
    "journal_size": 5000,
}
CONFIG_FILE = "\n".join(
    [
        *(f"{name} = {json.dumps(value)}" for name, value in SETTINGS.items()),
        "[[key_pairs]]",
        f'key = "{SECOND_KEY}"',
        f'passkey = "{SECOND_PASSKEY}"',
    ]
)
API = "/api/rest/"
Params = dict[str, str]


class Session:
    """The client's side of the run: every answer kept, every access key it was given."""

    def __init__(self, http: Any) -> None:
        self.http = http
        self.answers: list[str] = []  # bodies and headers that must hold no secret at all
        self.logins: list[str] = []  # login answers: they hold an access key, by design
        self.access_keys: list[str] = []
        self.api_calls = 0

    def send(self, method: str, path: str, **options: Any) -> Any:
        self.api_calls += path.startswith(API)
        options.setdefault("headers", {}).setdefault("Authorization", f"Bearer {CONTROL_TOKEN}")
        try:
            response = self.http.request(method, path, **options)
        except (httpx.TransportError, httpx2.TransportError):
            return None  # the "drop" fault: no answer to keep
        text = f"{response.status_code} {dict(response.headers)} {response.text}"
        handed_out = response.json() if path.startswith(f"{API}login") else None
        if isinstance(handed_out, str):  # a login answer: the access key it hands out
            self.access_keys.append(handed_out)
            self.logins.append(text)
        else:
            self.answers.append(text)
        return response

    def login(self, transport: Transport, **auth: str) -> str:
        response = transport(self, "login", {}, auth or {"key": KEY, "passkey": PASSKEY})
        access_key = response.json()
        assert isinstance(access_key, str), response.text
        assert len(access_key) >= 16, response.text
        return access_key


Transport = Callable[[Session, str, Params, Params], Any]


def form(s: Session, name: str, params: Params, auth: Params) -> Any:
    return s.send("POST", API + name, data={**auth, **params})


def json_body(s: Session, name: str, params: Params, auth: Params) -> Any:
    return s.send("POST", API + name, content=orjson.dumps({**auth, **params}))


def multipart(s: Session, name: str, params: Params, auth: Params) -> Any:
    fields = {k: (None, v) for k, v in {**auth, **params}.items()}
    return s.send("POST", API + name, files=fields)


def query(s: Session, name: str, params: Params, auth: Params) -> Any:
    return s.send("GET", API + name, params={**auth, **params})


def path(s: Session, name: str, params: Params, auth: Params) -> Any:
    """Every parameter, the secrets too, as GET path segments (guide, "REST")."""
    pairs = {**auth, **params}
    segments = "/".join(f"{quote(k, safe='')}/{quote(v, safe='')}" for k, v in pairs.items())
    return s.send("GET", f"{API}{name}/{segments}")


def headers(s: Session, name: str, params: Params, auth: Params) -> Any:
    """The pair in the KEY1/KEY2 headers (guide, "Authentication"), the rest as a form."""
    names = {"key": "KEY1", "passkey": "KEY2"}
    pair = {names[k]: v for k, v in auth.items() if k in names}
    rest = {k: v for k, v in auth.items() if k not in names}
    return s.send("POST", API + name, data={**rest, **params}, headers=pair)


TRANSPORTS: tuple[Transport, ...] = (form, json_body, multipart, query, path, headers)


def end_point_params(name: str, noun: str | None, ids: dict[str, str]) -> Params:
    """Parameters that make each kind of end point do its real work."""
    line = [{"lineid": "0", "productid": ids["product"], "quantity": "2"}]
    if name.startswith("edit_") and noun is not None:
        sales = noun in ("quote", "salesorder", "invoice", "purchaseorder")
        return {"crmid": "0", **({"products": json.dumps(line)} if sales else {})}
    if noun is not None and not name.endswith(("_list", "_list_full", "_list_count")):
        return {"crmid": ids[noun], "id": ids[noun]}
    return {
        "get_record_list_from_report": {"reportid": "1"},
        "edit_record_link": {"parent_id": ids["contact"], "child_id": ids["company"]},
        "add_to_campaign": {"campaignid": ids["campaign"], "recordid": ids["contact"]},
    }.get(name, {"limit_end": "3"})


def every_end_point(s: Session) -> None:
    """Each end point once, the transports and ways of authenticating taken in turn."""
    table = api_end_points(default_registry())
    nouns = {e.module.noun for e in table.values() if e.module is not None}
    auth = {"key": KEY, "passkey": PASSKEY}
    first = {n: form(s, f"get_{n}_list", {"limit_end": "1"}, auth).json()[0] for n in nouns}
    ids = {n: str(row["id"]) for n, row in first.items()}
    ways: list[Params] = [auth, {"key": SECOND_KEY, "passkey": SECOND_PASSKEY}]
    ways += [{"accesskey": s.login(form)}, {"accesscode": s.login(headers)}]
    for n, (name, end_point) in enumerate(table.items()):
        noun = end_point.module.noun if end_point.module else None
        transport, way = TRANSPORTS[n % len(TRANSPORTS)], ways[n % len(ways)]
        answer = transport(s, name, end_point_params(name, noun, ids), way)
        assert answer.status_code == 200, (name, answer.text)


def refusals(s: Session) -> None:
    """Wrong and half key pairs in every transport, unknown and expired access keys, and
    bodies the emulator cannot read, each carrying a secret."""
    for transport in TRANSPORTS:
        transport(s, "get_contact_list", {}, {"key": KEY, "passkey": WRONG_PASSKEY})
        transport(s, "get_contact_list", {}, {"key": SECOND_KEY, "passkey": PASSKEY})
        transport(s, "get_lead_list", {}, {"passkey": PASSKEY})  # half a pair: Unauthorized
        transport(s, "get_lead_list", {}, {"accesskey": WRONG_PASSKEY})
    stale = s.login(path, key=KEY, passkey=PASSKEY)
    s.send("POST", "/_emulator/clock", json={"advance": 31 * 60})  # the key's idle time passes
    for transport in (form, path):  # refused: the key has expired, not merely gone unused
        answer = transport(s, "get_contact_list_count", {}, {"accesskey": stale})
        assert answer.json() == {"error": "Unauthorized"}
    secret = f"key={KEY}&passkey={PASSKEY}"
    s.send("POST", API + "get_contact", content=b"{" + secret.encode())  # broken JSON
    s.send("POST", API + "get_contact", content=secret.encode() + b"&crmid=\xff\xfe")
    s.send("POST", API + "get_contact", content=secret.encode() + b"&x=" + b"a" * MAX_BODY)
    s.send("POST", API + "get_contact", data={"key": KEY, "passkey": PASSKEY, "crmid": "x1"})
    s.send("POST", f"{API}no_such_end_point/key/{KEY}/passkey/{PASSKEY}")
    broken = f'--zz\r\nContent-Disposition: form-data; name="passkey"\r\n\r\n{PASSKEY}\r\n--z'
    s.send(
        "POST",
        API + "get_quote",
        content=broken.encode(),
        headers={"Content-Type": "multipart/form-data; boundary=zz"},
    )


def control_plane(s: Session) -> None:
    """Faults, refusals and the HTTP error mode switched on through the control plane, each
    hit by a call carrying the passkey; then the behaviour put back."""
    auth = {"key": KEY, "passkey": PASSKEY}
    faults = [
        {"end_point": "get_contact", "kind": "error", "message": "Injected failure"},
        {"end_point": "get_company", "kind": "status", "status": 503},
        {"end_point": "get_lead", "kind": "drop"},
    ]
    changes: list[dict[str, Any]] = [
        {"faults": faults, "error_status": "http"},
        {"faults": [], "rate_limit_per_minute": 1},
        {"rate_limit_per_minute": 0, "api_enabled": False},
        {"api_enabled": True, "ip_allow_list": ["10.0.0.0/8"]},
    ]
    for change in changes:
        assert s.send("PUT", "/_emulator/settings", json=change).status_code == 200
        names = ("get_contact", "get_company", "get_lead") * 2
        for transport, name in zip(TRANSPORTS, names, strict=True):
            transport(s, name, {"crmid": "150"}, auth)
    s.send("PUT", "/_emulator/settings", json={"ip_allow_list": [], "error_status": "200"})
    s.send("PUT", "/_emulator/settings", json={"faults": "not a list"})  # a refused change
    for route in ("health", "snapshots", "clock", "records/150/audit", "records/150/links"):
        s.send("GET", f"/_emulator/{route}")
    s.send("POST", "/_emulator/snapshots/secrets-test")


def full_run(http: Any) -> Session:
    session = Session(http)
    every_end_point(session)
    refusals(session)
    control_plane(session)
    return session
