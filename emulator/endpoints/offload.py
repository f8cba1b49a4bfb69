"""Where an API call's handler runs: on the event loop when the store is free and the call is
bounded, else in a worker thread, so the loop keeps accepting, reading and answering while
a long call runs. The store's lock serialises database work (emulator/store), as it always
did; a call that finds it held waits for it in a thread, never on the loop.

On the loop, when the store's lock is free at once:

- a read (one record by its id, a login, a count, a list asking for a page of at most
  :data:`LOOP_ROWS` records), within a *share* of the loop of :data:`LOOP_SHARE` seconds
  (emulator/domain/deadline.py). A sales record's lines, or a count's conditions, can take
  long: past its share the store stops the read, and it runs again in a thread, within
  what is left of its budget. A read has no effects: its second run answers as the first
  would have;
- an edit of a record without product lines: its work is bounded by the request body
  (``max_body_bytes``), so it runs to its end there.

Everything else (longer lists, edits of sales records, reports, links, campaigns) runs in
a thread. A thread hand-off costs more than a short call: under load, the two threads'
contention for the GIL (every SQLite statement releases it) was the largest share of a
get_quote or an edit_contact.

The control plane has a limiter of its own, so forty API calls waiting for the store (the
default limiter's forty threads) never keep health or the journal from answering.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol, TypeVar
from weakref import WeakKeyDictionary

import anyio.to_thread
from anyio import CapacityLimiter

from emulator.domain import deadline
from emulator.endpoints.table import EndPoint, Kind
from emulator.wire import envelope
from emulator.wire.params import Params

T = TypeVar("T")
#: The kinds of end point that read one record (see :func:`loop_share`).
READS = frozenset({Kind.GET, Kind.USER, Kind.LOGIN, Kind.COUNT})
#: Lists, read on the loop when they ask for at most :data:`LOOP_ROWS` records.
LISTS = frozenset({Kind.LIST, Kind.LIST_FULL})
LOOP_ROWS = 2_000
#: The seconds a read may hold the loop before it goes on in a thread.
LOOP_SHARE = 0.05
#: Threads the control plane may use at once (per event loop).
CONTROL_THREADS = 8
_control: WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = WeakKeyDictionary()


class Lock(Protocol):
    def acquire(self, blocking: bool = ..., timeout: float = ...) -> bool: ...

    def release(self) -> None: ...


async def api_call(
    handler: Callable[[Any], Any],
    call: Any,
    seconds: float,
    free: Lock | None = None,
    share: float | None = None,
) -> tuple[Any, bytes]:
    """An end point's answer and its encoded body, worked out within the call's time budget
    of ``seconds``: on the loop for at most ``share`` seconds (None: never) if ``free``, the
    store's lock, is free at once, else in a thread."""
    ends = time.monotonic() + seconds
    if share is not None and free is not None and free.acquire(blocking=False):
        try:
            done = on_loop(handler, call, Budget(seconds, ends, share))
        finally:
            free.release()
        if done is not None:
            return done
    return await anyio.to_thread.run_sync(work, handler, call, Budget(seconds, ends))


class Budget(NamedTuple):
    seconds: float
    ends: float
    share: float = math.inf


def on_loop(handler: Callable[[Any], Any], call: Any, budget: Budget) -> tuple[Any, bytes] | None:
    """The answer worked out on the loop, or None: stopped at the end of its share of the
    loop, to be run again in a thread (its warnings so far taken back)."""
    warned, started = len(call.warnings), time.monotonic()
    try:
        return work(handler, call, budget)
    except Exception:
        if budget.share == math.inf or time.monotonic() <= started + budget.share:
            raise
    del call.warnings[warned:]
    return None


def work(handler: Callable[[Any], Any], call: Any, budget: Budget) -> tuple[Any, bytes]:
    token = deadline.begin(budget.seconds, budget.ends, budget.share)
    try:
        value = handler(call)
    finally:
        deadline.end(token)
    return value, envelope.encode(value)


def loop_share(end_point: EndPoint, params: Params) -> float | None:
    """The seconds a call of ``end_point`` may run on the loop (None: never there). A list
    goes there when its ``limit_end`` asks for a page of at most :data:`LOOP_ROWS` (a
    guess: a longer one is stopped at the end of its share, as any read is)."""
    if end_point.kind in READS:
        return LOOP_SHARE
    if end_point.kind in LISTS:
        end = params.text("limit_end")
        short = len(end) <= len(str(LOOP_ROWS)) and end.isascii() and end.isdigit()
        return LOOP_SHARE if short and int(end) <= LOOP_ROWS else None
    module = end_point.module
    if end_point.kind is Kind.EDIT and module is not None and not module.sales:
        return math.inf
    return None


async def control(work: Callable[..., T], *args: Any) -> T:
    """``work(*args)`` in one of the control plane's own threads."""
    return await anyio.to_thread.run_sync(work, *args, limiter=control_limiter())


def control_limiter() -> CapacityLimiter:
    """The control plane's limiter on the running loop (the in-process transports run the
    app on loops of their own, and a limiter belongs to one loop)."""
    loop = asyncio.get_running_loop()
    limiter = _control.get(loop)
    if limiter is None:
        limiter = _control[loop] = CapacityLimiter(CONTROL_THREADS)
    return limiter
