"""Work off the event loop: every API call's handler, and the control routes that touch the
store, run in worker threads, so the loop keeps accepting, reading and answering while one
of them runs long. The store's lock serialises their database work (emulator/store), as it
always did; what changes is that a thread waits for it, never the loop.

The control plane has a limiter of its own, so forty API calls waiting for the store (the
default limiter's forty threads) never keep health or the journal from answering.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

import anyio.to_thread
from anyio import CapacityLimiter

from emulator.domain import deadline
from emulator.wire import envelope

T = TypeVar("T")
#: Threads the control plane may use at once (per event loop).
CONTROL_THREADS = 8
_control: WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = WeakKeyDictionary()


async def api_call(handler: Callable[[Any], Any], call: Any, seconds: float) -> tuple[Any, bytes]:
    """An end point's answer and its encoded body, worked out in a thread within the call's
    time budget of ``seconds`` (emulator/domain/deadline.py)."""

    def work() -> tuple[Any, bytes]:
        with deadline.within(seconds):
            value = handler(call)
        return value, envelope.encode(value)

    return await anyio.to_thread.run_sync(work)


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
