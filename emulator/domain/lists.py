"""What a list, count or report asks for: which records (query_string conditions and
keywords, the domain's words for a filter) and which slice of them (paging)."""

from __future__ import annotations

from dataclasses import dataclass

from emulator.domain.filters import Condition

#: The guide's record limit: "the record limit is currently set at 50000 records".
LIST_CAP = 50_000


@dataclass(frozen=True)
class ListQuery:
    conditions: tuple[Condition, ...] = ()
    keywords: str = ""
    start: int = 0
    limit: int = LIST_CAP

    def unpaged(self) -> ListQuery:
        """The same records without limit_start/limit_end (what a count counts)."""
        return ListQuery(self.conditions, self.keywords)
