"""The runtime settings the control plane can change (``GET``/``PUT /_emulator/settings``):
latency and fault rules, rate limits, the API switch, the IP allow-list, access-key idle
time, the HTTP status of errors, the web firewall (``waf``) and strict mode (``strict``), and
how a partial JSON object of changes is read into them (:func:`parse_changes`), each value
checked by its own parser so a refusal (:class:`BehaviourError`) says what is wrong in one
line. Applying them to calls is :class:`emulator.control.behaviour.Behaviour`'s work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from emulator.domain.networks import network
from emulator.settings import MAX_IDLE_MINUTES

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
