"""Seeding progress (emulator/serving/progress.py; issue 16): live bars on a terminal, one info log
line per module elsewhere, nothing below the configured level."""

from __future__ import annotations

import io
import logging

import pytest

from emulator.serving.progress import seeding_progress


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def seed_two_modules(level: str, stream: io.StringIO) -> None:
    with seeding_progress(level, stream) as progress:
        if progress is not None:
            for done in (2000, 4000, 4500):
                progress("contact", done, 4500)
            progress("ticket", 7, 7)


def test_on_a_terminal_each_module_gets_a_progress_bar(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="emulator.seed")
    screen = Terminal()
    seed_two_modules("info", screen)
    shown = screen.getvalue()
    assert "seeding contact" in shown
    assert "4500/4500" in shown
    assert "seeding ticket" in shown
    assert "7/7" in shown
    assert "\x1b[" in shown  # drawn with terminal control sequences
    assert caplog.messages == []  # the bars replace the log lines


def test_elsewhere_each_module_gets_one_info_log_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="emulator.seed")
    pipe = io.StringIO()
    seed_two_modules("info", pipe)
    assert pipe.getvalue() == ""
    assert [(r.name, r.levelno) for r in caplog.records] == [("emulator.seed", logging.INFO)] * 2
    assert caplog.messages == ["seeding contact: 4500/4500", "seeding ticket: 7/7"]


@pytest.mark.parametrize("stream", [Terminal, io.StringIO])
@pytest.mark.parametrize("level", ["warning", "ERROR", "critical"])
def test_above_info_there_is_no_progress_at_all(
    stream: type[io.StringIO], level: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    out = stream()
    seed_two_modules(level, out)
    assert out.getvalue() == ""
    assert caplog.messages == []
