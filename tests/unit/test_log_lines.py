"""The log, written cheaply (emulator/serving/log_lines.py, emulator/endpoints/call_log.py):
INFO lines in batches, soon; a WARNING at once, in order; a call's line the record that
``Logger.info`` would have made."""

from __future__ import annotations

import io
import logging
import time

from emulator.endpoints import call_log
from emulator.serving.log_lines import BatchedStream, Lines


def record(level: int, message: str) -> logging.LogRecord:
    return logging.LogRecord("emulator.test", level, __file__, 1, message, (), None)


def test_an_info_line_is_written_within_the_delay() -> None:
    stream = io.StringIO()
    handler = BatchedStream(stream, delay=0.05)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.handle(record(logging.INFO, "first"))
    handler.handle(record(logging.INFO, "second"))
    deadline = time.monotonic() + 5
    while stream.getvalue() != "first\nsecond\n" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert stream.getvalue() == "first\nsecond\n"


def test_a_warning_is_written_at_once_after_the_lines_before_it() -> None:
    stream = io.StringIO()
    handler = BatchedStream(stream, delay=60)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.handle(record(logging.INFO, "waiting"))
    assert stream.getvalue() == ""
    handler.handle(record(logging.WARNING, "now"))
    assert stream.getvalue() == "INFO waiting\nWARNING now\n"


def test_flushing_writes_every_waiting_line() -> None:
    stream = io.StringIO()
    handler = BatchedStream(stream, delay=60)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.handle(record(logging.INFO, "left at exit"))
    handler.flush()  # what logging.shutdown does at exit
    assert stream.getvalue() == "left at exit\n"


def test_lines_are_formatted_as_before_with_the_time_of_each_second_reused() -> None:
    plain = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for created in (1_700_000_000.25, 1_700_000_000.75, 1_700_000_001.5):
        line = record(logging.INFO, "x")
        line.created, line.msecs = created, int((created % 1) * 1000) + 0.0
        assert Lines().format(line) == plain.format(line)
        reused = Lines()
        reused.format(record(logging.INFO, "another second first"))
        assert reused.format(line) == plain.format(line)


def test_a_call_line_has_every_attribute_of_the_record_logger_info_makes() -> None:
    args = ("get_contact", 200, 0.53, "127.0.0.1")
    line = call_log.CallLine(args)
    made = call_log.log.makeRecord(
        "emulator.api", logging.INFO, call_log.__file__, line.lineno, call_log.FORMAT, args,
        None, "log_call",
    )  # fmt: skip
    assert line.getMessage() == made.getMessage() == "get_contact 200 0.5ms 127.0.0.1"
    assert line.__dict__.keys() == made.__dict__.keys()
    moving = {"created", "msecs", "relativeCreated"}
    assert {k: v for k, v in vars(line).items() if k not in moving} == {
        k: v for k, v in vars(made).items() if k not in moving
    }


def serve_logging(stream: io.StringIO) -> tuple[BatchedStream, logging.Logger]:
    """``serve``'s set-up (emulator/serving/server.py: configure_logging) on a root of its own."""
    handler = BatchedStream(stream, delay=60)
    handler.setFormatter(Lines())
    root = logging.RootLogger(logging.INFO)
    root.addHandler(handler)
    logger = logging.Logger("emulator.api")
    logger.parent = root
    return handler, logger


def test_a_call_line_handed_straight_to_serves_handler_is_the_line_its_record_makes() -> None:
    stream = io.StringIO()
    handler, logger = serve_logging(stream)
    assert call_log.direct(logger, logging.INFO) is handler
    created = 1_700_000_000.987
    handler.info("emulator.api", "get_contact 200 0.5ms 127.0.0.1", created)
    line = call_log.CallLine(("get_contact", 200, 0.53, "127.0.0.1"))
    line.created, line.msecs = created, int((created % 1) * 1000) + 0.0
    handler.flush()
    assert stream.getvalue() == Lines().format(line) + "\n"
    assert stream.getvalue().startswith(time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(created)))


def test_a_call_gets_a_record_when_another_handler_or_a_filter_stands_on_the_way() -> None:
    handler, logger = serve_logging(io.StringIO())
    logger.addHandler(logging.NullHandler())  # as pytest's caplog adds its own
    assert call_log.direct(logger, logging.INFO) is None
    logger.handlers.clear()
    handler.addFilter(lambda record: True)
    assert call_log.direct(logger, logging.INFO) is None
    handler.filters.clear()
    handler.setFormatter(logging.Formatter("%(message)s"))  # not Lines: its format unknown
    assert call_log.direct(logger, logging.INFO) is None
    handler.setFormatter(Lines())
    handler.setLevel(logging.WARNING)
    assert call_log.direct(logger, logging.INFO) is None
