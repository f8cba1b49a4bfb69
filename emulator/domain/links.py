"""Record links: ``edit_record_link`` (guide, "Record Linking (BETA)"; data-model.md §5.2).

A link joins two live records of any modules, as in the web app's sub-tabs: ``parent_id`` is
the record on screen, ``child_id`` the record picked. It is stored once, as vtiger's
``crmentityrel`` row (parent, parent module, child, child module), and read from both sides;
a pair already linked in either orientation is not linked again, so re-linking answers the
parent id and writes nothing. A new link is audited on both records: a "Linked(API)" entry
whose details name the other record, like vtiger's ``modtracker_relations`` (data-model.md
§5.4). Linking changes no field of either record (not even ``modifiedtime``), and never
rewrites single-valued references such as a contact's ``accountid``.
"""

from __future__ import annotations

from dataclasses import dataclass

from emulator.domain.modules import Module
from emulator.errors import RecordNotFound, RequestError


@dataclass(frozen=True)
class LinkRequest:
    parent: int
    child: int

    def __post_init__(self) -> None:
        if self.parent == self.child:
            raise RequestError(
                f"parent_id and child_id are the same record ({self.parent}): "
                "a record cannot be linked to itself"
            )


def live(module: Module | None, crmid: int, name: str) -> Module:
    """The module of one side of a link; an error naming the side when it is not live."""
    if module is None:
        raise RecordNotFound(f"No record with id {crmid} ({name})")
    return module


def target(module: Module, crmid: int) -> list[tuple[str, str, str]]:
    """Audit details naming the other record of a link (vtiger's targetmodule / targetid)."""
    return [("targetmodule", "", module.record_module), ("targetid", "", str(crmid))]
