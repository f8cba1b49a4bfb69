"""The time budget of the call running in this context (setting ``api_time_limit``).

The dispatcher runs each API call ``within`` its budget; the store checks it before each
statement and, through SQLite's progress handler, while one runs, and stops the call with
:class:`~emulator.errors.TimeBudgetExceeded` (its transaction rolls back). A call run on the
event loop (emulator/endpoints/offload.py) also has a *share* of the loop, the seconds it may
take: past it the store stops the call with :class:`ShareSpent`, and the dispatcher runs it
again in a worker thread, within what is left of its budget.
A context variable, so each call sees its own budget and other code (seeding, the control
plane, the plugin's direct calls) sees none.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

from emulator.errors import TimeBudgetExceeded

#: (the monotonic time the budget ends, the seconds it was, the time the call is stopped:
#: the end of its share of the loop, if sooner) of the current call, if it has one.
Budget = tuple[float, float, float] | None
_BUDGET: ContextVar[Budget] = ContextVar("emulator_deadline", default=None)


class ShareSpent(Exception):
    """A call ran past its share of the event loop: no error, it goes on in a thread."""


@contextmanager
def within(seconds: float, ends: float | None = None, share: float = math.inf) -> Iterator[None]:
    """A budget of ``seconds`` that ends ``seconds`` from now (or at ``ends``), the call
    stopped with :class:`ShareSpent` ``share`` seconds from now if that is sooner."""
    token = begin(seconds, ends, share)
    try:
        yield
    finally:
        end(token)


def begin(seconds: float, ends: float | None = None, share: float = math.inf) -> Token[Budget]:
    """What ``within`` does on entry, for a caller on the hot path (no generator made): the
    budget set until :func:`end` is given the token this returns."""
    now = time.monotonic()
    ends = now + seconds if ends is None else ends
    return _BUDGET.set((ends, seconds, min(ends, now + share)))


def end(token: Token[Budget]) -> None:
    _BUDGET.reset(token)


def remaining() -> float | None:
    """Seconds left (None: no budget)."""
    budget = _BUDGET.get()
    return None if budget is None else budget[0] - time.monotonic()


def passed() -> bool:
    """Whether the current call is to be stopped: its budget or its share of the loop ran out."""
    budget = _BUDGET.get()
    return budget is not None and time.monotonic() > budget[2]


def check() -> None:
    """Raise TimeBudgetExceeded when the current call's budget has run out, ShareSpent when
    its share of the loop has."""
    budget = _BUDGET.get()
    if budget is not None and time.monotonic() > budget[2]:
        if time.monotonic() > budget[0]:
            raise TimeBudgetExceeded(budget[1])
        raise ShareSpent()
