"""Who may open the dashboard, and which forms it accepts.

Access is the control plane's rule (:func:`emulator.endpoints.control_access.check_token`):
open on loopback; beyond it, the ``control_token``. A browser proves it once with the login
form, which sets a cookie; a script may send ``Authorization: Bearer <token>`` instead.

Every visitor gets one cookie, ``opencrm_ui`` (HttpOnly, SameSite=Strict, path
``/_emulator/ui``): a random session id, and after a login the id's HMAC under the control
token (so the cookie holds no secret, and stops working when the token changes). Every
form carries a CSRF token, the session id's HMAC under a per-process secret, and a POST is
refused (403) unless the token matches the cookie's session, nor if the browser says it
comes from another site (``Sec-Fetch-Site``, ``Origin``). SameSite=Strict already keeps the
cookie off cross-site requests; the token also covers loopback, where no login is needed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from emulator.endpoints import control
from emulator.errors import ControlError, RecordNotFound
from emulator.settings import Settings
from emulator.ui.render import message, render, root
from emulator.ui.systems import NoSuchSystem

COOKIE = "opencrm_ui"
#: Signs the CSRF tokens; new in each process, so a restart retires every open form.
SECRET = secrets.token_bytes(32)
SAFE_SITES = frozenset({"same-origin", "none"})
#: The dashboard's forms are a few short fields.
MOST_FORM_BYTES = 64 * 1024

Page = Callable[[Request], Awaitable[Response]]
Action = Callable[[Request, FormData], Awaitable[Response]]


@dataclass(frozen=True)
class Session:
    id: str
    signature: str = ""
    new: bool = False

    @classmethod
    def of(cls, request: Request) -> Session:
        sent, _, signature = request.cookies.get(COOKIE, "").partition(".")
        if len(sent) != 32 or not all(c in "0123456789abcdef" for c in sent):
            return cls(secrets.token_hex(16), new=True)
        return cls(sent, signature)

    @property
    def csrf(self) -> str:
        return hmac.new(SECRET, b"csrf:" + self.id.encode(), hashlib.sha256).hexdigest()

    def signed_in(self, token: str | None) -> bool:
        expected = sign(token or "", self.id)
        return bool(token) and same(self.signature, expected)

    def keep(self, request: Request, response: Response) -> None:
        if self.new:
            set_cookie(request, response, self.id)


def same(sent: str, expected: str) -> bool:
    """A constant-time comparison of any text (a cookie or form may hold any characters)."""
    return hmac.compare_digest(sent.encode(), expected.encode())


def sign(token: str, session_id: str) -> str:
    mac = hmac.new(token.encode(), b"ui-session:" + session_id.encode(), hashlib.sha256)
    return mac.hexdigest()


def set_cookie(request: Request, response: Response, value: str) -> None:
    response.set_cookie(
        COOKIE,
        value,
        path=root(request) or "/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def control_settings(request: Request) -> Settings:
    """The settings the control plane's access rule reads (``host``, ``control_token``)."""
    return control.system_of(request).settings


def refusal(request: Request, session: Session) -> ControlError | None:
    """Why this request may not see the dashboard, or None: the control plane's rule, with
    the login cookie as a second way to show the token."""
    try:
        control.check_token(request)
    except ControlError as refused:
        if refused.status == 401 and session.signed_in(control_settings(request).control_token):
            return None
        return refused
    return None


def turned_away(request: Request, refused: ControlError) -> Response:
    if refused.status == 401 and request.method == "GET":
        wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"{root(request)}/login?next={quote(wanted)}", 303)
    return message(request, refused.status, "Not allowed", refused.message)


def page(handler: Page) -> Page:
    """A GET page: the session cookie, then the access rule."""

    async def endpoint(request: Request) -> Response:
        session = request.state.ui_session = Session.of(request)
        refused = refusal(request, session)
        if refused is not None:
            response = turned_away(request, refused)
        else:
            response = await answer(request, handler(request))
        session.keep(request, response)
        return response

    return endpoint


async def answer(request: Request, pending: Awaitable[Response]) -> Response:
    """The handler's page, or a 404 page for a system, module or record there is none of."""
    try:
        return await pending
    except NoSuchSystem as exc:
        return message(request, 404, "No such system", f"There is no system named {exc}.")
    except RecordNotFound as exc:
        return message(request, 404, "Not found", exc.message)


def action(handler: Action, *, open_to_all: bool = False) -> Page:
    """A POST form: the access rule (unless ``open_to_all``), then the CSRF checks."""

    async def endpoint(request: Request) -> Response:
        session = request.state.ui_session = Session.of(request)
        refused = None if open_to_all else refusal(request, session)
        if refused is not None:
            return turned_away(request, refused)
        length = request.headers.get("content-length", "0")
        if not length.isdigit() or int(length) > MOST_FORM_BYTES:
            return message(request, 413, "Form refused", "This form is too large.")
        form = await request.form(max_files=0, max_fields=100)
        if forged(request, session, form):
            return message(
                request, 403, "Form refused", "This form is out of date or was sent from "
                "another site. Reload the page and try again.",
            )  # fmt: skip
        return await answer(request, handler(request, form))

    return endpoint


def forged(request: Request, session: Session, form: FormData) -> bool:
    sent = form.get("csrf")
    if session.new or not isinstance(sent, str) or not same(sent, session.csrf):
        return True
    if request.headers.get("sec-fetch-site", "same-origin") not in SAFE_SITES:
        return True
    origin = request.headers.get("origin")
    return origin is not None and urlsplit(origin).netloc != request.headers.get("host")


# -- logging in and out ---------------------------------------------------------------------


async def login_form(request: Request) -> Response:
    session = request.state.ui_session = Session.of(request)
    response = render(request, "login.html", next=next_path(request, request.query_params))
    session.keep(request, response)
    return response


async def log_in(request: Request, form: FormData) -> Response:
    settings = control_settings(request)
    token, sent = settings.control_token or "", form.get("token")
    wanted = next_path(request, form)
    if control.is_loopback(settings.host):
        return RedirectResponse(wanted, 303)
    if not token or not isinstance(sent, str) or not same(sent, token):
        text = "Wrong control token." if token else "This server has no control_token set."
        return render(request, "login.html", 401, next=wanted, error=text)
    fresh = secrets.token_hex(16)  # a new session id at login: no session fixation
    response = RedirectResponse(wanted, 303)
    set_cookie(request, response, f"{fresh}.{sign(token, fresh)}")
    return response


async def log_out(request: Request, _form: FormData) -> Response:
    response = RedirectResponse(f"{root(request)}/login", 303)
    set_cookie(request, response, secrets.token_hex(16))
    return response


def next_path(request: Request, values: Mapping[str, Any]) -> str:
    """Where to go after the login: a dashboard path, never another site."""
    sent = values.get("next")
    wanted = sent if isinstance(sent, str) else ""
    home = f"{root(request)}/"
    return wanted if wanted.startswith(home) and "//" not in wanted and "\\" not in wanted else home
