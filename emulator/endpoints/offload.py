"""Work off the event loop: every API call's handler, and the control routes that touch the
store, run in worker threads, so the loop keeps accepting, reading and answering while one
of them runs long. The store's lock serialises their database work (emulator/store), as it
always did; what changes is that a thread waits for it, never the loop.

The control plane has a limiter of its own, so forty API calls waiting for the store (the
default limiter's forty threads) never keep health or the journal from answering.

One exception: a quick call (one record by its id, not a sales record, whose lines are
many) runs on the loop when the store's lock is free at once. Its work is bounded (one
indexed read of one row), and a thread hand-off costs more than the call: under load the
two threads' contention for the GIL was the largest share of a get_contact. When the lock
is held (a long edit, a big list), it waits in a thread as every other call does, so
health and the control plane stay as responsive as they were.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Protocol, TypeVar
from weakref import WeakKeyDictionary

import anyio.to_thread
from anyio import CapacityLimiter

from emulator.domain import deadline
from emulator.endpoints.table import EndPoint, Kind
from emulator.wire import envelope

T = TypeVar("T")
#: The kinds of end point run on the loop when the store is free (see :func:`is_quick`).
QUICK = frozenset({Kind.GET, Kind.USER, Kind.LOGIN})
#: Threads the control plane may use at once (per event loop).
CONTROL_THREADS = 8
_control: WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = WeakKeyDictionary()


class Lock(Protocol):
    def acquire(self, blocking: bool = ..., timeout: float = ...) -> bool: ...

    def release(self) -> None: ...


async def api_call(
    handler: Callable[[Any], Any], call: Any, seconds: float, quick: Lock | None = None
) -> tuple[Any, bytes]:
    """An end point's answer and its encoded body, worked out within the call's time budget
    of ``seconds`` (emulator/domain/deadline.py): in a thread, or on the loop when the call
    is quick and ``quick``, the store's lock, is free at once."""

    def work() -> tuple[Any, bytes]:
        with deadline.within(seconds):
            value = handler(call)
        return value, envelope.encode(value)

    if quick is not None and quick.acquire(blocking=False):
        try:
            return work()
        finally:
            quick.release()
    return await anyio.to_thread.run_sync(work)


def is_quick(end_point: EndPoint) -> bool:
    """One record by its id (or login), not a sales record: bounded work. Lists, counts,
    edits, reports, links and campaigns: never."""
    module = end_point.module
    return end_point.kind in QUICK and not (module is not None and module.sales)


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
