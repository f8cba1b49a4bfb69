"""The web firewall in front of OpenCRM's API (observed-behaviour.md, "Authentication"): it
rejects requests whose User-Agent contains ``python``, and curl's default User-Agent.

Observed is which requests it refuses. The page it answers with is not documented, so its
shape here is assumed: HTTP 403 and a short HTML page, as web application firewalls give,
saying in plain words which rule blocked the call and how to send a User-Agent. The match on
``python`` ignores case (urllib's default is ``Python-urllib/3.11``), as such firewalls'
rules do. A request with no User-Agent at all (PHP's curl, the guide's samples, sends none)
and one whose User-Agent merely mentions curl are let through.

The setting ``waf`` (per system at run time: ``PUT /_emulator/settings``) is ``block`` (the
live API's behaviour), ``warn`` (the call is answered; the journal says the live API would
have refused it) or ``off``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from starlette.responses import Response

#: What to send instead, in the page and in strict mode's finding.
EXAMPLE_AGENT = "my-integration/1.0"
#: The most of a User-Agent a page or a message shows (the header is the caller's text).
SHOWN = 120
#: curl's own User-Agent: ``curl/8.5.0``.
CURL_DEFAULT = re.compile(r"curl/[0-9][0-9A-Za-z.\-]*", re.ASCII)


@dataclass(frozen=True, slots=True)
class Rule:
    """A firewall rule: its name and, in words, what it matched."""

    name: str
    matched: str


PYTHON = Rule("python-user-agent", 'contains "python"')
CURL = Rule("curl-default-user-agent", "is curl's default User-Agent")


def blocking_rule(user_agent: str | None) -> Rule | None:
    """The rule that blocks a request with this User-Agent (None: not sent), or None."""
    if user_agent is None:
        return None
    if "python" in user_agent.lower():
        return PYTHON
    if CURL_DEFAULT.fullmatch(user_agent.strip()):
        return CURL
    return None


def shown(user_agent: str) -> str:
    """The User-Agent as a page or a message quotes it: printable and at most SHOWN long."""
    text = "".join(c if c.isprintable() else "?" for c in user_agent[:SHOWN])
    return text + ("..." if len(user_agent) > SHOWN else "")


def reason(rule: Rule, user_agent: str) -> str:
    """``the User-Agent "python-httpx/0.28.1" contains "python"``."""
    return f'the User-Agent "{shown(user_agent)}" {rule.matched}'


PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>403 Forbidden</title></head>
<body>
<h1>403 Forbidden</h1>
<p>This request was blocked by the web application firewall in front of the OpenCRM API,
before it reached the API.</p>
<p>Rule: <strong>{rule}</strong>: {reason}.</p>
<p>To fix it, send a User-Agent header of your own that names your application, for example
<code>User-Agent: {example}</code>. With curl: <code>curl -A {example} ...</code>; with
Python's requests: <code>requests.post(url, data=..., headers={{"User-Agent": "{example}"}})</code>;
with httpx: <code>httpx.Client(headers={{"User-Agent": "{example}"}})</code>. A request with
no User-Agent at all, as PHP's curl sends it, is let through.</p>
<hr>
<p><small>OpenCRM emulator, setting <code>waf=block</code> (<code>warn</code> or
<code>off</code> let the call through). The live firewall refuses these User-Agents (observed);
the shape of this page is assumed.</small></p>
</body>
</html>
"""


def page(rule: Rule, user_agent: str) -> Response:
    """The firewall's answer: HTTP 403 and its HTML page, whatever ``error_status`` says."""
    text = PAGE.format(
        rule=html.escape(rule.name),
        reason=html.escape(reason(rule, user_agent), quote=False),
        example=EXAMPLE_AGENT,
    )
    return Response(text, status_code=403, media_type="text/html; charset=utf-8")
