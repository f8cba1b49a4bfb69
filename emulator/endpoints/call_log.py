"""The one INFO line each API call logs: ``get_contact 200 0.5ms 127.0.0.1`` (logger
``emulator.api``), made cheaply.

``Logger.info`` cost more than the rest of the line's work together: it looks for its
caller in the stack and builds a :class:`logging.LogRecord` attribute by attribute (some
60,000 instructions a call, under callgrind). :class:`CallLine` is a LogRecord whose
attributes start as a copy of one record made at import (the logger, the level, the
format, where it is logged from), then get their own time, thread and process; and
:func:`log_call` hands it to the logger's handlers as ``Logger.info`` does: the same
message, the same attributes, the same handlers and filters.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
import time
from typing import Any, Protocol

log = logging.getLogger("emulator.api")
FORMAT = "%s %s %.1fms %s"
#: ``logging``'s start time: a record's ``relativeCreated`` counts from it.
STARTED: float = logging._startTime  # type: ignore[attr-defined]


class CallLine(logging.LogRecord):
    def __init__(self, args: tuple[Any, ...]) -> None:
        now = time.time()
        self.__dict__.update(TEMPLATE)
        self.args = args
        self.created = now
        self.msecs = int((now - int(now)) * 1000) + 0.0
        self.relativeCreated = (now - STARTED) * 1000
        self.thread = threading.get_ident()
        self.threadName = threading.current_thread().name
        self.processName = process_name()
        self.process = os.getpid()
        if "taskName" in TEMPLATE:  # Python 3.12 and later
            self.taskName = task_name()


def process_name() -> str:
    """As LogRecord: multiprocessing's name for this process, once that is imported."""
    multiprocessing = sys.modules.get("multiprocessing")
    try:
        return "MainProcess" if multiprocessing is None else multiprocessing.current_process().name
    except Exception:
        return "MainProcess"


def task_name() -> str | None:
    try:
        task = asyncio.current_task()
    except RuntimeError:  # no running loop
        return None
    return None if task is None else task.get_name()


def log_call(end_point: str, status: int, duration_ms: float, ip: str) -> None:
    if log.isEnabledFor(logging.INFO):
        handler = direct(log, logging.INFO)
        if handler is None:
            log.handle(CallLine((end_point, status, duration_ms, ip)))
        else:  # serve's own handler: the line handed to it, with no record made
            handler.info(log.name, FORMAT % (end_point, status, duration_ms, ip), time.time())


class Lines(Protocol):
    """A handler that takes a line with no record (emulator/serving/log_lines.py)."""

    filters: list[Any]
    level: int
    takes_lines: bool

    def info(self, name: str, message: str, created: float) -> None: ...


def direct(logger: logging.Logger, level: int) -> Lines | None:
    """The one handler a record of ``level`` logged to ``logger`` reaches, when it takes
    lines (``takes_lines``: what ``serve`` configures) and no filter stands on the way: the
    line can then be handed to it with no record made. None for any other set-up (a
    test's caplog, a user's own handlers), which gets records as ``Logger.info`` makes them."""
    found: Lines | None = None
    node: logging.Logger | None = logger
    while node is not None:
        if node.filters:
            return None
        for handler in node.handlers:
            if found is not None or not getattr(handler, "takes_lines", False):
                return None
            if handler.filters or level < handler.level:
                return None
            found = handler  # type: ignore[assignment]
        node = node.parent if node.propagate else None
    return found


#: What every CallLine starts from: the record ``log.info`` would make in log_call.
TEMPLATE: dict[str, Any] = logging.LogRecord(
    log.name, logging.INFO, __file__, log_call.__code__.co_firstlineno + 2, FORMAT, (), None,
    "log_call",
).__dict__  # fmt: skip
