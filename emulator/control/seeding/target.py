"""What seeding needs of a system, and no more: the store's bulk verbs, the reference data
line rules use, and products read as the line rules read them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from emulator.domain.modules import Module, Registry
from emulator.domain.product_lines import ReferenceData
from emulator.store import SeededLines


class SeedStore(Protocol):
    """The store's verbs seeding uses (emulator.store.Store has them all)."""

    registry: Registry

    @property
    def lock(self) -> AbstractContextManager[Any]: ...

    def counts(self) -> dict[str, int]: ...

    def live_values(self, noun: str, names: Sequence[str]) -> list[dict[str, Any]]: ...

    def allocate(self, count: int) -> range: ...

    def max_id(self, noun: str) -> int: ...

    def take_numbers(self, module: Module, count: int) -> list[str]: ...

    def bulk_load(self, noun: str, adding: int) -> AbstractContextManager[None]: ...

    def insert_seeded(
        self,
        module: Module,
        columns: Sequence[str],
        rows: Sequence[Sequence[object]],
        lines: SeededLines | None = None,
    ) -> None: ...

    def forget_line_templates(self) -> None: ...


@dataclass(frozen=True)
class SeedTarget:
    store: SeedStore
    reference: ReferenceData
    #: Products by id, as the line rules read them (emulator.backend.Backend.line_products).
    line_products: Callable[[Sequence[int]], dict[int, Mapping[str, str]]]

    @property
    def registry(self) -> Registry:
        return self.store.registry
