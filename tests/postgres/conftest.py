"""Two emulator processes (``serve`` children) on one fresh PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability.live import Emulator


@pytest.fixture
def two_processes(fresh_postgres_url: str) -> Iterator[tuple[Emulator, Emulator]]:
    one = Emulator(fresh_postgres_url)  # type: ignore[arg-type]
    two = Emulator(fresh_postgres_url)  # type: ignore[arg-type]
    try:
        yield one, two
    finally:
        one.stop()
        two.stop()
