"""Seeding progress, as the configured log level allows: below ``info`` nothing at all.

On a terminal, a live progress bar per module (rich, imported only then: it costs about
0.2 s). Elsewhere (logs, pipes, containers) one ``info`` line per module through the
``emulator.seed`` logger, when the module is done.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

LOG = logging.getLogger("emulator.seed")

#: progress(module noun, records added so far, records to add), as emulator.seed reports it.
Progress = Callable[[str, int, int], None]


@contextmanager
def seeding_progress(log_level: str, stream: TextIO | None = None) -> Iterator[Progress | None]:
    """The progress callback to give seeding while the ``with`` block runs (None: quiet)."""
    out = stream or sys.stderr
    if logging.getLevelName(log_level.upper()) > logging.INFO:
        yield None
    elif out.isatty():
        with live_bars(out) as show:
            yield show
    else:
        yield log_each_module


def log_each_module(noun: str, done: int, wanted: int) -> None:
    if done >= wanted:
        LOG.info("seeding %s: %d/%d", noun, done, wanted)


@contextmanager
def live_bars(out: TextIO) -> Iterator[Progress]:
    """A rich progress bar per module on the terminal ``out``, left on screen when done."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bars

    bars = Bars(
        TextColumn("seeding {task.description:<14}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=out, force_terminal=True),
    )
    tasks: dict[str, TaskID] = {}

    def show(noun: str, done: int, wanted: int) -> None:
        if noun not in tasks:
            tasks[noun] = bars.add_task(noun, total=wanted)
        bars.update(tasks[noun], completed=done)

    with bars:
        yield show
