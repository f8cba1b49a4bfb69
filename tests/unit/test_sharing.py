"""The pure parts of sharing a control state between processes: runtime settings and the
clock survive the JSON the database keeps them in, exactly."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

import orjson

from emulator.control.behaviour import RuntimeSettings, parse_changes
from emulator.control.sharing import runtime_of
from emulator.domain.clock import Clock


def test_runtime_settings_come_back_from_their_json_as_they_were() -> None:
    changes = {
        "faults": [{"end_point": "get_contact", "kind": "status", "status": 503, "times": 2}],
        "latency": [{"end_point": "*", "min_ms": 5, "max_ms": 9.5}],
        "ip_allow_list": ["10.0.0.0/8"],
        "rate_limit_per_minute": 7,
        "strict": "warn",
        "waf": "off",
        "access_key_idle_minutes": 2.5,
    }
    settings = parse_changes(RuntimeSettings(), changes)
    assert runtime_of(orjson.loads(orjson.dumps(asdict(settings)))) == settings


def test_a_frozen_clock_is_the_same_moment_in_another_clock_given_its_state() -> None:
    one, two = Clock("Europe/London"), Clock("Europe/London")
    one.freeze(datetime(2030, 10, 27, 1, 30))
    two.restore(orjson.loads(orjson.dumps(one.state())))
    assert two.frozen
    assert two.now() == one.now()


def test_a_running_clock_keeps_its_offset_to_the_microsecond_in_another_clock() -> None:
    one, two = Clock(), Clock()
    one.advance(86_400 * 365 * 3000 + 0.000_123)
    two.restore(orjson.loads(orjson.dumps(one.state())))
    assert not two.frozen
    assert two.state() == one.state()
