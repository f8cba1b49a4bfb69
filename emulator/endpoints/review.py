"""What the emulator says about a call beyond OpenCRM's own answer: the web firewall's
verdict (setting ``waf``), applied as the system's runtime settings say when the call starts.

The dispatcher (emulator/endpoints/dispatch.py) asks :meth:`Review.firewall` first of all,
before the end point is looked up: the firewall sits in front of the application, as a web
firewall does. ``block``: the call gets the firewall's 403 page. ``warn``: it goes on, with a
journal warning. ``off``: nothing is checked.
"""

from __future__ import annotations

from emulator.control.behaviour import RuntimeSettings
from emulator.wire import firewall


class Review:
    def __init__(self, behaviour: RuntimeSettings) -> None:
        self.waf = behaviour.waf
        #: Journal warnings raised before the call's parameters were read (the firewall's).
        self.warnings: list[str] = []

    def firewall(self, user_agent: str | None) -> firewall.Rule | None:
        """The rule that blocks this call under ``waf=block``, or None (the call goes on)."""
        if self.waf == "off":
            return None
        rule = firewall.blocking_rule(user_agent)
        if rule is None or user_agent is None:
            return None
        reason = f"rule {rule.name}: {firewall.reason(rule, user_agent)}"
        if self.waf == "block":
            self.warnings.append(f"firewall (waf=block): refused with HTTP 403 ({reason})")
            return rule
        self.warnings.append(
            f"firewall (waf=warn): the live API's firewall refuses this call with HTTP 403"
            f" ({reason})"
        )
        return None
