"""Strict mode: the client mistakes the real API accepts silently, as findings.

The real API drops unknown fields, reads negative operators as ``=`` and validates nothing
(guide, "Data Validity / Integrity"), so a client can be wrong for months without a sign.
Strict mode (setting ``strict``: ``off`` | ``warn`` | ``error``) reports each such mistake as a
:class:`Finding`: a code, the parameter, and a message that names it and says what the real
API does with it. These modules only find; the dispatcher (emulator/endpoints/review.py)
applies the mode. The checks, by what they read:

- here, the request itself: ``apikey`` instead of ``key``, a body sent with GET, a
  User-Agent the web firewall blocks (when the firewall is not set to block it);
- ``strict.edits``: an edit's fields (unknown, read-only, a create without an owner, product
  line fields) and ``strict.values`` their values (numbers, dates, checkboxes, picklists, ids);
- ``strict.lists``: a list's ``query_string`` and limits.

Messages quote the caller's values shortened (:func:`quoted`); every check is bounded, so a
hostile request costs no more than an honest one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from emulator.errors import OpenCRMError
from emulator.wire import firewall
from emulator.wire.params import Params

#: The most characters of a caller's value a message quotes.
QUOTED = 40
BODY_SOURCES = frozenset({"form", "raw", "json", "multipart"})


@dataclass(frozen=True, slots=True)
class Finding:
    """One mistake: ``code`` (stable, for filters), the parameter, and the message."""

    code: str
    parameter: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} [{self.code}]"

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "parameter": self.parameter, "message": self.message}


class StrictError(OpenCRMError):
    """Strict mode ``error``: the call answers ``{"error": "strict: <finding>"}`` and writes
    nothing (400 under ``error_status=http``)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(f"strict: {finding}")
        self.finding = finding


def quoted(value: object) -> str:
    """A caller's value as a message quotes it: in single quotes, printable, shortened."""
    text = str(value)
    short = "".join(c if c.isprintable() else "?" for c in text[:QUOTED])
    return f"'{short}{'...' if len(text) > QUOTED else ''}'"


def request_findings(method: str, params: Params, headers: Mapping[str, str]) -> Iterator[Finding]:
    """What is wrong with the request whatever its end point (before authentication)."""
    if "apikey" in params and not params.text("key") and "key1" not in headers:
        yield Finding(
            "apikey",
            "apikey",
            "apikey is not a parameter of the real API, which reads the API key from 'key'"
            " only: it answers this call as if no key were sent (Unauthorized); send key",
        )
    sources = set(params.source.split("+")) & BODY_SOURCES
    if method == "GET" and sources:
        yield Finding(
            "body-with-get",
            "(body)",
            f"a GET request with a body ({', '.join(sorted(sources))}): PHP reads a request"
            " body for POST only, so the real API would most likely not see the parameters"
            " in it; send them with POST (as the guide recommends)",
        )


def user_agent_finding(rule: firewall.Rule, user_agent: str) -> Finding:
    """A User-Agent the live firewall blocks, let through here (``waf`` warn or off)."""
    return Finding(
        "blocked-user-agent",
        "User-Agent",
        f"{firewall.reason(rule, user_agent)}: the live API's web firewall refuses this call"
        f" with HTTP 403 before the API sees it; send a User-Agent of your own"
        f" (e.g. '{firewall.EXAMPLE_AGENT}')",
    )
