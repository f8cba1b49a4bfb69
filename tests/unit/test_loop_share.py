"""Where an API call runs (emulator/endpoints/offload.py): a bounded call on the event loop
when the store is free; a read past its share of the loop again in a worker thread, with the
same answer; everything else in a thread."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from emulator.domain import deadline
from emulator.endpoints import offload
from emulator.endpoints.table import api_end_points
from emulator.errors import TimeBudgetExceeded
from emulator.settings import Settings
from emulator.systems import System
from emulator.wire.params import Params


@dataclass
class FakeCall:
    warnings: list[str] = field(default_factory=list)


class Recorder:
    """A handler that notes the thread of each run; its first run takes ``first_seconds``."""

    def __init__(self, first_seconds: float = 0) -> None:
        self.first_seconds = first_seconds
        self.threads: list[int] = []

    def __call__(self, call: FakeCall) -> dict[str, Any]:
        self.threads.append(threading.get_ident())
        call.warnings.append(f"run {len(self.threads)}")
        if len(self.threads) == 1:
            time.sleep(self.first_seconds)
        deadline.check()  # as the store does before each statement
        return {"answer": "42"}


def run(handler: Recorder, share: float | None, seconds: float = 30) -> tuple[Any, bytes]:
    call = FakeCall()

    async def main() -> tuple[Any, bytes]:
        value, body = await offload.api_call(handler, call, seconds, threading.RLock(), share)
        assert call.warnings == [f"run {len(handler.threads)}"]  # the first run's taken back
        return value, body

    return asyncio.run(main())


def test_a_bounded_call_runs_on_the_event_loop_when_the_store_is_free() -> None:
    handler = Recorder()
    assert run(handler, offload.LOOP_SHARE) == ({"answer": "42"}, b'{"answer":"42"}')
    assert handler.threads == [threading.get_ident()]


def test_a_read_past_its_share_of_the_loop_runs_again_in_a_thread_with_the_same_answer() -> None:
    handler = Recorder(first_seconds=offload.LOOP_SHARE * 2)
    assert run(handler, offload.LOOP_SHARE) == ({"answer": "42"}, b'{"answer":"42"}')
    loop, thread = handler.threads
    assert loop == threading.get_ident()
    assert thread != loop


def test_a_bounded_write_on_the_loop_has_no_share_to_run_out() -> None:
    handler = Recorder(first_seconds=offload.LOOP_SHARE * 2)
    run(handler, float("inf"))
    assert handler.threads == [threading.get_ident()]


def test_a_call_past_its_budget_on_the_loop_gets_its_error() -> None:
    with pytest.raises(TimeBudgetExceeded):
        run(Recorder(first_seconds=0.2), offload.LOOP_SHARE, seconds=0.1)


def test_a_call_that_may_not_run_on_the_loop_runs_in_a_thread() -> None:
    handler = Recorder()
    run(handler, None)
    assert handler.threads[0] != threading.get_ident()


def test_reads_and_edits_without_product_lines_are_the_calls_run_on_the_loop() -> None:
    system = System(Settings())
    try:
        table = api_end_points(system.registry)
    finally:
        system.close()
    none = Params({}, "none")
    shares = {name: offload.loop_share(table[name], none) for name in table}
    assert shares["get_contact"] == shares["get_quote"] == shares["login"] == offload.LOOP_SHARE
    assert shares["get_contact_list_count"] == offload.LOOP_SHARE
    assert shares["edit_contact"] == float("inf")
    assert shares["edit_quote"] is None
    assert shares["get_contact_list_full"] is None  # no limit_end: up to 50,000 records
    assert shares["get_record_list_from_report"] is shares["edit_record_link"] is None


@pytest.mark.parametrize(
    ("limit_end", "share"),
    [("1000", offload.LOOP_SHARE), ("2000", offload.LOOP_SHARE), ("2001", None), ("", None),
     ("1e3", None), ("٣", None), ("²", None), ("9" * 4301, None), ("0" * 10 + "5", None)],
)  # fmt: skip
def test_a_list_runs_on_the_loop_when_it_asks_for_a_short_page(
    limit_end: str, share: float | None
) -> None:
    system = System(Settings())
    try:
        list_full = api_end_points(system.registry)["get_contact_list_full"]
    finally:
        system.close()
    assert offload.loop_share(list_full, Params({"limit_end": limit_end}, "form")) == share
