"""README's word on strict mode and the firewall stays true: every finding with its message,
the fields called never filled, and a User-Agent on every curl example that calls the API."""

from __future__ import annotations

import re
from pathlib import Path

from emulator.domain.modules import default_registry
from emulator.wire.strict.lists import never_filled
from tests.strict.cases import CASES, CODES

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
STRICT = README[README.index("## Strict mode") : README.index("## Docker")]
FINDINGS = STRICT[STRICT.index("Each finding, with") : STRICT.index('"Never filled by the API"')]


def test_the_readme_shows_every_finding_with_its_message() -> None:
    listed = re.findall(r"^- `([a-z-]+)`: ", FINDINGS, re.M)
    assert sorted(listed) == CODES
    firsts = {c.code: c for c in reversed(CASES)}
    for code, case in firsts.items():
        assert f"  > {case.message}\n" in FINDINGS, code


def test_the_readme_names_every_field_the_api_never_fills() -> None:
    names = {name for m in default_registry() for name in never_filled(m)}
    paragraph = STRICT[STRICT.index('"Never filled by the API"') :]
    paragraph = paragraph[: paragraph.index("\n\n")]
    assert names == set(re.findall(r"`([a-z_]+)`", paragraph)) - {
        "createdtime", "modifiedtime", "smcreatorid", "modifiedby", "reassigned_date",
    }  # fmt: skip


def test_every_curl_example_that_calls_the_api_sends_a_user_agent() -> None:
    calls = [
        line
        for block in re.findall(r"```sh\n(.*?)```", README, re.S)
        for line in block.splitlines()
        if "curl" in line and ("$BASE" in line or "/api/rest" in line)
    ]
    assert len(calls) >= 9
    assert [line for line in calls if "curl -A " not in line and "curl -s -A " not in line] == []
