"""What the dashboard tests share: a client that keeps the dashboard's cookie, and forms sent
the way a browser sends them (with the page's CSRF token)."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx2

from emulator.pytest_plugin import OpenCRM
from emulator.testing.helpers import Emulated

UI = "/_emulator/ui"
DEMO = f"{UI}/systems/demo"  # the in-process fixture's system


def here(crm: Emulated) -> str:
    """The dashboard's pages of ``crm``'s system (on the shared server, a worker's own)."""
    return f"{UI}/systems/{crm.name}"


CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')


def visitor(crm: OpenCRM, **headers: str) -> httpx2.Client:
    """A new visitor of the dashboard (its own cookies), in-process."""
    return crm.httpx2_client(follow_redirects=False, headers=headers)


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def submit(client: httpx2.Client, page: str, action: str, **fields: Any) -> httpx2.Response:
    """Open ``page``, then post a form to ``action`` with the page's CSRF token."""
    shown = client.get(page)
    assert shown.status_code == 200, shown.text[:500]
    return client.post(action, data={"csrf": csrf_of(shown.text), **fields})


def control(client: httpx2.Client, action: str, **fields: Any) -> httpx2.Response:
    """A form of the controls page (``action`` under the demo system)."""
    return submit(client, f"{DEMO}/controls", f"{DEMO}/{action}", **fields)


def text_of(page: str) -> str:
    """The page's text, tags dropped, entities read and white space squeezed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
