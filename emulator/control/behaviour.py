"""Runtime behaviour the control plane can change: latency, faults, rate limits, the API
switch, the IP allow-list, access-key idle time, the HTTP status of errors, the web firewall
(``waf``) and strict mode (``strict``).

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
from typing import Any, Literal

from emulator.domain.networks import network
from emulator.errors import Refused
from emulator.settings import MAX_IDLE_MINUTES

API_DISABLED = "API access is not enabled for this system"
IP_REFUSED = "API access is not allowed from IP address {ip}"
RATE_LIMITED = "API request limit exceeded: {limit} requests per {period}"

FaultKind = Literal["error", "status", "drop"]
WafMode = Literal["block", "warn", "off"]
StrictMode = Literal["off", "warn", "error"]


class BehaviourError(ValueError):
    """A control-plane request that does not describe valid behaviour."""


@dataclass(frozen=True)
class Latency:
    end_point: str = "*"
    min_ms: float = 0.0
    max_ms: float = 0.0


@dataclass(frozen=True)
class Fault:
    end_point: str = "*"
    kind: FaultKind = "error"
    message: str = "Internal error"
    status: int = 500
    #: How many calls it applies to (None: no limit).
    times: int | None = None
    probability: float = 1.0


@dataclass(frozen=True)
class RuntimeSettings:
    latency: tuple[Latency, ...] = ()
    faults: tuple[Fault, ...] = ()
    rate_limit_per_minute: int = 0
    rate_limit_per_day: int = 0
    api_enabled: bool = True
    ip_allow_list: tuple[str, ...] = ()
    access_key_idle_minutes: float = 30.0
    error_status: Literal["200", "http"] = "200"
    waf: WafMode = "block"
    strict: StrictMode = "off"


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


def parse_changes(current: RuntimeSettings, changes: Mapping[str, Any]) -> RuntimeSettings:
    """A new RuntimeSettings from a partial JSON object; BehaviourError says what is wrong."""
    unknown = set(changes) - set(RuntimeSettings.__dataclass_fields__)
    if unknown:
        raise BehaviourError(f"unknown settings: {', '.join(sorted(unknown))}")
    try:
        values: dict[str, Any] = {}
        for name, raw in changes.items():
            values[name] = PARSERS[name](raw)
    except (TypeError, ValueError, KeyError) as exc:
        raise BehaviourError(f"invalid value for {name}: {exc}") from None
    return replace(current, **values)


def parse_latency(raw: Any) -> tuple[Latency, ...]:
    rules = []
    for item in as_list(raw):
        fixed = item.get("ms")
        low = number(item.get("min_ms", fixed if fixed is not None else 0))
        high = number(item.get("max_ms", fixed if fixed is not None else low))
        if not 0 <= low <= high <= 60_000:  # also refuses nan
            raise ValueError("latency needs 0 <= min_ms <= max_ms <= 60000")
        rules.append(Latency(str(item.get("end_point", "*")), low, high))
    return tuple(rules)


def parse_faults(raw: Any) -> tuple[Fault, ...]:
    return tuple(parse_fault(item) for item in as_list(raw))


def parse_fault(item: Mapping[str, Any]) -> Fault:
    kind = item.get("kind", "error")
    if kind not in ("error", "status", "drop"):
        raise ValueError("fault kind must be error, status or drop")
    times = item.get("times")
    probability = number(item.get("probability", 1.0))
    status = whole(item.get("status", 500))
    if not 0.0 <= probability <= 1.0:
        raise ValueError("probability must be 0..1")
    if status not in FAULT_STATUSES:
        # 1xx, 204 and 304 answers carry no body: HTTP cannot send an error message in them.
        raise ValueError("status must be 200 to 599, but not 204 or 304 (they carry no body)")
    return Fault(
        end_point=str(item.get("end_point", "*")),
        kind=kind,
        message=str(item.get("message", "Internal error")),
        status=status,
        times=None if times is None else non_negative_int(times),
        probability=probability,
    )


#: Statuses an injected fault may answer: those whose answers carry a body.
FAULT_STATUSES = frozenset(range(200, 600)) - {204, 304}


def as_list(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not all(isinstance(i, dict) for i in raw):
        raise ValueError("expected a list of objects")
    return raw


def whole(raw: Any) -> int:
    """A JSON whole number (``true`` is not one); ValueError in one line otherwise."""
    if isinstance(raw, bool) or not isinstance(raw, int) or abs(raw) >= 2**63:
        raise ValueError("expected a whole number")
    return raw


def number(raw: Any) -> float:
    """A JSON number; ValueError in one line otherwise."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ValueError("expected a number")
    return whole(raw) if isinstance(raw, int) else raw


def non_negative_int(raw: Any) -> int:
    try:
        value = whole(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise ValueError("expected a whole number of 0 or more")
    return value


def strict_bool(raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise ValueError("expected true or false")
    return raw


def networks(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise ValueError("expected a list of addresses or networks")
    for net in raw:
        network(net)
    return tuple(raw)


def idle_minutes(raw: Any) -> float:
    value = number(raw)
    if not 0 < value <= MAX_IDLE_MINUTES:  # also refuses nan; more overflows the expiry time
        raise ValueError(f"expected a number of minutes above 0, at most {MAX_IDLE_MINUTES}")
    return value


def error_status(raw: Any) -> Literal["200", "http"]:
    if raw == "200" or raw == 200:
        return "200"
    if raw == "http":
        return "http"
    raise ValueError('expected "200" or "http"')


def one_of(*choices: str) -> Any:
    """A parser of a text setting that takes one of ``choices``."""

    def parse(raw: Any) -> str:
        if raw not in choices:
            raise ValueError("expected " + " or ".join(f'"{c}"' for c in choices))
        return str(raw)

    return parse


PARSERS: dict[str, Any] = {
    "latency": parse_latency,
    "faults": parse_faults,
    "rate_limit_per_minute": non_negative_int,
    "rate_limit_per_day": non_negative_int,
    "api_enabled": strict_bool,
    "ip_allow_list": networks,
    "access_key_idle_minutes": idle_minutes,
    "error_status": error_status,
    "waf": one_of("block", "warn", "off"),
    "strict": one_of("off", "warn", "error"),
}
