"""Runtime behaviour the control plane can change, applied to calls: the API switch and the
IP allow-list before authentication, rate limits per key, latency and injected faults. The
settings themselves (also the HTTP status of errors, access-key idle time, the web firewall
``waf`` and strict mode ``strict``) and how a change is read from JSON are in
:mod:`emulator.control.runtime_settings`, whose public names are re-exported here.

The guide mentions each of these on the real system ("Enable API", "IP Restriction",
"Request Recording/Logging/API Limits"); the emulator makes them switchable per test. The
wording of the refusals is not documented by OpenCRM: the messages below are the emulator's
and are listed in the README.
"""

from __future__ import annotations

import ipaddress
import random
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from emulator.control.runtime_settings import BehaviourError as BehaviourError
from emulator.control.runtime_settings import Fault as Fault
from emulator.control.runtime_settings import Latency as Latency
from emulator.control.runtime_settings import RuntimeSettings as RuntimeSettings
from emulator.control.runtime_settings import parse_changes as parse_changes
from emulator.domain.networks import network
from emulator.errors import Refused

API_DISABLED = "API access is not enabled for this system"
IP_REFUSED = "API access is not allowed from IP address {ip}"
RATE_LIMITED = "API request limit exceeded: {limit} requests per {period}"


@dataclass(frozen=True)
class Decision:
    """What the dispatcher does with a call before (or instead of) answering it."""

    delay_seconds: float = 0.0
    fault: Fault | None = None


#: No latency and no fault: the call goes on as it is.
GO = Decision()


@dataclass
class Behaviour:
    """The live runtime settings plus the counters they need (fault uses, request times)."""

    current: RuntimeSettings
    seed: int = 0
    _calls: dict[str, deque[datetime]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def update(self, changes: Mapping[str, Any]) -> RuntimeSettings:
        with self._lock:
            self.current = parse_changes(self.current, changes)
        return self.current

    def reset(self, initial: RuntimeSettings) -> None:
        with self._lock:
            self.current = initial
            self._calls.clear()
            self._random = random.Random(self.seed)

    def admit(self, ip: str) -> None:
        """Refuse a call before authentication: API switched off, or IP not allowed."""
        settings = self.current
        if not settings.api_enabled:
            raise Refused(API_DISABLED)
        if settings.ip_allow_list and not ip_allowed(ip, settings.ip_allow_list):
            raise Refused(IP_REFUSED.format(ip=ip))

    def count_call(self, key: str, now: datetime) -> None:
        """Refuse a call over the key's rate limit; count it otherwise."""
        s = self.current
        if not (s.rate_limit_per_minute or s.rate_limit_per_day):
            return
        with self._lock:
            calls = self._calls.setdefault(key, deque())
            while calls and now - calls[0] >= timedelta(days=1):
                calls.popleft()
            last_minute = sum(1 for t in calls if now - t < timedelta(minutes=1))
            if s.rate_limit_per_minute and last_minute >= s.rate_limit_per_minute:
                raise Refused(RATE_LIMITED.format(limit=s.rate_limit_per_minute, period="minute"))
            if s.rate_limit_per_day and len(calls) >= s.rate_limit_per_day:
                raise Refused(RATE_LIMITED.format(limit=s.rate_limit_per_day, period="day"))
            calls.append(now)

    def decide(self, end_point: str) -> Decision:
        """The latency and fault (if any) for one call to ``end_point``."""
        current = self.current
        if not current.latency and not current.faults:
            return GO  # the common case: no rule to match, nothing counted down
        with self._lock:
            return Decision(self._delay(end_point), self._fault(end_point))

    def _delay(self, end_point: str) -> float:
        rule = next((r for r in self.current.latency if matches(r.end_point, end_point)), None)
        if rule is None:
            return 0.0
        return self._random.uniform(rule.min_ms, max(rule.min_ms, rule.max_ms)) / 1000

    def _fault(self, end_point: str) -> Fault | None:
        """The first fault that fires; a fault with ``times`` counts down in the settings
        themselves, so they show what is left and a spent fault stays spent whatever else
        changes (only sending it again re-arms it)."""
        faults = self.current.faults
        for index, rule in enumerate(faults):
            if not matches(rule.end_point, end_point) or rule.times == 0:
                continue
            if rule.probability < 1.0 and self._random.random() >= rule.probability:
                continue
            if rule.times is not None:
                left = replace(rule, times=rule.times - 1)
                spent = (*faults[:index], left, *faults[index + 1 :])
                self.current = replace(self.current, faults=spent)
            return rule
        return None


def matches(pattern: str, end_point: str) -> bool:
    return pattern in ("*", end_point)


def ip_allowed(ip: str, allow: tuple[str, ...]) -> bool:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in network(net) for net in allow)
