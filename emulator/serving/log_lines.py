"""The emulator's log, written in batches: one line per API call stays cheap.

Each line written on its own cost a write system call per call, a fifth of a get_contact's
time on the server. :class:`BatchedStream` keeps INFO and DEBUG lines in memory for at most
:data:`DELAY` seconds (a thread of its own writes them, all at once); a WARNING or worse is
written at once, after any line waiting before it, so the order of lines never changes.
The lines left at exit are written by ``logging.shutdown``, which flushes every handler.

:class:`Lines` formats them as before; only the date and time of a second is worked out
once for all its lines.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: The longest an INFO line waits before it is written, in seconds.
DELAY = 0.05
#: Lines written at once when this many wait (a burst never holds much in memory).
MOST_WAITING = 512


class BatchedStream(logging.StreamHandler):  # type: ignore[type-arg]
    def __init__(self, stream: TextIO, delay: float = DELAY) -> None:
        super().__init__(stream)
        self.delay = delay
        self.waiting: list[str] = []
        self.woken = threading.Event()
        threading.Thread(target=self.write_later, name="log-lines", daemon=True).start()

    def emit(self, record: logging.LogRecord) -> None:
        """Called with the handler's lock held (``Handler.handle``)."""
        try:
            self.waiting.append(self.format(record) + self.terminator)
        except Exception:
            self.handleError(record)
            return
        self.added(record.levelno)

    def added(self, level: int) -> None:
        if level >= logging.WARNING or len(self.waiting) >= MOST_WAITING:
            self.write_waiting()
        elif len(self.waiting) == 1:
            self.woken.set()  # once per batch: the first line wakes the writer

    @property
    def takes_lines(self) -> bool:
        """Whether :meth:`info` writes what a record's line would be (its formatter is a
        :class:`Lines`): emulator/endpoints/call_log.py hands it lines then, no records."""
        return type(self.formatter) is Lines

    def info(self, name: str, message: str, created: float) -> None:
        """The line ``logging`` would write for an INFO record of logger ``name`` made at
        ``created`` (``time.time()``), with no record made."""
        assert isinstance(self.formatter, Lines)
        line = f"{self.formatter.when(created)} INFO {name}: {message}{self.terminator}"
        with self.lock:  # type: ignore[union-attr]
            self.waiting.append(line)
            self.added(logging.INFO)

    def flush(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            self.write_waiting()

    def write_waiting(self) -> None:
        lines, self.waiting = self.waiting, []
        if lines and self.stream is not None:
            try:
                self.stream.write("".join(lines))
                self.stream.flush()
            except (OSError, ValueError):  # a closed stream: as StreamHandler, nothing to do
                pass

    def write_later(self) -> None:
        """The writer: woken by the first line of a batch, it writes the batch after DELAY."""
        while True:
            self.woken.wait()
            self.woken.clear()  # a line added after this wakes it again, or waits for below
            time.sleep(self.delay)
            self.flush()


class Lines(logging.Formatter):
    """:data:`FORMAT`, the time of day formatted once per second."""

    def __init__(self) -> None:
        super().__init__(FORMAT)
        self.second: tuple[int, str] = (-1, "")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return self.when(record.created)

    def when(self, created: float) -> str:
        """``asctime`` of a record made at ``created`` (``time.time()``)."""
        second, text = self.second
        if int(created) != second:
            text = time.strftime(self.default_time_format, self.converter(created))
            self.second = (int(created), text)
        msecs = int((created - int(created)) * 1000)  # as LogRecord.msecs
        return f"{text},{msecs:03d}"  # as logging.Formatter.default_msec_format
