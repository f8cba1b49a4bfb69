"""Faker top-up: fill every module up to N records with deterministic en_GB data.

(To be completed: see the records issue.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from emulator.backend import Backend

#: progress(module noun, records done, records wanted)
Progress = Callable[[str, int, int], None]


def top_up(backend: Backend, records: int, seed: int, progress: Progress | None = None) -> None:
    raise NotImplementedError("seeding with Faker is not written yet")
