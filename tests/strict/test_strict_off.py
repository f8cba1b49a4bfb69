"""With ``strict=off`` every answer is byte for byte what the emulator gave before strict mode
existed: 149 calls (tests/strict/calls.py), every end point in every parameter format and
every mistake strict mode reports, against the answers recorded before it (strict_off.json:
status, headers, body)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from tests.strict import calls

Answers = list[dict[str, Any]]


@cache
def golden() -> Answers:
    found: Answers = json.loads(calls.GOLDEN.read_text(encoding="utf-8"))
    return found


@cache
def answers(**settings: str) -> Answers:
    return calls.answers(**settings)


def differences(found: Answers, expected: Answers) -> list[str]:
    assert [a["call"] for a in found] == [a["call"] for a in expected]
    return [a["call"] for a, b in zip(found, expected, strict=True) if a != b]


def test_with_strict_off_every_answer_is_byte_identical_to_the_answers_before_strict_mode() -> None:
    assert differences(answers(), golden()) == []


def test_with_strict_off_and_the_default_firewall_only_blocked_user_agents_differ() -> None:
    found = answers(waf="block")
    assert differences(found, golden()) == ["python User-Agent", "curl User-Agent"]
    blocked = [a for a in found if a["call"].endswith("User-Agent") and a["status"] == 403]
    assert len(blocked) == 2


@pytest.mark.parametrize("mode", ["warn", "error"])
def test_the_comparison_notices_what_strict_mode_adds(mode: str) -> None:
    found = differences(answers(strict=mode), golden())
    assert "unknown field" in found
    assert "contact get" not in found  # a correct call is answered the same in every mode
