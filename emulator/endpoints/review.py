"""What the emulator says about a call beyond OpenCRM's own answer: the web firewall's
verdict (setting ``waf``) and strict mode's findings (setting ``strict``), applied as the
system's runtime settings say when the call starts.

The dispatcher (emulator/endpoints/dispatch.py) asks at three steps:

- :meth:`Review.firewall`, first of all, before the end point is looked up: the firewall
  sits in front of the application, as a web firewall does. ``block``: the call gets the
  firewall's 403 page. ``warn``: it goes on, with a journal warning. Either of ``warn`` and
  ``off`` makes the blocked User-Agent a strict finding;
- :meth:`Review.check_request`, once the parameters are read, before authentication (so
  ``apikey``, which fails authentication, is still reported);
- :meth:`Review.check_call`, once the caller is known, before the end point's function.

Strict ``warn``: every finding goes to the journal entry and to one
``X-OpenCRM-Emulator-Warning`` response header each, and the call is answered as the real
API would. ``error``: the first finding raises :class:`~emulator.wire.strict.StrictError`
(``{"error": "strict: <finding>"}``) before anything is written. ``off``: nothing is checked,
and nothing of this reaches the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from itertools import islice

from starlette.responses import Response

from emulator.control.behaviour import RuntimeSettings
from emulator.endpoints.call import Call
from emulator.endpoints.table import EndPoint, Kind
from emulator.wire import firewall
from emulator.wire.params import Params
from emulator.wire.strict import Finding, StrictError, request_findings, user_agent_finding
from emulator.wire.strict.edits import edit_findings
from emulator.wire.strict.lists import limit_findings, query_findings
from emulator.wire.strict.values import Lookups

HEADER = "X-OpenCRM-Emulator-Warning"
#: The most findings a call reports; beyond them, one header says there are more.
MOST = 20
#: The longest header value: a finding quotes the caller's values, shortened.
HEADER_LENGTH = 1000
LISTS = frozenset({Kind.COUNT, Kind.LIST, Kind.LIST_FULL})
PAGED = frozenset({Kind.LIST, Kind.LIST_FULL, Kind.REPORT})


class Review:
    def __init__(self, behaviour: RuntimeSettings, is_secret: Callable[[str], bool]) -> None:
        self.findings: list[Finding] = []
        self.follow(behaviour, is_secret)
        self.more = False
        #: Journal warnings raised before the call's parameters were read (the firewall's).
        self.warnings: list[str] = []

    def follow(self, behaviour: RuntimeSettings, is_secret: Callable[[str], bool]) -> None:
        """Review as these runtime settings say: the system the call reaches, once known."""
        self.waf = behaviour.waf
        self.strict = behaviour.strict
        #: A live passkey or access key: never quoted in a finding (keyring.is_secret).
        self.is_secret = is_secret

    def firewall(self, user_agent: str | None) -> firewall.Rule | None:
        """The rule that blocks this call under ``waf=block``, or None (the call goes on)."""
        if self.waf == "off" and self.strict == "off":
            return None
        rule = firewall.blocking_rule(user_agent)
        if rule is None or user_agent is None:
            return None
        reason = f"rule {rule.name}: {firewall.reason(rule, user_agent)}"
        if self.waf == "block":
            self.warnings.append(f"firewall (waf=block): refused with HTTP 403 ({reason})")
            return rule
        if self.waf == "warn":
            self.warnings.append(
                f"firewall (waf=warn): the live API's firewall refuses this call with HTTP 403"
                f" ({reason})"
            )
        self.add([user_agent_finding(rule, user_agent)])
        return None

    def check_request(self, method: str, params: Params, headers: Mapping[str, str]) -> None:
        if self.strict != "off":
            self.add(request_findings(method, self.unsecret(params), headers))

    def check_call(self, call: Call, end_point: EndPoint) -> None:
        if self.strict == "off" or end_point.module is None:
            return
        module, params, settings = end_point.module, self.unsecret(call.params), call.settings
        if end_point.kind is Kind.EDIT:
            self.add(edit_findings(module, params, settings.api_user_id, lookups(call)))
        if end_point.kind in LISTS:
            self.add(query_findings(module, params))
        if end_point.kind in PAGED:
            self.add(limit_findings(params, settings.limit_end_mode))

    def add(self, found: Iterable[Finding]) -> None:
        """Record findings (at most :data:`MOST`); in ``error`` mode, refuse the call."""
        if self.strict == "off":
            return
        room = MOST - len(self.findings)
        taken = list(islice(found, room + 1))  # one more than there is room for: "more"
        self.more = self.more or len(taken) > room
        self.findings += taken[:room]
        if self.strict == "error" and self.findings:
            raise StrictError(self.findings[0])

    def unsecret(self, params: Params) -> Params:
        """``params`` without a live secret as a name or a value: a client's stray ``/`` in a
        GET path can shift a passkey into a name, and a finding quotes names and values."""
        secret = self.is_secret
        kept = {
            name: value
            for name, value in params.items()
            if not secret(name) and not (isinstance(value, str) and secret(value))
        }
        return params if len(kept) == len(params) else Params(kept, params.source)

    def journal(self) -> list[dict[str, str]]:
        return [f.as_dict() for f in self.findings]

    def mark(self, response: Response) -> Response:
        """The response with one warning header per finding (none when there are none)."""
        for finding in self.findings:
            response.headers.append(HEADER, header_value(str(finding)))
        if self.more:
            response.headers.append(HEADER, f"more findings than the {MOST} shown [more]")
        return response


def lookups(call: Call) -> Lookups:
    backend = call.backend

    def record_noun(crmid: int) -> str | None:
        module = backend.record_module(crmid)
        return module.noun if module is not None else None

    return Lookups(record_noun, lambda user_id: user_id in backend.usernames())


def header_value(text: str) -> str:
    """``text`` as a header value: printable ASCII only (others escaped), bounded."""
    safe = "".join(c if " " <= c <= "~" else c.encode("unicode_escape").decode() for c in text)
    return safe[:HEADER_LENGTH]
