"""The time budget of the call running in this context (setting ``api_time_limit``).

The dispatcher runs each API call in a worker thread ``within`` its budget; the store checks
it before each statement and, through SQLite's progress handler, while one runs, and stops
the call with :class:`~emulator.errors.TimeBudgetExceeded` (its transaction rolls back).
A context variable, so each call's thread sees its own budget and other code (seeding, the
control plane, the plugin's direct calls) sees none.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from emulator.errors import TimeBudgetExceeded

#: (the monotonic time it ends, the seconds it was) of the current call, if it has one.
_BUDGET: ContextVar[tuple[float, float] | None] = ContextVar("emulator_deadline", default=None)


@contextmanager
def within(seconds: float) -> Iterator[None]:
    token = _BUDGET.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def remaining() -> float | None:
    """Seconds left (None: no budget)."""
    budget = _BUDGET.get()
    return None if budget is None else budget[0] - time.monotonic()


def passed() -> bool:
    budget = _BUDGET.get()
    return budget is not None and time.monotonic() > budget[0]


def check() -> None:
    """Raise TimeBudgetExceeded when the current call's budget has run out."""
    budget = _BUDGET.get()
    if budget is not None and time.monotonic() > budget[0]:
        raise TimeBudgetExceeded(budget[1])
