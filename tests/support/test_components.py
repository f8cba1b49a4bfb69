"""The required-component helper: skip with the reason locally, fail with it in CI."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support.components import find_tool, in_ci, unavailable


@pytest.mark.parametrize("value", ["", "0", "false", "False", "no", "off"])
def test_a_false_or_empty_ci_is_not_ci(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    assert not in_ci()
    with pytest.raises(pytest.skip.Exception, match="widget is not available: not installed"):
        unavailable("widget", "not installed")


def test_an_unset_ci_is_not_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert not in_ci()


@pytest.mark.parametrize("value", ["true", "1", "yes", "TRUE"])
def test_in_ci_a_missing_component_fails_with_the_same_reason(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("CI", value)
    assert in_ci()
    with pytest.raises(pytest.fail.Exception, match="widget is not available: not installed"):
        unavailable("widget", "not installed")


def test_tools_beside_the_interpreter_come_before_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    beside = Path(sys.executable).parent
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty PATH: only the interpreter's folder
    assert find_tool(Path(sys.executable).name) == str(beside / Path(sys.executable).name)
    assert find_tool("no-such-tool-anywhere") is None
    (tmp_path / "on-path-only").write_text("#!/bin/sh\n")
    (tmp_path / "on-path-only").chmod(0o755)
    assert find_tool("on-path-only") == str(tmp_path / "on-path-only")
